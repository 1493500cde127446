using NodaTime;

namespace Utendaji.Cli.Demo;

/// <summary>
/// A team's open hours as sorted UTC intervals (Unix seconds) with running totals, over a fixed range of dates.
/// The simulation's own small business clock: agents reply inside these hours. Outside the range it falls
/// back to calendar time, which only matters for events after the period, and those are never emitted.
/// </summary>
internal sealed class TeamClock
{
    private readonly long[] _starts;
    private readonly long[] _ends;
    private readonly long[] _before; // open seconds before interval i

    public TeamClock(DemoCalendar calendar, LocalDate from, LocalDate to)
    {
        Zone = calendar.Zone;
        var intervals = new List<(long Start, long End)>();
        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            calendar.Breaks.TryGetValue(date, out var breaks);
            foreach (var span in calendar.HoursOn(date))
            {
                var start = ToUnix(date, span.Open);
                var end = span.Close > span.Open ? ToUnix(date, span.Close) : ToUnix(date.PlusDays(1), span.Close);
                AddMinusBreaks(intervals, start, end, date, breaks);
            }
        }

        intervals.Sort((a, b) => a.Start.CompareTo(b.Start));
        _starts = new long[intervals.Count];
        _ends = new long[intervals.Count];
        _before = new long[intervals.Count + 1];
        for (var i = 0; i < intervals.Count; i++)
        {
            _starts[i] = intervals[i].Start;
            _ends[i] = intervals[i].End;
            _before[i + 1] = _before[i] + (intervals[i].End - intervals[i].Start);
        }
    }

    public DateTimeZone Zone { get; }

    /// <summary>Total open seconds in the range.</summary>
    public long TotalOpenSeconds => _before[^1];

    /// <summary>Whether <paramref name="t"/> is inside open hours (start inclusive, end exclusive).</summary>
    public bool IsOpen(long t)
    {
        var i = FirstEndingAfter(t);
        return i < _starts.Length && t >= _starts[i];
    }

    /// <summary>Business seconds between two instants (<paramref name="from"/> ≤ <paramref name="to"/>).</summary>
    public long Elapsed(long from, long to) => OpenBefore(to) - OpenBefore(from);

    /// <summary>
    /// The instant at which <paramref name="seconds"/> of open time have passed since <paramref name="from"/>; a
    /// duration used up exactly at a closing time gives that closing instant.
    /// </summary>
    public long Add(long from, long seconds)
    {
        var i = FirstEndingAfter(from);
        if (i >= _starts.Length)
        {
            return from + seconds;
        }

        var target = OpenBefore(from) + seconds;
        if (target > _before[^1])
        {
            return _ends[^1] + (target - _before[^1]);
        }

        // First interval whose open total reaches the target.
        int lo = i, hi = _starts.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_before[mid + 1] >= target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return Math.Max(from, _starts[lo] + (target - _before[lo]));
    }

    /// <summary><paramref name="t"/> when open, else the next opening.</summary>
    public long NextOpen(long t)
    {
        var i = FirstEndingAfter(t);
        return i >= _starts.Length ? t : Math.Max(t, _starts[i]);
    }

    /// <summary>The local hour of the day (0–23) at <paramref name="t"/>.</summary>
    public int LocalHour(long t)
    {
        var local = t + Zone.GetUtcOffset(Instant.FromUnixTimeSeconds(t)).Seconds;
        return (int)(((local % 86400) + 86400) % 86400 / 3600);
    }

    private long OpenBefore(long t)
    {
        var i = FirstEndingAfter(t);
        if (i >= _starts.Length)
        {
            return _before[^1];
        }

        return t <= _starts[i] ? _before[i] : _before[i] + (t - _starts[i]);
    }

    /// <summary>Index of the first interval whose end is after <paramref name="t"/>, or the count.</summary>
    private int FirstEndingAfter(long t)
    {
        int lo = 0, hi = _ends.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ends[mid] > t)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    private long ToUnix(LocalDate date, LocalTime time) =>
        Zone.AtLeniently(date.At(time)).ToInstant().ToUnixTimeSeconds();

    private void AddMinusBreaks(List<(long Start, long End)> intervals, long start, long end, LocalDate date, ShiftSpan[]? breaks)
    {
        var pieces = new List<(long Start, long End)> { (start, end) };
        foreach (var cut in breaks ?? [])
        {
            var cutStart = ToUnix(date, cut.Open);
            var cutEnd = ToUnix(date, cut.Close);
            var next = new List<(long Start, long End)>();
            foreach (var (s, e) in pieces)
            {
                if (cutEnd <= s || cutStart >= e)
                {
                    next.Add((s, e));
                    continue;
                }

                if (cutStart > s)
                {
                    next.Add((s, cutStart));
                }

                if (cutEnd < e)
                {
                    next.Add((cutEnd, e));
                }
            }

            pieces = next;
        }

        intervals.AddRange(pieces);
    }
}
