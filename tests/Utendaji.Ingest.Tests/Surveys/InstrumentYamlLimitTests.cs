using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Surveys;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Utendaji.Ingest.Tests.Surveys;

/// <summary>
/// Hostile or oversized YAML comes back as one error naming where, never as an exception, a stack overflow or an
/// exhausted heap; ordinary YAML converts exactly as the tree-building reader it replaced did.
/// </summary>
public class InstrumentYamlLimitTests
{
    [Theory]
    [InlineData("[", "line 1, column 65", "nested more than 64 levels deep")]
    [InlineData("{a: ", "line 1, column 257", "nested more than 64 levels deep")]
    [InlineData("[{a: ", "line 1, column 161", "nested more than 64 levels deep")]
    // A mapping in key position is refused before depth matters: keys are names.
    [InlineData("{", "line 1, column 2", "a key must be a plain name")]
    public void Deep_flow_nesting_is_refused_where_it_goes_wrong(string unit, string path, string reason)
    {
        // 100,000 '[' overflowed the stack of the old tree-building reader (exit 134, the whole server with it).
        var text = new StringBuilder().Insert(0, unit, 100_000).ToString();

        var error = Assert.Single(InstrumentYaml.Parse(text, "deep.yaml").Errors);

        Assert.Equal("deep.yaml", error.Source);
        Assert.Equal(path, error.Path);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_four_levels_convert_and_sixty_five_do_not()
    {
        Assert.Equal(new string('[', 64) + new string(']', 64), InstrumentYaml.ToJson(new string('[', 64) + new string(']', 64)));

        var e = Assert.Throws<YamlException>(() => InstrumentYaml.ToJson(new string('[', 65) + new string(']', 65)));
        Assert.Equal((1, 65), (e.Start.Line, e.Start.Column));
    }

    [Fact]
    public void Deep_block_mappings_are_refused_with_the_line_of_the_65th_level()
    {
        // Line n holds the first key of the nth nested mapping, indented n - 1 spaces.
        var text = new StringBuilder();
        for (var level = 0; level < 1_000; level++)
        {
            text.Append(' ', level).Append('k').Append(level.ToString(CultureInfo.InvariantCulture)).Append(":\n");
        }

        var error = Assert.Single(InstrumentYaml.Parse(text.ToString(), "deep.yaml").Errors);

        Assert.Equal("line 65, column 65", error.Path);
        Assert.Contains("nested more than 64 levels deep", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_block_sequences_on_one_line_are_refused()
    {
        var text = string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n";

        var error = Assert.Single(InstrumentYaml.Parse(text, "dashes.yaml").Errors);

        Assert.Equal("line 1, column 129", error.Path);
        Assert.Contains("nested more than 64 levels deep", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Billion_laughs_is_refused_at_the_first_alias()
    {
        // 300 bytes that the tree-building reader expanded to 9^9 scalars (5.9 GB, then "Out of memory.").
        var text = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            text.Append(CultureInfo.InvariantCulture, $"{level}: &{level} [")
                .AppendJoin(", ", Enumerable.Repeat("*" + previous, 9)).Append("]\n");
        }

        var error = Assert.Single(InstrumentYaml.Parse(text.ToString(), "laughs.yaml").Errors);

        Assert.Equal("line 2, column 8", error.Path);
        Assert.Contains("alias (*a) is not allowed", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_in_an_ordinary_instrument_is_refused_and_an_unused_anchor_is_not()
    {
        var aliased = InstrumentYaml.Parse("""
            id: q
            questions:
              - { id: a, type: rating, scale: &five { min: 1, max: 5 } }
              - { id: b, type: rating, scale: *five }
            """, "alias.yaml");
        var anchored = InstrumentYaml.Parse("""
            id: q
            questions:
              - { id: a, type: rating, scale: &five { min: 1, max: 5 } }
            """, "anchor.yaml");

        var error = Assert.Single(aliased.Errors);
        Assert.Equal("line 4, column 35", error.Path);
        Assert.Contains("write the value out in full", error.Reason, StringComparison.Ordinal);
        Assert.True(anchored.Success, string.Join("\n", anchored.Errors));
    }

    [Fact]
    public void Too_many_questions_are_refused_with_their_count()
    {
        // The count is checked before any question is read, so these need not even be questions (and stay short
        // enough to pass the length limit).
        var text = new StringBuilder("id: big\nquestions:\n");
        text.Insert(text.Length, "  - 0\n", 100_000);

        var error = Assert.Single(InstrumentYaml.Parse(text.ToString(), "big.yaml").Errors);

        Assert.Equal("$.questions", error.Path);
        Assert.Equal("lists 100,000 questions; an instrument has at most 500", error.Reason);
    }

    [Fact]
    public void The_most_questions_allowed_still_parse()
    {
        var text = new StringBuilder("id: long\nquestions:\n");
        for (var i = 0; i < InstrumentJson.MaxQuestions; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - {{ id: q{i}, type: free_text }}\n");
        }

        var result = InstrumentYaml.Parse(text.ToString(), "long.yaml");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(InstrumentJson.MaxQuestions, result.Instrument!.Questions.Count);
        Assert.Equal("q499", result.Instrument.Questions[^1].Id);
    }

    [Fact]
    public void A_text_longer_than_the_limit_is_refused_before_parsing()
    {
        // Not valid YAML either: had it been parsed, the error would be a syntax error with a line.
        var text = "id: [" + new string('x', InstrumentYaml.MaxLength);

        var error = Assert.Single(InstrumentYaml.Parse(text, "huge.yaml").Errors);

        Assert.Equal("$", error.Path);
        Assert.Equal("the file has 1,048,581 characters; an instrument is at most 1,048,576", error.Reason);
    }

    [Fact]
    public void A_repeated_key_is_reported_by_path_as_in_json()
    {
        var result = InstrumentYaml.Parse("id: a\nid: b\nquestions:\n  - { id: c, type: free_text }\n", "twice.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("$.id", error.Path);
        Assert.Contains("given twice", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_documented_limit_messages_are_what_the_readers_write()
    {
        var docs = File.ReadAllText(Path.Combine(SurveyDocsTests.RepositoryRoot(), "docs", "surveys-instruments.md"));
        var laughs = new StringBuilder("a: &a [lol, lol]\n").Append("b: &b [*a, *a]\n").ToString();
        var questions = string.Join(",", Enumerable.Repeat("0", 100_000));

        string[] messages =
        [
            InstrumentJson.Parse($$"""{"id":"big","questions":[{{questions}}]}""", "big.json").Errors.Single().ToString(),
            InstrumentYaml.Parse(new string('[', 100), "deep.yaml").Errors.Single().ToString(),
            InstrumentYaml.Parse(laughs, "laughs.yaml").Errors.Single().ToString(),
        ];

        Assert.All(messages, message => Assert.Contains(message, docs, StringComparison.Ordinal));
        var twice = InstrumentYaml.Parse("id: a\nid: b\nquestions: [{id: c, type: nps}]\n", "twice.yaml").Errors.Single();
        Assert.Contains($"`{twice.Path}: {twice.Reason}`", docs, StringComparison.Ordinal);
    }

    public static TheoryData<string> OrdinaryTexts()
    {
        var data = new TheoryData<string>
        {
            SurveyDocsTests.Blocks("yaml", "surveys-instruments.md")[0],
            """
            # block style, comments, every scalar form
            id: mixed   # trailing comment
            kind: csat
            satisfied_minimum: 4
            questions:
              - id: clarity
                type: rating
                required: true
                scale:
                  min: 1
                  max: +5
              - id: "quoted"
                type: 'single_choice'
                options:
                - yes
                - "no"
                - ~
                - null
                - 1.5e3
                - .5
                - -7
                - True
                - FALSE
                - ""
                - 0x1F
                - 007
              - id: folded
                type: >
                  free_text
                item: !!str 3
                note: |
                  two
                  lines
              - &anchored { id: anchored, type: nps, empty: }
              - [nested, [list, {a: b}]]
            """,
            "---\nid: x\n...\n",
            "just a scalar",
            "[]",
            "{}",
        };
        foreach (var instrument in BuiltInInstruments.All)
        {
            data.Add(InstrumentJson.Serialize(instrument));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OrdinaryTexts))]
    public void Ordinary_yaml_converts_exactly_as_the_tree_reader_did(string yaml) =>
        Assert.Equal(TreeReader.ToJson(yaml), InstrumentYaml.ToJson(yaml));

    /// <summary>
    /// The reader InstrumentYaml used before: YamlStream builds the whole tree, then a recursive walk writes JSON.
    /// Kept as the reference for ordinary input only (it is exactly what deep nesting and aliases broke).
    /// </summary>
    private static class TreeReader
    {
        public static string ToJson(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Write(writer, stream.Documents.Single().RootNode);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static void Write(Utf8JsonWriter writer, YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    writer.WriteStartObject();
                    foreach (var (key, value) in mapping.Children)
                    {
                        writer.WritePropertyName(((YamlScalarNode)key).Value!);
                        Write(writer, value);
                    }

                    writer.WriteEndObject();
                    break;
                case YamlSequenceNode sequence:
                    writer.WriteStartArray();
                    foreach (var item in sequence.Children)
                    {
                        Write(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                case YamlScalarNode scalar:
                    WriteScalar(writer, scalar);
                    break;
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

            if (Regex.IsMatch(text, "^[-+]?[0-9]+$", RegexOptions.CultureInvariant)
                && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            {
                writer.WriteNumberValue(whole);
            }
            else if (Regex.IsMatch(text, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            {
                writer.WriteNumberValue(real);
            }
            else
            {
                writer.WriteStringValue(text);
            }
        }
    }
}
