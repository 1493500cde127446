using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using NodaTime;
using Utendaji.Core.Metrics;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// The JSON written into list and attribute columns. Hand-written with <see cref="Utf8JsonWriter"/> so the
/// encoding is deterministic (sorted keys, no reflection) and non-Latin text stays readable in the file.
/// One instance per writer; each result is valid until the next call. An empty result stands for SQL NULL
/// (no attributes, an empty list).
/// </summary>
internal sealed class StoredJson : IDisposable
{
    // Relaxed escaping keeps Gujarati or Urdu text as UTF-8 in the file instead of \uXXXX; the values are
    // never embedded in HTML from here, so the relaxed escaper is safe.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private string[] _keys = new string[8];

    public StoredJson() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    public ReadOnlySpan<byte> Attributes(IReadOnlyDictionary<string, string>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return default;
        }

        if (_keys.Length < attributes.Count)
        {
            _keys = new string[attributes.Count * 2];
        }

        var count = 0;
        foreach (var key in attributes.Keys)
        {
            _keys[count++] = key;
        }

        var keys = _keys.AsSpan(0, count);
        keys.Sort(StringComparer.Ordinal);
        Start();
        _writer.WriteStartObject();
        foreach (var key in keys)
        {
            _writer.WriteString(key, attributes[key]);
        }

        _writer.WriteEndObject();
        return Finish();
    }

    public ReadOnlySpan<byte> NextReplies(IReadOnlyList<DualDuration> replies)
    {
        if (replies.Count == 0)
        {
            return default;
        }

        Start();
        _writer.WriteStartArray();
        foreach (var reply in replies)
        {
            _writer.WriteStartArray();
            _writer.WriteNumberValue(reply.Calendar.BclCompatibleTicks);
            _writer.WriteNumberValue(reply.Business.BclCompatibleTicks);
            _writer.WriteEndArray();
        }

        _writer.WriteEndArray();
        return Finish();
    }

    public ReadOnlySpan<byte> Sla(IReadOnlyList<SlaOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return default;
        }

        Start();
        _writer.WriteStartArray();
        foreach (var outcome in outcomes)
        {
            _writer.WriteStartObject();
            _writer.WriteNumber("due", outcome.Due.ToUnixTimeTicks());
            _writer.WriteNumber("margin", outcome.Margin.BclCompatibleTicks);
            _writer.WriteString("metric", SqliteCodes.Of(outcome.Metric));
            _writer.WriteString("policy", outcome.Policy);
            _writer.WriteString("state", SqliteCodes.Of(outcome.State));
            _writer.WriteNumber("target", outcome.Target.BclCompatibleTicks);
            _writer.WriteEndObject();
        }

        _writer.WriteEndArray();
        return Finish();
    }

    public void Dispose() => _writer.Dispose();

    public static Dictionary<string, string> ReadAttributes(ReadOnlySpan<byte> json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            result[key] = reader.GetString()!;
        }

        return result;
    }

    public static IReadOnlyList<DualDuration> ReadNextReplies(ReadOnlySpan<byte> json)
    {
        var result = new List<DualDuration>();
        var reader = new Utf8JsonReader(json);
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

    public static IReadOnlyList<SlaOutcome> ReadSla(ReadOnlySpan<byte> json)
    {
        var result = new List<SlaOutcome>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            long due = 0, margin = 0, target = 0;
            string? metric = null, policy = null, state = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "due": due = reader.GetInt64(); break;
                    case "margin": margin = reader.GetInt64(); break;
                    case "target": target = reader.GetInt64(); break;
                    case "metric": metric = reader.GetString(); break;
                    case "policy": policy = reader.GetString(); break;
                    case "state": state = reader.GetString(); break;
                    default: reader.Skip(); break;
                }
            }

            result.Add(new SlaOutcome(
                SqliteCodes.Metric(metric ?? ""),
                policy ?? throw new InvalidDataException("An SLA outcome in the store has no policy."),
                Duration.FromTicks(target),
                Instant.FromUnixTimeTicks(due),
                SqliteCodes.State(state ?? ""),
                Duration.FromTicks(margin)));
        }

        return result;
    }

    private void Start()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
    }

    private ReadOnlySpan<byte> Finish()
    {
        _writer.Flush();
        return _buffer.WrittenSpan;
    }
}
