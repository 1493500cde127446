using System.Text.Json;

namespace Utendaji.Cli.Tests;

public sealed class CalendarCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public CalendarCommandTests() => _cli.Write("support-eu.json", TestFiles.SupportEu);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Elapsed_SplitShiftWithoutOffset_ReadsWallClockAndCountsOpenHours()
    {
        // Mon 08:00 → 14:00 Helsinki: 09:00–12:00 (3 h) + 13:00–14:00 (1 h) = 4 h = 14400 s.
        var result = await _cli.RunAsync("calendar", "elapsed", "--calendar", "support-eu.json", "--from", "2026-03-02T08:00", "--to", "2026-03-02T14:00", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(14400, JsonDocument.Parse(result.Out).RootElement.GetProperty("business_seconds").GetInt64());
    }

    [Fact]
    public async Task Elapsed_ToBeforeFrom_IsNegative()
    {
        var result = await _cli.RunAsync("calendar", "elapsed", "--calendar", "support-eu.json", "--from", "2026-03-02T14:00", "--to", "2026-03-02T08:00", "--json");

        Assert.Equal(-14400, JsonDocument.Parse(result.Out).RootElement.GetProperty("business_seconds").GetInt64());
    }

    [Fact]
    public async Task Elapsed_OverAHoliday_SkipsIt()
    {
        // Tue 17:00 → Thu 10:00 with Wednesday a holiday: 30 min on Tuesday + 1 h on Thursday = 5400 s.
        var result = await _cli.RunAsync("calendar", "elapsed", "--calendar", "support-eu.json", "--from", "2026-03-03T17:00:00+02:00", "--to", "2026-03-05T10:00:00+02:00", "--json");

        Assert.Equal(5400, JsonDocument.Parse(result.Out).RootElement.GetProperty("business_seconds").GetInt64());
    }

    /// <summary>
    /// Calendars compute within years 1 to 9998; beyond, and business time a calendar never reaches, were unhandled
    /// exceptions with a stack trace. They are now messages.
    /// </summary>
    [Fact]
    public async Task ElapsedAndAdd_BeyondWhatCalendarsCompute_MessageNotACrash()
    {
        var elapsed = await _cli.RunAsync("calendar", "elapsed", "--calendar", "support-eu.json", "--from", "2026-03-02T08:00Z", "--to", "9999-12-30T08:00Z");
        var added = await _cli.RunAsync("calendar", "add", "--calendar", "support-eu.json", "--from", "9998-07-01T08:00Z", "--duration", "P30D");

        Assert.Equal(2, elapsed.ExitCode);
        Assert.Equal("utendaji: business calendars support instants from 0001-06-12T20:10:39Z to 9998-07-09T18:55:37Z", elapsed.Error.Trim());
        Assert.Equal(1, added.ExitCode);
        Assert.StartsWith("utendaji: calendar 'support-eu' does not open for 30:00:00:00 of business time after 9998-07-01T08:00:00Z", added.Error, StringComparison.Ordinal);
    }

    /// <summary>A duration beyond NodaTime's 292-year arithmetic was an OverflowException with a stack trace.</summary>
    [Fact]
    public async Task Add_DurationTooLongToCompute_UsageError()
    {
        var result = await _cli.RunAsync("calendar", "add", "--calendar", "support-eu.json", "--from", "2026-03-02T08:00Z", "--duration", "P99999999D");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("utendaji: --duration: 'P99999999D' is too long (more than about 292 years)", result.Error.Trim());
    }

    [Fact]
    public async Task Add_AcrossAWeekend_ContinuesOnMonday()
    {
        // Fri 16:30 + 2 h: 1 h until 17:30, then Monday 09:00 + 1 h.
        var result = await _cli.RunAsync("calendar", "add", "--calendar", "support-eu.json", "--from", "2026-03-06T16:30:00+02:00", "--duration", "PT2H", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2026-03-09T10:00:00+02:00", JsonDocument.Parse(result.Out).RootElement.GetProperty("due").GetString());
    }

    [Fact]
    public async Task Add_UsedUpAtClosing_GivesTheClosingInstant()
    {
        var result = await _cli.RunAsync("calendar", "add", "--calendar", "support-eu.json", "--from", "2026-03-02T11:00", "--duration", "PT1H", "--json");

        Assert.Equal("2026-03-02T12:00:00+02:00", JsonDocument.Parse(result.Out).RootElement.GetProperty("due").GetString());
    }

    [Fact]
    public async Task Add_NegativeDuration_GoesBackwards()
    {
        // Mon 10:00 − 2 h: 1 h back to 09:00 Monday, then Friday 17:30 − 1 h = 16:30.
        var result = await _cli.RunAsync("calendar", "add", "--calendar", "support-eu.json", "--from", "2026-03-09T10:00", "--duration", "-PT2H", "--json");

        Assert.Equal("2026-03-06T16:30:00+02:00", JsonDocument.Parse(result.Out).RootElement.GetProperty("due").GetString());
    }

    [Theory]
    [InlineData("2026-03-07T10:00", "2026-03-09T09:00:00+02:00")] // Saturday → Monday opening
    [InlineData("2026-03-02T09:30", "2026-03-02T09:30:00+02:00")] // open: the instant itself
    [InlineData("2026-03-02T12:00", "2026-03-02T13:00:00+02:00")] // lunch break: the end is exclusive
    public async Task NextOpen_GivesInstantOrNextOpening(string at, string expected)
    {
        var result = await _cli.RunAsync("calendar", "next-open", "--calendar", "support-eu.json", "--at", at);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, result.Out.Trim());
    }

    [Fact]
    public async Task Elapsed_BadInstant_IsAUsageErrorNamingTheOption()
    {
        var result = await _cli.RunAsync("calendar", "elapsed", "--calendar", "support-eu.json", "--from", "2026-13-01T08:00", "--to", "2026-03-02T14:00");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--from", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Elapsed_InvalidCalendarFile_NamesFileAndField()
    {
        _cli.Write("bad.json", TestFiles.SupportEu.Replace("\"09:00\",\"12:00\"],[\"13:00\"", "\"25:00\",\"12:00\"],[\"13:00\"", StringComparison.Ordinal));

        var result = await _cli.RunAsync("calendar", "elapsed", "--calendar", "bad.json", "--from", "2026-03-02T08:00", "--to", "2026-03-02T14:00");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.json", result.Error, StringComparison.Ordinal);
        Assert.Contains("25:00", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_LoneSurrogateEscapeInTheName_IsADataErrorNamingTheField()
    {
        _cli.Write("bad.json", TestFiles.SupportEu.Replace("\"support-eu\"", "\"\\ud800\"", StringComparison.Ordinal));

        var result = await _cli.RunAsync("calendar", "import", "bad.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(@"bad.json: name: is not valid text (a lone UTF-16 surrogate escape such as \ud800)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("support-eu", (await _cli.RunAsync("calendar", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ThenUseByName_StoresTheCalendar()
    {
        Assert.Equal(0, (await _cli.RunAsync("calendar", "import", "support-eu.json")).ExitCode);

        var list = await _cli.RunAsync("calendar", "list");
        var elapsed = await _cli.RunAsync("calendar", "elapsed", "--calendar", "support-eu", "--from", "2026-03-02T08:00", "--to", "2026-03-02T14:00", "--json");

        Assert.Contains("support-eu", list.Out, StringComparison.Ordinal);
        Assert.Equal(14400, JsonDocument.Parse(elapsed.Out).RootElement.GetProperty("business_seconds").GetInt64());
    }

    /// <summary>
    /// A calendar opening only on a special-hours date in 9999 was printed "stored" and then crashed (exit 134) the
    /// import and every later command; an .ics event of P9999999W crashed elapsed. Both are now refused with the
    /// line and the range, and nothing is stored.
    /// </summary>
    [Fact]
    public async Task Import_DatesBeyondTheSupportedRange_RefusedNothingStored()
    {
        _cli.Write("z5.json", """{"name":"z5","time_zone":"UTC","week":{},"special_hours":{"9999-12-31":[["09:00","17:00"]]}}""");
        _cli.Write("long.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nDURATION:P9999999W\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        _cli.Write("h.json", """{"name":"h","time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"holiday_calendars":["long.ics"]}""");

        var special = await _cli.RunAsync("calendar", "import", "z5.json", "--default");
        var ics = await _cli.RunAsync("calendar", "import", "h.json");
        var elapsed = await _cli.RunAsync("calendar", "elapsed", "--calendar", "h.json", "--from", "2026-03-02T08:00Z", "--to", "2026-03-02T14:00Z");
        var list = await _cli.RunAsync("calendar", "list");
        var info = await _cli.RunAsync("info");

        Assert.Equal(1, special.ExitCode);
        Assert.Equal("", special.Out);
        Assert.Equal("utendaji: z5.json: special_hours.9999-12-31: '9999-12-31' is outside the supported range, 1900-01-01 to 2199-12-31 (the dates of instants from 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z)", special.Error.Trim());
        Assert.Equal(1, ics.ExitCode);
        Assert.Equal("utendaji: long.ics:4: DURATION: 'P9999999W' makes event longer than 366 days; a holiday event closes at most that many", ics.Error.Trim());
        Assert.Equal(1, elapsed.ExitCode);
        Assert.Equal(ics.Error, elapsed.Error);
        Assert.Equal(0, list.ExitCode);
        Assert.StartsWith("no calendars stored", list.Out, StringComparison.Ordinal);
        Assert.Contains("default calendar: 24x7", info.Out, StringComparison.Ordinal); // --default was not applied either
    }
}
