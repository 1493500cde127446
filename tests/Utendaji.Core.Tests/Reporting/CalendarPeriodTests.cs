using NodaTime;
using Utendaji.Core.Reporting;

namespace Utendaji.Core.Tests.Reporting;

public class CalendarPeriodTests
{
    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    [Fact]
    public void Containing_Week_StartsOnMondayWithIsoLabel()
    {
        var week = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 11, 19), DateTimeZone.Utc);

        Assert.Equal(new LocalDate(2026, 11, 16), week.StartDate);
        Assert.Equal(new LocalDate(2026, 11, 23), week.EndDate);
        Assert.Equal("2026-W47", week.Label);
        Assert.Equal(Instant.FromUtc(2026, 11, 16, 0, 0), week.Start);
        Assert.Equal(Instant.FromUtc(2026, 11, 23, 0, 0), week.End);
    }

    [Fact]
    public void Containing_WeekAcrossYearEnd_UsesIsoWeekYear()
    {
        // 2026 begins on a Thursday, so it has 53 ISO weeks; 2 January 2027 still lies in 2026-W53.
        var week = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2027, 1, 2), DateTimeZone.Utc);

        Assert.Equal(new LocalDate(2026, 12, 28), week.StartDate);
        Assert.Equal("2026-W53", week.Label);
        Assert.Equal("2027-W01", week.Next.Label);
        Assert.Equal("2026-W52", week.Previous.Label);
    }

    [Fact]
    public void Week_HelsinkiSpringForward_Is167HoursWithZoneBounds()
    {
        // EU summer time begins Sunday 29 March 2026 at 03:00 local (EET +02 → EEST +03).
        var week = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 3, 25), Zone("Europe/Helsinki"));

        Assert.Equal(Instant.FromUtc(2026, 3, 22, 22, 0), week.Start);
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 21, 0), week.End);
        Assert.Equal(Duration.FromHours(167), week.End - week.Start);
        Assert.Equal(Duration.FromHours(168), week.Previous.End - week.Previous.Start);
        Assert.Equal(week.Start, week.Previous.End);
    }

    [Fact]
    public void Week_HelsinkiFallBack_Is169Hours()
    {
        // EU summer time ends Sunday 25 October 2026 at 04:00 local (EEST +03 → EET +02).
        var week = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 10, 25), Zone("Europe/Helsinki"));

        Assert.Equal(new LocalDate(2026, 10, 19), week.StartDate);
        Assert.Equal(Instant.FromUtc(2026, 10, 18, 21, 0), week.Start);
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 22, 0), week.End);
        Assert.Equal(Duration.FromHours(169), week.End - week.Start);
    }

    [Fact]
    public void Week_SydneyAutumnAndSpring_FollowSouthernSwitches()
    {
        var sydney = Zone("Australia/Sydney");
        // Daylight time ends Sunday 5 April 2026 at 03:00 local (AEDT +11 → AEST +10): the week is an hour longer.
        var april = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 4, 1), sydney);
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 13, 0), april.Start);
        Assert.Equal(Instant.FromUtc(2026, 4, 5, 14, 0), april.End);
        Assert.Equal(Duration.FromHours(169), april.End - april.Start);

        // Daylight time begins Sunday 4 October 2026 at 02:00 local (AEST +10 → AEDT +11): an hour shorter.
        var october = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 10, 4), sydney);
        Assert.Equal(new LocalDate(2026, 9, 28), october.StartDate);
        Assert.Equal(Duration.FromHours(167), october.End - october.Start);
    }

    [Fact]
    public void Week_SantiagoMidnightSkipped_StartsAtFirstExistingInstant()
    {
        // Chile's summer time begins at 24:00 on Saturday 5 September 2026: Sunday 6 September begins at 01:00 (-03).
        var santiago = Zone("America/Santiago");
        var day = new LocalDate(2026, 9, 6);
        var week = CalendarPeriod.Containing(PeriodGranularity.Week, day, santiago);
        var next = week.Next;

        Assert.Equal(new LocalDate(2026, 8, 31), week.StartDate);
        Assert.Equal(Duration.FromHours(167), week.End - week.Start);
        Assert.Equal(week.End, next.Start);
        Assert.Equal(santiago.AtStartOfDay(day).ToInstant(), Instant.FromUtc(2026, 9, 6, 4, 0));
    }

    [Theory]
    [InlineData(2026, 2, 28)]
    [InlineData(2028, 2, 29)]
    [InlineData(2026, 4, 30)]
    [InlineData(2026, 1, 31)]
    [InlineData(2026, 12, 31)]
    public void Month_Utc_HasItsDays(int year, int month, int days)
    {
        var period = CalendarPeriod.Containing(PeriodGranularity.Month, new LocalDate(year, month, 15), DateTimeZone.Utc);

        Assert.Equal(new LocalDate(year, month, 1), period.StartDate);
        Assert.Equal(Duration.FromDays(days), period.End - period.Start);
        Assert.Equal($"{year:0000}-{month:00}", period.Label);
    }

    [Fact]
    public void Month_HelsinkiMarch_IsOneHourShort_AndPreviousIsFebruary()
    {
        var march = CalendarPeriod.Containing(PeriodGranularity.Month, Instant.FromUtc(2026, 3, 31, 21, 30), Zone("Europe/Helsinki"));

        // 21:30 UTC on 31 March is already 1 April 00:30 in Helsinki (+03).
        Assert.Equal("2026-04", march.Label);
        var previous = march.Previous;
        Assert.Equal("2026-03", previous.Label);
        Assert.Equal(Duration.FromHours((31 * 24) - 1), previous.End - previous.Start);
        Assert.Equal("2026-02", previous.Previous.Label);
        Assert.Equal(Duration.FromDays(28), previous.Previous.End - previous.Previous.Start);
    }

    [Fact]
    public void Containing_Day_IsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CalendarPeriod.Containing(PeriodGranularity.Day, new LocalDate(2026, 1, 1), DateTimeZone.Utc));
        Assert.Equal("granularity", error.ParamName);
    }
}
