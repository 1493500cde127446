using System.Buffers.Text;
using System.Globalization;
using System.Text;
using NodaTime;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Csv;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Summary;

/// <summary>
/// Reads a ticket summary CSV (one row per ticket: Utendaji's canonical columns or a Zendesk or Freshdesk export)
/// into <see cref="TicketSummary"/> rows, streaming: memory does not grow with the file (except the optional
/// duplicate-id check, see <see cref="TicketSummaryCsvOptions.RejectDuplicateIds"/>). Each row comes back as an
/// <see cref="ImportRow{T}"/>; only file-level problems throw <see cref="ImportFileException"/>.
/// The format is specified in docs/formats.md.
/// </summary>
public sealed class TicketSummaryCsvReader : IDisposable
{
    private const int FieldKinds = (int)SummaryField.FirstReplyMinutes + 1;

    private readonly Utf8CsvReader _csv;
    private readonly TicketSummaryCsvOptions _options;
    private readonly int[][] _columns = new int[FieldKinds][];
    private readonly int _headerFieldCount;
    private readonly bool _normalise;
    private readonly RawSlab _slab = new();
    private readonly IdSet? _ids;
    private readonly StringCache _priorities = new();
    private readonly StringCache _channels = new();
    private readonly StringCache _teams = new();
    private readonly StringCache _agents = new();
    private readonly StringCache _languages = new();
    private bool _reading;

    private TicketSummaryCsvReader(Stream stream, string fileName, TicketSummaryCsvOptions options, bool leaveOpen)
    {
        FileName = fileName;
        _options = options;
        _csv = new Utf8CsvReader(stream, options.BufferSize, Math.Max(options.MaxRecordBytes, options.BufferSize), leaveOpen);
        _ids = options.RejectDuplicateIds ? new IdSet() : null;
        try
        {
            (HeaderNames, Header, HeaderLine) = ReadHeader();
            _headerFieldCount = HeaderNames.Count;
            Profile = options.Profile == SummaryCsvProfile.Auto
                ? SummaryCsvProfiles.Detect(HeaderNames) ?? SummaryCsvProfile.Canonical
                : options.Profile;
            _normalise = Profile != SummaryCsvProfile.Canonical;
            MappedColumns = MapColumns(options.Profile == SummaryCsvProfile.Auto && SummaryCsvProfiles.Detect(HeaderNames) is null);
        }
        catch
        {
            _csv.Dispose();
            throw;
        }
    }

    /// <summary>The file name used in issues.</summary>
    public string FileName { get; }

    /// <summary>The profile in use (detected or chosen).</summary>
    public SummaryCsvProfile Profile { get; }

    /// <summary>The header's physical line (1 unless blank lines precede it).</summary>
    public long HeaderLine { get; }

    /// <summary>The header line exactly as in the file (no byte order mark, no terminator), for the rejects file.</summary>
    public ReadOnlyMemory<byte> Header { get; }

    /// <summary>The header's column names, trimmed.</summary>
    public IReadOnlyList<string> HeaderNames { get; }

    /// <summary>For each canonical field found, the header column(s) it is read from, in order of preference.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> MappedColumns { get; }

    /// <summary>Bytes read from the stream so far, for progress bars.</summary>
    public long BytesRead => _csv.BytesRead;

    /// <summary>
    /// Opens <paramref name="stream"/> and reads its header at once.
    /// </summary>
    /// <exception cref="ImportFileException">The file is empty, UTF-16, or its header lacks the required columns.</exception>
    public static TicketSummaryCsvReader Open(Stream stream, string fileName, TicketSummaryCsvOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new TicketSummaryCsvReader(stream, fileName, options ?? TicketSummaryCsvOptions.Default, leaveOpen);
    }

