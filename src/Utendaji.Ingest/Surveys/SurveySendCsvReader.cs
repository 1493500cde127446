using System.Text;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Csv;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Reads survey sends from CSV (columns <c>send_id</c>, <c>instrument</c>, <c>ticket_id</c>, <c>customer</c>,
/// <c>channel</c>, <c>language</c>, <c>sent_at</c>; other columns are ignored), so response rate = responses ÷ sends.
/// Streaming; each row comes back as an <see cref="ImportRow{T}"/> with all its issues; only file-level problems
/// throw <see cref="ImportFileException"/>. Specified in docs/surveys-responses.md.
/// </summary>
public sealed class SurveySendCsvReader : IDisposable
{
    private readonly Utf8CsvReader _csv;
    private readonly SurveyReaderOptions _options;
    private readonly SendChecks _checks;
    private readonly int[] _columns = new int[SurveyFields.SendColumns.Length];
    private readonly int _headerFieldCount;
    private readonly RawSlab _slab = new();
    private readonly StringCache _instruments = new();
    private readonly StringCache _channels = new();
    private readonly StringCache _languages = new();
    private bool _reading;

    private SurveySendCsvReader(Stream stream, string fileName, InstrumentCatalog catalog, SurveyReaderOptions options, bool leaveOpen)
    {
        FileName = fileName;
        _options = options;
        _checks = new SendChecks(options, catalog);
        _csv = new Utf8CsvReader(stream, options.BufferSize, Math.Max(options.MaxRecordBytes, options.BufferSize), leaveOpen);
        try
        {
            (var names, var raw, HeaderLine) = SurveyCsv.ReadHeader(_csv, fileName, _ => true);
            HeaderNames = names;
            Header = raw;
            _headerFieldCount = names.Length;
            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i] = SurveyCsv.IndexOf(names, SurveyFields.SendColumns[i]);
            }

            var missing = new List<string>();
            if (_columns[0] < 0)
            {
                missing.Add(SurveyFields.SendId);
            }

            if (catalog.Fixed is null && _columns[1] < 0)
            {
                missing.Add(SurveyFields.Instrument);
            }

            if (_columns[6] < 0)
            {
                missing.Add(SurveyFields.SentAt);
            }

            if (missing.Count > 0)
            {
                var reason = missing.Count == 1
                    ? $"is missing the required column '{missing[0]}'"
                    : $"is missing the required columns {string.Join(", ", missing.Select(m => $"'{m}'"))}";
                throw new ImportFileException(new ImportIssue(fileName, HeaderLine, "header", null, reason));
            }
        }
        catch
        {
            _csv.Dispose();
            throw;
        }
    }

    /// <summary>The file name used in issues.</summary>
    public string FileName { get; }

    /// <summary>The header's physical line (1 unless blank lines precede it).</summary>
    public long HeaderLine { get; }

    /// <summary>The header line exactly as in the file (no byte order mark, no terminator), for the rejects file.</summary>
    public ReadOnlyMemory<byte> Header { get; }

    /// <summary>The header's column names, trimmed.</summary>
    public IReadOnlyList<string> HeaderNames { get; }

    /// <summary>Bytes read from the stream so far, for progress bars.</summary>
    public long BytesRead => _csv.BytesRead;

    /// <summary>Opens <paramref name="stream"/> to read sends of <paramref name="instrument"/> (the <c>instrument</c> column is then optional) and reads the header at once.</summary>
    /// <exception cref="ImportFileException">The file is empty or UTF-16, or the header is unusable or lacks <c>send_id</c> or <c>sent_at</c>.</exception>
    public static SurveySendCsvReader Open(Stream stream, string fileName, SurveyInstrument instrument, SurveyReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SurveySendCsvReader(stream, fileName, InstrumentCatalog.Of(instrument), options ?? SurveyReaderOptions.Default, leaveOpen);
    }

    /// <summary>Opens <paramref name="stream"/> to read sends that each name their <c>instrument</c> (required, and known to <paramref name="instruments"/>).</summary>
    /// <exception cref="ImportFileException">The file is empty or UTF-16, or the header is unusable or lacks <c>send_id</c>, <c>instrument</c> or <c>sent_at</c>.</exception>
    public static SurveySendCsvReader Open(Stream stream, string fileName, Func<string, SurveyInstrument?> instruments, SurveyReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SurveySendCsvReader(stream, fileName, InstrumentCatalog.Of(instruments), options ?? SurveyReaderOptions.Default, leaveOpen);
    }

    /// <summary>Opens, yields every row and closes.</summary>
    /// <exception cref="ImportFileException">On the first enumeration step, for file-level problems.</exception>
    public static IEnumerable<ImportRow<SurveySend>> Read(Stream stream, string fileName, Func<string, SurveyInstrument?> instruments, SurveyReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = Open(stream, fileName, instruments, options);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Yields the data rows lazily, in file order; blank lines are skipped. Can be enumerated once.</summary>
    /// <exception cref="ImportFileException">A record longer than <see cref="SurveyReaderOptions.MaxRecordBytes"/>.</exception>
    public IEnumerable<ImportRow<SurveySend>> ReadRows(CancellationToken cancellationToken = default)
    {
        if (_reading)
        {
            throw new InvalidOperationException("the rows of a send CSV can be read once");
        }

        _reading = true;
        return Rows(cancellationToken);
    }

    /// <summary>Closes the stream (unless left open) and returns the pooled buffers.</summary>
    public void Dispose() => _csv.Dispose();

    private IEnumerable<ImportRow<SurveySend>> Rows(CancellationToken cancellationToken)
    {
        var count = 0;
        while (_csv.Read())
        {
            if ((++count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (_csv.RawRecord.Length == 0)
            {
                continue;
            }

            yield return ParseRow();
        }

        if (_csv.RecordTooLong)
        {
            throw SurveyCsv.RecordTooLong(FileName, _csv.Line, _options.MaxRecordBytes);
        }
    }

    private ImportRow<SurveySend> ParseRow()
    {
        var line = _csv.Line;
        var raw = _slab.Copy(_csv.RawRecord);
        if (SurveyCsv.RecordIssue(_csv, FileName, raw.Span, HeaderNames) is { } recordIssue)
        {
            return ImportRow<SurveySend>.Rejected(line, _csv.LineCount, raw, [recordIssue]);
        }

        var draft = new SendDraft(FileName, line)
        {
            SendId = Text(0, null),
            InstrumentId = Text(1, _instruments),
            TicketId = Text(2, null),
            Customer = Text(3, null),
            Channel = Text(4, _channels),
            Language = Text(5, _languages),
        };

        var sent = Cell(6);
        if (!sent.IsEmpty)
        {
            if (!IsoDateTime.TryParseInstant(sent, _options.TimeZone, out var instant))
            {
                draft.Issue(SurveyFields.SentAt, Encoding.UTF8.GetString(sent), "is not a date-time");
            }
            else if (!SupportedInstants.Contains(instant))
            {
                draft.Issue(SurveyFields.SentAt, Encoding.UTF8.GetString(sent), SupportedInstants.Reason);
            }
            else
            {
                draft.SentAt = instant;
            }
        }

        var send = _checks.Finish(draft);
        return send is null
            ? ImportRow<SurveySend>.Rejected(line, _csv.LineCount, raw, draft.Issues!)
            : ImportRow<SurveySend>.Valid(line, _csv.LineCount, raw, send);
    }

    private ReadOnlySpan<byte> Cell(int field) => _columns[field] < 0 ? default : SurveyCsv.Present(_csv[_columns[field]]);

    private string? Text(int field, StringCache? cache)
    {
        var bytes = Cell(field);
        if (bytes.IsEmpty)
        {
            return null;
        }

        return cache is null ? Encoding.UTF8.GetString(bytes) : cache.Get(bytes);
    }
}
