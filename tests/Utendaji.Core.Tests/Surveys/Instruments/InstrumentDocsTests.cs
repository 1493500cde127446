using Utendaji.Core.Surveys;

namespace Utendaji.Core.Tests.Surveys.Instruments;

/// <summary>The examples in docs/surveys-instruments.md parse and match the tests' own, so the docs cannot rot.</summary>
public class InstrumentDocsTests
{
    [Fact]
    public void DocsExamples_InstrumentAndTextFileParse()
    {
        List<string> blocks = JsonBlocks(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "surveys-instruments.md")));

        string instrument = blocks.Single(b => b.Contains("\"questions\"", StringComparison.Ordinal));
        InstrumentParseResult parsed = InstrumentJson.Parse(instrument, "docs");
        Assert.True(parsed.Success, string.Join("\n", parsed.Errors));
        Assert.Equal(Normalise(InstrumentJsonTests.Example), Normalise(instrument));

        string texts = blocks.Single(b => b.Contains("\"family\"", StringComparison.Ordinal));
        SurveyTextFileParseResult file = SurveyTextFileJson.Parse(texts, "docs");
        Assert.True(file.Success, string.Join("\n", file.Errors));
        SurveyTextFile shipped = SurveyTexts.BuiltIn.File("nps", "sw")!;
        Assert.All(file.File!.Texts, t => Assert.Equal(shipped.Find(t.Key)!.Text, t.Value.Text));
    }

    [Fact]
    public void DocsErrorExamples_AreMessagesTheParserWrites()
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "surveys-instruments.md"));

        // Each documented message, produced by a small instrument that has exactly that fault.
        (string Json, string Source)[] cases =
        [
            ("""{ "id": "a", "questions": [{ "id": "q", "type": "rating", "scale": { "min": 5, "max": 1 } }] }""", "onboarding.json"),
            ("""{ "id": "a", "kind": "csat", "satisfied_minimum": 1, "questions": [{ "id": "csat", "type": "rating", "scale": { "min": 1, "max": 5 } }] }""", "csat.json"),
        ];
        foreach ((string json, string source) in cases)
        {
            string message = InstrumentJson.Parse(json, source).Errors.Single().ToString();
            Assert.Contains(message, docs, StringComparison.Ordinal);
        }
    }

    private static List<string> JsonBlocks(string markdown)
    {
        var blocks = new List<string>();
        int at = 0;
        while ((at = markdown.IndexOf("```json\n", at, StringComparison.Ordinal)) >= 0)
        {
            int start = at + "```json\n".Length;
            int end = markdown.IndexOf("```", start, StringComparison.Ordinal);
            blocks.Add(markdown[start..end]);
            at = end + 3;
        }

        return blocks;
    }

    private static string Normalise(string json) => string.Concat(json.Where(c => !char.IsWhiteSpace(c)));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Utendaji.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Utendaji.sln not found above " + AppContext.BaseDirectory);
    }
}
