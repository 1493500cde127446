using NodaTime;

namespace Utendaji.Core.Calendars;

/// <summary>
/// Open hours of a support organisation in one IANA time zone, precomputed as UTC intervals with a running
/// total so that every lookup is O(log n). Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// <para>
/// Open hours are local wall-clock times in <see cref="Zone"/>; business time is the real elapsed time inside
/// them. An opening wall time maps to its earliest instant and a closing wall time to its latest, so a fall-back
/// day open 00:00–24:00 counts 25 hours; a wall time inside a spring-forward gap maps to the end of the gap, so
/// the gap counts nothing. Overlapping and touching intervals are merged.
/// </para>
/// <para>
/// The timeline is cut into chunks of 2^48 ticks (about 326 days). A chunk's open intervals, clipped to the
/// chunk, are computed from the definition the first time any lookup touches it, then kept: sorted UTC starts
/// and ends with the business time before each interval, so a lookup is one or two binary searches. Chunks are
/// published with a compare-and-swap, so concurrent first lookups at worst compute the same chunk twice.
/// Instants from <see cref="MinSupported"/> (inclusive) to <see cref="MaxSupported"/> (exclusive), roughly
/// the years 1 to 9998, are supported; <see cref="AlwaysOpen"/> supports every instant.
/// </para>
/// </remarks>
public sealed class BusinessCalendar
{
    private const int ChunkShift = 48;
    private const long NanosPerTick = 100; // nanoseconds per tick

    // Whole chunks whose local dates, padded by a few days, stay inside NodaTime's range (years -9998..9999).
    private static readonly long FirstChunk =
        (Instant.FromUtc(1, 1, 3, 0, 0).ToUnixTimeTicks() >> ChunkShift) + 1;
    private static readonly long EndChunk =
        Instant.FromUtc(9998, 12, 29, 0, 0).ToUnixTimeTicks() >> ChunkShift;

    private readonly CalendarRules? _rules;
    private readonly Chunk?[] _chunks = [];
    private readonly long _firstOpenChunk;
    private readonly long _lastOpenChunk;

    private BusinessCalendar(string name, DateTimeZone zone)
    {
        Name = name;
        Zone = zone;
        HasOpenHours = true;
    }

    private BusinessCalendar(CalendarDefinition definition)
    {
        Name = Guard.NotBlank(definition.Name);
        Zone = Guard.NotNull(definition.Zone);
        _rules = new CalendarRules(definition);
        _chunks = new Chunk?[EndChunk - FirstChunk];
        if (_rules.WeekHasHours)
        {
            _firstOpenChunk = FirstChunk;
            _lastOpenChunk = EndChunk - 1;
        }
        else if (_rules.FirstSpecialOpenDate is { } first && _rules.LastSpecialOpenDate is { } last)
        {
            // Only special-hours dates can open: chunks outside them are known to be closed without computing.
            // Padded by days for the zone's offset; the padding is taken only inside the years chunks cover, so a date
            // at either end of NodaTime's range (9999-12-31 overflowed here) opens no chunk beyond them.
            _firstOpenChunk = first.Year <= 1 ? FirstChunk : Math.Max(FirstChunk, ChunkOfDate(first.PlusDays(-2)));
            _lastOpenChunk = last.Year >= 9998 ? EndChunk - 1 : Math.Min(EndChunk - 1, ChunkOfDate(last.PlusDays(3)));
        }
        else
        {
            _firstOpenChunk = EndChunk;
            _lastOpenChunk = FirstChunk - 1;
        }

        HasOpenHours = _firstOpenChunk <= _lastOpenChunk;
    }

    private static long ChunkOfDate(LocalDate date) =>
        date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().ToUnixTimeTicks() >> ChunkShift;

    /// <summary>The calendar's name, as referenced by SLA policies and team mappings.</summary>
    public string Name { get; }

    /// <summary>The zone the open hours are written in.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>
    /// False when the definition opens on no day at all (empty week and no special hours); then
    /// <see cref="Add"/> with a non-zero duration and <see cref="NextOpen"/> outside open hours throw.
    /// </summary>
    public bool HasOpenHours { get; }

    /// <summary>The earliest instant a calendar built from a definition accepts (about 0001-06-12T20:10Z).</summary>
    public static Instant MinSupported { get; } = Instant.FromUnixTimeTicks(FirstChunk << ChunkShift);

    /// <summary>The first instant past the range a calendar built from a definition accepts (about 9998-07-09T18:55Z).</summary>
    public static Instant MaxSupported { get; } = Instant.FromUnixTimeTicks(EndChunk << ChunkShift);

