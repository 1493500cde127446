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
    }

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

    /// <summary>The dates closed by this rule from <paramref name="first"/> to <paramref name="last"/> inclusive.</summary>
    public IEnumerable<LocalDate> DatesBetween(LocalDate first, LocalDate last)
    {
        // An occurrence starting up to Days - 1 days before "first" still covers it.
        int fromYear = Math.Max(FirstStart.Year, first.PlusDays(-(Days - 1)).Year);
        for (int year = fromYear; year <= last.Year; year++)
        {
            if ((year - FirstStart.Year) % IntervalYears != 0)
            {
                continue;
            }

            foreach (LocalDate start in StartsInYear(year))
            {
                for (int i = 0; i < Days; i++)
                {
                    LocalDate date = start.PlusDays(i);
                    if (date >= first && date <= last)
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

    private LocalDate? FindLastStart(int count)
    {
        int seen = 0;
        LocalDate? lastSeen = null;
        // A rule that matches nothing in a year (e.g. 29 February) is skipped; 400 years covers every pattern.
        int quietYears = 0;
        for (int year = FirstStart.Year; year <= 9999 && quietYears <= 400 * IntervalYears; year += IntervalYears)
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
