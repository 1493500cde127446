using NodaTime;
using Utendaji.Core.Calendars;

namespace Utendaji.Core.Tests.Calendars;

/// <summary>
/// Independent reference for business time: walks a window minute by minute, converts each minute to local time
/// and tests it against the definition directly. Opening wall times count from their earliest instant and closing
/// ones until their latest: a minute is inside [open, close) when the largest local time seen up to it has reached
/// the open and the smallest local time from it on is still before the close (which is exactly "earliest open ≤ t
/// &lt; latest close", with gaps mapping to their end, without ever resolving a wall time to an instant).
/// </summary>
internal sealed class NaiveCalendar
{
    private const int MarginMinutes = 3 * 24 * 60;
    private readonly CalendarDefinition _definition;
    private readonly bool[] _open;
    private readonly long[] _cumulative; // open minutes before minute i

    public NaiveCalendar(CalendarDefinition definition, Instant windowStart, int minutes)
    {
        _definition = definition;
        WindowStart = windowStart;
        Minutes = minutes;
        int total = minutes + (2 * MarginMinutes);
        var local = new LocalDateTime[total];
        for (int i = 0; i < total; i++)
        {
            local[i] = windowStart.Plus(Duration.FromMinutes(i - MarginMinutes)).InZone(definition.Zone).LocalDateTime;
        }

        var maxSoFar = new LocalDateTime[total];
        var minFromHere = new LocalDateTime[total];
        for (int i = 0; i < total; i++)
        {
            maxSoFar[i] = i == 0 || local[i] > maxSoFar[i - 1] ? local[i] : maxSoFar[i - 1];
        }

        for (int i = total - 1; i >= 0; i--)
        {
            minFromHere[i] = i == total - 1 || local[i] < minFromHere[i + 1] ? local[i] : minFromHere[i + 1];
        }

        _open = new bool[minutes];
        _cumulative = new long[minutes + 1];
        for (int m = 0; m < minutes; m++)
        {
            LocalDateTime reached = maxSoFar[m + MarginMinutes];
            LocalDateTime ahead = minFromHere[m + MarginMinutes];
            bool open = false;
            bool removed = false;
            for (LocalDate date = ahead.Date.PlusDays(-1); date <= reached.Date; date = date.PlusDays(1))
            {
                open |= Hours(date).Any(h => Covers(date, h, reached, ahead));
                removed |= _definition.Breaks.TryGetValue(date, out IReadOnlyList<OpenHours>? breaks)
                    && breaks.Any(b => Covers(date, b, reached, ahead));
            }

            _open[m] = open && !removed;
            _cumulative[m + 1] = _cumulative[m] + (_open[m] ? 1 : 0);
        }
    }

    public Instant WindowStart { get; }

    public int Minutes { get; }

    public Instant At(int minute) => WindowStart.Plus(Duration.FromMinutes(minute));

    public bool IsOpen(int minute) => _open[minute];

    /// <summary>Open minutes in [from, to) (minute indexes; from ≤ to).</summary>
    public long OpenMinutes(int from, int to) => _cumulative[to] - _cumulative[from];

    /// <summary>First open minute at or after <paramref name="minute"/>, or null inside the window.</summary>
    public int? NextOpen(int minute)
    {
        for (int m = minute; m < Minutes; m++)
        {
            if (_open[m])
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>Earliest minute boundary k with OpenMinutes(from, k) = d, or null inside the window.</summary>
    public int? AddForward(int from, long d)
    {
        for (int k = from; k <= Minutes; k++)
        {
            if (_cumulative[k] - _cumulative[from] >= d)
            {
                return k;
            }
        }

        return null;
    }

    /// <summary>Latest minute boundary k with OpenMinutes(k, from) = d, or null inside the window.</summary>
    public int? AddBackward(int from, long d)
    {
        for (int k = from; k >= 0; k--)
        {
            if (_cumulative[from] - _cumulative[k] >= d)
            {
                return k;
            }
        }

        return null;
    }

    private IEnumerable<OpenHours> Hours(LocalDate date)
    {
        if (_definition.SpecialHours.TryGetValue(date, out IReadOnlyList<OpenHours>? special))
        {
            return special;
        }

        bool holiday = _definition.Holidays.Contains(date)
            || _definition.YearlyHolidays.Any(a => a.IsValidYear(date.Year) && a.InYear(date.Year) == date)
            || _definition.RecurringHolidays.Any(r => r.DatesBetween(date, date).Any());
        if (holiday)
        {
            return [];
        }

        return _definition.Week.TryGetValue(date.DayOfWeek, out IReadOnlyList<OpenHours>? hours) ? hours : [];
    }

    private static bool Covers(LocalDate date, OpenHours hours, LocalDateTime reached, LocalDateTime ahead)
    {
        LocalDateTime open = date + hours.Open;
        LocalDateTime close = hours.CloseIsEndOfDay || hours.Close <= hours.Open
            ? date.PlusDays(1) + hours.Close
            : date + hours.Close;
        return reached >= open && ahead < close;
    }
}
