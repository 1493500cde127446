using Utendaji.Core.Surveys;
using Utendaji.Ingest.Surveys;

namespace Utendaji.Ingest.Tests.Surveys;

public class InstrumentYamlTests
{
    [Fact]
    public void Yaml_and_json_forms_of_an_instrument_are_equal()
    {
        // docs/surveys-instruments.md shows one example instrument in both forms.
        const string Page = "surveys-instruments.md";
        var yaml = InstrumentYaml.Parse(SurveyDocsTests.Blocks("yaml", Page)[0], "onboarding.yaml");
        var json = InstrumentJson.Parse(SurveyDocsTests.Blocks("json", Page)[0], "onboarding.json");

        Assert.True(yaml.Success, string.Join("\n", yaml.Errors));
        Assert.Equal(InstrumentJson.Serialize(json.Instrument!), InstrumentJson.Serialize(yaml.Instrument!));
        Assert.Equal(6, yaml.Instrument!.Questions.Count);
        Assert.True(yaml.Instrument.Questions[0].Required);
    }

    [Fact]
    public void Every_built_in_instrument_read_back_through_yaml_is_unchanged()
    {
        // JSON is a subset of YAML 1.2, so the canonical JSON of each instrument is also a YAML text.
        foreach (var instrument in BuiltInInstruments.All)
        {
            var canonical = InstrumentJson.Serialize(instrument);
            var result = InstrumentYaml.Parse(canonical, instrument.Id + ".yaml");
            Assert.True(result.Success, string.Join("\n", result.Errors));
            Assert.Equal(canonical, InstrumentJson.Serialize(result.Instrument!));
        }
    }

    [Fact]
    public void A_quoted_number_stays_text_and_is_reported_by_field()
    {
        var result = InstrumentYaml.Parse("""
            id: q
            questions:
              - id: clarity
                type: rating
                scale: { min: "1", max: 5 }
            """, "quoted.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("quoted.yaml", error.Source);
        Assert.Equal("$.questions[0].scale.min", error.Path);
    }

    [Fact]
    public void A_syntax_error_names_the_file_and_line()
    {
        var result = InstrumentYaml.Parse("id: q\nquestions:\n  - id: a\n    type: [rating\n", "broken.yml");

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("broken.yml", error.Source);
        Assert.StartsWith("line ", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_is_an_error_as_in_json()
    {
        var result = InstrumentYaml.Parse("""
            id: q
            questions:
              - id: a
                type: free_text
                requried: true
            """, "typo.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("$.questions[0].requried", error.Path);
    }

    [Theory]
    [InlineData("", "found 0")]
    [InlineData("id: a\n---\nid: b\n", "found 2")]
    [InlineData("? [a, b]\n: c\n", "a key must be a plain name")]
    public void Documents_that_are_not_one_mapping_of_names_are_refused(string yaml, string reason)
    {
        var result = InstrumentYaml.Parse(yaml, "odd.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x.yaml", true)]
    [InlineData("x.YML", true)]
    [InlineData("x.json", false)]
    [InlineData("yaml", false)]
    public void Yaml_files_are_known_by_extension(string name, bool expected) =>
        Assert.Equal(expected, InstrumentYaml.IsYamlFile(name));
}
