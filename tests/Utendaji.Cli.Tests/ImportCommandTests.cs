using System.Text.Json;

namespace Utendaji.Cli.Tests;

public sealed class ImportCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<JsonElement> InfoAsync() =>
        JsonDocument.Parse((await _cli.RunAsync("info", "--format", "json")).Out).RootElement;

    [Fact]
    public async Task Import_GoodEvents_StoresEventsAndDerivesFacts()
    {
        _cli.Write("events.ndjson", TestFiles.Events);

        var result = await _cli.RunAsync("import", "events.ndjson");

        Assert.Equal(0, result.ExitCode);
        var info = await InfoAsync();
        Assert.Equal(6, info.GetProperty("events").GetInt64());
        Assert.Equal(2, info.GetProperty("facts").GetInt64());
    }

    [Fact]
    public async Task Import_SameFileTwice_ChangesNothing()
    {
        _cli.Write("events.ndjson", TestFiles.Events);
        await _cli.RunAsync("import", "events.ndjson");
        var before = (await _cli.RunAsync("tickets", "--format", "json")).AllOut;

        var again = await _cli.RunAsync("import", "events.ndjson", "--format", "json");

        var outcome = JsonDocument.Parse(again.Out).RootElement[0];
        Assert.Equal(0, outcome.GetProperty("added").GetInt64());
        Assert.Equal(6, outcome.GetProperty("unchanged").GetInt64());
        Assert.Equal(0, outcome.GetProperty("tickets_derived").GetInt64());
        Assert.Equal(before, (await _cli.RunAsync("tickets", "--format", "json")).AllOut);
        Assert.Equal(6, (await InfoAsync()).GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task Import_FileWithABadRow_ImportsNothingAndNamesFileLineAndField()
    {
        var lines = TestFiles.Events.Split('\n');
        lines[1] = lines[1].Replace("2026-03-02T10:00:00+02:00", "2026-13-02T10:00:00+02:00", StringComparison.Ordinal);
        _cli.Write("bad.ndjson", string.Join('\n', lines));

        var result = await _cli.RunAsync("import", "bad.ndjson");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.ndjson:2: at: '2026-13-02T10:00:00+02:00'", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await InfoAsync()).GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task Import_SkipBadRows_ImportsTheRestAndWritesRejectsWithReasons()
    {
        var lines = TestFiles.Events.Split('\n');
        lines[1] = lines[1].Replace("\"agent_reply\"", "\"agent_replied\"", StringComparison.Ordinal);
        _cli.Write("bad.ndjson", string.Join('\n', lines));

        var result = await _cli.RunAsync("import", "bad.ndjson", "--skip-bad-rows");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(5, (await InfoAsync()).GetProperty("events").GetInt64());
        Assert.Equal(lines[1] + "\n", File.ReadAllText(_cli.PathOf("bad.rejects.ndjson")));
        var reasons = File.ReadAllText(_cli.PathOf("bad.rejects.ndjson.reasons.txt"));
        Assert.StartsWith("bad.ndjson:2: type: 'agent_replied'", reasons, StringComparison.Ordinal);
    }

    /// <summary>A lone surrogate escape (valid JSON, no text) crashed the import (exit 134); it is a bad row like any other.</summary>
    [Fact]
    public async Task Import_LoneSurrogateEscape_IsABadRowNamingTheField_SkippedWithSkipBadRows()
    {
        var lines = TestFiles.Events.Split('\n');
        Assert.Contains("\"id\":\"عائشہ\"", lines[1], StringComparison.Ordinal);
        lines[1] = lines[1].Replace("\"id\":\"عائشہ\"", "\"id\":\"\\ud800\"", StringComparison.Ordinal);
        _cli.Write("bad.ndjson", string.Join('\n', lines));

        var strict = await _cli.RunAsync("import", "bad.ndjson");
        var eventsAfterStrict = (await InfoAsync()).GetProperty("events").GetInt64();
        var skipping = await _cli.RunAsync("import", "bad.ndjson", "--skip-bad-rows");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains(@"bad.ndjson:2: actor.id: is not valid text (a lone UTF-16 surrogate escape such as \ud800)", strict.Error, StringComparison.Ordinal);
        Assert.Equal(0, eventsAfterStrict);
        Assert.Equal(0, skipping.ExitCode);
        Assert.Equal(5, (await InfoAsync()).GetProperty("events").GetInt64());
        Assert.Equal(lines[1] + "\n", File.ReadAllText(_cli.PathOf("bad.rejects.ndjson")));
    }

    [Fact]
    public async Task SlaImport_LoneSurrogateEscape_IsADataErrorNamingTheField()
    {
        _cli.Write("sla.json", """{"name":"\ud800","targets":[{"priority":"high","first_reply":"PT1H"}]}""");

        var result = await _cli.RunAsync("sla", "import", "sla.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(@"$.name: is not valid text (a lone UTF-16 surrogate escape such as \ud800)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ReusedEventIdWithOtherContent_IsAConflictAndRollsBack()
    {
        _cli.Write("events.ndjson", TestFiles.Events);
        await _cli.RunAsync("import", "events.ndjson");
        _cli.Write("more.ndjson", """
            {"id":"e7","ticket_id":"T-2","at":"2026-03-02T13:00:00+02:00","type":"customer_reply","actor":{"kind":"customer","id":"c-2"}}
            {"id":"e2","ticket_id":"T-1","at":"2026-03-02T10:05:00+02:00","type":"agent_reply","actor":{"kind":"agent","id":"عائشہ"},"public":true}
            """);

        var result = await _cli.RunAsync("import", "more.ndjson");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("more.ndjson:2: id: 'e2'", result.Error, StringComparison.Ordinal);
        Assert.Equal(6, (await InfoAsync()).GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task Import_ThenExport_KeepsUrduNamesAndMeasuresInBusinessHours()
    {
        _cli.Write("support-eu.json", TestFiles.SupportEu);
        _cli.Write("events.ndjson", TestFiles.Events);
        await _cli.RunAsync("calendar", "import", "support-eu.json");
        await _cli.RunAsync("import", "events.ndjson");

        var export = await _cli.RunAsync("tickets", "--format", "json");

        var tickets = JsonDocument.Parse(export.AllOut).RootElement.EnumerateArray().ToDictionary(t => t.GetProperty("ticket_id").GetString()!);
        var t1 = tickets["T-1"];
        Assert.Equal("عائشہ", t1.GetProperty("agent").GetString());
        Assert.Equal("gu", t1.GetProperty("language").GetString());
        Assert.Equal("support-eu", t1.GetProperty("calendar").GetString());
        // Created 08:00, replied 10:00: 2 h of calendar time, 1 h inside 09:00–12:00.
        Assert.Equal(7200, t1.GetProperty("first_reply").GetProperty("calendar_seconds").GetDouble());
        Assert.Equal(3600, t1.GetProperty("first_reply").GetProperty("business_seconds").GetDouble());
    }

    [Fact]
    public async Task Import_CalendarImportedLater_RederivesStoredFacts()
    {
        _cli.Write("support-eu.json", TestFiles.SupportEu);
        _cli.Write("events.ndjson", TestFiles.Events);
        await _cli.RunAsync("import", "events.ndjson");
        var before = await _cli.RunAsync("tickets", "--format", "csv");

        await _cli.RunAsync("calendar", "import", "support-eu.json");
        var after = await _cli.RunAsync("tickets", "--format", "csv");

        Assert.Contains(",24x7,", before.AllOut, StringComparison.Ordinal);
        Assert.Contains(",support-eu,", after.AllOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SummaryCsvWithBadDate_NamesFileLineFieldAndValue()
    {
        _cli.Write("tickets.csv", """
            id,created_at,first_reply_at,solved_at,reopens,agent_replies,priority,channel,team,agent,customer,language,satisfaction
            S-1,2026-03-02T08:00:00+02:00,2026-03-02T10:00:00+02:00,2026-03-02T11:00:00+02:00,0,1,normal,email,ટીમ,ભાવના,c-1,gu,5
            S-2,2026-03-02T08:00:00+02:00,,2026-13-01,0,1,normal,email,ٹیم,عائشہ,c-2,ur,
            """);

        var failed = await _cli.RunAsync("import", "tickets.csv");
        var skipped = await _cli.RunAsync("import", "tickets.csv", "--skip-bad-rows");
        var export = await _cli.RunAsync("tickets", "--format", "csv");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("tickets.csv:3: solved_at: '2026-13-01'", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, skipped.ExitCode);
        Assert.Contains("S-1,summary,", export.AllOut, StringComparison.Ordinal);
        Assert.Contains(",ટીમ,", export.AllOut, StringComparison.Ordinal);
        Assert.DoesNotContain("S-2", export.AllOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingFile_IsADataErrorNamingIt()
    {
        var result = await _cli.RunAsync("import", "nowhere.ndjson");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nowhere.ndjson: no such file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError()
    {
        var result = await _cli.RunAsync("report", "--no-such-option");

        Assert.Equal(2, result.ExitCode);
    }
}
