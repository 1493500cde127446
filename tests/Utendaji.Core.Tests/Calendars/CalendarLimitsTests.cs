using NodaTime;
using Utendaji.Core.Calendars;

namespace Utendaji.Core.Tests.Calendars;

/// <summary>
/// Dates outside 1900–2199 and holiday files that expand to huge or costly calendars are errors, not exceptions: a
/// calendar with special hours on 9999-12-31 overflowed the business calendar's constructor, an .ics event of
/// P99999999D overflowed the parser, and DTEND 99991231 made 2.9 million holiday dates.
/// </summary>
public sealed class CalendarLimitsTests
{
    private static string Ics(params string[] lines) =>
        string.Join("\r\n", ["BEGIN:VCALENDAR", "VERSION:2.0", .. lines, "END:VCALENDAR"]) + "\r\n";

    private static string Event(params string[] lines) => string.Join("\r\n", ["BEGIN:VEVENT", .. lines, "END:VEVENT"]);

    private static string[] Errors(IcsHolidaysResult result) => [.. result.Errors.Select(e => e.ToString())];

    [Theory]
    [InlineData("DTSTART;VALUE=DATE:99991231", "DURATION:P99999999D", "x.ics:4: DTSTART: '99991231' is outside the supported range, 1900-01-01 to 2199-12-31")]
    [InlineData("DTSTART;VALUE=DATE:20260101", "DURATION:P9999999W", "x.ics:5: DURATION: 'P9999999W' makes event longer than 366 days")]
    [InlineData("DTSTART;VALUE=DATE:20260101", "DURATION:P99999999999999999999W", "x.ics:5: DURATION: 'P99999999999999999999W' is not a whole number")]
    [InlineData("DTSTART;VALUE=DATE:20260101", "DURATION:P367D", "x.ics:5: DURATION: 'P367D' makes event longer than 366 days")]
    [InlineData("DTSTART;VALUE=DATE:20260101", "DTEND;VALUE=DATE:99991231", "x.ics:5: DTEND: '99991231' makes event 2912442 days long; a holiday event closes at most 366 days")]
    [InlineData("DTSTART;VALUE=DATE:18991231", "DURATION:P1D", "x.ics:4: DTSTART: '18991231' is outside the supported range")]
    [InlineData("DTSTART;VALUE=DATE:21991231", "DURATION:P2D", "x.ics:5: DURATION: 'P2D' ends event after 2199-12-31")]
    [InlineData("DTSTART;VALUE=DATE:21991231", "DTEND;VALUE=DATE:22000102", "x.ics:5: DTEND: '22000102' ends event after 2199-12-31")]
    [InlineData("DTSTART;VALUE=DATE:22000101", "RRULE:FREQ=YEARLY", "x.ics:4: DTSTART: '22000101' is outside the supported range")]
    [InlineData("DTSTART;VALUE=DATE:17760704", "RRULE:FREQ=YEARLY;COUNT=3", "x.ics:4: DTSTART: '17760704' is before 1900-01-01: a rule with COUNT starts within")]
    [InlineData("DTSTART;VALUE=DATE:20260101", "RDATE;VALUE=DATE:20270101,99991231", "x.ics:5: RDATE: 9999-12-31 is outside the supported range")]
    public void Parse_DateOrLengthBeyondTheSupportedRange_ErrorNamingTheLineNoDates(string start, string other, string expected)
    {
        IcsHolidaysResult result = IcsHolidays.Parse(Ics(Event(start, other)), "x.ics");

        Assert.False(result.Success);
        Assert.StartsWith(expected, Assert.Single(Errors(result)), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Dates, d => !CalendarLimits.Contains(d));
    }

