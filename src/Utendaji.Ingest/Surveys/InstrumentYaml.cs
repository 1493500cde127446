using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Utendaji.Core.Surveys;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Reads survey instruments written in YAML. The YAML document is turned into the equivalent JSON and handed to
/// <see cref="InstrumentJson.Parse"/>, so both forms obey exactly the same rules and report the same field paths.
/// </summary>
/// <remarks>
/// Plain scalars are typed by the YAML 1.2 core schema (<c>5</c> is a number, <c>true</c> a boolean, <c>~</c> null);
/// quoted scalars are always strings, so <c>min: "5"</c> is reported as "not a number" rather than guessed.
/// YAML is read here, not in Core, because Core takes no format libraries.
/// <para>
/// The text is read as a stream of parser events and written out as JSON as it goes, never as a node tree: building
/// the tree (<c>YamlStream</c>) recurses once per nesting level, so 100,000 <c>[</c> overflowed the stack and took the
/// whole process (the server, for every organisation) with it. YamlDotNet's <see cref="Parser"/> is a state machine
/// with a heap stack of states (it read 100,000 nested <c>[</c> on a thread with a 192 KiB stack), and nothing here
/// recurses; the 65th level is refused as its start event arrives. That also matters for time: the scanner's work
/// per token grows with the nesting depth, so reading 100,000 levels to the end took 34 s. Aliases are refused,
/// which rules out "billion laughs" expansion, and the text is bounded in length.
/// </para>
/// </remarks>
public static partial class InstrumentYaml
{
    /// <summary>
    /// Longest YAML text read, in characters (1,048,576). The server refuses bodies above 1 MiB by default; the largest
    /// built-in instrument is about 15 KB as JSON, and even <see cref="InstrumentJson.MaxQuestions"/> questions with
    /// long option lists fit comfortably. Checked before parsing, so a huge file costs nothing beyond being read.
    /// </summary>
    public const int MaxLength = 1 << 20;

    /// <summary>
    /// Deepest nesting of mappings and sequences (64), the same bound as System.Text.Json's default for the JSON
    /// form; an instrument needs four (instrument, question list, question, scale).
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Whether <paramref name="fileName"/> names a YAML file (.yaml or .yml, any case).</summary>
    public static bool IsYamlFile(string fileName) =>
        Path.GetExtension(fileName).ToUpperInvariant() is ".YAML" or ".YML";

    /// <summary>
    /// Parses a YAML instrument; syntax errors, nesting deeper than <see cref="MaxDepth"/> and aliases come back as
    /// errors naming line and column, a text longer than <see cref="MaxLength"/> as an error before anything is parsed.
    /// Never throws for bad input.
    /// </summary>
    public static InstrumentParseResult Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (yaml.Length > MaxLength)
        {
            return Failure(sourceName, "$", string.Create(CultureInfo.InvariantCulture,
                $"the file has {yaml.Length:#,0} characters; an instrument is at most {MaxLength:#,0}"));
        }

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
    /// <exception cref="YamlException">
    /// The text is not valid YAML, nests deeper than <see cref="MaxDepth"/>, uses an alias or has a key that is not a
    /// scalar; <see cref="YamlException.Start"/> says where.
    /// </exception>
    /// <exception cref="InvalidDataException">The text holds no document or more than one.</exception>
    public static string ToJson(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var parser = new Parser(new StringReader(yaml));
        var buffer = new MemoryStream();
        var documents = 0;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // One entry per open mapping or sequence, innermost on top.
            var open = new Stack<Open>();
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                switch (current)
                {
                    case DocumentStart:
                        documents++;
                        break;
                    case AnchorAlias alias:
                        throw new YamlException(alias.Start, alias.End,
                            $"an alias (*{alias.Value}) is not allowed in an instrument; write the value out in full");
                    case MappingStart or SequenceStart:
                        RefuseKey(open, current);
                        if (open.Count >= MaxDepth)
                        {
                            throw new YamlException(current.Start, current.End,
                                string.Create(CultureInfo.InvariantCulture, $"nested more than {MaxDepth} levels deep"));
                        }

                        var mapping = current is MappingStart;
                        if (documents == 1)
                        {
                            if (mapping)
                            {
                                writer.WriteStartObject();
                            }
                            else
                            {
                                writer.WriteStartArray();
                            }
                        }

                        open.Push(mapping ? Open.MappingKey : Open.Sequence);
                        break;
                    case MappingEnd or SequenceEnd:
                        open.Pop();
                        if (documents == 1)
                        {
                            if (current is MappingEnd)
                            {
                                writer.WriteEndObject();
                            }
                            else
                            {
                                writer.WriteEndArray();
                            }
                        }

                        ValueDone(open);
                        break;
                    case Scalar scalar when open.TryPeek(out var top) && top == Open.MappingKey:
                        if (documents == 1)
                        {
                            writer.WritePropertyName(scalar.Value);
                        }

                        open.Pop();
                        open.Push(Open.MappingValue);
                        break;
                    case Scalar scalar:
                        if (documents == 1)
                        {
                            WriteScalar(writer, scalar);
                        }

                        ValueDone(open);
                        break;
                }
            }
        }

        if (documents != 1)
        {
            throw new InvalidDataException($"expected one YAML document, found {documents}");
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static InstrumentParseResult Failure(string source, string path, string reason) =>
        new() { Errors = [new InstrumentError(source, path, reason)] };

    /// <summary>A mapping or sequence where a mapping expects its next key: JSON keys are names.</summary>
    private static void RefuseKey(Stack<Open> open, ParsingEvent current)
    {
        if (open.TryPeek(out var top) && top == Open.MappingKey)
        {
            throw new YamlException(current.Start, current.End, "a key must be a plain name");
        }
    }

    /// <summary>After a whole value: the enclosing mapping, if any, expects a key again.</summary>
    private static void ValueDone(Stack<Open> open)
    {
        if (open.TryPeek(out var top) && top == Open.MappingValue)
        {
            open.Pop();
            open.Push(Open.MappingKey);
        }
    }

    /// <summary>An open collection and, for a mapping, whether its next scalar is a key or a value.</summary>
    private enum Open
    {
        Sequence,
        MappingKey,
        MappingValue,
    }

    private static void WriteScalar(Utf8JsonWriter writer, Scalar scalar)
    {
        var text = scalar.Value;
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
