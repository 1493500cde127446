using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Utendaji.Core.Surveys;

/// <summary>One translatable text: what is shown, and whether a native speaker has still to confirm it.</summary>
/// <param name="Text">The text, exactly as written in the file (never normalised).</param>
/// <param name="NeedsReview">True until a native speaker has confirmed the text; the translator then sets it to false.</param>
public sealed record SurveyText(string Text, bool NeedsReview);

/// <summary>
/// The texts of one instrument family in one language: the contents of a <c>&lt;family&gt;.&lt;language&gt;.json</c>
/// file such as <c>servqual.sw.json</c>. Keys are described in docs/surveys-instruments.md.
/// </summary>
public sealed record SurveyTextFile
{
    /// <summary>Family: <c>csat</c>, <c>nps</c>, <c>ces</c>, <c>servqual</c>, <c>servqual-zot</c>, or a custom instrument's id.</summary>
    public required string Family { get; init; }

    /// <summary>Language code (<c>sw</c>).</summary>
    public required string Language { get; init; }

    /// <summary>Texts by key, in file order.</summary>
    public required IReadOnlyList<KeyValuePair<string, SurveyText>> Texts { get; init; }

    /// <summary>The text with <paramref name="key"/>, or null.</summary>
    public SurveyText? Find(string key)
    {
        foreach (KeyValuePair<string, SurveyText> entry in Texts)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>The file name this text file is stored under: <c>&lt;family&gt;.&lt;language&gt;.json</c>.</summary>
    public string FileName => $"{Family}.{Language}.json";
}

/// <summary>The outcome of parsing a text file: the file, or every error found (never both).</summary>
public sealed record SurveyTextFileParseResult
{
    /// <summary>The parsed file when there were no errors.</summary>
    public SurveyTextFile? File { get; init; }

    /// <summary>All errors found, in document order; empty on success.</summary>
    public IReadOnlyList<InstrumentError> Errors { get; init; } = [];

    /// <summary>Whether the file parsed without errors.</summary>
    public bool Success => File is not null;
}

/// <summary>
/// Reads and writes survey text files: <c>{"family": "servqual", "language": "sw", "texts": {"title": {"text": "…",
/// "needs_review": true}, …}}</c>, UTF-8, one text per line. Collects every error with its JSON path and never throws
/// for bad input.
/// </summary>
public static class SurveyTextFileJson
{
    private static readonly string[] TopKeys = ["family", "language", "texts"];
    private static readonly string[] EntryKeys = ["text", "needs_review"];

    // Non-ASCII is written as is so a translator sees Gujarati and Urdu, not \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses one text file; errors name <paramref name="sourceName"/>, the JSON path and the reason.</summary>
    /// <param name="text">The JSON text (a leading byte-order mark is accepted).</param>
    /// <param name="sourceName">Name used in error messages (usually the file name).</param>
    public static SurveyTextFileParseResult Parse(string text, string sourceName)
    {
        Guard.NotNull(text);
        Guard.NotNull(sourceName);
        var errors = new List<InstrumentError>();
        void Error(string path, string reason) => errors.Add(new InstrumentError(sourceName, path, reason));

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text.TrimStart('\uFEFF'), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            Error("$", FormattableString.Invariant($"not valid JSON at line {line}, byte {column}"));
            return new SurveyTextFileParseResult { Errors = errors };
        }

        using (document)
        {
            if (JsonText.FindLoneSurrogate(text) is { } surrogatePath)
            {
                Error(JsonText.DollarPath(surrogatePath), JsonText.LoneSurrogateReason);
                return new SurveyTextFileParseResult { Errors = errors };
            }

            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", "a text file is a JSON object");
                return new SurveyTextFileParseResult { Errors = errors };
            }

            string? family = null;
            string? language = null;
            var texts = new List<KeyValuePair<string, SurveyText>>();
            bool sawTexts = false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                string at = "$." + property.Name;
                if (TopKeys.Contains(property.Name, StringComparer.Ordinal) && !seen.Add(property.Name))
                {
                    Error(at, $"'{property.Name}' is given twice");
                    continue;
                }

                switch (property.Name)
                {
                    case "family":
                        family = Id(property.Value, at, Error);
                        break;
                    case "language":
                        language = property.Value.ValueKind == JsonValueKind.String && IsLanguage(property.Value.GetString()!)
                            ? property.Value.GetString()
                            : null;
                        if (language is null)
                        {
                            Error(at, $"{Describe(property.Value)} is not a language code (two or three lower-case letters, e.g. sw)");
                        }

                        break;
                    case "texts":
                        sawTexts = true;
                        ReadTexts(property.Value, at, texts, Error);
                        break;
                    default:
                        Error(at, $"unknown key; expected one of {string.Join(", ", TopKeys)}");
                        break;
                }
            }