    [Fact]
    public void Parse_EventsAtTheEdgesOfTheRange_Accepted()
    {
        // DTEND is exclusive, so an event on the last supported date ends on 2200-01-01; a year-long event is allowed.
        IcsHolidaysResult result = IcsHolidays.Parse(
            Ics(
                Event("DTSTART;VALUE=DATE:21991231", "DTEND;VALUE=DATE:22000101"),
                Event("DTSTART;VALUE=DATE:19000101", "DURATION:P1D"),
                Event("DTSTART;VALUE=DATE:20280101", "DURATION:P366D")),
            "x.ics");

        Assert.True(result.Success, string.Join("\n", Errors(result)));
        Assert.Equal(368, result.Dates.Count);
        Assert.Contains(new LocalDate(2199, 12, 31), result.Dates);
        Assert.Contains(new LocalDate(1900, 1, 1), result.Dates);
        Assert.Contains(new LocalDate(2028, 12, 31), result.Dates); // 2028 is a leap year: 366 days fill it
    }

    /// <summary>A holiday first kept in 1776 is written with that start; it is kept, and expanded only from 1900.</summary>
    [Fact]
    public void Parse_YearlyRuleStartingBefore1900WithoutCount_ExpandedWithinTheSupportedYearsOnly()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(Ics(Event("DTSTART;VALUE=DATE:17760704", "RRULE:FREQ=YEARLY;UNTIL=99991231")), "x.ics");

