using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Rejects;

/// <summary>
/// Writes the rows an import skipped, so the user can fix and re-import them. Two files:
/// <list type="bullet">
/// <item>the rejects file (e.g. <c>tickets.rejects.csv</c>): for CSV the source's header line first, then each
/// skipped row exactly as it was in the source (quotes, embedded line breaks and all); for NDJSON each skipped line.
/// Every row ends in LF. Importing this file again re-reads exactly those rows.</item>
/// <item>the reasons file (<c>&lt;rejects file&gt;.reasons.txt</c>): one line per issue, in row order, each the
/// issue's own message naming the source file and line, e.g.
/// <c>tickets.csv:1042: solved_at: '2026-13-01' is not a date-time</c>.</item>
/// </list>
/// The rows are not changed to carry their reasons (no extra column), so the rejects file keeps the source's format.
/// </summary>
public sealed class RejectsWriter : IDisposable
{
    private const string ReasonsSuffix = ".reasons.txt";
    private readonly Stream _rows;
    private readonly Stream _reasons;
    private readonly bool _leaveOpen;
    private bool _disposed;

    /// <summary>Creates a writer onto two streams.</summary>
    /// <param name="rows">Receives the rejected rows.</param>
    /// <param name="reasons">Receives one line per issue.</param>
    /// <param name="header">For CSV: the source's header line (e.g. <c>TicketSummaryCsvReader.Header</c>), written first. Empty for NDJSON.</param>
    /// <param name="leaveOpen">Whether disposing leaves the streams open.</param>
    public RejectsWriter(Stream rows, Stream reasons, ReadOnlyMemory<byte> header = default, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(reasons);
        _rows = rows;
        _reasons = reasons;
        _leaveOpen = leaveOpen;
        if (!header.IsEmpty)
        {
            _rows.Write(header.Span);
            _rows.WriteByte((byte)'\n');
        }
    }

    /// <summary>Number of rows written.</summary>
    public long Count { get; private set; }

    /// <summary>The reasons file that goes with a rejects file: <c>&lt;path&gt;.reasons.txt</c>.</summary>
    public static string ReasonsPath(string rejectsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(rejectsPath);
        return rejectsPath + ReasonsSuffix;
    }

    /// <summary>Creates (or replaces) <paramref name="rejectsPath"/> and its reasons file.</summary>
    public static RejectsWriter Create(string rejectsPath, ReadOnlyMemory<byte> header = default)
    {
        var rows = new FileStream(rejectsPath, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        try
        {
            var reasons = new FileStream(ReasonsPath(rejectsPath), FileMode.Create, FileAccess.Write, FileShare.Read, 16 * 1024);
            return new RejectsWriter(rows, reasons, header);
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    /// <summary>Writes a rejected row and its issues.</summary>
    public void Write<T>(in ImportRow<T> row)
        where T : class
    {
        Write(row.Raw.Span, row.Issues);
    }

    /// <summary>Writes one row's original bytes and the issues that rejected it (e.g. from a later validation step).</summary>
    public void Write(ReadOnlySpan<byte> raw, IEnumerable<ImportIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _rows.Write(raw);
        _rows.WriteByte((byte)'\n');
        foreach (var issue in issues)
        {
            var text = issue.ToString();
            var bytes = Utf8Text.NoBom.GetBytes(text);
            _reasons.Write(bytes);
            _reasons.WriteByte((byte)'\n');
        }

        Count++;
    }

    /// <summary>Flushes both files.</summary>
    public void Flush()
    {
        _rows.Flush();
        _reasons.Flush();
    }

    /// <summary>Flushes and closes both streams unless asked to leave them open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Flush();
        if (!_leaveOpen)
        {
            _rows.Dispose();
            _reasons.Dispose();
        }
    }
}
