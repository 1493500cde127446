using NodaTime;

namespace Utendaji.Core.Calendars;

/// <summary>A weekday in a yearly rule (iCalendar <c>BYDAY</c>): every such weekday, or only the n-th one.</summary>
/// <param name="Day">The weekday.</param>
/// <param name="Ordinal">
/// 0 for every such weekday; 1..53 for the n-th, -1..-53 for the n-th from the end, counted within the month when
/// the rule names months (<c>BYMONTH</c>), else within the year (RFC 5545 §3.3.10).
/// </param>
public readonly record struct WeekdayOccurrence(IsoDayOfWeek Day, int Ordinal = 0);

/// <summary>
/// A holiday recurring under a yearly rule, the subset of iCalendar <c>RRULE:FREQ=YEARLY</c> that holiday
/// calendars use: an interval in years, an end given as a count of occurrences or a last date, and optional
/// <c>BYMONTH</c>, <c>BYMONTHDAY</c> and <c>BYDAY</c> parts. Each occurrence closes <see cref="Days"/> consecutive
/// dates. Immutable.
/// </summary>
public sealed record RecurringHoliday
{
    /// <summary>Creates a rule; <paramref name="count"/> and <paramref name="until"/> may not both be given.</summary>
    /// <param name="firstStart">The first occurrence (iCalendar <c>DTSTART</c>); nothing before it occurs.</param>
    /// <param name="days">Dates closed per occurrence (DTEND − DTSTART for all-day events), at least 1.</param>
    /// <param name="intervalYears">Every n-th year (<c>INTERVAL</c>), at least 1.</param>
    /// <param name="count">Number of occurrences (<c>COUNT</c>), counting <paramref name="firstStart"/>.</param>
    /// <param name="until">Last date an occurrence may start on (<c>UNTIL</c>), inclusive.</param>
    /// <param name="byMonth">Months 1..12; empty means the month of <paramref name="firstStart"/> unless other parts widen it.</param>
    /// <param name="byMonthDay">Days of the month 1..31 or -31..-1 (from the end).</param>
    /// <param name="byDay">Weekdays, optionally with an ordinal.</param>
    /// <param name="summary">The event's name, for "explain"; optional.</param>
    /// <param name="exceptDates">Occurrence starts removed from the rule (iCalendar <c>EXDATE</c>); they still count towards <paramref name="count"/>.</param>
    public RecurringHoliday(
        LocalDate firstStart,
        int days = 1,
        int intervalYears = 1,
        int? count = null,
        LocalDate? until = null,
        IReadOnlyList<int>? byMonth = null,
        IReadOnlyList<int>? byMonthDay = null,
        IReadOnlyList<WeekdayOccurrence>? byDay = null,
        string? summary = null,
        IReadOnlyCollection<LocalDate>? exceptDates = null)
    {
        Guard.InRange(days >= 1, "an occurrence closes at least one date");
        Guard.InRange(intervalYears >= 1, "the interval is at least one year");
        Guard.InRange(count is null || count >= 1, "the count is at least 1");
        Guard.InRange(count is null || until is null, "COUNT and UNTIL cannot both be given (RFC 5545)");
        byMonth ??= [];
        byMonthDay ??= [];
        byDay ??= [];
        Guard.InRange(byMonth.All(m => m is >= 1 and <= 12), "months are 1..12");
        Guard.InRange(byMonthDay.All(d => d is >= -31 and <= 31 and not 0), "month days are 1..31 or -31..-1");
        Guard.InRange(byDay.All(d => d.Ordinal is >= -53 and <= 53), "weekday ordinals are -53..53");
        FirstStart = firstStart;
        Days = days;
        IntervalYears = intervalYears;
        Count = count;
        Until = until;
        ByMonth = byMonth;
        ByMonthDay = byMonthDay;
        ByDay = byDay;
        Summary = summary;
        ExceptDates = exceptDates ?? [];
        LastStart = until ?? (count is { } n ? FindLastStart(n) : null);
        MaxDatesPerYear = Math.Min(OccurrencesPerYearAtMost(), 366) * days;
    }