    /// <summary>Opens, yields every row and closes: the short form when the header is not needed separately.</summary>
    /// <exception cref="ImportFileException">On the first enumeration step, for file-level problems.</exception>
    public static IEnumerable<ImportRow<TicketSummary>> Read(Stream stream, string fileName, TicketSummaryCsvOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = Open(stream, fileName, options);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>
    /// Yields the data rows lazily, in file order; blank lines are skipped. Can be enumerated once.
    /// </summary>
    /// <exception cref="ImportFileException">A record longer than <see cref="TicketSummaryCsvOptions.MaxRecordBytes"/>.</exception>
    public IEnumerable<ImportRow<TicketSummary>> ReadRows(CancellationToken cancellationToken = default)
    {
        if (_reading)
        {
            throw new InvalidOperationException("the rows of a summary CSV can be read once");
        }

        _reading = true;
        return Rows(cancellationToken);
    }

    /// <summary>Closes the stream (unless left open) and returns the pooled buffers.</summary>
    public void Dispose() => _csv.Dispose();

    private IEnumerable<ImportRow<TicketSummary>> Rows(CancellationToken cancellationToken)
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
            throw new ImportFileException(new ImportIssue(
                FileName,
                _csv.Line,
                "",
                null,
                string.Create(CultureInfo.InvariantCulture, $"a record is longer than {_options.MaxRecordBytes} bytes (is a quote never closed?)")));
        }
    }

    private ImportRow<TicketSummary> ParseRow()
    {
        var line = _csv.Line;
        var raw = _slab.Copy(_csv.RawRecord);
        List<ImportIssue>? issues = null;

        if (_csv.Error != CsvRecordError.None)
        {
            return Reject(raw, new ImportIssue(FileName, line, "", null, _csv.Error switch
            {
                CsvRecordError.UnterminatedQuote => "has a quoted field that is never closed",
                CsvRecordError.CharacterAfterClosingQuote => "has text after a closing quote (a quote inside a field must be doubled)",
                _ => "has a quote inside an unquoted field (quote the field and double the quote)",
            }));
        }

        var invalidAt = Utf8Text.IndexOfInvalid(raw.Span);
        if (invalidAt >= 0)
        {
            return Reject(raw, Utf8Text.InvalidIssue(FileName, line, raw.Span, invalidAt));
        }

        if (_csv.FieldCount != _headerFieldCount)
        {
            return Reject(raw, new ImportIssue(FileName, line, "", null, string.Create(
                CultureInfo.InvariantCulture,
                $"has {_csv.FieldCount} fields but the header has {_headerFieldCount}")));
        }

        if (Utf8Text.CsvNulIssue(_csv, FileName, raw.Span, HeaderNames) is { } nul)
        {
            return Reject(raw, nul);
        }

        var idBytes = Pick(SummaryField.Id);
        string? id = null;
        if (idBytes.IsEmpty)
        {
            Add(ref issues, new ImportIssue(FileName, line, "id", null, "is required"));
        }
        else
        {
            id = Encoding.UTF8.GetString(idBytes);
        }

        var created = RequiredInstant(SummaryField.CreatedAt, "created_at", line, ref issues);
        var firstReply = OptionalInstant(SummaryField.FirstReplyAt, "first_reply_at", line, ref issues);
        if (firstReply is null && _columns[(int)SummaryField.FirstReplyMinutes].Length > 0)
        {
            var minutes = IsoDateTime.Trim(Pick(SummaryField.FirstReplyMinutes));
            if (!minutes.IsEmpty)
            {
                if (!Utf8Parser.TryParse(minutes, out double value, out var used) || used != minutes.Length || !double.IsFinite(value))
                {
                    Add(ref issues, new ImportIssue(FileName, line, "first_reply_at", Decode(minutes), "is not a number of minutes"));
                }
                else if (value < 0)
                {
                    Add(ref issues, new ImportIssue(FileName, line, "first_reply_at", Decode(minutes), "is a negative number of minutes"));
                }
                else if (created is { } createdAt)
                {
                    // Checked in minutes before any arithmetic: 1e11 minutes overflowed the nanoseconds, and a reply
                    // after the end of 2199 is outside what every other date-time may be.
                    var reply = value < (SupportedInstants.End - createdAt).TotalMinutes
                        ? createdAt.Plus(Duration.FromNanoseconds(Math.Round(value * 60e9)))
                        : SupportedInstants.End;
                    if (SupportedInstants.Contains(reply))
                    {
                        firstReply = reply;
                    }
                    else
                    {
                        Add(ref issues, new ImportIssue(FileName, line, "first_reply_at", Decode(minutes), "puts the first reply at or after 2200-01-01T00:00:00Z, outside the supported range"));
                    }
                }
            }
        }

        var solved = OptionalInstant(SummaryField.SolvedAt, "solved_at", line, ref issues);
        var reopens = Count(SummaryField.Reopens, "reopens", line, ref issues);
        var replies = Count(SummaryField.AgentReplies, "agent_replies", line, ref issues);
        var satisfaction = Satisfaction(line, ref issues);

        // Only accepted rows claim their id, so a corrected copy of a rejected row further down is not a duplicate.
        if (issues is null && _ids is not null && !_ids.Add(idBytes))
        {
            Add(ref issues, new ImportIssue(FileName, line, "id", id, "already occurs earlier in this file"));
        }

        if (issues is not null)
        {
            return ImportRow<TicketSummary>.Rejected(line, _csv.LineCount, raw, issues);
        }

        var summary = new TicketSummary(
            id!,
            created!.Value,
            firstReply,
            solved,
            reopens,
            replies,
            Text(SummaryField.Priority, _priorities, lowerCase: _normalise),
            Channel(),
            Text(SummaryField.Team, _teams, lowerCase: false),
            Text(SummaryField.Agent, _agents, lowerCase: false),
            Text(SummaryField.Customer, null, lowerCase: false),
            Text(SummaryField.Language, _languages, lowerCase: false),
            satisfaction);
        return ImportRow<TicketSummary>.Valid(line, _csv.LineCount, raw, summary);
    }

    private ImportRow<TicketSummary> Reject(ReadOnlyMemory<byte> raw, ImportIssue issue) =>
        ImportRow<TicketSummary>.Rejected(_csv.Line, _csv.LineCount, raw, [issue]);

    private static void Add(ref List<ImportIssue>? issues, ImportIssue issue) => (issues ??= []).Add(issue);

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>The field's value from the first of its columns that is not empty; empty when none has one.</summary>
    private ReadOnlySpan<byte> Pick(SummaryField field)
    {
        var columns = _columns[(int)field];
        for (var i = 0; i < columns.Length; i++)
        {
            var value = _csv[columns[i]];
            if (!value.IsEmpty)
            {
                return value;
            }
        }

        return default;
    }

    private Instant? RequiredInstant(SummaryField field, string name, long line, ref List<ImportIssue>? issues)
    {
        var text = Pick(field);
        if (IsoDateTime.Trim(text).IsEmpty)
        {
            Add(ref issues, new ImportIssue(FileName, line, name, null, "is required"));
            return null;
        }

        return ParseInstant(text, name, line, ref issues);
    }

    private Instant? OptionalInstant(SummaryField field, string name, long line, ref List<ImportIssue>? issues)
    {
        var text = Pick(field);
        return IsoDateTime.Trim(text).IsEmpty ? null : ParseInstant(text, name, line, ref issues);
    }

    private Instant? ParseInstant(ReadOnlySpan<byte> text, string name, long line, ref List<ImportIssue>? issues)
    {
        if (IsoDateTime.TryParseInstant(text, _options.TimeZone, out var instant))
        {
            if (SupportedInstants.Contains(instant))
            {
                return instant;
            }

            Add(ref issues, new ImportIssue(FileName, line, name, Decode(text), SupportedInstants.Reason));
            return null;
        }

        Add(ref issues, new ImportIssue(FileName, line, name, Decode(text), "is not a date-time"));
        return null;
    }

    private int Count(SummaryField field, string name, long line, ref List<ImportIssue>? issues)
    {
        var text = IsoDateTime.Trim(Pick(field));
        if (text.IsEmpty)
        {
            return 0;
        }

        if (Utf8Parser.TryParse(text, out int value, out var used) && used == text.Length)
        {
            if (value >= 0)
            {
                return value;
            }

            Add(ref issues, new ImportIssue(FileName, line, name, Decode(text), "must not be negative"));
            return 0;
        }

        Add(ref issues, new ImportIssue(FileName, line, name, Decode(text), "is not a whole number"));
        return 0;
    }

    private int? Satisfaction(long line, ref List<ImportIssue>? issues)
    {
        var text = IsoDateTime.Trim(Pick(SummaryField.Satisfaction));
        if (text.IsEmpty)
        {
            return null;
        }

        if (text.Length == 1 && text[0] >= '1' && text[0] <= '5')
        {
            return text[0] - '0';
        }

        var decoded = Decode(text);
        if (SummaryValues.TryMapSatisfactionText(decoded, out var rating))
        {
            return rating;
        }

        Add(ref issues, new ImportIssue(FileName, line, "satisfaction", decoded, "is not a rating (1 to 5, or a Zendesk or Freshdesk survey answer)"));
        return null;
    }

    private string? Text(SummaryField field, StringCache? cache, bool lowerCase)
    {
        var bytes = Pick(field);
        if (bytes.IsEmpty)
        {
            return null;
        }

        var text = cache is null ? Encoding.UTF8.GetString(bytes) : cache.Get(bytes);
        return lowerCase ? text.ToLowerInvariant() : text;
    }

    private string? Channel()
    {
        var bytes = Pick(SummaryField.Channel);
        if (bytes.IsEmpty)
        {
            return null;
        }

        var text = _channels.Get(bytes);
        return _normalise ? SummaryValues.MapChannel(text) : text;
    }

    private (IReadOnlyList<string> Names, ReadOnlyMemory<byte> Raw, long Line) ReadHeader()
    {
        while (_csv.Read())
        {
            if (_csv.RawRecord.Length == 0)
            {
                continue;
            }

            var raw = _csv.RawRecord.ToArray();
            if (_csv.Error != CsvRecordError.None)
            {
                throw new ImportFileException(new ImportIssue(FileName, _csv.Line, "header", null, "has malformed quoting"));
            }

            var invalidAt = Utf8Text.IndexOfInvalid(raw);
            if (invalidAt >= 0)
            {
                throw new ImportFileException(Utf8Text.InvalidIssue(FileName, _csv.Line, raw, invalidAt) with { Field = "header" });
            }

            var names = new string[_csv.FieldCount];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = Encoding.UTF8.GetString(_csv[i]).Trim();
            }

            return (names, raw, _csv.Line);
        }

        if (_csv.IsUtf16)
        {
            throw new ImportFileException(new ImportIssue(FileName, 1, "", null, "is UTF-16 encoded; save the file as UTF-8"));
        }

        if (_csv.RecordTooLong)
        {
            throw new ImportFileException(new ImportIssue(FileName, _csv.Line, "header", null, "is longer than the record limit"));
        }

        throw new ImportFileException(new ImportIssue(FileName, 1, "", null, "is empty; a header line is expected"));
    }

    private Dictionary<string, IReadOnlyList<string>> MapColumns(bool undetected)
    {
        var map = SummaryCsvProfiles.Columns(Profile);
        var mapped = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var missing = new List<string>();
        for (var f = 0; f < FieldKinds; f++)
        {
            var field = (SummaryField)f;
            var indexes = new List<int>();
            var used = new List<string>();
            if (map.TryGetValue(field, out var accepted))
            {
                foreach (var name in accepted)
                {
                    // The first column of a name wins when a header repeats it.
                    var index = IndexOf(name);
                    if (index >= 0)
                    {
                        indexes.Add(index);
                        used.Add(HeaderNames[index]);
                    }
                }

                if (indexes.Count == 0 && field is SummaryField.Id or SummaryField.CreatedAt)
                {
                    missing.Add(accepted[0]);
                }
            }

            _columns[f] = [.. indexes];
            if (used.Count > 0)
            {
                var canonical = field == SummaryField.FirstReplyMinutes ? "first_reply_at" : SummaryCsvProfiles.CanonicalNames[f];
                mapped[canonical] = used;
            }
        }

        if (missing.Count > 0)
        {
            var profileName = Profile switch
            {
                SummaryCsvProfile.Zendesk => "Zendesk export",
                SummaryCsvProfile.Freshdesk => "Freshdesk export",
                _ => "canonical",
            };
            var reason = missing.Count == 1
                ? $"is missing the required column '{missing[0]}' ({profileName} profile)"
                : $"is missing the required columns {string.Join(", ", missing.Select(m => $"'{m}'"))} ({profileName} profile)";
            if (undetected)
            {
                reason += "; it is not a Zendesk or Freshdesk export header either";
            }

            throw new ImportFileException(new ImportIssue(FileName, HeaderLine, "header", null, reason));
        }

        return mapped;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < HeaderNames.Count; i++)
        {
            if (string.Equals(HeaderNames[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
