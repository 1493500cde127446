using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Surveys;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Writes survey sends and responses as NDJSON in exactly the shape <see cref="SurveyResponseNdjsonReader"/> and
/// <see cref="SurveySendNdjsonReader"/> read (docs/surveys.md), one object per line, text as UTF-8 (not \u escapes).
/// </summary>
public sealed class SurveyNdjsonWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Utf8JsonWriter _json;

    /// <summary>Writes onto <paramref name="stream"/>.</summary>
    public SurveyNdjsonWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(stream, Options);
    }

    /// <summary>Lines written.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one send.</summary>
    public void Write(SurveySend send)
    {
        ArgumentNullException.ThrowIfNull(send);
        _json.WriteStartObject();
        _json.WriteString("send_id", send.SendId);
        _json.WriteString("instrument", send.InstrumentId);
        Optional("ticket_id", send.TicketId);
        Optional("customer", send.Customer);
        Optional("channel", send.Channel);
        Optional("language", send.Language);
        _json.WriteString("sent_at", Format(send.SentAt));
        EndLine();
    }

    /// <summary>Writes one response; answers in the order of their ids (ordinal), so output is deterministic.</summary>
    public void Write(SurveyResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        _json.WriteStartObject();
        _json.WriteString("response_id", response.ResponseId);
        _json.WriteString("instrument", response.InstrumentId);
        Optional("send_id", response.SendId);
        Optional("ticket_id", response.TicketId);
        Optional("customer", response.Customer);
        Optional("agent", response.Agent);
        Optional("team", response.Team);
        Optional("channel", response.Channel);
        Optional("language", response.Language);
        if (response.SentAt is { } sent)
        {
            _json.WriteString("sent_at", Format(sent));
        }

        _json.WriteString("submitted_at", Format(response.SubmittedAt));
        _json.WriteStartObject("answers");
        foreach (var (id, answer) in response.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (answer.Number is { } number)
            {
                _json.WriteNumber(id, number);
            }
            else if (answer.Choices is { } choices)
            {
                _json.WriteStartArray(id);
                foreach (var choice in choices)
                {
                    _json.WriteStringValue(choice);
                }

                _json.WriteEndArray();
            }
            else if (answer.Text is { } text)
            {
                _json.WriteString(id, text);
            }
        }

        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Flushes buffered output.</summary>
    public void Flush()
    {
        _json.Flush();
        _stream.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
        _json.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void Optional(string name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
        }
    }

    private void EndLine()
    {
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    private static string Format(Instant instant) => InstantPattern.ExtendedIso.Format(instant).ToString(CultureInfo.InvariantCulture);
}
