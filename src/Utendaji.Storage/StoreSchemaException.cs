namespace Utendaji.Storage;

/// <summary>
/// The database cannot be used by this version of Utendaji: its schema is newer than the code knows, or a
/// migration failed. Permanent: retrying will not help.
/// </summary>
public sealed class StoreSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreSchemaException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StoreSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
