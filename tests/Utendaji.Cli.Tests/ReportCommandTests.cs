using System.Text.Json;

namespace Utendaji.Cli.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public ReportCommandTests()
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

    [Fact]
    public async Task Report_Json_CountsCreatedAndSolvedPerGroup()
    {
        await ImportAsync();

        var result = await _cli.RunAsync("report", "--by", "channel", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var text = result.AllOut;
        using var json = JsonDocument.Parse(text);
        Assert.Contains("\"email\"", text, StringComparison.Ordinal);
        Assert.Contains("\"chat\"", text, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
    }

    [Fact]
    public async Task Report_HtmlToFile_IsSelfContainedWithSvgCharts()
    {
        await ImportAsync();

        var result = await _cli.RunAsync("report", "--by", "team", "--period", "week", "--format", "html", "--out", "report.html");

        Assert.Equal(0, result.ExitCode);
        var html = File.ReadAllText(_cli.PathOf("report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("report.html.partial")));
    }

    /// <summary>
    /// Events near both ends of the accepted range (1900 and 2199; 109,571 days apart inclusive, by Python's datetime):
    /// a daily report is refused with what to change, and a range still reports. Before the bound, events in years 1
    /// and 9999 (then accepted) made this report take 13 GB of memory and write 2 GB of JSON.
    /// </summary>
    [Fact]
    public async Task Report_DataSpanningMillenniaByDay_RefusedWithWhatToChange()
    {
        _cli.Write("absurd.ndjson", """
            {"id":"a1","ticket_id":"A-1","at":"1900-01-02T08:00:00Z","type":"created","actor":{"kind":"customer","id":"c"},"team":"a"}
            {"id":"a2","ticket_id":"A-1","at":"2199-12-30T08:00:00Z","type":"status_changed","actor":{"kind":"agent","id":"x"},"status":"solved"}
            """);
        await ImportAsync();
        Assert.Equal(0, (await _cli.RunAsync("import", "absurd.ndjson")).ExitCode);

        var refused = await _cli.RunAsync("report", "--period", "day", "--format", "json", "--out", "report.json");
        var ranged = await _cli.RunAsync("report", "--period", "day", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("109,571 periods (by day, 1900-01-02 to 2199-12-30", refused.Error, StringComparison.Ordinal);
        Assert.Contains("at most 10,000", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("report.json")));
        Assert.Equal(0, ranged.ExitCode);
        Assert.Equal(30, JsonDocument.Parse(ranged.AllOut).RootElement.GetProperty("periods").GetArrayLength());
    }

    /// <summary>
    /// Bounds outside 1900–2200: one past NodaTime's instants once its offset is applied, and weeks from 9999-12-30, were
    /// unhandled exceptions (exit 134).
    /// </summary>
    [Theory]
    [InlineData("--to", "9999-12-31T23:59:59-14:00")]
    [InlineData("--from", "9999-12-30")]
    [InlineData("--from", "1899-12-31T23:59:59Z")]
    public async Task Report_BoundOutsideTheSupportedRange_IsAUsageError(string option, string value)
    {
        var result = await _cli.RunAsync("report", "--period", "week", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{value}' is outside the supported range, 1900-01-01T00:00:00Z to 2200-01-01T00:00:00Z", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_UnknownDimension_IsAUsageError()
    {
        var result = await _cli.RunAsync("report", "--by", "team,colour");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("colour", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Ticket_NamesTheEventsAndTheCalendar()
    {
        await ImportAsync();

        var text = await _cli.RunAsync("explain", "T-1");
        var json = await _cli.RunAsync("explain", "T-1", "--format", "json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("e2", text.Out, StringComparison.Ordinal);
        Assert.Contains("support-eu", text.Out, StringComparison.Ordinal);
        Assert.Equal("T-1", JsonDocument.Parse(json.Out).RootElement.GetProperty("ticket_id").GetString());
    }

    [Fact]
    public async Task Explain_UnknownTicket_IsADataError()
    {
        var result = await _cli.RunAsync("explain", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no ticket 'nope'", result.Error, StringComparison.Ordinal);
    }
}
