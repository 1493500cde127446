using System.Globalization;
using System.Text;
using System.Text.Json;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Reads survey responses from NDJSON: one object per line with the response fields (<c>response_id</c>,
/// <c>instrument</c>, <c>submitted_at</c>, <c>ticket_id</c>, <c>customer</c>, <c>agent</c>, <c>team</c>,
/// <c>channel</c>, <c>language</c>, <c>sent_at</c>, <c>send_id</c>) and an <c>answers</c> object keyed by item id.
/// Every answer is checked against its instrument. Streaming, one pooled buffer that grows only to the longest
/// line; blank lines are skipped; unknown top-level properties are ignored. Only file-level problems (UTF-16, a line
/// over the limit) throw <see cref="ImportFileException"/>. Specified in docs/surveys-responses.md.
/// </summary>
public sealed class SurveyResponseNdjsonReader : IDisposable
{
    private const string AnswersPrefix = SurveyFields.Answers + ".";

    // Indexes into Fields; answers last.
    private const int FResponseId = 0, FInstrument = 1, FTicketId = 2, FCustomer = 3, FAgent = 4, FTeam = 5, FChannel = 6,
        FLanguage = 7, FSentAt = 8, FSubmittedAt = 9, FSendId = 10, FAnswers = 11;

    private static readonly string[] Fields = [.. SurveyFields.ResponseMeta, SurveyFields.Answers];
    private static readonly byte[][] FieldsUtf8 = [.. Fields.Select(Encoding.UTF8.GetBytes)];

    private readonly NdjsonLines _lines;
    private readonly SurveyReaderOptions _options;
    private readonly InstrumentCatalog _catalog;
    private readonly ResponseChecks _checks;
    private readonly StringCache _instruments = new();
    private readonly StringCache _teams = new();
    private readonly StringCache _channels = new();
    private readonly StringCache _languages = new();

    private SurveyResponseNdjsonReader(Stream stream, string fileName, InstrumentCatalog catalog, SurveyReaderOptions options, bool leaveOpen)
    {
        FileName = fileName;
        _options = options;
        _catalog = catalog;
        _checks = new ResponseChecks(options);
        _lines = new NdjsonLines(stream, fileName, options.BufferSize, options.MaxRecordBytes, leaveOpen);
    }

    /// <summary>The file name used in issues.</summary>
    public string FileName { get; }

    /// <summary>Bytes read from the stream so far, for progress bars.</summary>
    public long BytesRead => _lines.BytesRead;

    /// <summary>
    /// Prepares to read responses to <paramref name="instrument"/>; a line naming another instrument is rejected.
    /// Nothing is read until rows are enumerated.
    /// </summary>
    public static SurveyResponseNdjsonReader Open(Stream stream, string fileName, SurveyInstrument instrument, SurveyReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SurveyResponseNdjsonReader(stream, fileName, InstrumentCatalog.Of(instrument), options ?? SurveyReaderOptions.Default, leaveOpen);
    }

    /// <summary>
    /// Prepares to read responses that each name their <c>instrument</c> (required), found with
    /// <paramref name="instruments"/> (called once per distinct id; null when unknown).
    /// </summary>
    public static SurveyResponseNdjsonReader Open(Stream stream, string fileName, Func<string, SurveyInstrument?> instruments, SurveyReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SurveyResponseNdjsonReader(stream, fileName, InstrumentCatalog.Of(instruments), options ?? SurveyReaderOptions.Default, leaveOpen);
    }

    /// <summary>Opens, yields every line's response and closes the stream.</summary>
    public static IEnumerable<ImportRow<SurveyResponse>> Read(Stream stream, string fileName, SurveyInstrument instrument, SurveyReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = Open(stream, fileName, instrument, options);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Opens, yields every line's response (each naming its instrument) and closes the stream.</summary>
    public static IEnumerable<ImportRow<SurveyResponse>> Read(Stream stream, string fileName, Func<string, SurveyInstrument?> instruments, SurveyReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = Open(stream, fileName, instruments, options);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Yields one row per non-blank line, lazily and in file order. Can be enumerated once.</summary>
    /// <exception cref="ImportFileException">The file is UTF-16, or a line is longer than <see cref="SurveyReaderOptions.MaxRecordBytes"/>.</exception>
    public IEnumerable<ImportRow<SurveyResponse>> ReadRows(CancellationToken cancellationToken = default) => _lines.Rows(ParseLine, cancellationToken);

    /// <summary>Returns the pooled buffer and closes the stream unless asked to leave it open.</summary>
    public void Dispose() => _lines.Dispose();

    private ImportRow<SurveyResponse> ParseLine(ReadOnlyMemory<byte> raw, long line)
    {
        // Not UTF-8, an escaped NUL and JSON that does not parse are rejected by NdjsonLines.Rows.
        var span = raw.Span;
        var draft = new ResponseDraft(FileName, line);
        if (!ReadFields(span, draft, out var answers))
        {
            return ImportRow<SurveyResponse>.Rejected(line, 1, raw, draft.Issues!);
        }

        draft.Instrument = _catalog.Resolve(draft.InstrumentId, out var reason);
        if (draft.Instrument is null)
        {
            if (!draft.HasIssue(SurveyFields.Instrument))
            {
                draft.Issue(SurveyFields.Instrument, draft.InstrumentId, reason!);
            }
        }
        else if (!answers.Equals(default(Range)))
        {
            ReadAnswers(span[answers], draft, draft.Instrument);
        }

        var response = _checks.Finish(draft, AnswersPrefix, SurveyFields.Answers);
        return response is null
            ? ImportRow<SurveyResponse>.Rejected(line, 1, raw, draft.Issues!)
            : ImportRow<SurveyResponse>.Valid(line, 1, raw, response);
    }

    /// <summary>
    /// Reads the response fields and finds the answers object (read later, once the instrument is known, since
    /// properties may come in any order). False when the line is not an object at all.
    /// </summary>
    private bool ReadFields(ReadOnlySpan<byte> json, ResponseDraft draft, out Range answers)
    {
        answers = default;
        var reader = new Utf8JsonReader(json, SurveyJson.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            draft.Issue("", null, "is not a JSON object (each line must be one response object)");
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = SurveyJson.Which(ref reader, FieldsUtf8);
            reader.Read();
            if (which < 0)
            {
                reader.Skip(); // Unknown properties are ignored, so producers can add fields.
                continue;
            }

            if ((seen & (1 << which)) != 0)
            {
                draft.Issue(Fields[which], null, "appears twice in the object");
                reader.Skip();
                continue;
            }

            seen |= 1 << which;
            var field = Fields[which];
            switch (which)
            {
                case FResponseId:
                    draft.ResponseId = SurveyJson.Text(ref reader, draft, field, allowNumber: true);
                    break;
                case FInstrument:
                    draft.InstrumentId = Cached(ref reader, draft, field, _instruments);
                    break;
                case FTicketId:
                    draft.TicketId = SurveyJson.Text(ref reader, draft, field, allowNumber: true);
                    break;
                case FCustomer:
                    draft.Customer = SurveyJson.Text(ref reader, draft, field, allowNumber: true);
                    break;
                case FAgent:
                    draft.Agent = SurveyJson.Text(ref reader, draft, field, allowNumber: true);
                    break;
                case FTeam:
                    draft.Team = Cached(ref reader, draft, field, _teams);
                    break;
                case FChannel:
                    draft.Channel = Cached(ref reader, draft, field, _channels);
                    break;
                case FLanguage:
                    draft.Language = Cached(ref reader, draft, field, _languages);
                    break;
                case FSentAt:
                    draft.SentAt = SurveyJson.Instant(ref reader, draft, field, _options.TimeZone, out var sentText, out _);
                    draft.SentAtText = sentText;
                    break;
                case FSubmittedAt:
                    draft.SubmittedAt = SurveyJson.Instant(ref reader, draft, field, _options.TimeZone, out _, out _);
                    break;
                case FSendId:
                    draft.SendId = SurveyJson.Text(ref reader, draft, field, allowNumber: true);
                    break;
                case FAnswers:
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        answers = start..(int)reader.BytesConsumed;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        SurveyJson.WrongType(ref reader, draft, field, "an object");
                    }

                    break;
            }
        }

        // Anything after the object (a second object, stray text) makes the reader throw: not valid JSON.
        reader.Read();
        return true;
    }

    private static string? Cached(ref Utf8JsonReader reader, ResponseDraft draft, string field, StringCache cache)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            return reader.ValueSpan.IsEmpty ? null : cache.Get(reader.ValueSpan);
        }

        return SurveyJson.Text(ref reader, draft, field, allowNumber: false);
    }

    private void ReadAnswers(ReadOnlySpan<byte> json, ResponseDraft draft, InstrumentItems items)
    {
        var reader = new Utf8JsonReader(json, SurveyJson.ReaderOptions);
        reader.Read(); // The object's start, found by ReadFields.
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            var field = AnswersPrefix + key;
            reader.Read();
            if (!keys.Add(key))
            {
                draft.Issue(field, null, "appears twice in the object");
                reader.Skip();
                continue;
            }

            var question = items.Question(key);
            if (question is null)
            {
                var start = (int)reader.TokenStartIndex;
                var isString = reader.TokenType == JsonTokenType.String;
                var shown = isString ? reader.GetString() : null;
                reader.Skip();
                shown ??= Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
                draft.Issue(field, shown, $"is not an item of instrument '{items.Id}'");
                continue;
            }

            var answer = Answer(ref reader, json, question, draft, field);
            if (answer is not null)
            {
                draft.Answers[question.Id] = answer;
            }
        }
    }

    /// <summary>One answer for <paramref name="question"/>; null when absent (null, empty) or invalid (an issue is added).</summary>
    private static SurveyAnswer? Answer(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, SurveyQuestion question, ResponseDraft draft, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        string? reason;
        switch (question.Type)
        {
            case QuestionType.FreeText:
                if (reader.TokenType != JsonTokenType.String)
                {
                    SurveyJson.WrongType(ref reader, draft, field, "a string");
                    return null;
                }

                // Blank (spaces and tabs only) is no answer, as a blank CSV cell; anything else is kept as written.
                var text = reader.GetString()!;
                return text.AsSpan().Trim(" \t").IsEmpty ? null : new SurveyAnswer { Text = text };

            case QuestionType.SingleChoice:
            case QuestionType.MultipleChoice:
                List<string> choices = [];
                string shown;
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    shown = OptionText(ref reader);
                    if (shown.Length == 0)
                    {
                        return null;
                    }

                    choices.Add(shown);
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                        {
                            reader.Skip();
                            draft.Issue(field, Encoding.UTF8.GetString(json[start..FindEnd(ref reader)]), "must be an array of option ids");
                            return null;
                        }

                        var option = OptionText(ref reader);
                        if (option.Length == 0)
                        {
                            draft.Issue(field, Encoding.UTF8.GetString(json[start..FindEnd(ref reader)]), "names an empty option id");
                            return null;
                        }

                        choices.Add(option);
                    }

                    shown = Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
                    if (choices.Count == 0)
                    {
                        return null; // [] chose nothing: the same as no answer, as an empty CSV cell.
                    }
                }
                else
                {
                    SurveyJson.WrongType(ref reader, draft, field, question.Type == QuestionType.SingleChoice ? "an option id" : "an array of option ids");
                    return null;
                }

                var chosen = AnswerRules.FromChoices(question, choices, out reason);
                if (chosen is null)
                {
                    draft.Issue(field, shown, reason!);
                }

                return chosen;

            default:
                string written;
                if (reader.TokenType == JsonTokenType.Number)
                {
                    written = Encoding.UTF8.GetString(reader.ValueSpan);
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    // Some tools write every value as a string: "5" is accepted as 5.
                    written = reader.GetString()!.Trim();
                    if (written.Length == 0)
                    {
                        return null;
                    }
                }
                else
                {
                    SurveyJson.WrongType(ref reader, draft, field, "a number");
                    return null;
                }

                var number = AnswerRules.FromNumber(question, written, out reason);
                if (number is null)
                {
                    draft.Issue(field, written, reason!);
                }

                return number;
        }
    }

    private static string OptionText(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? Encoding.UTF8.GetString(reader.ValueSpan) : reader.GetString()!;

    /// <summary>Skips to the end of the current array and returns the position after it.</summary>
    private static int FindEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
        }

        return (int)reader.BytesConsumed;
    }
}