    /// <summary>A calendar that is always open (24×7, zone UTC), used where no business calendar applies.</summary>
    public static BusinessCalendar AlwaysOpen(string name = "24x7") => new(name, DateTimeZone.Utc);

    /// <summary>Builds a calendar from its definition (parsed from JSON, holidays from .ics already merged).</summary>
    /// <remarks>
    /// Rules, by local date of the calendar's zone: special hours replace the week's hours on their date (and win
    /// over a holiday on the same date); a holiday closes the hours that start on it, while an overnight interval
    /// that started the day before keeps running; a break removes its wall-clock range on its date from whatever
    /// is open then, mapped like open hours (start earliest, end latest). Nothing is computed until first use.
    /// </remarks>
    public static BusinessCalendar FromDefinition(CalendarDefinition definition) => new(Guard.NotNull(definition));

    /// <summary>Business time between two instants; negative when <paramref name="to"/> is before <paramref name="from"/>.</summary>
    /// <remarks>The time inside open intervals of [from, to), to the nanosecond.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An instant outside the supported range.</exception>
    public Duration Elapsed(Instant from, Instant to)
    {
        if (_rules is null)
        {
            return to - from;
        }

        if (to < from)
        {
            return -Elapsed(to, from);
        }

        long fromTicks = ToTicks(from, out int fromNanos);
        long toTicks = ToTicks(to, out int toNanos);
        long fromChunk = ChunkOf(fromTicks, nameof(from));
        long toChunk = ChunkOf(toTicks, nameof(to));
        Chunk first = GetChunk(fromChunk);
        long business;
        Chunk last = first;
        if (fromChunk == toChunk)
        {
            business = first.BusinessBefore(toTicks) - first.BusinessBefore(fromTicks);
        }
        else
        {
            business = first.Total - first.BusinessBefore(fromTicks);
            for (long k = fromChunk + 1; k < toChunk; k++)
            {
                business += GetChunk(k).Total;
            }

            last = GetChunk(toChunk);
            business += last.BusinessBefore(toTicks);
        }

        Duration result = Duration.FromTicks(business);
        if ((fromNanos | toNanos) != 0)
        {
            // Interval bounds are whole ticks, so a sub-tick remainder is open exactly when its tick is.
            long nanos = (toNanos != 0 && last.IsOpen(toTicks) ? toNanos : 0)
                - (fromNanos != 0 && first.IsOpen(fromTicks) ? fromNanos : 0);
            result += Duration.FromNanoseconds(nanos);
        }

        return result;
    }

    /// <summary>
    /// The instant at which <paramref name="duration"/> of business time has passed since <paramref name="from"/>
    /// (negative goes backwards). A duration used up exactly at a closing time gives that closing instant,
    /// not the next opening.
    /// </summary>
    /// <remarks>
    /// Forwards this is the earliest instant t with Elapsed(from, t) = duration; backwards the latest such instant,
    /// so a negative duration used up exactly at an opening gives that opening. <c>Add(from, Duration.Zero)</c> is
    /// <paramref name="from"/> even when closed. Elapsed(from, Add(from, d)) = d always.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An instant outside the supported range.</exception>
    /// <exception cref="InvalidOperationException">The calendar does not open enough before the end of its range.</exception>
    public Instant Add(Instant from, Duration duration)
    {
        if (duration == Duration.Zero)
        {
            return from;
        }

        if (_rules is null)
        {
            return from + duration;
        }

        long fromTicks = ToTicks(from, out int fromNanos);
        long chunkIndex = ChunkOf(fromTicks, nameof(from));
        Chunk chunk = GetChunk(chunkIndex);
        // Business nanoseconds from the chunk start; a chunk holds at most 2^48 ticks, far inside a long.
        long position = (chunk.BusinessBefore(fromTicks) * NanosPerTick)
            + (fromNanos != 0 && chunk.IsOpen(fromTicks) ? fromNanos : 0);

        if (duration > Duration.Zero)
        {
            Duration available = Duration.FromNanoseconds((chunk.Total * NanosPerTick) - position);
            if (duration <= available)
            {
                return chunk.InstantForward(position + duration.ToInt64Nanoseconds());
            }

            Duration remaining = duration - available;
            for (long k = chunkIndex + 1; k <= _lastOpenChunk; k++)
            {
                Chunk next = GetChunk(k);
                Duration capacity = Duration.FromTicks(next.Total);
                if (remaining <= capacity)
                {
                    return next.InstantForward(remaining.ToInt64Nanoseconds());
                }

                remaining -= capacity;
            }

            throw new InvalidOperationException(
                $"calendar '{Name}' does not open for {duration} of business time after {from} (it has {duration - remaining} up to {MaxSupported})");
        }
        else
        {
            Duration back = -duration;
            if (back <= Duration.FromNanoseconds(position))
            {
                return chunk.InstantBackward(position - back.ToInt64Nanoseconds());
            }

            Duration remaining = back - Duration.FromNanoseconds(position);
            for (long k = chunkIndex - 1; k >= _firstOpenChunk; k--)
            {
                Chunk previous = GetChunk(k);
                Duration capacity = Duration.FromTicks(previous.Total);
                if (remaining <= capacity)
                {
                    return previous.InstantBackward((previous.Total * NanosPerTick) - remaining.ToInt64Nanoseconds());
                }

                remaining -= capacity;
            }

            throw new InvalidOperationException(
                $"calendar '{Name}' was not open for {back} of business time before {from} (it has {back - remaining} from {MinSupported})");
        }
    }

