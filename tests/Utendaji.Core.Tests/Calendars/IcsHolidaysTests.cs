using NodaTime;
using Utendaji.Core.Calendars;

namespace Utendaji.Core.Tests.Calendars;

public sealed class IcsHolidaysTests
{
    private static string Ics(params string[] lines) =>
        string.Join("\r\n", ["BEGIN:VCALENDAR", "VERSION:2.0", .. lines, "END:VCALENDAR"]) + "\r\n";

    private static string Event(params string[] lines) => string.Join("\r\n", ["BEGIN:VEVENT", .. lines, "END:VEVENT"]);

    [Fact]
    public void Parse_AllDayEvent_OneDate()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(Ics(Event("DTSTART;VALUE=DATE:20261224", "SUMMARY:Jouluaatto")), "fi.ics");

        Assert.True(result.Success);
        Assert.Equal([new LocalDate(2026, 12, 24)], result.Dates);
    }

    [Fact]
    public void Parse_MultiDayEvent_DtendIsExclusive()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(Ics(Event("DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261227")), "fi.ics");

        Assert.Equal([new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 25), new LocalDate(2026, 12, 26)], result.Dates);
    }

    [Fact]
    public void Parse_DurationInDays_CoversThoseDays()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(Ics(Event("DTSTART:20261231", "DURATION:P2D")), "x.ics");

        Assert.Equal([new LocalDate(2026, 12, 31), new LocalDate(2027, 1, 1)], result.Dates);
    }

    [Fact]
    public void Parse_FoldedLines_AreUnfolded()
    {
        string text = Ics(Event("DTSTART;VALUE=DA", " TE:20261224", "SUMMARY:Christmas", "  Eve"));

        IcsHolidaysResult result = IcsHolidays.Parse(text, "x.ics");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal([new LocalDate(2026, 12, 24)], result.Dates);
    }

    [Fact]
    public void Parse_YearlyRule_RecursEveryYearFromItsStart()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(Ics(Event("DTSTART;VALUE=DATE:20261206", "RRULE:FREQ=YEARLY")), "x.ics");

        RecurringHoliday rule = Assert.Single(result.Recurring);
        Assert.Equal(
            [new LocalDate(2026, 12, 6), new LocalDate(2027, 12, 6), new LocalDate(2028, 12, 6)],
            rule.DatesBetween(new LocalDate(2020, 1, 1), new LocalDate(2028, 12, 31)));
    }

    [Fact]
    public void Parse_YearlyRuleWithIntervalAndCount_Stops()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(Ics(Event("DTSTART;VALUE=DATE:20260501", "RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=3")), "x.ics");

        Assert.Equal(
            [new LocalDate(2026, 5, 1), new LocalDate(2028, 5, 1), new LocalDate(2030, 5, 1)],
            Assert.Single(result.Recurring).DatesBetween(new LocalDate(2020, 1, 1), new LocalDate(2040, 1, 1)));
    }

    [Fact]
    public void Parse_YearlyRuleWithUntilAndExdate_StopsAndSkips()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(
            Ics(Event("DTSTART;VALUE=DATE:20260501", "RRULE:FREQ=YEARLY;UNTIL=20290501T000000Z", "EXDATE;VALUE=DATE:20270501")), "x.ics");

        Assert.Equal(
            [new LocalDate(2026, 5, 1), new LocalDate(2028, 5, 1), new LocalDate(2029, 5, 1)],
            Assert.Single(result.Recurring).DatesBetween(new LocalDate(2020, 1, 1), new LocalDate(2040, 1, 1)));
    }

    [Fact]
    public void Parse_ByMonthDayAndByDay_FinnishMidsummerEve()
    {
        // Juhannusaatto: the Friday from 19 to 25 June.
        IcsHolidaysResult result = IcsHolidays.Parse(
            Ics(Event("DTSTART;VALUE=DATE:20260619", "RRULE:FREQ=YEARLY;BYMONTH=6;BYDAY=FR;BYMONTHDAY=19,20,21,22,23,24,25")), "fi.ics");

        Assert.Equal(
            [new LocalDate(2026, 6, 19), new LocalDate(2027, 6, 25), new LocalDate(2028, 6, 23)],
            Assert.Single(result.Recurring).DatesBetween(new LocalDate(2026, 1, 1), new LocalDate(2028, 12, 31)));
    }

    [Fact]
    public void Parse_MultiDayYearlyAcrossNewYear_ClosesEveryDay()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(
            Ics(Event("DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270102", "RRULE:FREQ=YEARLY")), "x.ics");

        Assert.Equal(
            [new LocalDate(2027, 1, 1), new LocalDate(2027, 12, 31), new LocalDate(2028, 1, 1)],
            Assert.Single(result.Recurring).DatesBetween(new LocalDate(2027, 1, 1), new LocalDate(2028, 6, 1)));
    }

    [Fact]
    public void Parse_TimedEvent_IgnoredWithWarning()
    {
        IcsHolidaysResult result = IcsHolidays.Parse(Ics(Event("DTSTART:20261224T090000Z", "DTEND:20261224T100000Z", "SUMMARY:Meeting")), "x.ics");

        Assert.True(result.Success);
        Assert.Empty(result.Dates);
        Assert.Equal(["x.ics:4: DTSTART: event 'Meeting' at '20261224T090000Z' is a timed event, not an all-day holiday; ignored"], result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Parse_Errors_HaveLineNumbers()
    {
        string text = Ics(
            Event("DTSTART;VALUE=DATE:2026-12-24"),
            Event("DTSTART;VALUE=DATE:20261224", "RRULE:FREQ=YEARLY;BYSETPOS=1"),
            Event("SUMMARY:no start"),
            Event("DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261224"),
            "garbage line");

        string[] errors = [.. IcsHolidays.Parse(text, "bad.ics").Errors.Select(e => e.ToString())];

        Assert.Equal(
            [
                "bad.ics:4: DTSTART: '2026-12-24' is not a date (YYYYMMDD)",
                "bad.ics:8: RRULE: BYSETPOS is not supported (supported: FREQ=YEARLY, INTERVAL, COUNT, UNTIL, BYMONTH, BYMONTHDAY, BYDAY)",
                "bad.ics:10: VEVENT: event 'no start' has no DTSTART",
                "bad.ics:15: DTEND: '20261224' is not after DTSTART (DTEND is exclusive)",
                "bad.ics:17: 'garbage line' is not a content line (NAME:value)",
            ],
            errors);
    }

    [Fact]
    public void Parse_NotIcs_Reported()
    {
        IcsHolidaysResult result = IcsHolidays.Parse("", "empty.ics");

        Assert.Equal(["empty.ics:1: not an iCalendar file (no BEGIN:VCALENDAR)"], result.Errors.Select(e => e.ToString()));
    }
}
