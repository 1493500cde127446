using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Utendaji.Core;

/// <summary>
/// The rule that JSON strings are text: a <c>\uXXXX</c> escape of a UTF-16 surrogate that is not half of a pair
/// (<c>"\ud800"</c>, <c>"\udfff"</c>) is valid JSON syntax but no text at all, and System.Text.Json throws
/// <see cref="InvalidOperationException"/> when asked for such a string. Every JSON entry point checks the document
/// (a row, a request body, a configuration file) with <see cref="FindLoneSurrogate(ReadOnlySpan{byte})"/> right after
/// it parsed, before reading any string, and refuses it with <see cref="LoneSurrogateReason"/> naming the field.
/// Webhook payloads are checked per field read instead (<see cref="HasLoneSurrogate(ReadOnlySpan{byte})"/>): most of a helpdesk's payload
/// is never read. A surrogate pair (<c>"\ud83d\ude00"</c>, an emoji) is text and passes.
/// </summary>
public static class JsonText
{
    /// <summary>The reason given for a string holding a lone surrogate escape (the field is named before it).</summary>
    public const string LoneSurrogateReason = @"is not valid text (a lone UTF-16 surrogate escape such as \ud800)";

    // Lenient on purpose: the scan runs only on text its caller already parsed (with comments or trailing commas
    // where the caller allows them), so it must never refuse what the caller accepted.
    private static readonly JsonReaderOptions ScanOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 1024,
    };

    /// <summary>
    /// The path of the first string (value or property name) in <paramref name="json"/> that holds a lone surrogate
    /// escape, such as <c>team</c>, <c>meta.team.name</c> or <c>targets[0].name</c> ("" for the root value itself;
    /// a property name is reported by the object that holds it, since the name cannot be shown). Null when there is
    /// none, or when <paramref name="json"/> is not JSON (the caller's parser reports that).
    /// </summary>
    public static string? FindLoneSurrogate(ReadOnlySpan<byte> json)
    {
        // The byte scan answers exactly for valid JSON (a backslash occurs only in strings, starting an escape) and
        // costs one vectorised search per backslash; tokenising, which names the field, runs only when it finds one.
        if (!HasLoneSurrogate(json))
        {
            return null;
        }

        var reader = new Utf8JsonReader(json.StartsWith("\uFEFF"u8) ? json[3..] : json, ScanOptions);
        var containers = new List<(string? Segment, int NextIndex)>(); // NextIndex -1: an object
        string? name = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (reader.ValueIsEscaped && HasLoneSurrogate(reader))
                        {
                            return Path(containers, null);
                        }

                        name = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.RemoveAt(containers.Count - 1);
                        continue;
                    case JsonTokenType.Comment:
                        continue;
                }

                string? segment = null;
                if (containers.Count > 0)
                {
                    var (parent, next) = containers[^1];
                    if (next >= 0)
                    {
                        segment = string.Create(CultureInfo.InvariantCulture, $"[{next}]");
                        containers[^1] = (parent, next + 1);
                    }
                    else
                    {
                        segment = name;
                    }
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    containers.Add((segment, reader.TokenType == JsonTokenType.StartArray ? 0 : -1));
                }
                else if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped && HasLoneSurrogate(reader))
                {
                    return Path(containers, segment);
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>As <see cref="FindLoneSurrogate(ReadOnlySpan{byte})"/>, for JSON already decoded to a string.</summary>
    public static string? FindLoneSurrogate(string json)
    {
        Guard.NotNull(json);
        // Encoding only when an escape could be a surrogate keeps ordinary documents free of a second copy.
        return json.Contains("\\u", StringComparison.Ordinal) ? FindLoneSurrogate(Encoding.UTF8.GetBytes(json)) : null;
    }

    /// <summary>A path from <see cref="FindLoneSurrogate(ReadOnlySpan{byte})"/> written from <c>$</c>, the root (<c>$.targets[0].name</c>).</summary>
    public static string DollarPath(string path)
    {
        Guard.NotNull(path);
        return path.Length == 0 ? "$" : path[0] == '[' ? "$" + path : "$." + path;
    }

    /// <summary>
    /// Whether <paramref name="escaped"/> holds a <c>\u</c> escape of a surrogate that is not half of a pair: the
    /// content of one JSON string as written (<see cref="Utf8JsonReader.ValueSpan"/> when
    /// <see cref="Utf8JsonReader.ValueIsEscaped"/>), or a whole JSON document, since a backslash occurs only in
    /// strings there (a pair split over two strings is two lone halves). Anything else (a comment) never throws and
    /// at worst answers true where tokenising finds nothing.
    /// </summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<byte> escaped)
    {
        var i = 0;
        while (true)
        {
            var backslash = escaped[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                return false;
            }

            i += backslash;
            var unit = CodeUnitAt(escaped, i);
            if (unit < 0)
            {
                i += 2; // \" \\ \/ \b \f \n \r \t: never a surrogate, and skipping both bytes keeps \\u from looking like an escape.
                if (i >= escaped.Length)
                {
                    return false;
                }

                continue;
            }

            i += 6;
            if (unit is < 0xD800 or > 0xDFFF)
            {
                continue;
            }

            if (unit >= 0xDC00)
            {
                return true; // A low surrogate with no high one before it.
            }

            if (CodeUnitAt(escaped, i) is >= 0xDC00 and <= 0xDFFF)
            {
                i += 6;
                continue;
            }

            return true; // A high surrogate not followed by a low one.
        }
    }

    private static bool HasLoneSurrogate(in Utf8JsonReader reader) =>
        HasLoneSurrogate(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);

    private static string Path(List<(string? Segment, int NextIndex)> containers, string? last)
    {
        var path = new StringBuilder();
        foreach (var segment in containers.Select(c => c.Segment).Append(last))
        {
            if (string.IsNullOrEmpty(segment))
            {
                continue;
            }

            if (path.Length > 0 && segment[0] != '[')
            {
                path.Append('.');
            }

            path.Append(segment);
        }

        return path.ToString();
    }

    /// <summary>The UTF-16 code unit of a <c>\uXXXX</c> escape starting at <paramref name="at"/>, or -1 when there is none.</summary>
    private static int CodeUnitAt(ReadOnlySpan<byte> text, int at)
    {
        if (at + 6 > text.Length || text[at] != '\\' || text[at + 1] != 'u')
        {
            return -1;
        }

        var unit = 0;
        foreach (var b in text.Slice(at + 2, 4))
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return -1;
            }

            unit = (unit << 4) | digit;
        }

        return unit;
    }
}
