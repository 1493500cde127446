using System.Globalization;
using NodaTime;
using NodaTime.Calendars;

namespace Utendaji.Core.Reporting;

/// <summary>
/// One ISO week (Monday to Sunday) or one calendar month in a time zone: the period of a scheduled summary. Its
/// instants are the starts of its first day and of the day after its last in the zone, so a week that crosses a
/// daylight-saving switch is 167 or 169 hours long, and a day whose midnight is skipped starts at the first instant
/// that exists (NodaTime's <see cref="DateTimeZone.AtStartOfDay"/>). These are exactly the bounds the KPI report gives
/// an ISO week or month in the same zone (<see cref="KpiReportOptions.TimeZone"/>).
/// </summary>
public sealed record CalendarPeriod
{
    private CalendarPeriod(PeriodGranularity granularity, LocalDate start, DateTimeZone zone)
    {
        Granularity = granularity;
        StartDate = start;
        Zone = zone;
    }

    /// <summary><see cref="PeriodGranularity.Week"/> or <see cref="PeriodGranularity.Month"/>.</summary>
    public PeriodGranularity Granularity { get; }

    /// <summary>The first day: a Monday for a week, the 1st for a month.</summary>
    public LocalDate StartDate { get; }

    /// <summary>The time zone whose days the period is made of.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The day after the last day (exclusive).</summary>
    public LocalDate EndDate => Granularity == PeriodGranularity.Week ? StartDate.PlusWeeks(1) : StartDate.PlusMonths(1);

    /// <summary>Inclusive start instant: the start of <see cref="StartDate"/> in <see cref="Zone"/>.</summary>
    public Instant Start => Zone.AtStartOfDay(StartDate).ToInstant();

    /// <summary>Exclusive end instant: the start of <see cref="EndDate"/> in <see cref="Zone"/>.</summary>
    public Instant End => Zone.AtStartOfDay(EndDate).ToInstant();

    /// <summary>"2026-W47" for an ISO week (the ISO week-based year), "2026-11" for a month.</summary>
    public string Label => Granularity == PeriodGranularity.Week
        ? string.Create(CultureInfo.InvariantCulture,
            $"{WeekYearRules.Iso.GetWeekYear(StartDate):0000}-W{WeekYearRules.Iso.GetWeekOfWeekYear(StartDate):00}")
        : string.Create(CultureInfo.InvariantCulture, $"{StartDate.Year:0000}-{StartDate.Month:00}");

    /// <summary>The period of the same kind just before this one (same length in days for weeks).</summary>
    public CalendarPeriod Previous => new(Granularity, Granularity == PeriodGranularity.Week ? StartDate.PlusWeeks(-1) : StartDate.PlusMonths(-1), Zone);

    /// <summary>The period of the same kind just after this one.</summary>
    public CalendarPeriod Next => new(Granularity, EndDate, Zone);

    /// <summary>The week or month containing <paramref name="date"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The granularity is not week or month.</exception>
    public static CalendarPeriod Containing(PeriodGranularity granularity, LocalDate date, DateTimeZone zone)
    {
        Guard.NotNull(zone);
        return granularity switch
        {
            PeriodGranularity.Week => new(granularity, date.PlusDays(-((int)date.DayOfWeek - (int)IsoDayOfWeek.Monday)), zone),
            PeriodGranularity.Month => new(granularity, new LocalDate(date.Year, date.Month, 1), zone),
            _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "a calendar period is a week or a month"),
        };
    }

    /// <summary>The week or month containing <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static CalendarPeriod Containing(PeriodGranularity granularity, Instant instant, DateTimeZone zone) =>
        Containing(granularity, instant.InZone(Guard.NotNull(zone)).Date, zone);

    /// <summary>The period as a report period (label and instant bounds).</summary>
    public ReportPeriod ToReportPeriod() => new(Label, Start, End);

    /// <inheritdoc />
    public override string ToString() => $"{Label} ({Zone.Id})";
}