    /// <summary>
    /// The most dates the rule closes in any one year (occurrences a year at most, times <see cref="Days"/>): what
    /// expanding it costs per year a lookup touches, bounded per calendar by <see cref="CalendarLimits"/>.
    /// </summary>
    public int MaxDatesPerYear { get; }

    /// <summary>The first occurrence.</summary>
    public LocalDate FirstStart { get; }
    /// <summary>Dates closed per occurrence.</summary>
    public int Days { get; }
    /// <summary>Every n-th year.</summary>
    public int IntervalYears { get; }
    /// <summary>Number of occurrences, when limited by count.</summary>
    public int? Count { get; }
    /// <summary>Last date an occurrence may start on, when limited by date.</summary>
    public LocalDate? Until { get; }
    /// <summary>BYMONTH.</summary>
    public IReadOnlyList<int> ByMonth { get; }
    /// <summary>BYMONTHDAY.</summary>
    public IReadOnlyList<int> ByMonthDay { get; }
    /// <summary>BYDAY.</summary>
    public IReadOnlyList<WeekdayOccurrence> ByDay { get; }
    /// <summary>The event's name, when known.</summary>
    public string? Summary { get; }
    /// <summary>Occurrence starts removed from the rule (EXDATE).</summary>
    public IReadOnlyCollection<LocalDate> ExceptDates { get; }
    /// <summary>The last date an occurrence starts on; null when the rule never ends.</summary>
    public LocalDate? LastStart { get; }

    /// <summary>
    /// The dates closed by this rule from <paramref name="first"/> to <paramref name="last"/> inclusive; only
    /// occurrences starting in the supported years (<see cref="CalendarLimits"/>, 1900 to 2199) are expanded.
    /// </summary>
    public IEnumerable<LocalDate> DatesBetween(LocalDate first, LocalDate last)
    {
        // An occurrence starting up to Days - 1 days before "first" still covers it. Years outside the supported
        // ones are not expanded: no reader accepts an instant there, and a rule that never ends (the usual holiday)
        // or starts centuries early would otherwise cost a year's expansion for every year a lookup spans.
        int fromYear = Math.Max(Math.Max(FirstStart.Year, CalendarLimits.FirstDate.Year), first.PlusDays(-(Days - 1)).Year);
        int toYear = Math.Min(last.Year, CalendarLimits.LastDate.Year);
        for (int year = fromYear; year <= toYear; year++)
        {
            if ((year - FirstStart.Year) % IntervalYears != 0)
            {
                continue;
            }

            foreach (LocalDate start in StartsInYear(year))
            {
                if (start > last)
                {
                    break;
                }

                // Only dates up to "last" are formed, so an occurrence near the end of NodaTime's range cannot overflow.
                int span = Math.Min(Days - 1, Period.Between(start, last, PeriodUnits.Days).Days);
                for (int i = 0; i <= span; i++)
                {
                    LocalDate date = start.PlusDays(i);
                    if (date >= first)
                    {
                        yield return date;
                    }
                }
            }
        }
    }

    /// <summary>Occurrence starts in <paramref name="year"/>, in order, limited to the rule's first and last start.</summary>
    private IEnumerable<LocalDate> StartsInYear(int year)
    {
        if (year < FirstStart.Year || (LastStart is { } end && year > end.Year))
        {
            yield break;
        }

        foreach (LocalDate date in CandidatesInYear(year))
        {
            if (date >= FirstStart && (LastStart is not { } last || date <= last) && !ExceptDates.Contains(date))
            {
                yield return date;
            }
        }
    }