            if (family is null && !root.TryGetProperty("family", out _))
            {
                Error("$", "'family' is required");
            }

            if (language is null && !root.TryGetProperty("language", out _))
            {
                Error("$", "'language' is required");
            }

            if (!sawTexts)
            {
                Error("$", "'texts' is required");
            }

            return errors.Count > 0 || family is null || language is null
                ? new SurveyTextFileParseResult { Errors = errors }
                : new SurveyTextFileParseResult { File = new SurveyTextFile { Family = family, Language = language, Texts = texts } };
        }
    }

    /// <summary>
    /// Writes <paramref name="file"/> in the layout the shipped files use (one text per line, non-ASCII unescaped,
    /// LF line ends, final newline), so that parsing a shipped file and writing it back gives the same bytes.
    /// </summary>
    public static string Serialize(SurveyTextFile file)
    {
        Guard.NotNull(file);
        var builder = new StringBuilder();
        builder.Append("{\n");
        builder.Append("  \"family\": ").Append(Quote(file.Family)).Append(",\n");
        builder.Append("  \"language\": ").Append(Quote(file.Language)).Append(",\n");
        builder.Append("  \"texts\": {");
        for (int i = 0; i < file.Texts.Count; i++)
        {
            (string key, SurveyText text) = (file.Texts[i].Key, file.Texts[i].Value);
            builder.Append(i == 0 ? "\n" : ",\n");
            builder.Append("    ").Append(Quote(key)).Append(": { \"text\": ").Append(Quote(text.Text))
                .Append(", \"needs_review\": ").Append(text.NeedsReview ? "true" : "false").Append(" }");
        }

        builder.Append(file.Texts.Count == 0 ? "}\n" : "\n  }\n");
        builder.Append("}\n");
        return builder.ToString();
    }

    private static void ReadTexts(JsonElement value, string path, List<KeyValuePair<string, SurveyText>> texts, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            error(path, $"expected an object of texts by key, not {Describe(value)}");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in value.EnumerateObject())
        {
            string at = path + "." + property.Name;
            if (property.Name.Length == 0 || property.Name.Any(char.IsWhiteSpace))
            {
                error(at, $"'{property.Name}' is not a text key (no spaces)");
                continue;
            }

            if (!seen.Add(property.Name))
            {
                error(at, $"'{property.Name}' is given twice");
                continue;
            }

            if (ReadText(property.Value, at, error) is { } text)
            {
                texts.Add(new KeyValuePair<string, SurveyText>(property.Name, text));
            }
        }
    }

    private static SurveyText? ReadText(JsonElement value, string path, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            error(path, $"expected {{\"text\": \"…\", \"needs_review\": true}}, not {Describe(value)}");
            return null;
        }

        string? text = null;
        bool? needsReview = null;
        foreach (JsonProperty property in value.EnumerateObject())
        {
            string at = path + "." + property.Name;
            switch (property.Name)
            {
                case "text" when property.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(property.Value.GetString()):
                    text = property.Value.GetString();
                    break;
                case "text":
                    error(at, $"expected a non-empty string, not {Describe(property.Value)}");
                    break;
                case "needs_review" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    needsReview = property.Value.GetBoolean();
                    break;
                case "needs_review":
                    error(at, $"expected true or false, not {Describe(property.Value)}");
                    break;
                default:
                    error(at, $"unknown key; expected one of {string.Join(", ", EntryKeys)}");
                    break;
            }
        }

        foreach (string key in EntryKeys)
        {
            if (!value.TryGetProperty(key, out _))
            {
                // needs_review is never implied: a missing flag must not pass an unreviewed text as confirmed.
                error(path, $"'{key}' is required");
            }
        }

        return text is not null && needsReview is { } flag ? new SurveyText(text, flag) : null;
    }

    private static string? Id(JsonElement value, string path, Action<string, string> error)
    {
        if (value.ValueKind == JsonValueKind.String && InstrumentJson.IsId(value.GetString()!))
        {
            return value.GetString();
        }

        error(path, $"{Describe(value)} is not an id (letters, digits, '-' and '_')");
        return null;
    }

    private static bool IsLanguage(string code) => code.Length is 2 or 3 && code.All(char.IsAsciiLetterLower);

    private static string Quote(string value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStringValue(value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{value.GetString()}'",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };
}
