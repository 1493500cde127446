namespace Utendaji.Cli.Tests;

/// <summary>--out replaces a regular file and nothing else: not the store, a folder, a link, or a missing folder.</summary>
public sealed class OutputTargetTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public OutputTargetTests()
    {
        _cli.Write("support-eu.json", TestFiles.SupportEu);
        _cli.Write("events.ndjson", TestFiles.Events);
    }

    public void Dispose() => _cli.Dispose();

    private async Task ImportAsync()
    {
        Assert.Equal(0, (await _cli.RunAsync("calendar", "import", "support-eu.json")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("import", "events.ndjson")).ExitCode);
    }

    [Theory]
    [InlineData("store.db")]
    [InlineData("store.db-wal")]
    [InlineData("store.db-journal")]
    public async Task Out_TheStoreOrItsCompanion_RefusedAndStoreStillReads(string name)
    {
        await ImportAsync();
        var before = await File.ReadAllBytesAsync(_cli.DatabasePath);
        var expected = (await _cli.RunAsync("tickets", "--format", "csv")).AllOut;

        var result = await _cli.RunAsync("tickets", "--team", "nope", "--db", "store.db", "--out", name);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--out: '{_cli.PathOf(name)}' is the store's database file", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_cli.DatabasePath));
        var again = await _cli.RunAsync("tickets", "--format", "csv");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(expected, again.AllOut);
        Assert.Contains("\n", expected, StringComparison.Ordinal); // the export has rows: the comparison means something
        Assert.False(File.Exists(_cli.PathOf(name + ".partial")));
    }

    [Fact]
    public async Task Out_ADirectory_RefusedBeforeAnyMessageAndDirectoryKept()
    {
        await ImportAsync();
        var folder = Directory.CreateDirectory(_cli.PathOf("reports")).FullName;
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "keep");

        foreach (var args in new[]
        {
            new[] { "tickets", "--out", "reports" },
            ["report", "--format", "html", "--out", "reports"],
            ["survey", "report", "--format", "html", "--out", "reports"],
        })
        {
            var result = await _cli.RunAsync(args);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"--out: '{folder}' is a directory", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("written to", result.Error, StringComparison.Ordinal);
            Assert.True(Directory.Exists(folder));
            Assert.Equal("keep", File.ReadAllText(Path.Combine(folder, "keep.txt")));
        }
    }

    [Fact]
    public async Task Out_ASymbolicLink_RefusedLinkAndTargetUnchanged()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links need privileges there
        }

        await ImportAsync();
        var target = _cli.Write("real.csv", "old content");
        var link = _cli.PathOf("link.csv");
        File.CreateSymbolicLink(link, target);

        var result = await _cli.RunAsync("tickets", "--out", "link.csv");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--out: '{link}' is a symbolic link; give the file itself", result.Error, StringComparison.Ordinal);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal("old content", File.ReadAllText(target));
        Assert.False(File.Exists(link + ".partial"));
    }

    [Fact]
    public async Task Out_ADevice_Refused()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the device check reads Linux's statx
        }

        var result = await _cli.RunAsync("tickets", "--out", "/dev/null");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out: '/dev/null' is not a regular file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_IntoAMissingFolder_RefusedAndNoFolderOrStoreCreated()
    {
        var result = await _cli.RunAsync("tickets", "--out", Path.Combine("missing", "tickets.csv"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--out: the folder '{_cli.PathOf("missing")}' does not exist", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cli.PathOf("missing")));
        Assert.False(File.Exists(_cli.DatabasePath)); // checked before the store was opened (and created)
    }

    [Fact]
    public async Task Out_AnExistingRegularFile_ReplacedWithTheExport()
    {
        await ImportAsync();
        var expected = (await _cli.RunAsync("tickets", "--format", "csv")).AllOut;
        _cli.Write("tickets.csv", "stale");

        var result = await _cli.RunAsync("tickets", "--format", "csv", "--out", "tickets.csv");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, File.ReadAllText(_cli.PathOf("tickets.csv")));
        Assert.False(File.Exists(_cli.PathOf("tickets.csv.partial")));
    }

    [Fact]
    public async Task Out_ReportToFile_MessageNamesTheWrittenFile()
    {
        await ImportAsync();

        var result = await _cli.RunAsync("report", "--format", "json", "--out", "r.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"report written to {_cli.PathOf("r.json")}", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_cli.PathOf("r.json")));
    }
}