    /// <summary><paramref name="at"/> itself when inside open hours (start inclusive, end exclusive), else the next opening.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An instant outside the supported range.</exception>
    /// <exception cref="InvalidOperationException">The calendar never opens again before the end of its range.</exception>
    public Instant NextOpen(Instant at)
    {
        if (_rules is null)
        {
            return at;
        }

        long ticks = ToTicks(at, out _);
        long chunkIndex = ChunkOf(ticks, nameof(at));
        Chunk chunk = GetChunk(chunkIndex);
        int i = chunk.LastStartAtOrBefore(ticks);
        if (i >= 0 && ticks < chunk.Ends[i])
        {
            return at;
        }

        if (i + 1 < chunk.Starts.Length)
        {
            return Instant.FromUnixTimeTicks(chunk.Starts[i + 1]);
        }

        for (long k = Math.Max(chunkIndex + 1, _firstOpenChunk); k <= _lastOpenChunk; k++)
        {
            Chunk next = GetChunk(k);
            if (next.Starts.Length > 0)
            {
                return Instant.FromUnixTimeTicks(next.Starts[0]);
            }
        }

        throw new InvalidOperationException($"calendar '{Name}' never opens after {at}");
    }

    /// <summary>Whether <paramref name="at"/> is inside open hours; interval starts are inclusive, ends exclusive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An instant outside the supported range.</exception>
    public bool IsOpen(Instant at)
    {
        if (_rules is null)
        {
            return true;
        }

        long ticks = ToTicks(at, out _);
        return GetChunk(ChunkOf(ticks, nameof(at))).IsOpen(ticks);
    }

    /// <summary>The open intervals overlapping [from, to), clipped to it; used by "explain".</summary>
    /// <remarks>Intervals are merged (an interval running across a chunk boundary is reported once), in order.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An instant outside the supported range.</exception>
    public IEnumerable<Interval> OpenIntervals(Instant from, Instant to)
    {
        if (to <= from)
        {
            return [];
        }

        if (_rules is null)
        {
            return [new Interval(from, to)];
        }

        long fromTicks = ToTicks(from, out _);
        long toTicks = ToTicks(to, out int toNanos);
        long firstChunk = ChunkOf(fromTicks, nameof(from));
        long lastChunk = ChunkOf(toTicks, nameof(to));
        var result = new List<Interval>();
        Instant? pendingStart = null;
        Instant pendingEnd = default;
        for (long k = firstChunk; k <= lastChunk; k++)
        {
            if (k < _firstOpenChunk || k > _lastOpenChunk)
            {
                continue;
            }

            Chunk chunk = GetChunk(k);
            for (int i = 0; i < chunk.Starts.Length; i++)
            {
                if (chunk.Ends[i] <= fromTicks || chunk.Starts[i] > toTicks || (chunk.Starts[i] == toTicks && toNanos == 0))
                {
                    continue;
                }

                Instant start = Instant.FromUnixTimeTicks(chunk.Starts[i]);
                Instant end = Instant.FromUnixTimeTicks(chunk.Ends[i]);
                start = start < from ? from : start;
                end = end > to ? to : end;
                if (pendingStart is not null && pendingEnd == start)
                {
                    pendingEnd = end;
                    continue;
                }

                if (pendingStart is { } done)
                {
                    result.Add(new Interval(done, pendingEnd));
                }

                pendingStart = start;
                pendingEnd = end;
            }
        }

        if (pendingStart is { } tail)
        {
            result.Add(new Interval(tail, pendingEnd));
        }

        return result;
    }