    /// <summary>RFC 5545 YEARLY expansion of one year, before DTSTART/COUNT/UNTIL limits; sorted, distinct.</summary>
    private SortedSet<LocalDate> CandidatesInYear(int year)
    {
        var result = new SortedSet<LocalDate>();
        bool widened = ByMonthDay.Count > 0 || ByDay.Count > 0;
        IEnumerable<int> months = ByMonth.Count > 0 ? ByMonth : widened ? Enumerable.Range(1, 12) : [FirstStart.Month];
        if (ByDay.Count == 0)
        {
            foreach (int month in months)
            {
                int length = CalendarSystem.Iso.GetDaysInMonth(year, month);
                IEnumerable<int> monthDays = ByMonthDay.Count > 0 ? ByMonthDay : [FirstStart.Day];
                foreach (int monthDay in monthDays)
                {
                    int day = monthDay > 0 ? monthDay : length + 1 + monthDay;
                    if (day >= 1 && day <= length)
                    {
                        result.Add(new LocalDate(year, month, day));
                    }
                }
            }

            return result;
        }

        // BYDAY: ordinals count within each named month, or within the year when no month is named.
        IEnumerable<(LocalDate First, LocalDate Last)> periods = ByMonth.Count > 0
            ? ByMonth.Select(m => (new LocalDate(year, m, 1), new LocalDate(year, m, CalendarSystem.Iso.GetDaysInMonth(year, m))))
            : [(new LocalDate(year, 1, 1), new LocalDate(year, 12, 31))];
        foreach ((LocalDate first, LocalDate last) in periods)
        {
            foreach (WeekdayOccurrence weekday in ByDay)
            {
                var matches = new List<LocalDate>();
                for (LocalDate d = first.With(DateAdjusters.NextOrSame(weekday.Day)); d <= last; d = d.PlusWeeks(1))
                {
                    matches.Add(d);
                }

                if (weekday.Ordinal == 0)
                {
                    matches.ForEach(d => result.Add(d));
                }
                else
                {
                    int index = weekday.Ordinal > 0 ? weekday.Ordinal - 1 : matches.Count + weekday.Ordinal;
                    if (index >= 0 && index < matches.Count)
                    {
                        result.Add(matches[index]);
                    }
                }
            }
        }

        if (ByMonthDay.Count > 0)
        {
            // BYMONTHDAY with BYDAY: a date must satisfy both (RFC 5545 limits BYDAY by BYMONTHDAY).
            result.RemoveWhere(d => !ByMonthDay.Any(md =>
                md > 0 ? d.Day == md : d.Day == CalendarSystem.Iso.GetDaysInMonth(d.Year, d.Month) + 1 + md));
        }

        return result;
    }

    /// <summary>An upper bound on the starts <see cref="CandidatesInYear"/> finds in a year, from the rule's parts alone.</summary>
    private int OccurrencesPerYearAtMost()
    {
        int months = ByMonth.Distinct().Count();
        int monthDays = ByMonthDay.Distinct().Count();
        if (ByDay.Count == 0)
        {
            // Without BYDAY: each named (or, when BYMONTHDAY widens the rule, every) month, on each named day.
            return (months > 0 ? months : monthDays > 0 ? 12 : 1) * Math.Max(monthDays, 1);
        }

        // BYDAY counts within each named month (a weekday at most 5 times) or else within the year (53 times); an
        // ordinal picks one. BYMONTHDAY then only removes dates.
        int periods = Math.Max(months, 1);
        int perPeriod = ByDay.Distinct().Sum(d => d.Ordinal != 0 ? 1 : months > 0 ? 5 : 53);
        int occurrences = periods * perPeriod;
        return monthDays > 0 ? Math.Min(occurrences, (months > 0 ? months : 12) * monthDays) : occurrences;
    }

    private LocalDate? FindLastStart(int count)
    {
        int seen = 0;
        LocalDate? lastSeen = null;
        // A rule that matches nothing in a year (e.g. 29 February) is skipped; 400 years covers every pattern.
        int quietYears = 0;
        // Counted only up to 2199: occurrences after it are never expanded (DatesBetween), so ending the count there
        // changes nothing a lookup sees, and bounds the walk of a rarely matching rule with a large COUNT.
        for (int year = FirstStart.Year; year <= CalendarLimits.LastDate.Year && quietYears <= 400 * IntervalYears; year += IntervalYears)
        {
            bool any = false;
            foreach (LocalDate date in CandidatesInYear(year))
            {
                if (date < FirstStart)
                {
                    continue;
                }

                any = true;
                lastSeen = date;
                if (++seen == count)
                {
                    return date;
                }
            }

            quietYears = any ? 0 : quietYears + IntervalYears;
        }

        // Fewer occurrences than the count exist: the rule ends with the last one (or before its start).
        return lastSeen ?? FirstStart.PlusDays(-1);
    }
}
