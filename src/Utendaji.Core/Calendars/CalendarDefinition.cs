using NodaTime;

namespace Utendaji.Core.Calendars;

/// <summary>Wall-clock open hours on one day: [Open, Close). A close at or before the open runs overnight.</summary>
/// <param name="Open">Local opening time.</param>
/// <param name="Close">Local closing time; <c>24:00</c> is written as <see cref="LocalTime.Midnight"/> with <paramref name="CloseIsEndOfDay"/>.</param>
/// <param name="CloseIsEndOfDay">True when the close was written "24:00".</param>
public readonly record struct OpenHours(LocalTime Open, LocalTime Close, bool CloseIsEndOfDay = false);

/// <summary>A business calendar as written by its author (JSON, see docs/formats.md), before precomputation.</summary>
public sealed record CalendarDefinition
{
    /// <summary>Calendar name.</summary>
    public required string Name { get; init; }
    /// <summary>IANA zone the hours are written in.</summary>
    public required DateTimeZone Zone { get; init; }
    /// <summary>Open hours per day of the week; a missing or empty day is closed.</summary>
    public IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>> Week { get; init; } =
        new Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>>();
    /// <summary>Closed dates.</summary>
    public IReadOnlyCollection<LocalDate> Holidays { get; init; } = [];
    /// <summary>
    /// Dates closed every year (<c>*-MM-DD</c>), as (month, day). <c>*-02-29</c> closes 29 February in leap years
    /// only.
    /// </summary>
    public IReadOnlyCollection<AnnualDate> YearlyHolidays { get; init; } = [];
    /// <summary>
    /// Holidays recurring under a yearly rule with a start, an interval, a count or an end (from .ics
    /// <c>RRULE:FREQ=YEARLY</c>).
    /// </summary>
    public IReadOnlyCollection<RecurringHoliday> RecurringHolidays { get; init; } = [];

    /// <summary>Hours that replace the week's hours on a date (an empty list closes the day).</summary>
    public IReadOnlyDictionary<LocalDate, IReadOnlyList<OpenHours>> SpecialHours { get; init; } =
        new Dictionary<LocalDate, IReadOnlyList<OpenHours>>();
    /// <summary>Time removed from the open hours on a date.</summary>
    public IReadOnlyDictionary<LocalDate, IReadOnlyList<OpenHours>> Breaks { get; init; } =
        new Dictionary<LocalDate, IReadOnlyList<OpenHours>>();
    /// <summary>Teams whose tickets are measured in this calendar.</summary>
    public IReadOnlyCollection<string> Teams { get; init; } = [];
}
