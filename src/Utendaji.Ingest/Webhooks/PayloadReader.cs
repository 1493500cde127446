using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Webhooks;

/// <summary>
/// Reads fields of a webhook's JSON payload by path, collecting every problem as a <see cref="WebhookIssue"/> instead
/// of throwing, so a bad payload is reported with all its problems at once. Absent, <c>null</c> and <c>""</c> are the
/// same (as in the canonical NDJSON). Ids may be strings or numbers (Zendesk sends both, for the same field, in
/// different event versions); a number is kept exactly as written.
/// </summary>
internal sealed class PayloadReader
{
    private readonly List<WebhookIssue> _issues = [];

    public IReadOnlyList<WebhookIssue> Issues => _issues;

    public bool HasIssues => _issues.Count > 0;

    /// <summary>Parses the body as one JSON object; on failure returns null and the reason.</summary>
    public static JsonDocument? Parse(ReadOnlySpan<byte> body, out WebhookIssue? issue)
    {
        issue = null;
        if (body.IsEmpty)
        {
            issue = new WebhookIssue("", null, "is empty (expected a JSON object)");
            return null;
        }

        if (!Utf8.IsValid(body))
        {
            issue = new WebhookIssue("", null, "is not valid UTF-8");
            return null;
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            document = JsonDocument.ParseValue(ref reader);
            // A second value after the first (two objects, trailing garbage) throws here.
            reader.Read();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line && e.BytePositionInLine is { } column
                ? string.Create(CultureInfo.InvariantCulture, $" (at line {line + 1}, byte {column + 1})")
                : "";
            issue = new WebhookIssue("", null, "is not valid JSON" + where);
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            issue = new WebhookIssue("", null, "is not a JSON object");
            return null;
        }

        return document;
    }

    public void Add(string field, string? value, string reason) => _issues.Add(new WebhookIssue(field, value, reason));

    /// <summary>A nested object, or null when absent (an issue when <paramref name="required"/> or of another type).</summary>
    public JsonElement? Object(JsonElement? parent, string name, string path, bool required = false)
    {
        if (parent is not { } p || !TryGet(p, name, path, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(path, Shown(value), "must be an object");
            return null;
        }

        return value;
    }

    /// <summary>A string (or a number kept as written, for ids); null when absent.</summary>
    public string? Text(JsonElement? parent, string name, string path, bool required = false)
    {
        // A missing parent was reported where it was read; its fields add nothing.
        if (parent is not { } p || !TryGet(p, name, path, required, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                if (!IsText(value, path))
                {
                    return null;
                }

                var text = value.GetString()!;
                if (text.Length == 0 && required)
                {
                    Add(path, null, "is required");
                }

                return text.Length == 0 ? null : text;
            case JsonValueKind.Number:
                return value.GetRawText();
            default:
                Add(path, Shown(value), "must be a string or a number");
                return null;
        }
    }

    /// <summary>A JSON boolean; null when absent.</summary>
    public bool? Bool(JsonElement? parent, string name, string path, bool required = false)
    {
        if (parent is not { } p || !TryGet(p, name, path, required, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Add(path, Shown(value), "must be true or false");
        return null;
    }

    /// <summary>An ISO-8601 date-time with a UTC offset (never a local time: a webhook's zone is unknown).</summary>
    public Instant? IsoInstant(JsonElement? parent, string name, string path, bool required = false)
    {
        var text = Text(parent, name, path, required);
        return text is null ? null : ParseIso(text, path);
    }

    /// <summary>
    /// An instant written either as Unix seconds (a JSON number, fractions kept to the nanosecond) or as an ISO-8601
    /// string with an offset. <paramref name="raw"/> is the text as written, for deterministic event ids.
    /// </summary>
    public Instant? UnixOrIsoInstant(JsonElement? parent, string name, string path, out string? raw, bool required = false)
    {
        raw = null;
        if (parent is not { } p || !TryGet(p, name, path, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && !IsText(value, path))
        {
            return null;
        }

        raw = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                if (TryParseUnixSeconds(raw!, out var instant))
                {
                    return Supported(instant, path, raw);
                }

                Add(path, raw, "is not a Unix time in seconds");
                return null;
            case JsonValueKind.String when raw!.Length > 0:
                return ParseIso(raw, path);
            case JsonValueKind.String:
                if (required)
                {
                    Add(path, null, "is required");
                }

                return null;
            default:
                Add(path, Shown(value), "must be a number (Unix seconds) or a date-time string");
                return null;
        }
    }

    /// <summary>Unix seconds as written in JSON: digits, optionally a fraction of up to 9 digits (no exponent, not negative).</summary>
    internal static bool TryParseUnixSeconds(string text, out Instant instant)
    {
        instant = default;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (whole.Length is 0 or > 12 || fraction.Length > 9 || (dot >= 0 && fraction.Length == 0)
            || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
        {
            return false;
        }

        var seconds = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        var nanos = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        instant = Instant.FromUnixTimeSeconds(seconds).PlusNanoseconds(nanos);
        return true;
    }

    private Instant? Supported(Instant instant, string path, string? text)
    {
        if (SupportedInstants.Contains(instant))
        {
            return instant;
        }

        Add(path, text, SupportedInstants.Reason);
        return null;
    }

    private Instant? ParseIso(string text, string path)
    {
        var kind = IsoDateTime.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var instant, out _, out _);
        switch (kind)
        {
            case DateTimeTextKind.WithOffset:
                return Supported(instant, path, text);
            case DateTimeTextKind.Local:
                Add(path, text, "has no UTC offset");
                return null;
            default:
                Add(path, text, "is not a date-time");
                return null;
        }
    }

    private bool TryGet(JsonElement parent, string name, string path, bool required, out JsonElement value)
    {
        if (parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Add(path, null, "is required");
        }

        return false;
    }

    /// <summary>
    /// Whether a string value is text, adding an issue when it holds a lone surrogate escape (see <see cref="JsonText"/>).
    /// Checked per field read, not per payload: a helpdesk's payload carries much this reader never looks at (message
    /// bodies, custom fields), and a broken emoji there must not cost the event.
    /// </summary>
    private bool IsText(JsonElement value, string path)
    {
        if (!HasLoneSurrogate(value))
        {
            return true;
        }

        Add(path, null, JsonText.LoneSurrogateReason);
        return false;
    }

    /// <summary>Whether the name of <paramref name="property"/> holds a lone surrogate escape (it cannot be read then).</summary>
    public static bool HasLoneSurrogate(JsonProperty property) => JsonText.HasLoneSurrogate(JsonMarshal.GetRawUtf8PropertyName(property));

    // The raw value keeps its quotes and escapes as written.
    private static bool HasLoneSurrogate(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && JsonText.HasLoneSurrogate(JsonMarshal.GetRawUtf8Value(value)[1..^1]);

    private static string? Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => null,
        JsonValueKind.Array => null,
        JsonValueKind.String when HasLoneSurrogate(value) => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
