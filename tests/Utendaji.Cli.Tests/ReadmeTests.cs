namespace Utendaji.Cli.Tests;

/// <summary>The README's "A first session" commands are run as written, so the README cannot rot.</summary>
public sealed class ReadmeTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task FirstSession_EveryCommand_Succeeds()
    {
        // Given the files the README's session names
        _cli.Write("support-eu.json", TestFiles.SupportEu);
        _cli.Write("sla.json", """
            {"name": "standard", "targets": [
              {"priority": "normal", "first_reply": "PT4H", "next_reply": "PT8H", "resolution": "PT16H"},
              {"priority": "high", "first_reply": "PT1H", "next_reply": "PT2H", "resolution": "PT8H"}]}
            """);
        _cli.Write("events.ndjson", TestFiles.Events.Replace("T-1\"", "T-1042\"", StringComparison.Ordinal));
        _cli.Write("zendesk-export.csv", """
            Id,Created at,Solved at,First reply time in minutes,Reopens,Replies,Priority,Via,Group,Assignee,Requester,Satisfaction Score
            9001,2026-03-03T09:15:00+02:00,2026-03-03T15:00:00+02:00,30,0,2,normal,email,support,Matti,c-9,Good
            """);
        var commands = ReadSession();
        Assert.True(commands.Count >= 10, "the README's session lost its commands");

        foreach (var command in commands)
        {
            // When each command runs
            var result = await _cli.RunAsync(command);

            // Then it succeeds
            Assert.True(result.ExitCode == 0, $"'utendaji {string.Join(' ', command)}' exited {result.ExitCode}: {result.Error}");
        }

        Assert.True(File.Exists(_cli.PathOf("report.html")));
        Assert.True(File.Exists(_cli.PathOf("tickets.csv")));
    }

    /// <summary>The `utendaji` lines of the bash block under "## A first session", comments removed.</summary>
    private static List<string[]> ReadSession()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith("## A first session", StringComparison.Ordinal));
        var open = Array.FindIndex(readme, start, l => l.StartsWith("```bash", StringComparison.Ordinal));
        var close = Array.FindIndex(readme, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        return readme[(open + 1)..close]
            .Select(l => l.Split('#')[0].Trim())
            .Where(l => l.StartsWith("utendaji ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..])
            .ToList();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Utendaji.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
