using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Utendaji.Core.Surveys;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// The JSON of <c>survey_responses.answers</c>: an object keyed by item id, keys sorted (so equal answers are equal
/// bytes and hash equally), each answer in its most direct form — a number, an array of option ids, or a string. An
/// answer that is not exactly one of those (none set, or several) is written as an object of the members that are set
/// (<c>{"choices": [...], "number": n, "text": "..."}</c>), so whatever a caller stores reads back the same.
/// Non-Latin text is written unescaped so the file stays readable. One instance per writer; each result is valid until
/// the next call.
/// </summary>
internal sealed class StoredAnswers : IDisposable
{
    // Relaxed escaping keeps Gujarati or Urdu comments as UTF-8 in the file; never embedded in HTML from here.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private string[] _keys = new string[16];

    public StoredAnswers() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>The answers as JSON (<c>{}</c> when there are none).</summary>
    /// <exception cref="ArgumentException">A number is NaN or infinite.</exception>
    public ReadOnlySpan<byte> Write(string responseId, IReadOnlyDictionary<string, SurveyAnswer> answers)
    {
        if (_keys.Length < answers.Count)
        {
            _keys = new string[answers.Count * 2];
        }

        var count = 0;
        foreach (var key in answers.Keys)
        {
            _keys[count++] = key;
        }

        var keys = _keys.AsSpan(0, count);
        keys.Sort(StringComparer.Ordinal);
        _buffer.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();
        foreach (var key in keys)
        {
            var answer = answers[key] ?? throw new ArgumentException($"response '{responseId}' has a null answer for '{key}'", nameof(answers));
            _writer.WritePropertyName(key);
            var set = (answer.Number is null ? 0 : 1) + (answer.Choices is null ? 0 : 1) + (answer.Text is null ? 0 : 1);
            if (set == 1)
            {
                Value(responseId, key, answer);
                continue;
            }

            _writer.WriteStartObject();
            if (answer.Choices is not null)
            {
                _writer.WritePropertyName("choices");
                Choices(answer.Choices);
            }

            if (answer.Number is { } number)
            {
                _writer.WritePropertyName("number");
                Number(responseId, key, number);
            }

            if (answer.Text is { } text)
            {
                _writer.WriteString("text", text);
            }

            _writer.WriteEndObject();
        }

        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _writer.Dispose();

    public static Dictionary<string, SurveyAnswer> Read(ReadOnlySpan<byte> json)
    {
        var answers = new Dictionary<string, SurveyAnswer>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            answers[key] = reader.TokenType switch
            {
                JsonTokenType.Number => new SurveyAnswer { Number = reader.GetDouble() },
                JsonTokenType.String => new SurveyAnswer { Text = reader.GetString() },
                JsonTokenType.StartArray => new SurveyAnswer { Choices = ReadChoices(ref reader) },
                JsonTokenType.StartObject => ReadObject(ref reader),
                _ => throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"A stored answer for '{key}' is a {reader.TokenType}.")),
            };
        }

        return answers;
    }

    private static SurveyAnswer ReadObject(ref Utf8JsonReader reader)
    {
        double? number = null;
        IReadOnlyList<string>? choices = null;
        string? text = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "number": number = reader.GetDouble(); break;
                case "text": text = reader.GetString(); break;
                case "choices": choices = ReadChoices(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return new SurveyAnswer { Number = number, Choices = choices, Text = text };
    }

    private static string[] ReadChoices(ref Utf8JsonReader reader)
    {
        var choices = new List<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            choices.Add(reader.GetString()!);
        }

        return [.. choices];
    }

    private void Value(string responseId, string key, SurveyAnswer answer)
    {
        if (answer.Number is { } number)
        {
            Number(responseId, key, number);
        }
        else if (answer.Choices is { } choices)
        {
            Choices(choices);
        }
        else
        {
            _writer.WriteStringValue(answer.Text);
        }
    }

    private void Number(string responseId, string key, double number)
    {
        if (!double.IsFinite(number))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"response '{responseId}' answers '{key}' with {number}, which is not a finite number"), "responses");
        }

        _writer.WriteNumberValue(number);
    }

    private void Choices(IReadOnlyList<string> choices)
    {
        _writer.WriteStartArray();
        foreach (var choice in choices)
        {
            _writer.WriteStringValue(choice);
        }

        _writer.WriteEndArray();
    }
}
