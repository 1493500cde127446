using System.Text;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Csv;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Reads survey responses from CSV: one row per respondent, one column per item (named by the question id, e.g.
/// <c>q05</c>), plus the optional response columns <c>response_id</c> (required), <c>instrument</c>, <c>ticket_id</c>,
/// <c>customer</c>, <c>agent</c>, <c>team</c>, <c>channel</c>, <c>language</c>, <c>sent_at</c>, <c>submitted_at</c>
/// (required) and <c>send_id</c>. Every answer is checked against its instrument. Streaming: memory does not grow
/// with the file (except the duplicate-id check, see <see cref="SurveyReaderOptions.RejectDuplicateIds"/>). Each row
/// comes back as an <see cref="ImportRow{T}"/> with all its issues; only file-level problems (UTF-16, a bad header, a
/// column naming no item of the chosen instrument) throw <see cref="ImportFileException"/>.
/// The format and every error are specified in docs/surveys-responses.md.
/// </summary>
public sealed class SurveyResponseCsvReader : IDisposable
{
    private const int MetaCount = 11;

    private readonly Utf8CsvReader _csv;
    private readonly SurveyReaderOptions _options;
    private readonly InstrumentCatalog _catalog;
    private readonly ResponseChecks _checks;
    private readonly int[] _meta = new int[MetaCount];
    private readonly int[] _itemColumns;
    private readonly SurveyQuestion[]? _fixedQuestions;
    private readonly int _headerFieldCount;
    private readonly RawSlab _slab = new();
    private readonly StringCache _instruments = new();
    private readonly StringCache _teams = new();
    private readonly StringCache _agents = new();
    private readonly StringCache _channels = new();
    private readonly StringCache _languages = new();
    private bool _reading;

    private SurveyResponseCsvReader(Stream stream, string fileName, InstrumentCatalog catalog, SurveyReaderOptions options, bool leaveOpen)
    {
        FileName = fileName;
        _options = options;
        _catalog = catalog;
        _checks = new ResponseChecks(options);
        _csv = new Utf8CsvReader(stream, options.BufferSize, Math.Max(options.MaxRecordBytes, options.BufferSize), leaveOpen);
        try
        {
            (var names, var raw, HeaderLine) = SurveyCsv.ReadHeader(_csv, fileName, IsMeta);
            HeaderNames = names;
            Header = raw;
            _headerFieldCount = names.Length;
            (_itemColumns, _fixedQuestions) = MapColumns(names);
            ItemColumns = [.. _itemColumns.Select(i => names[i])];
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

    /// <summary>The columns read as items (every column that is not a response column), in file order.</summary>
    public IReadOnlyList<string> ItemColumns { get; }

    /// <summary>Bytes read from the stream so far, for progress bars.</summary>
    public long BytesRead => _csv.BytesRead;

    /// <summary>
    /// Opens <paramref name="stream"/> to read responses to <paramref name="instrument"/> and reads the header at once.
    /// The <c>instrument</c> column is optional; a row naming another instrument is rejected.
    /// </summary>
    /// <exception cref="ImportFileException">
    /// The file is empty or UTF-16; the header repeats a column, has a blank name, lacks <c>response_id</c> or
    /// <c>submitted_at</c>, names a column that is no item of the instrument, or lacks the column of a required item.
    /// </exception>
    public static SurveyResponseCsvReader Open(Stream stream, string fileName, SurveyInstrument instrument, SurveyReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SurveyResponseCsvReader(stream, fileName, InstrumentCatalog.Of(instrument), options ?? SurveyReaderOptions.Default, leaveOpen);
    }

    /// <summary>
    /// Opens <paramref name="stream"/> to read responses that each name their instrument in the <c>instrument</c>
    /// column (required), found with <paramref name="instruments"/> (called once per distinct id; null when unknown).
    /// Items are then checked per row: a column that is no item of the row's instrument must be empty in that row.
    /// </summary>
    /// <exception cref="ImportFileException">The file is empty or UTF-16, or the header is unusable (see the other overload) or lacks <c>instrument</c>.</exception>
    public static SurveyResponseCsvReader Open(Stream stream, string fileName, Func<string, SurveyInstrument?> instruments, SurveyReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SurveyResponseCsvReader(stream, fileName, InstrumentCatalog.Of(instruments), options ?? SurveyReaderOptions.Default, leaveOpen);
    }

    /// <summary>Opens, yields every row and closes: the short form when the header is not needed separately.</summary>
    /// <exception cref="ImportFileException">On the first enumeration step, for file-level problems.</exception>
    public static IEnumerable<ImportRow<SurveyResponse>> Read(Stream stream, string fileName, SurveyInstrument instrument, SurveyReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = Open(stream, fileName, instrument, options);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Opens, yields every row and closes, each row naming its instrument.</summary>
    /// <exception cref="ImportFileException">On the first enumeration step, for file-level problems.</exception>
    public static IEnumerable<ImportRow<SurveyResponse>> Read(Stream stream, string fileName, Func<string, SurveyInstrument?> instruments, SurveyReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = Open(stream, fileName, instruments, options);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Yields the data rows lazily, in file order; blank lines are skipped. Can be enumerated once.</summary>
    /// <exception cref="ImportFileException">A record longer than <see cref="SurveyReaderOptions.MaxRecordBytes"/>.</exception>
    public IEnumerable<ImportRow<SurveyResponse>> ReadRows(CancellationToken cancellationToken = default)
    {
        if (_reading)
        {
            throw new InvalidOperationException("the rows of a response CSV can be read once");
        }

        _reading = true;
        return Rows(cancellationToken);
    }

    /// <summary>Closes the stream (unless left open) and returns the pooled buffers.</summary>
    public void Dispose() => _csv.Dispose();

    private static bool IsMeta(string name) => SurveyCsv.IndexOf(SurveyFields.ResponseMeta, name) >= 0;

    private IEnumerable<ImportRow<SurveyResponse>> Rows(CancellationToken cancellationToken)
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

    private ImportRow<SurveyResponse> ParseRow()
    {
        var line = _csv.Line;
        var raw = _slab.Copy(_csv.RawRecord);
        if (SurveyCsv.RecordIssue(_csv, FileName, raw.Span, HeaderNames) is { } recordIssue)
        {
            return ImportRow<SurveyResponse>.Rejected(line, _csv.LineCount, raw, [recordIssue]);
        }

        var draft = new ResponseDraft(FileName, line)
        {
            ResponseId = Text(0, null),
            InstrumentId = Text(1, _instruments),
            TicketId = Text(2, null),
            Customer = Text(3, null),
            Agent = Text(4, _agents),
            Team = Text(5, _teams),
            Channel = Text(6, _channels),
            Language = Text(7, _languages),
            SendId = Text(10, null),
        };

        var sent = Cell(8);
        if (!sent.IsEmpty)
        {
            draft.SentAtText = Encoding.UTF8.GetString(sent);
            draft.SentAt = _checks.Instant(draft, SurveyFields.SentAt, sent);
        }

        var submitted = Cell(9);
        if (!submitted.IsEmpty)
        {
            draft.SubmittedAt = _checks.Instant(draft, SurveyFields.SubmittedAt, submitted);
        }

        draft.Instrument = _catalog.Resolve(draft.InstrumentId, out var instrumentReason);
        if (draft.Instrument is { } items)
        {
            for (var k = 0; k < _itemColumns.Length; k++)
            {
                var column = _itemColumns[k];
                var cell = SurveyCsv.Present(_csv[column]);
                if (cell.IsEmpty)
                {
                    continue;
                }

                var name = HeaderNames[column];
                var text = Encoding.UTF8.GetString(cell);
                var question = _fixedQuestions is not null ? _fixedQuestions[k] : items.Question(name);
                if (question is null)
                {
                    draft.Issue(name, text.Trim(), $"is not an item of instrument '{items.Id}'");
                    continue;
                }

                var answer = AnswerRules.FromText(question, text, _options.ChoiceSeparator, out var reason);
                if (answer is null)
                {
                    draft.Issue(name, text.Trim(), reason!);
                }
                else
                {
                    draft.Answers[question.Id] = answer;
                }
            }
        }
        else
        {
            draft.Issue(SurveyFields.Instrument, draft.InstrumentId, instrumentReason!);
        }

        var response = _checks.Finish(draft, itemPrefix: "", answersField: "");
        return response is null
            ? ImportRow<SurveyResponse>.Rejected(line, _csv.LineCount, raw, draft.Issues!)
            : ImportRow<SurveyResponse>.Valid(line, _csv.LineCount, raw, response);
    }

    /// <summary>The cell of response field <paramref name="meta"/> when the column exists and is not blank, else empty.</summary>
    private ReadOnlySpan<byte> Cell(int meta) => _meta[meta] < 0 ? default : SurveyCsv.Present(_csv[_meta[meta]]);

    private string? Text(int meta, StringCache? cache)
    {
        var bytes = Cell(meta);
        if (bytes.IsEmpty)
        {
            return null;
        }

        return cache is null ? Encoding.UTF8.GetString(bytes) : cache.Get(bytes);
    }

    private (int[] Items, SurveyQuestion[]? Fixed) MapColumns(string[] names)
    {
        for (var m = 0; m < MetaCount; m++)
        {
            _meta[m] = SurveyCsv.IndexOf(names, SurveyFields.ResponseMeta[m]);
        }

        var missing = new List<string>();
        foreach (var required in new[] { SurveyFields.ResponseId, SurveyFields.SubmittedAt })
        {
            if (SurveyCsv.IndexOf(names, required) < 0)
            {
                missing.Add(required);
            }
        }

        if (_catalog.Fixed is null && _meta[1] < 0)
        {
            missing.Add(SurveyFields.Instrument);
        }

        if (missing.Count > 0)
        {
            var reason = missing.Count == 1
                ? $"is missing the required column '{missing[0]}'"
                : $"is missing the required columns {string.Join(", ", missing.Select(m => $"'{m}'"))}";
            if (missing.Contains(SurveyFields.Instrument))
            {
                reason += " (each row must name its instrument unless one instrument is chosen for the file)";
            }

            throw new ImportFileException(new ImportIssue(FileName, HeaderLine, "header", null, reason));
        }

        var items = new List<int>();
        for (var i = 0; i < names.Length; i++)
        {
            if (!IsMeta(names[i]))
            {
                items.Add(i);
            }
        }

        if (_catalog.Fixed is not { } fixedItems)
        {
            return ([.. items], null);
        }

        // One instrument for the whole file: a column naming no item would fail every row, so it fails the file once.
        var questions = new SurveyQuestion[items.Count];
        var unknown = new List<string>();
        for (var k = 0; k < items.Count; k++)
        {
            var question = fixedItems.Question(names[items[k]]);
            if (question is null)
            {
                unknown.Add(names[items[k]]);
            }
            else
            {
                questions[k] = question;
            }
        }

        if (unknown.Count > 0)
        {
            var reason = $"is not an item of instrument '{fixedItems.Id}'";
            if (unknown.Count > 1)
            {
                reason += $" (nor {(unknown.Count == 2 ? "is" : "are")} {string.Join(", ", unknown.Skip(1).Select(u => $"'{u}'"))})";
            }

            throw new ImportFileException(new ImportIssue(FileName, HeaderLine, unknown[0], null, reason));
        }

        var absent = fixedItems.Required.Where(q => !questions.Any(c => ReferenceEquals(c, q))).Select(q => q.Id).ToList();
        if (absent.Count > 0)
        {
            var list = string.Join(", ", absent.Select(a => $"'{a}'"));
            throw new ImportFileException(new ImportIssue(FileName, HeaderLine, "header", null,
                $"has no column for the required item{(absent.Count == 1 ? "" : "s")} {list} of instrument '{fixedItems.Id}'"));
        }

        return ([.. items], questions);
    }
}
