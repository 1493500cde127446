using Utendaji.Core.Sla;

namespace Utendaji.Core.Tests.Sla;

/// <summary>The policy example in docs/formats.md parses and is the one the other tests use, so the docs cannot rot.</summary>
public class SlaDocsTests
{
    [Fact]
    public void DocsExample_ParsesAndMatchesTestExample()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "formats.md"));
        var section = docs.IndexOf("## SLA policies", StringComparison.Ordinal);
        var start = docs.IndexOf("```json\n", section, StringComparison.Ordinal) + "```json\n".Length;
        var json = docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)];

        var result = SlaPolicyJson.Parse(json, "docs/formats.md");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(Normalise(SlaPolicyJsonTests.Example), Normalise(json));
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
