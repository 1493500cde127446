using System.Text;
using System.Text.Json;
using NodaTime;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>Where a row's issues go while it is being read.</summary>
internal interface IIssueSink
{
    void Issue(string field, string? value, string reason);
}

/// <summary>Reading the scalar fields of a survey NDJSON object, with the event reader's rules and words.</summary>
internal static class SurveyJson
{
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Which of <paramref name="names"/> the current property name is, or -1.</summary>
    public static int Which(ref Utf8JsonReader reader, byte[][] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A string (or, where allowed, a number kept exactly as written); empty or null means absent.</summary>
    public static string? Text(ref Utf8JsonReader reader, IIssueSink issues, string field, bool allowNumber)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = reader.GetString()!;
                return text.Length == 0 ? null : text;
            case JsonTokenType.Number when allowNumber:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.Null:
                return null;
            default:
                WrongType(ref reader, issues, field, allowNumber ? "a string or a number" : "a string");
                return null;
        }
    }

    /// <summary>A date-time string; without an offset it is read in <paramref name="zone"/>. Null when absent or invalid (<paramref name="invalid"/> tells which).</summary>
    public static Instant? Instant(ref Utf8JsonReader reader, IIssueSink issues, string field, DateTimeZone zone, out string? written, out bool invalid)
    {
        written = null;
        invalid = false;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            invalid = true;
            WrongType(ref reader, issues, field, "a string");
            return null;
        }

        written = reader.GetString()!;
        if (written.Length == 0)
        {
            written = null;
            return null;
        }

        var parsed = IsoDateTime.TryParseInstant(Encoding.UTF8.GetBytes(written), zone, out var instant);
        if (parsed && SupportedInstants.Contains(instant))
        {
            return instant;
        }

        invalid = true;
        issues.Issue(field, written, parsed ? SupportedInstants.Reason : "is not a date-time");
        return null;
    }

    /// <summary>Reports a value of the wrong JSON type and skips it.</summary>
    public static void WrongType(ref Utf8JsonReader reader, IIssueSink issues, string field, string expected)
    {
        var token = reader.TokenType;
        string? value = token switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => "null",
            _ => null,
        };
        if (value is null)
        {
            issues.Issue(field, null, $"must be {expected}, not {(token == JsonTokenType.StartObject ? "an object" : "an array")}");
            reader.Skip();
        }
        else
        {
            issues.Issue(field, value, $"must be {expected}");
        }
    }
}
