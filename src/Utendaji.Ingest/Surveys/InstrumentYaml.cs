using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Utendaji.Core.Surveys;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Reads survey instruments written in YAML. The YAML document is turned into the equivalent JSON and handed to
/// <see cref="InstrumentJson.Parse"/>, so both forms obey exactly the same rules and report the same field paths.
/// </summary>
/// <remarks>
/// Plain scalars are typed by the YAML 1.2 core schema (<c>5</c> is a number, <c>true</c> a boolean, <c>~</c> null);
/// quoted scalars are always strings, so <c>min: "5"</c> is reported as "not a number" rather than guessed.
/// YAML is read here, not in Core, because Core takes no format libraries.
/// </remarks>
public static partial class InstrumentYaml
{
    /// <summary>Whether <paramref name="fileName"/> names a YAML file (.yaml or .yml, any case).</summary>
    public static bool IsYamlFile(string fileName) =>
        Path.GetExtension(fileName).ToUpperInvariant() is ".YAML" or ".YML";

    /// <summary>Parses a YAML instrument; syntax errors come back as errors naming line and column.</summary>
    public static InstrumentParseResult Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        string json;
        try
        {
            json = ToJson(yaml);
        }
        catch (YamlException e)
        {
            var reason = e.InnerException is null ? e.Message : $"{e.Message} {e.InnerException.Message}";
            return Failure(sourceName, $"line {e.Start.Line}, column {e.Start.Column}", reason);
        }
        catch (InvalidDataException e)
        {
            return Failure(sourceName, "$", e.Message);
        }

        return InstrumentJson.Parse(json, sourceName);
    }

    /// <summary>The JSON text equivalent to a one-document YAML text.</summary>
    /// <exception cref="YamlException">The text is not valid YAML.</exception>
    /// <exception cref="InvalidDataException">The text holds no document or more than one, or a key is not a scalar.</exception>
    public static string ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1)
        {
            throw new InvalidDataException($"expected one YAML document, found {stream.Documents.Count}");
        }

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, stream.Documents[0].RootNode, depth: 0);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static InstrumentParseResult Failure(string source, string path, string reason) =>
        new() { Errors = [new InstrumentError(source, path, reason)] };

    private static void Write(Utf8JsonWriter writer, YamlNode node, int depth)
    {
        // Aliases resolve to shared nodes; a document that refers to itself would recurse forever.
        if (depth > 64)
        {
            throw new InvalidDataException($"line {node.Start.Line}: nested more than 64 levels deep");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: not null } name)
                    {
                        throw new InvalidDataException($"line {key.Start.Line}, column {key.Start.Column}: a key must be a plain name");
                    }

                    writer.WritePropertyName(name.Value);
                    Write(writer, value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new InvalidDataException($"line {node.Start.Line}, column {node.Start.Column}: unsupported YAML node");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            writer.WriteStringValue(text);
            return;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            writer.WriteNumberValue(whole);
        }
        else if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    // YAML 1.2 core schema, decimal forms only (octal and hexadecimal stay text: no instrument field wants them).
    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
