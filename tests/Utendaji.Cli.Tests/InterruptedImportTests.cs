using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Utendaji.Cli.Tests;

/// <summary>
/// An import killed at any point leaves the store exactly as before it: the real CLI runs in its own process and
/// is killed with SIGKILL while it writes.
/// </summary>
public sealed class InterruptedImportTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <param name="walBytes">Kill once the write-ahead log holds this many bytes (0: as soon as the process runs).</param>
    [Theory]
    [InlineData(0)]
    [InlineData(2_000_000)]
    [InlineData(20_000_000)]
    public async Task Import_KilledMidway_LeavesTheStoreAsBefore(long walBytes)
    {
        // Given a store with some data and a large file to import
        _cli.Write("events.ndjson", TestFiles.Events);
        Assert.Equal(0, (await _cli.RunAsync("import", "events.ndjson")).ExitCode);
        var before = (await _cli.RunAsync("tickets", "--format", "json")).AllOut;
        WriteLargeEventFile(_cli.PathOf("large.ndjson"), tickets: 120_000);

        // When the import process is killed while it runs
        using var process = StartCli("import", _cli.PathOf("large.ndjson"), "--db", _cli.DatabasePath);
        await WaitForWalAsync(process, _cli.DatabasePath + "-wal", walBytes);
        Assert.False(process.HasExited, "the import finished before it could be killed; make the file larger");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        // Then the store holds exactly what it held before
        var info = JsonDocument.Parse((await _cli.RunAsync("info", "--format", "json")).Out).RootElement;
        Assert.Equal(6, info.GetProperty("events").GetInt64());
        Assert.Equal(2, info.GetProperty("facts").GetInt64());
        Assert.Equal(before, (await _cli.RunAsync("tickets", "--format", "json")).AllOut);

        // And the same import, run again to the end, succeeds
        var rerun = await _cli.RunAsync("import", "large.ndjson", "--format", "json");
        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(120_002, JsonDocument.Parse((await _cli.RunAsync("info", "--format", "json")).Out).RootElement.GetProperty("facts").GetInt64());
    }

    /// <summary>Waits until the import has written <paramref name="bytes"/> to the WAL (it is mid-transaction then).</summary>
    private static async Task WaitForWalAsync(Process process, string walPath, long bytes)
    {
        var waited = Stopwatch.StartNew();
        while (bytes > 0 && !process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (File.Exists(walPath) && new FileInfo(walPath).Length >= bytes)
            {
                return;
            }

            await Task.Delay(20);
        }
    }

    private static Process StartCli(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "utendaji.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
    }

    private static void WriteLargeEventFile(string path, int tickets)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var start = new DateTimeOffset(2026, 1, 5, 6, 0, 0, TimeSpan.FromHours(3));
        for (var i = 0; i < tickets; i++)
        {
            var created = start.AddMinutes(i * 3);
            string At(int minutes) => created.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            writer.Write(string.Create(CultureInfo.InvariantCulture, $$$"""
                {"id":"L{{{i}}}-1","ticket_id":"L{{{i}}}","at":"{{{At(0)}}}","type":"created","actor":{"kind":"customer","id":"c{{{i % 97}}}"},"channel":"email","team":"t{{{i % 3}}}","priority":"normal"}
                {"id":"L{{{i}}}-2","ticket_id":"L{{{i}}}","at":"{{{At(45)}}}","type":"agent_reply","actor":{"kind":"agent","id":"a{{{i % 25}}}"},"public":true}
                {"id":"L{{{i}}}-3","ticket_id":"L{{{i}}}","at":"{{{At(50)}}}","type":"customer_reply","actor":{"kind":"customer","id":"c{{{i % 97}}}"}}
                {"id":"L{{{i}}}-4","ticket_id":"L{{{i}}}","at":"{{{At(130)}}}","type":"agent_reply","actor":{"kind":"agent","id":"a{{{i % 25}}}"},"public":true}
                {"id":"L{{{i}}}-5","ticket_id":"L{{{i}}}","at":"{{{At(140)}}}","type":"status_changed","actor":{"kind":"agent","id":"a{{{i % 25}}}"},"status":"solved"}

                """));
        }
    }
}
