using System.Globalization;
using System.Text;
using System.Text.Json;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Reads survey sends from NDJSON, one object per line with <c>send_id</c>, <c>instrument</c>, <c>ticket_id</c>,
/// <c>customer</c>, <c>channel</c>, <c>language</c> and <c>sent_at</c>; unknown properties are ignored. Streaming;
/// blank lines are skipped; only file-level problems (UTF-16, a line over the limit) throw
/// <see cref="ImportFileException"/>. Specified in docs/surveys-responses.md.
/// </summary>
public sealed class SurveySendNdjsonReader : IDisposable
{
    private static readonly string[] Fields = SurveyFields.SendColumns;
    private static readonly byte[][] FieldsUtf8 = [.. Fields.Select(Encoding.UTF8.GetBytes)];

    private readonly NdjsonLines _lines;
    private readonly SurveyReaderOptions _options;
    private readonly SendChecks _checks;

    private SurveySendNdjsonReader(Stream stream, string fileName, InstrumentCatalog catalog, SurveyReaderOptions options, bool leaveOpen)
    {
        FileName = fileName;
        _options = options;
        _checks = new SendChecks(options, catalog);
        _lines = new NdjsonLines(stream, fileName, options.BufferSize, options.MaxRecordBytes, leaveOpen);
    }

    /// <summary>The file name used in issues.</summary>
    public string FileName { get; }

    /// <summary>Bytes read from the stream so far, for progress bars.</summary>
    public long BytesRead => _lines.BytesRead;

    /// <summary>Prepares to read sends of <paramref name="instrument"/> (<c>instrument</c> then optional); nothing is read until rows are enumerated.</summary>
    public static SurveySendNdjsonReader Open(Stream stream, string fileName, SurveyInstrument instrument, SurveyReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SurveySendNdjsonReader(stream, fileName, InstrumentCatalog.Of(instrument), options ?? SurveyReaderOptions.Default, leaveOpen);
    }

    /// <summary>Prepares to read sends that each name their <c>instrument</c> (required, and known to <paramref name="instruments"/>).</summary>
    public static SurveySendNdjsonReader Open(Stream stream, string fileName, Func<string, SurveyInstrument?> instruments, SurveyReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SurveySendNdjsonReader(stream, fileName, InstrumentCatalog.Of(instruments), options ?? SurveyReaderOptions.Default, leaveOpen);
    }

    /// <summary>Opens, yields every line's send and closes the stream.</summary>
    public static IEnumerable<ImportRow<SurveySend>> Read(Stream stream, string fileName, Func<string, SurveyInstrument?> instruments, SurveyReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = Open(stream, fileName, instruments, options);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Yields one row per non-blank line, lazily and in file order. Can be enumerated once.</summary>
    /// <exception cref="ImportFileException">The file is UTF-16, or a line is longer than <see cref="SurveyReaderOptions.MaxRecordBytes"/>.</exception>
    public IEnumerable<ImportRow<SurveySend>> ReadRows(CancellationToken cancellationToken = default) => _lines.Rows(ParseLine, cancellationToken);

    /// <summary>Returns the pooled buffer and closes the stream unless asked to leave it open.</summary>
    public void Dispose() => _lines.Dispose();

    private ImportRow<SurveySend> ParseLine(ReadOnlyMemory<byte> raw, long line)
    {
        // Not UTF-8, an escaped NUL and JSON that does not parse are rejected by NdjsonLines.Rows.
        var span = raw.Span;
        var draft = new SendDraft(FileName, line);
        if (!ReadFields(span, draft))
        {
            return ImportRow<SurveySend>.Rejected(line, 1, raw, draft.Issues!);
        }


        var send = _checks.Finish(draft);
        return send is null
            ? ImportRow<SurveySend>.Rejected(line, 1, raw, draft.Issues!)
            : ImportRow<SurveySend>.Valid(line, 1, raw, send);
    }

    private bool ReadFields(ReadOnlySpan<byte> json, SendDraft draft)
    {
        var reader = new Utf8JsonReader(json, SurveyJson.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            draft.Issue("", null, "is not a JSON object (each line must be one send object)");
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = SurveyJson.Which(ref reader, FieldsUtf8);
            reader.Read();
            if (which < 0)
            {
                reader.Skip();
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
                case 0:
                    draft.SendId = SurveyJson.Text(ref reader, draft, field, allowNumber: true);
                    break;
                case 1:
                    draft.InstrumentId = SurveyJson.Text(ref reader, draft, field, allowNumber: false);
                    break;
                case 2:
                    draft.TicketId = SurveyJson.Text(ref reader, draft, field, allowNumber: true);
                    break;
                case 3:
                    draft.Customer = SurveyJson.Text(ref reader, draft, field, allowNumber: true);
                    break;
                case 4:
                    draft.Channel = SurveyJson.Text(ref reader, draft, field, allowNumber: false);
                    break;
                case 5:
                    draft.Language = SurveyJson.Text(ref reader, draft, field, allowNumber: false);
                    break;
                default:
                    draft.SentAt = SurveyJson.Instant(ref reader, draft, field, _options.TimeZone, out _, out _);
                    break;
            }
        }

        reader.Read();
        return true;
    }
}
