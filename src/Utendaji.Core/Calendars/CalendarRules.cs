using NodaTime;
using NodaTime.TimeZones;

namespace Utendaji.Core.Calendars;

/// <summary>
/// A <see cref="CalendarDefinition"/> turned into lookups by date, and the mapping of its wall-clock hours to
/// instants. Used to build the precomputed chunks of a <see cref="BusinessCalendar"/>.
/// </summary>
internal sealed class CalendarRules
{
    private readonly OpenHours[][] _week = new OpenHours[8][];
    private readonly Dictionary<LocalDate, IReadOnlyList<OpenHours>> _special;
    private readonly Dictionary<LocalDate, IReadOnlyList<OpenHours>> _breaks;
    private readonly LocalDate[] _holidays; // sorted, distinct: a chunk finds its own by binary search
    private readonly AnnualDate[] _yearly;
    private readonly RecurringHoliday[] _recurring;

    public CalendarRules(CalendarDefinition definition)
    {
        Zone = Guard.NotNull(definition.Zone);
        for (int day = 1; day <= 7; day++)
        {
            _week[day] = definition.Week.TryGetValue((IsoDayOfWeek)day, out IReadOnlyList<OpenHours>? hours) ? [.. hours] : [];
        }

        _week[0] = [];
        _special = new Dictionary<LocalDate, IReadOnlyList<OpenHours>>(definition.SpecialHours);
        _breaks = new Dictionary<LocalDate, IReadOnlyList<OpenHours>>(definition.Breaks);
        _holidays = [.. definition.Holidays.Distinct().Order()];
        _yearly = [.. definition.YearlyHolidays];
        _recurring = [.. definition.RecurringHolidays];

        WeekHasHours = _week.Any(d => d.Length > 0);
        LocalDate[] specialOpen = [.. _special.Where(p => p.Value.Count > 0).Select(p => p.Key).Order()];
        FirstSpecialOpenDate = specialOpen.Length > 0 ? specialOpen[0] : null;
        LastSpecialOpenDate = specialOpen.Length > 0 ? specialOpen[^1] : null;
    }

    public DateTimeZone Zone { get; }

    /// <summary>Whether any weekday has hours; if not, only special-hours dates can open.</summary>
    public bool WeekHasHours { get; }

    public LocalDate? FirstSpecialOpenDate { get; }

    public LocalDate? LastSpecialOpenDate { get; }

    /// <summary>Dates from <paramref name="first"/> to <paramref name="last"/> closed as holidays.</summary>
    public HashSet<LocalDate> HolidaysBetween(LocalDate first, LocalDate last)
    {
        var result = new HashSet<LocalDate>();
        int index = Array.BinarySearch(_holidays, first);
        for (int i = index < 0 ? ~index : index; i < _holidays.Length && _holidays[i] <= last; i++)
        {
            result.Add(_holidays[i]);
        }

        for (int year = first.Year; year <= last.Year; year++)
        {
            foreach (AnnualDate annual in _yearly)
            {
                if (annual.IsValidYear(year))
                {
                    LocalDate date = annual.InYear(year);
                    if (date >= first && date <= last)
                    {
                        result.Add(date);
                    }
                }
            }
        }

        foreach (RecurringHoliday rule in _recurring)
        {
            result.UnionWith(rule.DatesBetween(first, last));
        }

        return result;
    }

    /// <summary>
    /// The hours that start on <paramref name="date"/>: special hours win over holidays (they are the more specific
    /// statement about one date), holidays close the day, else the week's hours.
    /// </summary>
    public IReadOnlyList<OpenHours> HoursStartingOn(LocalDate date, bool isHoliday) =>
        _special.TryGetValue(date, out IReadOnlyList<OpenHours>? special) ? special
        : isHoliday ? []
        : _week[(int)date.DayOfWeek];

    /// <summary>Breaks written for <paramref name="date"/>.</summary>
    public IReadOnlyList<OpenHours> BreaksOn(LocalDate date) =>
        _breaks.TryGetValue(date, out IReadOnlyList<OpenHours>? breaks) ? breaks : [];

    /// <summary>
    /// The instants [start, end) of wall-clock hours on <paramref name="date"/>, as Unix ticks. The opening maps to
    /// its earliest instant, the closing to its latest; a wall time skipped by a DST gap maps to the end of the gap.
    /// A close at or before the open (including "24:00", stored as midnight) is on the next day.
    /// </summary>
    public (long Start, long End) ToInstants(LocalDate date, OpenHours hours)
    {
        LocalDateTime open = date + hours.Open;
        LocalDateTime close = hours.CloseIsEndOfDay || hours.Close <= hours.Open
            ? date.PlusDays(1) + hours.Close
            : date + hours.Close;
        return (MapOpen(open), MapClose(close));
    }

    private long MapOpen(LocalDateTime local)
    {
        ZoneLocalMapping mapping = Zone.MapLocal(local);
        Instant instant = mapping.Count == 0 ? mapping.LateInterval.Start : mapping.First().ToInstant();
        return instant.ToUnixTimeTicks();
    }

    private long MapClose(LocalDateTime local)
    {
        ZoneLocalMapping mapping = Zone.MapLocal(local);
        Instant instant = mapping.Count == 0 ? mapping.LateInterval.Start : mapping.Last().ToInstant();
        return instant.ToUnixTimeTicks();
    }
}