    /// <summary>Floor of the instant in Unix ticks, and the nanoseconds past that tick (0..99).</summary>
    private static long ToTicks(Instant instant, out int nanos)
    {
        nanos = (instant - NodaConstants.UnixEpoch).SubsecondNanoseconds % 100;
        if (nanos < 0)
        {
            nanos += 100;
        }

        return instant.ToUnixTimeTicks();
    }

    private static long ChunkOf(long ticks, string parameter)
    {
        long chunk = ticks >> ChunkShift;
        if (chunk < FirstChunk || chunk >= EndChunk)
        {
            throw new ArgumentOutOfRangeException(
                parameter, Instant.FromUnixTimeTicks(ticks), $"business calendars support instants from {MinSupported} to {MaxSupported}");
        }

        return chunk;
    }

    private Chunk GetChunk(long index)
    {
        Chunk? chunk = Volatile.Read(ref _chunks[index - FirstChunk]);
        return chunk ?? Publish(index);
    }

    private Chunk Publish(long index)
    {
        Chunk built = index < _firstOpenChunk || index > _lastOpenChunk ? Chunk.Empty : BuildChunk(index);
        return Interlocked.CompareExchange(ref _chunks[index - FirstChunk], built, null) ?? built;
    }

    private Chunk BuildChunk(long index)
    {
        CalendarRules rules = _rules!;
        long chunkStart = index << ChunkShift;
        long chunkEnd = (index + 1) << ChunkShift;
        // Two days before: an overnight interval of the previous local date, under any UTC offset (≤ 18 h).
        LocalDate firstDate = Instant.FromUnixTimeTicks(chunkStart).InZone(rules.Zone).Date.PlusDays(-2);
        LocalDate lastDate = Instant.FromUnixTimeTicks(chunkEnd).InZone(rules.Zone).Date.PlusDays(1);
        HashSet<LocalDate> holidays = rules.HolidaysBetween(firstDate, lastDate);

        var open = new List<(long Start, long End)>();
        var breaks = new List<(long Start, long End)>();
        for (LocalDate date = firstDate; date <= lastDate; date = date.PlusDays(1))
        {
            foreach (OpenHours hours in rules.HoursStartingOn(date, holidays.Contains(date)))
            {
                open.Add(rules.ToInstants(date, hours));
            }

            foreach (OpenHours removed in rules.BreaksOn(date))
            {
                breaks.Add(rules.ToInstants(date, removed));
            }
        }

        List<(long Start, long End)> merged = Subtract(Merge(open), Merge(breaks));
        var starts = new List<long>(merged.Count);
        var ends = new List<long>(merged.Count);
        foreach ((long start, long end) in merged)
        {
            long s = Math.Max(start, chunkStart);
            long e = Math.Min(end, chunkEnd);
            if (s < e)
            {
                starts.Add(s);
                ends.Add(e);
            }
        }

        return new Chunk(chunkStart, [.. starts], [.. ends]);
    }

    /// <summary>Sorted union of intervals; empty ones dropped, overlapping and touching ones joined.</summary>
    private static List<(long Start, long End)> Merge(List<(long Start, long End)> intervals)
    {
        intervals.Sort();
        var result = new List<(long Start, long End)>(intervals.Count);
        foreach ((long start, long end) in intervals)
        {
            if (end <= start)
            {
                continue;
            }

            if (result.Count > 0 && start <= result[^1].End)
            {
                result[^1] = (result[^1].Start, Math.Max(result[^1].End, end));
            }
            else
            {
                result.Add((start, end));
            }
        }

        return result;
    }

    /// <summary>Sorted, disjoint <paramref name="open"/> minus sorted, disjoint <paramref name="removed"/>.</summary>
    private static List<(long Start, long End)> Subtract(List<(long Start, long End)> open, List<(long Start, long End)> removed)
    {
        if (removed.Count == 0)
        {
            return open;
        }

        var result = new List<(long Start, long End)>(open.Count + removed.Count);
        int r = 0;
        foreach ((long start, long end) in open)
        {
            long cursor = start;
            while (r < removed.Count && removed[r].End <= cursor)
            {
                r++;
            }

            for (int j = r; j < removed.Count && removed[j].Start < end; j++)
            {
                if (removed[j].Start > cursor)
                {
                    result.Add((cursor, removed[j].Start));
                }

                cursor = Math.Max(cursor, removed[j].End);
            }

            if (cursor < end)
            {
                result.Add((cursor, end));
            }
        }

        return result;
    }

