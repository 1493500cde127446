using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Calendars;

namespace Utendaji.Core.Tests.Calendars;

public sealed class BusinessCalendarTests
{
    private static readonly DateTimeZone Helsinki = DateTimeZoneProviders.Tzdb["Europe/Helsinki"];
    private static readonly OpenHours[] NineToFive = [Hours("09:00", "17:00")];

    // 2026-06-15 is a Monday.
    [Fact]
    public void Elapsed_SplitShift_CountsOnlyOpenIntervals()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays([Hours("09:00", "12:00"), Hours("13:00", "17:30")]));

        Duration elapsed = calendar.Elapsed(Local("2026-06-15T08:00"), Local("2026-06-15T18:00"));

        Assert.Equal(Duration.FromMinutes((3 * 60) + (4 * 60) + 30), elapsed);
    }

    [Fact]
    public void Elapsed_ToBeforeFrom_IsNegative()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        Assert.Equal(Duration.FromHours(-3), calendar.Elapsed(Local("2026-06-15T12:00"), Local("2026-06-15T09:00")));
    }

    [Fact]
    public void Elapsed_AcrossWeekend_SkipsClosedDays()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        // Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
        Assert.Equal(Duration.FromHours(2), calendar.Elapsed(Local("2026-06-19T16:00"), Local("2026-06-22T10:00")));
    }

    [Fact]
    public void Elapsed_OvernightInterval_RunsIntoNextDay()
    {
        BusinessCalendar calendar = Calendar(week: Day(IsoDayOfWeek.Monday, Hours("22:00", "06:00")));

        Assert.Equal(Duration.FromHours(8), calendar.Elapsed(Local("2026-06-15T20:00"), Local("2026-06-16T12:00")));
        Assert.True(calendar.IsOpen(Local("2026-06-16T05:59")));
        Assert.False(calendar.IsOpen(Local("2026-06-16T06:00")));
    }

    [Fact]
    public void Elapsed_CloseEqualToOpen_RunsTwentyFourHours()
    {
        BusinessCalendar calendar = Calendar(week: Day(IsoDayOfWeek.Monday, Hours("08:00", "08:00")));

        Assert.Equal(Duration.FromHours(24), calendar.Elapsed(Local("2026-06-15T00:00"), Local("2026-06-17T00:00")));
    }

    [Fact]
    public void OpenIntervals_EndOfDayAndNextMorning_MergeIntoOne()
    {
        var week = new Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>>
        {
            [IsoDayOfWeek.Monday] = [Hours("18:00", "24:00")],
            [IsoDayOfWeek.Tuesday] = [Hours("00:00", "06:00"), Hours("05:00", "07:00")],
        };
        BusinessCalendar calendar = Calendar(week: week);

        Interval[] intervals = [.. calendar.OpenIntervals(Local("2026-06-15T00:00"), Local("2026-06-17T00:00"))];

        Assert.Equal([new Interval(Local("2026-06-15T18:00"), Local("2026-06-16T07:00"))], intervals);
        Assert.True(calendar.IsOpen(Local("2026-06-16T00:00")));
    }

    [Fact]
    public void OpenIntervals_ClipsToTheRange()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        Interval[] intervals = [.. calendar.OpenIntervals(Local("2026-06-15T10:00"), Local("2026-06-16T10:00"))];

        Assert.Equal(
            [new Interval(Local("2026-06-15T10:00"), Local("2026-06-15T17:00")), new Interval(Local("2026-06-16T09:00"), Local("2026-06-16T10:00"))],
            intervals);
    }

    [Fact]
    public void Holiday_ClosesHoursStartingOnIt_ButOvernightFromDayBeforeKeepsRunning()
    {
        BusinessCalendar calendar = Calendar(
            week: Weekdays([Hours("20:00", "04:00")]),
            holidays: [new LocalDate(2026, 6, 16)]);

        // Monday 20:00 → Tuesday 04:00 runs (it started Monday); Tuesday 20:00 does not open.
        Assert.True(calendar.IsOpen(Local("2026-06-16T03:00")));
        Assert.False(calendar.IsOpen(Local("2026-06-16T21:00")));
        Assert.Equal(Duration.FromHours(8), calendar.Elapsed(Local("2026-06-15T12:00"), Local("2026-06-17T12:00")));
    }

    [Fact]
    public void YearlyHoliday_ClosesTheDateEveryYear()
    {
        BusinessCalendar calendar = Calendar(week: EveryDay(NineToFive), yearly: [new AnnualDate(12, 25)]);

        Assert.False(calendar.IsOpen(Local("2026-12-25T10:00")));
        Assert.False(calendar.IsOpen(Local("2031-12-25T10:00")));
        Assert.True(calendar.IsOpen(Local("2031-12-24T10:00")));
    }

    [Fact]
    public void YearlyHoliday_29February_OnlyInLeapYears()
    {
        BusinessCalendar calendar = Calendar(week: EveryDay(NineToFive), yearly: [new AnnualDate(2, 29)]);

        Assert.False(calendar.IsOpen(Local("2028-02-29T10:00")));
        Assert.True(calendar.IsOpen(Local("2027-02-28T10:00")));
    }

    [Fact]
    public void SpecialHours_ReplaceTheWeekAndWinOverAHoliday()
    {
        LocalDate eve = new(2026, 12, 31);
        BusinessCalendar calendar = Calendar(
            week: EveryDay(NineToFive),
            holidays: [eve],
            special: new() { [eve] = [Hours("09:00", "12:00")], [new LocalDate(2026, 12, 30)] = [] });

        Assert.Equal(Duration.FromHours(3), calendar.Elapsed(Local("2026-12-31T00:00"), Local("2027-01-01T00:00")));
        Assert.Equal(Duration.Zero, calendar.Elapsed(Local("2026-12-30T00:00"), Local("2026-12-31T00:00")));
    }

    [Fact]
    public void Break_CutsAnIntervalInTwo()
    {
        BusinessCalendar calendar = Calendar(
            week: EveryDay(NineToFive),
            breaks: new() { [new LocalDate(2026, 6, 19)] = [Hours("12:00", "14:00")] });

        Assert.Equal(Duration.FromHours(6), calendar.Elapsed(Local("2026-06-19T00:00"), Local("2026-06-20T00:00")));
        Assert.Equal(Local("2026-06-19T14:00"), calendar.NextOpen(Local("2026-06-19T12:30")));
        Assert.Equal(Duration.FromHours(8), calendar.Elapsed(Local("2026-06-18T00:00"), Local("2026-06-19T00:00")));
    }

    [Fact]
    public void Elapsed_HelsinkiFallBackDayOpenAllDay_Counts25Hours()
    {
        // 2026-10-25: clocks go back from 04:00 EEST to 03:00 EET.
        BusinessCalendar calendar = Calendar(week: Day(IsoDayOfWeek.Sunday, Hours("00:00", "24:00")));

        Duration elapsed = calendar.Elapsed(Local("2026-10-24T12:00"), Local("2026-10-26T12:00"));

        Assert.Equal(Duration.FromHours(25), elapsed);
    }

    [Fact]
    public void Elapsed_HelsinkiSpringForwardDay_CountsNothingForTheGap()
    {
        // 2026-03-29: clocks go forward from 03:00 EET to 04:00 EEST, so 03:00-04:00 does not exist.
        BusinessCalendar allDay = Calendar(week: Day(IsoDayOfWeek.Sunday, Hours("00:00", "24:00")));
        BusinessCalendar gapOnly = Calendar(week: Day(IsoDayOfWeek.Sunday, Hours("03:00", "04:00")));
        BusinessCalendar intoGap = Calendar(week: Day(IsoDayOfWeek.Sunday, Hours("03:30", "05:00")));

        Assert.Equal(Duration.FromHours(23), allDay.Elapsed(Local("2026-03-28T00:00"), Local("2026-03-30T00:00")));
        Assert.Equal(Duration.Zero, gapOnly.Elapsed(Local("2026-03-28T00:00"), Local("2026-03-30T00:00")));
        // An opening inside the gap opens at the end of the gap (04:00 EEST = 01:00Z).
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 1, 0), intoGap.NextOpen(Local("2026-03-29T00:00")));
        Assert.Equal(Duration.FromHours(1), intoGap.Elapsed(Local("2026-03-28T00:00"), Local("2026-03-30T00:00")));
    }

    [Fact]
    public void Elapsed_IntervalEndingInRepeatedHour_ClosesAtLatestInstant()
    {
        // 2026-10-25 Helsinki: 03:30 happens at 00:30Z (EEST) and 01:30Z (EET). Open at 03:15 (earliest, 00:15Z),
        // close at 03:30 (latest, 01:30Z): 75 minutes.
        BusinessCalendar calendar = Calendar(week: Day(IsoDayOfWeek.Sunday, Hours("03:15", "03:30")));

        Interval[] intervals = [.. calendar.OpenIntervals(Instant.FromUtc(2026, 10, 24, 0, 0), Instant.FromUtc(2026, 10, 26, 0, 0))];

        Assert.Equal([new Interval(Instant.FromUtc(2026, 10, 25, 0, 15), Instant.FromUtc(2026, 10, 25, 1, 30))], intervals);
    }

    [Fact]
    public void Elapsed_LordHoweHalfHourShifts_Count24Point5And23Point5Hours()
    {
        // Australia/Lord_Howe moves by 30 minutes: back at 02:00 → 01:30 on 2026-04-05, forward at 02:00 → 02:30
        // on 2026-10-04.
        DateTimeZone lordHowe = DateTimeZoneProviders.Tzdb["Australia/Lord_Howe"];
        BusinessCalendar calendar = Calendar(week: Day(IsoDayOfWeek.Sunday, Hours("00:00", "24:00")), zone: lordHowe);

        Assert.Equal(Duration.FromMinutes(24 * 60 + 30), calendar.Elapsed(Local("2026-04-04T12:00", lordHowe), Local("2026-04-06T12:00", lordHowe)));
        Assert.Equal(Duration.FromMinutes(23 * 60 + 30), calendar.Elapsed(Local("2026-10-03T12:00", lordHowe), Local("2026-10-05T12:00", lordHowe)));
    }

    [Fact]
    public void Add_UsedUpExactlyAtClosing_GivesTheClosingInstant()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        Assert.Equal(Local("2026-06-15T17:00"), calendar.Add(Local("2026-06-15T09:00"), Duration.FromHours(8)));
        Assert.Equal(Local("2026-06-16T09:01"), calendar.Add(Local("2026-06-15T09:00"), Duration.FromMinutes((8 * 60) + 1)));
    }

    [Fact]
    public void Add_FromClosedTime_StartsAtNextOpening()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        // Saturday evening + 2h → Monday 11:00.
        Assert.Equal(Local("2026-06-22T11:00"), calendar.Add(Local("2026-06-20T20:00"), Duration.FromHours(2)));
    }

    [Fact]
    public void Add_Zero_ReturnsFromEvenWhenClosed()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        Assert.Equal(Local("2026-06-20T20:00"), calendar.Add(Local("2026-06-20T20:00"), Duration.Zero));
    }

    [Fact]
    public void Add_Negative_GoesBackwardsAndStopsAtTheOpening()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        Assert.Equal(Local("2026-06-19T16:00"), calendar.Add(Local("2026-06-22T10:00"), Duration.FromHours(-2)));
        Assert.Equal(Local("2026-06-22T09:00"), calendar.Add(Local("2026-06-22T10:00"), Duration.FromHours(-1)));
    }

    [Fact]
    public void Add_ManyYears_CrossesPrecomputedChunks()
    {
        BusinessCalendar calendar = Calendar(week: EveryDay(NineToFive));
        Instant from = Local("2026-06-15T09:00");

        // 8 h a day, every day: 3 650 days of business time is 3 650 calendar days later (DST aside, same wall time).
        Instant due = calendar.Add(from, Duration.FromHours(8 * 3650));

        Assert.Equal(Local("2036-06-11T17:00"), due);
        Assert.Equal(Duration.FromHours(8 * 3650), calendar.Elapsed(from, due));
    }

    [Fact]
    public void NextOpen_StartInclusiveEndExclusive()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        Assert.Equal(Local("2026-06-15T09:00"), calendar.NextOpen(Local("2026-06-15T09:00")));
        Assert.Equal(Local("2026-06-15T16:59"), calendar.NextOpen(Local("2026-06-15T16:59")));
        Assert.Equal(Local("2026-06-16T09:00"), calendar.NextOpen(Local("2026-06-15T17:00")));
        Assert.Equal(Local("2026-06-22T09:00"), calendar.NextOpen(Local("2026-06-19T17:00")));
    }

    [Fact]
    public void Elapsed_SubTickInstants_CountNanoseconds()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));
        Instant open = Local("2026-06-15T09:00");

        Assert.Equal(Duration.FromNanoseconds(7), calendar.Elapsed(open + Duration.FromNanoseconds(5), open + Duration.FromNanoseconds(12)));
        Assert.Equal(Duration.FromNanoseconds(30), calendar.Elapsed(open - Duration.FromNanoseconds(70), open + Duration.FromNanoseconds(30)));
        Assert.Equal(open + Duration.FromNanoseconds(1), calendar.Add(open - Duration.FromHours(3), Duration.FromNanoseconds(1)));
    }

    [Fact]
    public void AlwaysOpen_IsCalendarTime()
    {
        BusinessCalendar calendar = BusinessCalendar.AlwaysOpen();
        Instant at = Instant.FromUtc(2026, 6, 20, 23, 0);

        Assert.Equal(Duration.FromHours(5), calendar.Elapsed(at, at + Duration.FromHours(5)));
        Assert.Equal(at + Duration.FromDays(2), calendar.Add(at, Duration.FromDays(2)));
        Assert.Equal(at, calendar.NextOpen(at));
        Assert.True(calendar.IsOpen(at));
        Assert.Equal(DateTimeZone.Utc, calendar.Zone);
        Assert.Equal("24x7", calendar.Name);
    }

    [Fact]
    public void NoOpenHours_NextOpenAndAddThrow_ElapsedIsZero()
    {
        BusinessCalendar calendar = Calendar(week: []);

        Assert.False(calendar.HasOpenHours);
        Assert.Equal(Duration.Zero, calendar.Elapsed(Local("2026-01-01T00:00"), Local("2027-01-01T00:00")));
        Assert.Throws<InvalidOperationException>(() => calendar.NextOpen(Local("2026-01-01T00:00")));
        Assert.Throws<InvalidOperationException>(() => calendar.Add(Local("2026-01-01T00:00"), Duration.FromHours(1)));
    }

    [Fact]
    public void OnlySpecialHours_AddFindsThemAndStopsAfterTheLast()
    {
        BusinessCalendar calendar = Calendar(week: [], special: new() { [new LocalDate(2027, 3, 1)] = NineToFive });

        Assert.Equal(Local("2027-03-01T10:00"), calendar.Add(Local("2026-01-01T00:00"), Duration.FromHours(1)));
        Assert.Equal(Local("2027-03-01T09:00"), calendar.NextOpen(Local("2026-01-01T00:00")));
        Assert.Throws<InvalidOperationException>(() => calendar.Add(Local("2026-01-01T00:00"), Duration.FromHours(9)));
        Assert.Equal(Local("2027-03-01T16:00"), calendar.Add(Local("2040-01-01T00:00"), Duration.FromHours(-1)));
    }

    [Fact]
    public void Elapsed_OutsideSupportedRange_Throws()
    {
        BusinessCalendar calendar = Calendar(week: Weekdays(NineToFive));

        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.Elapsed(Instant.MinValue, Local("2026-01-01T00:00")));
        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.IsOpen(BusinessCalendar.MaxSupported));
        Assert.Equal(Duration.Zero, calendar.Elapsed(BusinessCalendar.MinSupported, BusinessCalendar.MinSupported));
    }

    [Fact]
    public void Elapsed_ConcurrentFirstUse_SameAsSequential()
    {
        CalendarDefinition definition = Definition(week: Weekdays([Hours("08:00", "12:00"), Hours("13:00", "16:00")]));
        var random = new Random(42);
        (Instant From, Instant To)[] pairs = [.. Enumerable.Range(0, 2000).Select(_ => (
            Instant.FromUtc(2020, 1, 1, 0, 0) + Duration.FromMinutes(random.Next(10 * 365 * 1440)),
            Instant.FromUtc(2020, 1, 1, 0, 0) + Duration.FromMinutes(random.Next(10 * 365 * 1440))))];
        BusinessCalendar sequential = BusinessCalendar.FromDefinition(definition);
        Duration[] expected = [.. pairs.Select(p => sequential.Elapsed(p.From, p.To))];

        BusinessCalendar shared = BusinessCalendar.FromDefinition(definition);
        var actual = new Duration[pairs.Length];
        Parallel.For(0, pairs.Length, i => actual[i] = shared.Elapsed(pairs[i].From, pairs[i].To));

        Assert.Equal(expected, actual);
    }

    internal static OpenHours Hours(string open, string close)
    {
        LocalTime o = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(open).Value;
        return close == "24:00"
            ? new OpenHours(o, LocalTime.Midnight, CloseIsEndOfDay: true)
            : new OpenHours(o, LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(close).Value);
    }

    private static Instant Local(string text, DateTimeZone? zone = null) =>
        LocalDateTimePattern.GeneralIso.Parse(text + ":00").Value.InZoneStrictly(zone ?? Helsinki).ToInstant();

    private static Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>> Weekdays(OpenHours[] hours) =>
        Enumerable.Range(1, 5).ToDictionary(d => (IsoDayOfWeek)d, _ => (IReadOnlyList<OpenHours>)hours);

    private static Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>> EveryDay(OpenHours[] hours) =>
        Enumerable.Range(1, 7).ToDictionary(d => (IsoDayOfWeek)d, _ => (IReadOnlyList<OpenHours>)hours);

    private static Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>> Day(IsoDayOfWeek day, params OpenHours[] hours) =>
        new() { [day] = hours };

    private static CalendarDefinition Definition(
        Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>> week,
        LocalDate[]? holidays = null,
        AnnualDate[]? yearly = null,
        Dictionary<LocalDate, IReadOnlyList<OpenHours>>? special = null,
        Dictionary<LocalDate, IReadOnlyList<OpenHours>>? breaks = null,
        DateTimeZone? zone = null) => new()
        {
            Name = "test",
            Zone = zone ?? Helsinki,
            Week = week,
            Holidays = holidays ?? [],
            YearlyHolidays = yearly ?? [],
            SpecialHours = special ?? [],
            Breaks = breaks ?? [],
        };

    private static BusinessCalendar Calendar(
        Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>> week,
        LocalDate[]? holidays = null,
        AnnualDate[]? yearly = null,
        Dictionary<LocalDate, IReadOnlyList<OpenHours>>? special = null,
        Dictionary<LocalDate, IReadOnlyList<OpenHours>>? breaks = null,
        DateTimeZone? zone = null) =>
        BusinessCalendar.FromDefinition(Definition(week, holidays, yearly, special, breaks, zone));
}
