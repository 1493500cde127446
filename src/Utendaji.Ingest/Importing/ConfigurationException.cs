namespace Utendaji.Ingest.Importing;

/// <summary>
/// A stored or submitted configuration document (calendar, SLA policy, options, instrument) is invalid. The message
/// lists every error, one per line, each naming its source and field; the CLI shows it as a data error, the server as
/// problem details.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigurationException()
    {
    }

    /// <summary>Creates the exception with the list of errors as its message.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
