namespace Utendaji.Ingest;

/// <summary>
/// A problem with a whole file rather than one row: a header without the required columns, a UTF-16 file, a record
/// longer than the limit (usually a quote that is never closed). Rows are never reported by exception; they come back
/// as <see cref="ImportRow{T}"/> values.
/// </summary>
public sealed class ImportFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="issue"/>; the message is the issue's one-line text.</summary>
    public ImportFileException(ImportIssue issue)
        : base(issue?.ToString())
    {
        Issue = issue ?? throw new ArgumentNullException(nameof(issue));
    }

    /// <summary>Creates the exception with a plain message (no file position).</summary>
    public ImportFileException()
        : this(new ImportIssue("", 0, "", null, "the file cannot be read"))
    {
    }

    /// <summary>Creates the exception with a plain message (no file position).</summary>
    public ImportFileException(string message)
        : this(new ImportIssue("", 0, "", null, message))
    {
    }

    /// <summary>Creates the exception with a plain message and the underlying cause.</summary>
    public ImportFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Issue = new ImportIssue("", 0, "", null, message);
    }

    /// <summary>What is wrong, where.</summary>
    public ImportIssue Issue { get; }
}