    /// <summary>
    /// One chunk's open intervals, clipped to the chunk, in Unix ticks: sorted, disjoint, non-empty, with the
    /// business ticks before and after each interval counted from the chunk start.
    /// </summary>
    private sealed class Chunk
    {
        public static readonly Chunk Empty = new(0, [], []);

        // A binary search over a year of intervals mispredicts about half of its ~10 branches; a table of the last
        // interval starting before each 2^36-tick (~1.9 h) bucket turns the search into one load plus a step or two.
        private const int BucketShift = 36;
        private readonly long _chunkStart;
        private readonly int[] _bucketFirst;

        public Chunk(long chunkStart, long[] starts, long[] ends)
        {
            _chunkStart = chunkStart;
            Starts = starts;
            Ends = ends;
            _bucketFirst = starts.Length == 0 ? [] : new int[1 << (ChunkShift - BucketShift)];
            int index = -1;
            for (int b = 0; b < _bucketFirst.Length; b++)
            {
                long bucketStart = chunkStart + ((long)b << BucketShift);
                while (index + 1 < starts.Length && starts[index + 1] <= bucketStart)
                {
                    index++;
                }

                _bucketFirst[b] = index;
            }

            Before = new long[starts.Length];
            After = new long[starts.Length];
            long total = 0;
            for (int i = 0; i < starts.Length; i++)
            {
                Before[i] = total;
                total += ends[i] - starts[i];
                After[i] = total;
            }

            Total = total;
        }

        public long[] Starts { get; }

        public long[] Ends { get; }

        /// <summary>Business ticks before interval i.</summary>
        public long[] Before { get; }

        /// <summary>Business ticks up to the end of interval i.</summary>
        public long[] After { get; }

        public long Total { get; }

        /// <summary>Index of the last interval starting at or before <paramref name="ticks"/> (inside the chunk), or -1.</summary>
        public int LastStartAtOrBefore(long ticks)
        {
            long[] starts = Starts;
            if (starts.Length == 0)
            {
                return -1;
            }

            int i = _bucketFirst[(int)((ulong)(ticks - _chunkStart) >> BucketShift)];
            while ((uint)(i + 1) < (uint)starts.Length && starts[i + 1] <= ticks)
            {
                i++;
            }

            return i;
        }

        /// <summary>Business ticks from the chunk start to <paramref name="ticks"/>.</summary>
        public long BusinessBefore(long ticks)
        {
            int i = LastStartAtOrBefore(ticks);
            return i < 0 ? 0 : Before[i] + Math.Min(ticks - Starts[i], Ends[i] - Starts[i]);
        }

        public bool IsOpen(long ticks)
        {
            int i = LastStartAtOrBefore(ticks);
            return i >= 0 && ticks < Ends[i];
        }

        /// <summary>The earliest instant by which <paramref name="nanos"/> (0 &lt; n ≤ total) business nanoseconds have passed.</summary>
        public Instant InstantForward(long nanos)
        {
            long ticks = nanos / NanosPerTick;
            int rest = (int)(nanos % NanosPerTick);
            // First interval whose end reaches the target; ending exactly on it gives its closing instant.
            long key = rest == 0 ? ticks : ticks + 1;
            int lo = 0;
            int hi = After.Length - 1;
            while (lo < hi)
            {
                int mid = (int)((uint)(lo + hi) >> 1);
                if (After[mid] >= key)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return At(lo, ticks, rest);
        }

        /// <summary>The latest instant at which <paramref name="nanos"/> (0 ≤ n &lt; total) business nanoseconds have passed.</summary>
        public Instant InstantBackward(long nanos)
        {
            long ticks = nanos / NanosPerTick;
            int rest = (int)(nanos % NanosPerTick);
            // Last interval starting at or before the target; starting exactly on it gives its opening instant.
            int lo = 0;
            int hi = Before.Length - 1;
            while (lo < hi)
            {
                int mid = (int)((uint)(lo + hi + 1) >> 1);
                if (Before[mid] <= ticks)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return At(lo, ticks, rest);
        }

        private Instant At(int interval, long businessTicks, int nanos)
        {
            Instant instant = Instant.FromUnixTimeTicks(Starts[interval] + (businessTicks - Before[interval]));
            return nanos == 0 ? instant : instant + Duration.FromNanoseconds(nanos);
        }
    }
}