        RecurringHoliday rule = Assert.Single(result.Recurring);
        Assert.Equal(
            [new LocalDate(1900, 7, 4), new LocalDate(1901, 7, 4)],
            rule.DatesBetween(new LocalDate(1890, 1, 1), new LocalDate(1901, 12, 31)));
        Assert.Equal([new LocalDate(2199, 7, 4)], rule.DatesBetween(new LocalDate(2199, 1, 1), new LocalDate(2300, 12, 31)));
    }

    [Fact]
    public void Parse_MoreEventsThanAFileMayHold_OneError()
    {
        string[] events = [.. Enumerable.Range(0, CalendarLimits.MaxEventsPerFile + 2)
            .Select(i => Event($"DTSTART;VALUE=DATE:{new LocalDate(1900, 1, 1).PlusDays(i):yyyyMMdd}"))];

        IcsHolidaysResult result = IcsHolidays.Parse(Ics(events), "x.ics");

        Assert.Contains("the file holds more than 5000 events", Assert.Single(Errors(result)), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AsManyEventsAsAFileMayHold_Accepted()
    {
        string[] events = [.. Enumerable.Range(0, CalendarLimits.MaxEventsPerFile)
            .Select(i => Event($"DTSTART;VALUE=DATE:{new LocalDate(1900, 1, 1).PlusDays(i):yyyyMMdd}"))];

        IcsHolidaysResult result = IcsHolidays.Parse(Ics(events), "x.ics");

        Assert.True(result.Success);
        Assert.Equal(CalendarLimits.MaxEventsPerFile, result.Dates.Distinct().Count());
    }

    [Fact]
    public void Parse_MoreDatesThanACalendarMayHold_OneError()
    {
        // 55 year-long events close 20,130 dates; 54 close 19,764.
        string[] YearLong(int n) => [.. Enumerable.Range(0, n).Select(i => Event($"DTSTART;VALUE=DATE:{1950 + i}0101", "DURATION:P366D"))];

        IcsHolidaysResult tooMany = IcsHolidays.Parse(Ics(YearLong(55)), "x.ics");
        IcsHolidaysResult enough = IcsHolidays.Parse(Ics(YearLong(54)), "x.ics");

        Assert.Contains("the file closes more than 20000 dates", Assert.Single(Errors(tooMany)), StringComparison.Ordinal);
        Assert.True(enough.Success);
        Assert.Equal(54 * 366, enough.Dates.Count);
    }

    [Fact]
    public void Parse_MoreRecurringEventsThanACalendarMayHold_OneError()
    {
        string[] events = [.. Enumerable.Range(0, CalendarLimits.MaxRecurringHolidays + 3)
            .Select(i => Event("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;COUNT=100000;BYMONTH=2;BYMONTHDAY=29"))];

        IcsHolidaysResult result = IcsHolidays.Parse(Ics(events), "x.ics");

        Assert.Contains("the file holds more than 500 recurring events", Assert.Single(Errors(result)), StringComparison.Ordinal);
        Assert.Equal(CalendarLimits.MaxRecurringHolidays, result.Recurring.Count);
    }

    [Fact]
    public void Parse_RecurringEventsClosingTooManyDatesAYear_Error()
    {
        // Every day of every month: 372 candidates a year, of which at most 366 are dates; 1,098 for three.
        string rule = "RRULE:FREQ=YEARLY;BYMONTHDAY=" + string.Join(',', Enumerable.Range(1, 31));
        string[] Rules(int n) => [.. Enumerable.Range(0, n).Select(_ => Event("DTSTART;VALUE=DATE:20260101", rule))];

        IcsHolidaysResult tooMany = IcsHolidays.Parse(Ics(Rules(3)), "x.ics");
        IcsHolidaysResult enough = IcsHolidays.Parse(Ics(Rules(2)), "x.ics");

        Assert.Equal("x.ics:1: RRULE: the file's recurring events close up to 1098 dates a year; a calendar's close at most 1000 a year together", Assert.Single(Errors(tooMany)));
        Assert.True(enough.Success);
    }

    /// <summary>The bound a rule declares holds for every supported year, checked against the rule's own expansion.</summary>
    [Theory]
    [InlineData("RRULE:FREQ=YEARLY", 1, 1)]
    [InlineData("RRULE:FREQ=YEARLY;BYMONTHDAY=1,-1", 1, 24)]
    [InlineData("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29,30,31", 1, 3)]
    [InlineData("RRULE:FREQ=YEARLY;BYDAY=SA,SU", 1, 106)]
    [InlineData("RRULE:FREQ=YEARLY;BYMONTH=5,6;BYDAY=MO", 2, 20)]
    [InlineData("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", 4, 4)]
    [InlineData("RRULE:FREQ=YEARLY;BYDAY=-1MO,FR;BYMONTHDAY=13", 1, 12)]
    public void MaxDatesPerYear_BoundsEveryYearsExpansion(string rrule, int days, int expectedBound)
    {
        RecurringHoliday rule = Assert.Single(IcsHolidays.Parse(Ics(Event("DTSTART;VALUE=DATE:19000101", rrule, $"DURATION:P{days}D")), "x.ics").Recurring);

        int most = Enumerable.Range(1900, 300)
            .Max(year => rule.DatesBetween(new LocalDate(year, 1, 1), new LocalDate(year, 12, 31)).Count());

        Assert.Equal(expectedBound, rule.MaxDatesPerYear);
        Assert.InRange(most, 1, rule.MaxDatesPerYear);
    }

    [Fact]
    public void DatesBetween_LongOccurrenceAtTheEndOfNodaTimesRange_DoesNotOverflow()
    {
        var rule = new RecurringHoliday(new LocalDate(1900, 7, 1), days: 366);

        Assert.Empty(rule.DatesBetween(new LocalDate(9998, 1, 1), new LocalDate(9999, 12, 31)));
        // The last expanded occurrence starts 2199-07-01 and closes 366 dates, up to 2200-07-01.
        LocalDate[] spill = [.. rule.DatesBetween(new LocalDate(2200, 1, 1), new LocalDate(9999, 12, 31))];
        Assert.Equal(182, spill.Length);
        Assert.Equal(new LocalDate(2200, 7, 1), spill[^1]);
    }

    [Fact]
    public void CountedRule_RarelyMatching_CountEndsWithinTheSupportedYears()
    {
        var rule = new RecurringHoliday(new LocalDate(1900, 1, 1), count: 100_000, byMonth: [2], byMonthDay: [29]);

        Assert.Equal(new LocalDate(2196, 2, 29), rule.LastStart);
    }

    [Theory]
    [InlineData("\"holidays\": [\"2026-01-01\", \"9999-12-31\"]", "c.json: holidays[1]: '9999-12-31' is outside the supported range, 1900-01-01 to 2199-12-31")]
    [InlineData("\"holidays\": [\"1899-12-31\"]", "c.json: holidays[0]: '1899-12-31' is outside the supported range")]
    [InlineData("\"special_hours\": {\"9999-12-31\": [[\"09:00\", \"17:00\"]]}", "c.json: special_hours.9999-12-31: '9999-12-31' is outside the supported range")]
    [InlineData("\"breaks\": {\"0001-01-01\": [[\"09:00\", \"10:00\"]]}", "c.json: breaks.0001-01-01: '0001-01-01' is outside the supported range")]
    [InlineData("\"recurring_holidays\": [{\"start\": \"2200-01-01\"}]", "c.json: recurring_holidays[0].start: '2200-01-01' is outside the supported range")]
    [InlineData("\"recurring_holidays\": [{\"start\": \"1776-07-04\", \"count\": 3}]", "c.json: recurring_holidays[0].start: '1776-07-04' is before 1900-01-01: a rule with a count")]
    public void CalendarJson_DateOutsideTheSupportedRange_ErrorNamingThePath(string member, string expected)
    {
        string json = $$"""{"name": "c", "time_zone": "UTC", "week": {"mon": [["09:00", "17:00"]]}, {{member}}}""";

        CalendarParseResult result = CalendarJson.Parse(json, "c.json");

        Assert.False(result.Success);
        Assert.StartsWith(expected, Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CalendarJson_OnlySpecialHoursOnTheLastSupportedDate_Builds()
    {
        // The shape that overflowed: no weekly hours, so only special-hours dates open, the last one at the range's end.
        const string Json = """{"name": "c", "time_zone": "Pacific/Kiritimati", "week": {}, "special_hours": {"2199-12-31": [["09:00", "17:00"]], "1900-01-01": [["09:00", "10:00"]]}}""";

        CalendarDefinition definition = CalendarJson.Parse(Json, "c.json").Definition!;
        BusinessCalendar calendar = BusinessCalendar.FromDefinition(definition);

        Assert.Equal(Duration.FromHours(9), calendar.Elapsed(Instant.FromUtc(1899, 12, 31, 0, 0), Instant.FromUtc(2200, 1, 2, 0, 0)));
    }

    [Fact]
    public void CalendarJson_HolidayFilesTogetherAboveTheLimit_Error()
    {
        // Each file holds 12,000 dates (within its own limit); the calendar naming both holds 24,000.
        static string File(int firstYear) => Ics([.. Enumerable.Range(0, 33).Select(i => Event($"DTSTART;VALUE=DATE:{firstYear + i}0101", "DURATION:P365D"))]);
        string a = File(1950);
        string b = File(2050);
        const string Json = """{"name": "c", "time_zone": "UTC", "week": {"mon": [["09:00", "17:00"]]}, "holiday_calendars": ["a.ics", "b.ics"]}""";

        CalendarParseResult result = CalendarJson.Parse(Json, "c.json", name => name == "a.ics" ? a : b);

        Assert.Equal("c.json: holidays: the calendar and its holiday files close 24090 single dates; a calendar holds at most 20000", Assert.Single(result.Errors).ToString());
    }

    /// <summary>A definition built in code skips validation; the constructor still must not overflow at NodaTime's edges.</summary>
    [Theory]
    [InlineData(9999, 12, 31)]
    [InlineData(1, 1, 1)]
    [InlineData(9998, 12, 30)]
    public void FromDefinition_OnlySpecialHoursAtTheEdgeOfNodaTimesRange_DoesNotThrow(int year, int month, int day)
    {
        var definition = new CalendarDefinition
        {
            Name = "edge",
            Zone = DateTimeZone.Utc,
            SpecialHours = new Dictionary<LocalDate, IReadOnlyList<OpenHours>>
            {
                [new LocalDate(year, month, day)] = [new OpenHours(new LocalTime(9, 0), new LocalTime(17, 0))],
            },
        };

        BusinessCalendar calendar = BusinessCalendar.FromDefinition(definition);

        Assert.Equal(Duration.Zero, calendar.Elapsed(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0)));
    }
}
