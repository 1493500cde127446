using System.Globalization;
using Utendaji.Core.Surveys;

namespace Utendaji.Core.Tests.Surveys.Instruments;

public class InstrumentJsonTests
{
    /// <summary>The custom-instrument example of docs/surveys-instruments.md.</summary>
    internal const string Example = """
        {
          "id": "onboarding-check",
          "kind": "custom",
          "questions": [
            { "id": "clarity", "type": "rating", "required": true, "scale": { "min": 1, "max": 5 } },
            { "id": "recommend", "type": "nps" },
            { "id": "effort", "type": "ces" },
            { "id": "channel", "type": "single_choice", "options": ["email", "phone", "chat"] },
            { "id": "topics", "type": "multiple_choice", "options": ["billing", "setup", "training"] },
            { "id": "comment", "type": "free_text" }
          ]
        }
        """;

    [Theory]
    [InlineData("\"onboarding-check\"", "\"\\ud800\"", "$.id")]
    [InlineData("\"billing\"", "\"\\udc00billing\"", "$.questions[4].options[0]")]
    public void Parse_LoneSurrogateEscape_IsTheOnlyErrorNamingThePath(string text, string replacement, string path)
    {
        string json = Example.Replace(text, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Example, json);

        InstrumentParseResult result = InstrumentJson.Parse(json, "x.json");

        Assert.Null(result.Instrument);
        Assert.Equal([$"x.json: {path}: is not valid text (a lone UTF-16 surrogate escape such as \\ud800)"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_SurrogatePairEscape_IsReadAsTheCharacter()
    {
        // Options are ids, so an emoji is refused, but as the character it is, by the ordinary id rule.
        InstrumentParseResult result = InstrumentJson.Parse(Example.Replace("\"chat\"", "\"chat\\ud83d\\ude00\"", StringComparison.Ordinal), "x.json");

        Assert.Equal(["x.json: $.questions[3].options[2]: 'chat\U0001F600' is not an id (letters, digits, '-' and '_')"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_DocumentedExample_AllFieldsRead()
    {
        InstrumentParseResult result = InstrumentJson.Parse(Example, "onboarding.json");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        SurveyInstrument instrument = result.Instrument!;
        Assert.Equal(("onboarding-check", InstrumentKind.Custom, (int?)null), (instrument.Id, instrument.Kind, instrument.SatisfiedMinimum));
        Assert.Equal(["clarity", "recommend", "effort", "channel", "topics", "comment"], instrument.Questions.Select(q => q.Id));
        SurveyQuestion clarity = instrument.Questions[0];
        Assert.Equal((QuestionType.Rating, true, 1, 5), (clarity.Type, clarity.Required, clarity.ScaleMin, clarity.ScaleMax));
        Assert.Equal((QuestionType.Nps, false, 0, 10), (instrument.Questions[1].Type, instrument.Questions[1].Required, instrument.Questions[1].ScaleMin, instrument.Questions[1].ScaleMax));
        Assert.Equal((1, 7), (instrument.Questions[2].ScaleMin, instrument.Questions[2].ScaleMax));
        Assert.Equal(QuestionType.SingleChoice, instrument.Questions[3].Type);
        Assert.Equal(["email", "phone", "chat"], instrument.Questions[3].Options);
        Assert.Equal(QuestionType.MultipleChoice, instrument.Questions[4].Type);
        Assert.Equal(QuestionType.FreeText, instrument.Questions[5].Type);
        Assert.Null(instrument.Questions[5].Dimension);
    }

    [Fact]
    public void Parse_ServqualStyleItems_DimensionPartAndItemRead()
    {
        const string json = """
            { "id": "mini-servqual", "kind": "servqual", "questions": [
              { "id": "e01", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "tangibles", "part": "expectation", "item": 1 },
              { "id": "p01", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "tangibles", "part": "perception", "item": 1 }
            ] }
            """;

        SurveyInstrument instrument = InstrumentJson.Parse(json, "mini.json").Instrument!;

        Assert.Equal((ServqualDimension.Tangibles, ServqualPart.Perception, 1), (instrument.Questions[1].Dimension, instrument.Questions[1].Part, instrument.Questions[1].Item));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(5, 4)]
    [InlineData(7, 6)]
    [InlineData(10, 9)]
    public void Parse_CsatWithoutThreshold_DefaultTopBoxes(int points, int expected)
    {
        string json = $$"""{ "id": "c", "kind": "csat", "questions": [{ "id": "csat", "type": "rating", "scale": { "min": 1, "max": {{points}} } }] }""";

        Assert.Equal(expected, InstrumentJson.Parse(json, "c.json").Instrument!.SatisfiedMinimum);
    }

    [Fact]
    public void Parse_CsatWithThreshold_Kept()
    {
        const string json = """{ "id": "c", "kind": "csat", "satisfied_minimum": 5, "questions": [{ "id": "csat", "type": "rating", "scale": { "min": 1, "max": 5 } }] }""";

        Assert.Equal(5, InstrumentJson.Parse(json, "c.json").Instrument!.SatisfiedMinimum);
    }

    [Theory]
    [InlineData("{", "x.json: $: not valid JSON at line 1, byte 2")]
    [InlineData("[]", "x.json: $: an instrument is a JSON object, not a list")]
    [InlineData("""{ "kind": "custom", "questions": [{ "id": "q", "type": "free_text" }] }""", "x.json: $: 'id' is required")]
    [InlineData("""{ "id": "a b", "questions": [{ "id": "q", "type": "free_text" }] }""", "x.json: $.id: 'a b' is not an id (letters, digits, '-' and '_')")]
    [InlineData("""{ "id": "a", "kind": "survey", "questions": [{ "id": "q", "type": "free_text" }] }""",
        "x.json: $.kind: 'survey' is not one of csat, nps, ces, servqual, servqual_zone_of_tolerance, custom")]
    [InlineData("""{ "id": "a", "questions": [] }""", "x.json: $.questions: must list at least one question")]
    [InlineData("""{ "id": "a" }""", "x.json: $: 'questions' is required")]
    [InlineData("""{ "id": "a", "title": "t", "questions": [{ "id": "q", "type": "free_text" }] }""",
        "x.json: $.title: unknown key; expected one of id, kind, satisfied_minimum, questions")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "stars" }] }""",
        "x.json: $.questions[0].type: 'stars' is not one of rating, nps, ces, single_choice, multiple_choice, free_text, allocation")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "free_text" }, { "id": "q", "type": "nps" }] }""",
        "x.json: $.questions[1].id: 'q' is already the id of $.questions[0]")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating" }] }""", "x.json: $.questions[0]: 'scale' is required for a rating question")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 5, "max": 1 } }] }""", "x.json: $.questions[0].scale: min 5 must be below max 1")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 0, "max": 101 } }] }""", "x.json: $.questions[0].scale: 0–101 has more than 101 points")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1 } }] }""", "x.json: $.questions[0].scale: 'max' is required")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 4.5 } }] }""", "x.json: $.questions[0].scale.max: expected a whole number, not 4.5")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "nps", "scale": { "min": 1, "max": 10 } }] }""", "x.json: $.questions[0].scale: an nps question is always 0–10; leave 'scale' out")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "ces", "scale": { "min": 1, "max": 5 } }] }""", "x.json: $.questions[0].scale: a ces question is always 1–7; leave 'scale' out")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "free_text", "required": "yes" }] }""", "x.json: $.questions[0].required: expected true or false, not 'yes'")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "single_choice" }] }""", "x.json: $.questions[0]: 'options' is required for a single_choice question")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "single_choice", "options": ["x"] }] }""", "x.json: $.questions[0].options: must list at least two options")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "multiple_choice", "options": ["x", "y", "x"] }] }""", "x.json: $.questions[0].options[2]: 'x' is listed twice")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "free_text", "options": ["x", "y"] }] }""", "x.json: $.questions[0].options: only choice questions have options")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "nps", "total": 100 }] }""", "x.json: $.questions[0].total: only allocation questions have a total")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "allocation", "total": 0 }] }""", "x.json: $.questions[0].total: 0 is not a total (1 or more)")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 7 }, "part": "perception", "item": 1 }] }""",
        "x.json: $.questions[0]: a perception item needs a 'dimension'")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "empathy", "part": "perception" }] }""",
        "x.json: $.questions[0]: 'item' is required for a perception item")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "empathy", "item": 3 }] }""",
        "x.json: $.questions[0]: 'item' needs a 'part'")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "nps", "dimension": "empathy", "part": "perception", "item": 3 }] }""",
        "x.json: $.questions[0].part: a perception item is a rating question, not nps")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "empathy", "part": "importance" }] }""",
        "x.json: $.questions[0].part: an importance item is an allocation question, not rating")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "allocation", "dimension": "empathy", "part": "importance", "item": 2 }] }""",
        "x.json: $.questions[0].item: an importance item has no 'item' (importance is per dimension)")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "kindness", "part": "perception", "item": 1 }] }""",
        "x.json: $.questions[0].dimension: 'kindness' is not one of tangibles, reliability, responsiveness, assurance, empathy")]
    [InlineData("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "empathy", "part": "perception", "item": 0 }] }""",
        "x.json: $.questions[0].item: 0 is not an item number (1 or more)")]
    [InlineData("""{ "id": "a", "satisfied_minimum": 4, "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 5 } }] }""",
        "x.json: $.satisfied_minimum: only a csat instrument has a satisfied threshold")]
    [InlineData("""{ "id": "a", "kind": "csat", "satisfied_minimum": 1, "questions": [{ "id": "q", "type": "rating", "scale": { "min": 1, "max": 5 } }] }""",
        "x.json: $.satisfied_minimum: 1 is not a threshold on the 1–5 scale of 'q' (from 2 to 5)")]
    [InlineData("""{ "id": "a", "kind": "csat", "questions": [{ "id": "q", "type": "nps" }] }""", "x.json: $.questions: a csat instrument needs a rating question")]
    [InlineData("""{ "id": "a", "kind": "nps", "questions": [{ "id": "q", "type": "free_text" }] }""", "x.json: $.questions: an nps instrument needs an nps question")]
    [InlineData("""{ "id": "a", "kind": "ces", "questions": [{ "id": "q", "type": "free_text" }] }""", "x.json: $.questions: a ces instrument needs a ces question")]
    [InlineData("""{ "id": "a", "kind": "servqual", "questions": [{ "id": "q", "type": "free_text" }] }""", "x.json: $.questions: a servqual instrument needs expectation, perception items")]
    [InlineData("""{ "id": "a", "kind": "servqual", "questions": [{ "id": "e01", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "tangibles", "part": "expectation", "item": 1 }] }""",
        "x.json: $.questions: item 1 has no perception question")]
    [InlineData("""{ "id": "a", "kind": "servqual_zone_of_tolerance", "questions": [{ "id": "p01", "type": "rating", "scale": { "min": 1, "max": 9 }, "dimension": "tangibles", "part": "perception", "item": 1 }, { "id": "m01", "type": "rating", "scale": { "min": 1, "max": 9 }, "dimension": "tangibles", "part": "minimum", "item": 1 }] }""",
        "x.json: $.questions: item 1 has no desired question")]
    public void Parse_BadInput_OneExactError(string json, string expected)
    {
        InstrumentParseResult result = InstrumentJson.Parse(json, "x.json");

        Assert.False(result.Success);
        Assert.Null(result.Instrument);
        Assert.Equal([expected], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ServqualItemConflicts_EachReportedWithBothPaths()
    {
        const string json = """
            { "id": "a", "questions": [
              { "id": "p01", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "tangibles", "part": "perception", "item": 1 },
              { "id": "p01b", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "tangibles", "part": "perception", "item": 1 },
              { "id": "e01", "type": "rating", "scale": { "min": 1, "max": 7 }, "dimension": "empathy", "part": "expectation", "item": 1 },
              { "id": "w1", "type": "allocation", "dimension": "empathy", "part": "importance" },
              { "id": "w2", "type": "allocation", "total": 10, "dimension": "empathy", "part": "importance" }
            ] }
            """;

        InstrumentParseResult result = InstrumentJson.Parse(json, "x.json");

        Assert.Equal(
            [
                "x.json: $.questions[1]: perception item 1 is already $.questions[0]",
                "x.json: $.questions[2].dimension: item 1 is empathy here but tangibles in $.questions[0]",
                "x.json: $.questions[4]: importance of empathy is already $.questions[3]",
                "x.json: $.questions[4].total: allocation questions share one total; $.questions[3] has 100, this one 10",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ImportanceForSomeDimensionsOnly_Reported()
    {
        SurveyInstrument servqual = BuiltInInstruments.Servqual;
        string json = InstrumentJson.Serialize(servqual with
        {
            Questions = [.. servqual.Questions.Where(q => q.Part != ServqualPart.Importance || q.Dimension == ServqualDimension.Empathy)],
        });

        InstrumentParseResult result = InstrumentJson.Parse(json, "x.json");

        Assert.Equal(["x.json: $.questions: importance is allocated to empathy but not to tangibles, reliability, responsiveness, assurance"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_SeveralErrors_AllReportedInDocumentOrder()
    {
        const string json = """
            { "id": "a", "kind": "custom", "questions": [
              { "id": "q1", "type": "rating", "scale": { "min": 3, "max": 3 } },
              { "id": "q2", "type": "stars" },
              { "id": "q 3", "type": "nps", "colour": "red" }
            ] }
            """;

        InstrumentParseResult result = InstrumentJson.Parse(json, "x.json");

        Assert.Equal(
            [
                "x.json: $.questions[0].scale: min 3 must be below max 3",
                "x.json: $.questions[1].type: 'stars' is not one of rating, nps, ces, single_choice, multiple_choice, free_text, allocation",
                "x.json: $.questions[2].colour: unknown key; expected one of id, type, required, scale, total, options, dimension, part, item",
                "x.json: $.questions[2].id: 'q 3' is not an id (letters, digits, '-' and '_')",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData(InstrumentJson.MaxQuestions, true)]
    [InlineData(InstrumentJson.MaxQuestions + 1, false)]
    [InlineData(100_000, false)]
    public void Parse_QuestionCount_BoundedAtMaxQuestions(int count, bool accepted)
    {
        string questions = string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"id":"q{{i}}","type":"free_text"}"""));

        InstrumentParseResult result = InstrumentJson.Parse($$"""{"id":"long","questions":[{{questions}}]}""", "x.json");

        if (accepted)
        {
            Assert.True(result.Success, string.Join("\n", result.Errors));
            Assert.Equal(count, result.Instrument!.Questions.Count);
        }
        else
        {
            // One error for the list, none per question: the questions are not read at all.
            Assert.Equal([string.Create(CultureInfo.InvariantCulture, $"x.json: $.questions: lists {count:#,0} questions; an instrument has at most 500")], result.Errors.Select(e => e.ToString()));
        }
    }

    [Theory]
    [InlineData(InstrumentJson.MaxOptions, true)]
    [InlineData(InstrumentJson.MaxOptions + 1, false)]
    public void Parse_OptionCount_BoundedAtMaxOptions(int count, bool accepted)
    {
        string options = string.Join(",", Enumerable.Range(0, count).Select(i => $"\"o{i}\""));

        InstrumentParseResult result = InstrumentJson.Parse($$"""{"id":"c","questions":[{"id":"country","type":"single_choice","options":[{{options}}]}]}""", "x.json");

        if (accepted)
        {
            Assert.True(result.Success, string.Join("\n", result.Errors));
            Assert.Equal(count, result.Instrument!.Questions[0].Options.Count);
        }
        else
        {
            Assert.Equal([string.Create(CultureInfo.InvariantCulture, $"x.json: $.questions[0].options: lists {count:#,0} options; a question has at most 500")], result.Errors.Select(e => e.ToString()));
        }
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_Accepted()
    {
        const string json = """
            {
              // a comment
              "id": "a",
              "questions": [{ "id": "q", "type": "free_text", },],
            }
            """;

        Assert.True(InstrumentJson.Parse(json, "x.json").Success);
    }

    [Fact]
    public void SerializeParse_EveryBuiltIn_EqualInstrument()
    {
        foreach (SurveyInstrument instrument in BuiltInInstruments.All)
        {
            string json = InstrumentJson.Serialize(instrument);
            InstrumentParseResult result = InstrumentJson.Parse(json, instrument.Id + ".json");

            Assert.True(result.Success, instrument.Id + ": " + string.Join("\n", result.Errors));
            Assert.Equal(instrument, result.Instrument);
            Assert.Equal(json, InstrumentJson.Serialize(result.Instrument!));
        }
    }

    [Fact]
    public void SerializeParse_DocumentedExample_EqualInstrument()
    {
        SurveyInstrument instrument = InstrumentJson.Parse(Example, "onboarding.json").Instrument!;

        Assert.Equal(instrument, InstrumentJson.Parse(InstrumentJson.Serialize(instrument), "again.json").Instrument);
    }

    [Fact]
    public void Equals_DifferentOption_NotEqual()
    {
        SurveyInstrument instrument = InstrumentJson.Parse(Example, "onboarding.json").Instrument!;
        SurveyInstrument changed = instrument with
        {
            Questions = [.. instrument.Questions.Select(q => q.Id == "channel" ? q with { Options = ["email", "phone", "sms"] } : q)],
        };

        Assert.NotEqual(instrument, changed);
        Assert.Equal(instrument, instrument with { Questions = [.. instrument.Questions] });
        Assert.Equal(instrument.GetHashCode(), (instrument with { Questions = [.. instrument.Questions] }).GetHashCode());
    }

    [Fact]
    public void Serialize_Csat5_DocumentedForm()
    {
        const string expected = """
            {
              "id": "csat-5",
              "kind": "csat",
              "satisfied_minimum": 4,
              "questions": [
                {
                  "id": "csat",
                  "type": "rating",
                  "required": true,
                  "scale": {
                    "min": 1,
                    "max": 5
                  }
                },
                {
                  "id": "comment",
                  "type": "free_text",
                  "required": false
                }
              ]
            }

            """;

        Assert.Equal(expected, InstrumentJson.Serialize(BuiltInInstruments.Csat5));
    }
}
