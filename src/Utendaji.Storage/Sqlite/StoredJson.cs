using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NodaTime;
using Utendaji.Core.Metrics;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// The JSON written into list and attribute columns. Hand-written with <see cref="Utf8JsonWriter"/> so the
/// encoding is deterministic (sorted keys, no reflection) and non-Latin text stays readable in the file.
/// </summary>
internal static class StoredJson
{
    // Relaxed escaping keeps Gujarati or Urdu text as UTF-8 in the file instead of \uXXXX; the values are
    // never embedded in HTML from here, so the relaxed escaper is safe.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Attributes(IReadOnlyDictionary<string, string>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return null;
        }

        var keys = attributes.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        return Write(writer =>
        {
            writer.WriteStartObject();
            foreach (var key in keys)
            {
                writer.WriteString(key, attributes[key]);
            }

            writer.WriteEndObject();
        });
    }

    public static Dictionary<string, string>? ReadAttributes(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            result[key] = reader.GetString()!;
        }

        return result;
    }

    public static string? NextReplies(IReadOnlyList<DualDuration> replies)
    {
        if (replies.Count == 0)
        {
            return null;
        }

        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var reply in replies)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(reply.Calendar.BclCompatibleTicks);
                writer.WriteNumberValue(reply.Business.BclCompatibleTicks);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        });
    }

    public static IReadOnlyList<DualDuration> ReadNextReplies(string? json)
    {
        if (json is null)
        {
            return [];
        }

        var result = new List<DualDuration>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var calendar = reader.GetInt64();
            reader.Read();
            var business = reader.GetInt64();
            reader.Read();
            result.Add(new DualDuration(Duration.FromTicks(calendar), Duration.FromTicks(business)));
        }

        return result;
    }

    public static string? Sla(IReadOnlyList<SlaOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return null;
        }

        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var outcome in outcomes)
            {
                writer.WriteStartObject();
                writer.WriteNumber("due", outcome.Due.ToUnixTimeTicks());
                writer.WriteNumber("margin", outcome.Margin.BclCompatibleTicks);
                writer.WriteString("metric", SqliteCodes.Of(outcome.Metric));
                writer.WriteString("policy", outcome.Policy);
                writer.WriteString("state", SqliteCodes.Of(outcome.State));
                writer.WriteNumber("target", outcome.Target.BclCompatibleTicks);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    public static IReadOnlyList<SlaOutcome> ReadSla(string? json)
    {
        if (json is null)
        {
            return [];
        }

        var result = new List<SlaOutcome>();
        using var document = JsonDocument.Parse(json);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            result.Add(new SlaOutcome(
                SqliteCodes.Metric(item.GetProperty("metric").GetString()!),
                item.GetProperty("policy").GetString()!,
                Duration.FromTicks(item.GetProperty("target").GetInt64()),
                Instant.FromUnixTimeTicks(item.GetProperty("due").GetInt64()),
                SqliteCodes.State(item.GetProperty("state").GetString()!),
                Duration.FromTicks(item.GetProperty("margin").GetInt64())));
        }

        return result;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
