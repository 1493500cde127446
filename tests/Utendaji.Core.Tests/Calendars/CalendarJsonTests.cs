using NodaTime;
using Utendaji.Core.Calendars;

namespace Utendaji.Core.Tests.Calendars;

public sealed class CalendarJsonTests
{
    private const string SupportEu = """
        {
          "name": "support-eu",
          "time_zone": "Europe/Helsinki",
          "week": {
            "mon": [["09:00", "12:00"], ["13:00", "17:30"]],
            "tue": [["09:00", "17:00"]],
            "wed": [["09:00", "17:00"]],
            "thu": [["09:00", "17:00"]],
            "fri": [["22:00", "06:00"]],
            "sat": [["18:00", "24:00"]],
            "sun": []
          },
          "holidays": ["2026-12-24", "*-12-25"],
          "special_hours": {"2026-12-31": [["09:00", "12:00"]], "2026-12-30": []},
          "breaks": {"2026-06-19": [["12:00", "14:00"]]},
          "holiday_calendars": ["fi-holidays.ics"],
          "teams": ["Tuki Suomi", "ગ્રાહક સેવા"]
        }
        """;

    private const string FinnishHolidays = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//test//EN
        BEGIN:VEVENT
        DTSTART;VALUE=DATE:20260101
        RRULE:FREQ=YEARLY
        SUMMARY:Uudenvuodenpäivä
        END:VEVENT
        BEGIN:VEVENT
        DTSTART;VALUE=DATE:20261206
        DTEND;VALUE=DATE:20261207
        SUMMARY:Itsenäisyyspäivä
        END:VEVENT
        END:VCALENDAR
        """;

    [Theory]
    [InlineData("\"support-eu\"", "\"\\ud800\"", "name")]
    [InlineData("\"Tuki Suomi\"", "\"Tuki \\udfff\"", "teams[0]")]
    [InlineData("\"12:00\"]], \"2026-12-30\"", "\"12:00\\ud83d\"]], \"2026-12-30\"", "special_hours.2026-12-31[0][1]")]
    [InlineData("\"breaks\"", "\"br\\udc00eaks\"", "")]
    public void Parse_LoneSurrogateEscape_IsAnErrorNamingThePath(string text, string replacement, string path)
    {
        // Valid JSON, but no text: System.Text.Json would throw when the string is read.
        string json = SupportEu.Replace(text, replacement, StringComparison.Ordinal);
        Assert.NotEqual(SupportEu, json);

        CalendarParseResult result = CalendarJson.Parse(json, "support-eu.json", Files(("fi-holidays.ics", FinnishHolidays)));

        Assert.Null(result.Definition);
        Assert.Equal([$"support-eu.json: {(path.Length == 0 ? "$" : path)}: is not valid text (a lone UTF-16 surrogate escape such as \\ud800)"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_SurrogatePairEscape_IsTheCharacter()
    {
        string json = SupportEu.Replace("\"support-eu\"", "\"support \\ud83d\\ude00\"", StringComparison.Ordinal);

        CalendarParseResult result = CalendarJson.Parse(json, "support-eu.json", Files(("fi-holidays.ics", FinnishHolidays)));

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("support \U0001F600", result.Definition!.Name);
    }

    [Fact]
    public void Parse_FullExample_BuildsTheDefinition()
    {
        CalendarParseResult result = CalendarJson.Parse(SupportEu, "support-eu.json", Files(("fi-holidays.ics", FinnishHolidays)));

        Assert.True(result.Success, string.Join("\n", result.Errors));
        CalendarDefinition d = result.Definition!;
        Assert.Equal("support-eu", d.Name);
        Assert.Equal("Europe/Helsinki", d.Zone.Id);
        Assert.Equal([new OpenHours(new LocalTime(9, 0), new LocalTime(12, 0)), new OpenHours(new LocalTime(13, 0), new LocalTime(17, 30))], d.Week[IsoDayOfWeek.Monday]);
        Assert.Equal([new OpenHours(new LocalTime(18, 0), LocalTime.Midnight, true)], d.Week[IsoDayOfWeek.Saturday]);
        Assert.Empty(d.Week[IsoDayOfWeek.Sunday]);
        Assert.Contains(new LocalDate(2026, 12, 24), d.Holidays);
        Assert.Contains(new LocalDate(2026, 12, 6), d.Holidays); // from the .ics
        Assert.Equal([new AnnualDate(12, 25)], d.YearlyHolidays);
        Assert.Single(d.RecurringHolidays);
        Assert.Empty(d.SpecialHours[new LocalDate(2026, 12, 30)]);
        Assert.Equal(["Tuki Suomi", "ગ્રાહક સેવા"], d.Teams);

        BusinessCalendar calendar = BusinessCalendar.FromDefinition(d);
        Assert.False(calendar.IsOpen(Instant.FromUtc(2030, 1, 1, 10, 0))); // New Year from the .ics, a Tuesday
        Assert.True(calendar.IsOpen(Instant.FromUtc(2030, 1, 8, 10, 0)));
    }

    [Fact]
    public void Parse_BadTime_NamesSourcePathAndValue()
    {
        string json = """{"name": "x", "time_zone": "Europe/Helsinki", "week": {"mon": [["09:00","12:00"], ["25:00","17:00"]]}}""";

        CalendarParseResult result = CalendarJson.Parse(json, "support-eu.json");

        Assert.False(result.Success);
        Assert.Equal(["support-eu.json: week.mon[1][0]: '25:00' is not a time (HH:MM)"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOne()
    {
        string json = """
            {"name": "", "time_zone": "Europe/Helsingfors", "colour": "blue",
             "week": {"mon": [["9:00","12:00"]], "funday": [], "tue": [["24:00","12:00"], ["08:00"]]},
             "holidays": ["2026-13-01", "*-02-30", 5],
             "special_hours": {"31.12.2026": []},
             "breaks": {"2026-06-19": [["12:00","14:60"]]},
             "holiday_calendars": ["missing.ics"]}
            """;

        string[] errors = [.. CalendarJson.Parse(json, "bad.json").Errors.Select(e => e.ToString())];

        Assert.Equal(
            [
                "bad.json: name: must not be empty",
                "bad.json: time_zone: 'Europe/Helsingfors' is not an IANA time zone (e.g. Europe/Helsinki)",
                "bad.json: colour: unknown key 'colour' (expected one of name, time_zone, week, holidays, special_hours, breaks, holiday_calendars, teams, recurring_holidays)",
                "bad.json: week.mon[0][0]: '9:00' is not a time (HH:MM)",
                "bad.json: week.funday: unknown key 'funday' (expected one of mon, tue, wed, thu, fri, sat, sun)",
                "bad.json: week.tue[0][0]: '24:00' is only allowed as a closing time",
                "bad.json: week.tue[1]: an interval is [\"HH:MM\", \"HH:MM\"], not a list",
                "bad.json: holidays[0]: '2026-13-01' is not a date (YYYY-MM-DD) or a yearly date (*-MM-DD)",
                "bad.json: holidays[1]: '*-02-30' is not a yearly date (*-MM-DD)",
                "bad.json: holidays[2]: expected a string, not the number 5",
                "bad.json: special_hours.31.12.2026: '31.12.2026' is not a date (YYYY-MM-DD)",
                "bad.json: breaks.2026-06-19[0][1]: '14:60' is not a time (HH:MM)",
                "bad.json: holiday_calendars[0]: 'missing.ics' not found",
            ],
            errors);
    }

    [Fact]
    public void Parse_MissingRequiredKeys_Reported()
    {
        string[] errors = [.. CalendarJson.Parse("{}", "empty.json").Errors.Select(e => e.ToString())];

        Assert.Equal(["empty.json: name: is required", "empty.json: time_zone: is required (an IANA zone such as Europe/Helsinki)"], errors);
    }

    [Fact]
    public void Parse_InvalidJson_ReportsLine()
    {
        CalendarParseResult result = CalendarJson.Parse("{\n  \"name\": \"x\",\n  \"time_zone\": ,\n}", "broken.json");

        CalendarError error = Assert.Single(result.Errors);
        Assert.Equal("broken.json", error.Source);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("broken.json:3: invalid JSON: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NeverOpen_IsAnError()
    {
        CalendarParseResult result = CalendarJson.Parse("""{"name": "x", "time_zone": "UTC", "week": {"mon": []}}""", "closed.json");

        Assert.Equal(["closed.json: week: the calendar is never open: no day of the week and no special_hours date has hours"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_IcsErrors_CarryTheIcsFileAndLine()
    {
        const string ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=MONTHLY\nEND:VEVENT\nEND:VCALENDAR\n";
        string json = """{"name": "x", "time_zone": "UTC", "week": {"mon": [["09:00","17:00"]]}, "holiday_calendars": ["h.ics"]}""";

        CalendarParseResult result = CalendarJson.Parse(json, "x.json", Files(("h.ics", ics)));

        Assert.Equal(["h.ics:4: RRULE: FREQ=MONTHLY is not supported (only YEARLY)"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Serialize_ThenParse_RoundTripsWithoutTheIcsFiles()
    {
        CalendarDefinition original = CalendarJson.Parse(SupportEu, "support-eu.json", Files(("fi-holidays.ics", FinnishHolidays))).Definition!;

        string json = CalendarJson.Serialize(original);
        CalendarParseResult again = CalendarJson.Parse(json, "stored.json");

        Assert.True(again.Success, string.Join("\n", again.Errors) + "\n" + json);
        CalendarDefinition copy = again.Definition!;
        Assert.Equal(json, CalendarJson.Serialize(copy));
        Assert.Contains("ગ્રાહક સેવા", json, StringComparison.Ordinal);
        Assert.Contains("\"24:00\"", json, StringComparison.Ordinal);
        BusinessCalendar a = BusinessCalendar.FromDefinition(original);
        BusinessCalendar b = BusinessCalendar.FromDefinition(copy);
        Instant from = Instant.FromUtc(2026, 1, 1, 0, 0);
        Instant to = Instant.FromUtc(2031, 1, 1, 0, 0);
        Assert.Equal(a.Elapsed(from, to), b.Elapsed(from, to));
        Assert.Equal(a.OpenIntervals(from, to), b.OpenIntervals(from, to));
    }

    [Fact]
    public void Parse_RecurringHolidaysKey_ReadsRules()
    {
        string json = """
            {"name": "x", "time_zone": "UTC", "week": {"mon": [["09:00","17:00"]]},
             "recurring_holidays": [{"start": "2026-11-26", "by_month": [11], "by_day": ["4TH"], "count": 3, "summary": "Thanksgiving"}]}
            """;

        CalendarDefinition d = CalendarJson.Parse(json, "x.json").Definition!;

        RecurringHoliday rule = Assert.Single(d.RecurringHolidays);
        Assert.Equal(
            [new LocalDate(2026, 11, 26), new LocalDate(2027, 11, 25), new LocalDate(2028, 11, 23)],
            rule.DatesBetween(new LocalDate(2020, 1, 1), new LocalDate(2040, 1, 1)));
    }

    private static Func<string, string?> Files(params (string Name, string Text)[] files) =>
        name => files.FirstOrDefault(f => f.Name == name).Text;
}

public sealed class CalendarDocsTests
{
    [Fact]
    public void DocsExample_ParsesAndBehavesAsDescribed()
    {
        string docs = File.ReadAllText(FindRepoFile("docs/formats.md"));
        int section = docs.IndexOf("## Business calendars", StringComparison.Ordinal);
        int start = docs.IndexOf("```json\n", section, StringComparison.Ordinal) + "```json\n".Length;
        string json = docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)];
        const string ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY\nEND:VEVENT\nEND:VCALENDAR\n";

        CalendarParseResult result = CalendarJson.Parse(json, "support-eu.json", name => name == "fi-holidays.ics" ? ics : null);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        BusinessCalendar calendar = BusinessCalendar.FromDefinition(result.Definition!);
        // Saturday 18:00-24:00 runs on; Friday 22:00-06:00 runs overnight (2026-06-19 is a Friday, with a break).
        Assert.True(calendar.IsOpen(NodaTime.Instant.FromUtc(2026, 6, 20, 2, 0))); // Sat 05:00 local
        Assert.False(calendar.IsOpen(NodaTime.Instant.FromUtc(2026, 6, 19, 9, 30))); // Fri 12:30 local, break
    }

    internal static string FindRepoFile(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
