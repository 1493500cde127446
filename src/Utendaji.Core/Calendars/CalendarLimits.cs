using NodaTime;

namespace Utendaji.Core.Calendars;

/// <summary>
/// What a calendar and the .ics holiday files it includes may hold. Dates lie in the years 1900 to 2199, the dates of
/// the instants every reader accepts (<see cref="Tickets.SupportedInstants"/>): a date beyond made the business
/// calendar overflow NodaTime's range (9999-12-31 crashed every import of the organisation). Holidays are days, not
/// centuries, and a file is bounded in what it expands to, so a 100-byte file cannot make a calendar of millions of
/// dates that every lookup then scans.
/// </summary>
public static class CalendarLimits
{
    /// <summary>The earliest date a calendar may name, 1900-01-01.</summary>
    public static readonly LocalDate FirstDate = new(1900, 1, 1);

    /// <summary>The last date a calendar may name, 2199-12-31.</summary>
    public static readonly LocalDate LastDate = new(2199, 12, 31);

    /// <summary>Why a date outside the range is refused, as an error says it.</summary>
    public const string DateReason = "is outside the supported range, 1900-01-01 to 2199-12-31 (the dates of instants from 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z)";

    /// <summary>The most dates one holiday event (or one occurrence of a recurring one) closes: a year.</summary>
    public const int MaxEventDays = 366;

    /// <summary>The most events one .ics file may hold (national holiday files hold tens to a few hundred).</summary>
    public const int MaxEventsPerFile = 5_000;

    /// <summary>
    /// The most single holiday dates a calendar may hold, its own and those of every .ics file it includes together
    /// (15 holidays a year for all 300 supported years is 4,500).
    /// </summary>
    public const int MaxHolidayDates = 20_000;

    /// <summary>
    /// The most recurring holidays a calendar may hold: every rule is expanded for each year a lookup touches, so
    /// their number is the cost of each year (national files hold tens).
    /// </summary>
    public const int MaxRecurringHolidays = 500;

    /// <summary>
    /// The most dates a calendar's recurring holidays may close in one year together, counted from each rule's parts
    /// (<see cref="RecurringHoliday.MaxDatesPerYear"/>): a rule on every day of every month closes 372 a year, and
    /// expanding 2,000 of them took 9 s for a 100-year lookup. Weekends as a rule close 106; a country's holidays tens.
    /// </summary>
    public const int MaxRecurringDatesPerYear = 1_000;

    /// <summary>Whether <paramref name="date"/> lies in the supported range.</summary>
    public static bool Contains(LocalDate date) => date >= FirstDate && date <= LastDate;
}
