using System.Text.Json;
using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Tickets;

namespace Utendaji.Server.Api;

/// <summary>
/// A request body holding one JSON object or an array of them, turned into NDJSON lines for the same readers the
/// CLI uses (so field messages are the CLI's). Only the JSON shape is checked here: syntax, objects, and, for
/// events, that every property is one docs/formats.md defines (files ignore unknown properties; an API caller
/// gets told, because a misspelt field would otherwise vanish silently).
/// </summary>
internal sealed class JsonBatch
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private JsonBatch(bool isArray, List<byte[]> lines, Dictionary<string, string[]> errors, Instant? newestAt)
    {
        IsArray = isArray;
        Lines = lines;
        Errors = errors;
        NewestAt = newestAt;
    }

    /// <summary>Whether the body was an array (error keys then carry the index: <c>[3].at</c>).</summary>
    public bool IsArray { get; }

    /// <summary>One compact JSON line per object.</summary>
    public IReadOnlyList<byte[]> Lines { get; }

    /// <summary>Shape errors by field; empty when the body can go to the reader.</summary>
    public Dictionary<string, string[]> Errors { get; }

    /// <summary>The latest <c>at</c> among the objects that have a readable one (for the ingestion-lag metric).</summary>
    public Instant? NewestAt { get; }

    /// <summary>The error key of field <paramref name="field"/> of the object on NDJSON line <paramref name="line"/>.</summary>
    public string Key(long line, string field)
    {
        var item = IsArray ? $"[{line - 1}]" : "";
        return field.Length == 0 ? (item.Length == 0 ? "$" : item) : (item.Length == 0 ? field : $"{item}.{field}");
    }

    /// <summary>Splits <paramref name="body"/>; <paramref name="known"/> lists the allowed properties (null: any) by object path ("" top level).</summary>
    public static JsonBatch Parse(ReadOnlyMemory<byte> body, int maxItems, IReadOnlyDictionary<string, IReadOnlySet<string>>? known)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lines = new List<byte[]>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            errors["$"] = [$"is not valid JSON: {e.Message}"];
            return new JsonBatch(false, lines, errors, null);
        }

        using (document)
        {
            var root = document.RootElement;
            var isArray = root.ValueKind == JsonValueKind.Array;
            // Before any string is read or the items are copied out: a lone surrogate makes both throw.
            if (JsonText.FindLoneSurrogate(body.Span) is { } surrogatePath)
            {
                errors[surrogatePath.Length == 0 ? "$" : surrogatePath] = [JsonText.LoneSurrogateReason];
                return new JsonBatch(isArray, lines, errors, null);
            }

            var items = isArray ? root.EnumerateArray().ToList() : [root];
            if (isArray && items.Count == 0)
            {
                errors["$"] = ["is an empty array; send at least one object"];
            }
            else if (items.Count > maxItems)
            {
                errors["$"] = [$"holds {items.Count} objects; at most {maxItems} are accepted in one request"];
            }

            Instant? newest = null;
            // Shape errors of at most 100 fields are collected: enough to fix a batch, not a second copy of it.
            for (var i = 0; i < items.Count && errors.Count < 100 && !errors.ContainsKey("$"); i++)
            {
                var item = items[i];
                var prefix = isArray ? $"[{i}]" : "";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors[prefix.Length == 0 ? "$" : prefix] = [$"is a JSON {item.ValueKind.ToString().ToLowerInvariant()}, not an object"];
                    continue;
                }

                if (known is not null)
                {
                    CheckKnown(item, "", prefix, known, errors);
                }

                // For the ingestion-lag metric only; the event reader decides whether the row is valid. Converting a value
                // beyond NodaTime's instants (9999-12-31T23:59:59-14:00) threw here, a 500 before the reader could refuse it.
                if (item.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.String
                    && SupportedInstants.TryParseBound(at.GetString()!, out var instant, out _)
                    && (newest is null || instant > newest))
                {
                    newest = instant;
                }

                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = true }))
                {
                    item.WriteTo(writer);
                }

                lines.Add(buffer.ToArray());
            }

            return new JsonBatch(isArray, lines, errors, newest);
        }
    }

    private static void CheckKnown(JsonElement element, string path, string prefix, IReadOnlyDictionary<string, IReadOnlySet<string>> known, Dictionary<string, string[]> errors)
    {
        if (!known.TryGetValue(path, out var allowed))
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (!allowed.Contains(property.Name))
            {
                var key = prefix.Length == 0 ? name : $"{prefix}.{name}";
                errors[key] = [$"is not a field of this object (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})"];
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                CheckKnown(property.Value, name, prefix, known, errors);
            }
        }
    }

    /// <summary>Writes the lines as an NDJSON file.</summary>
    public async Task WriteNdjsonAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        foreach (var line in Lines)
        {
            await file.WriteAsync(line, cancellationToken);
            file.WriteByte((byte)'\n');
        }
    }
}
