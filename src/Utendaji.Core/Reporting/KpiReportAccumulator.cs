using NodaTime;
using Utendaji.Core.Statistics;
using static Utendaji.Core.Reporting.KpiReportBuilder;

namespace Utendaji.Core.Reporting;

/// <summary>
/// Builds the KPI report from column blocks (<see cref="KpiFactColumns"/>) instead of one
/// <see cref="Metrics.TicketFacts"/> object per ticket: the fast path for reports over millions of stored tickets.
/// Feed every block with <see cref="Add(in KpiFactColumns, IReadOnlyList{string})"/>, then call <see cref="Build"/> once.
/// The report is the one <see cref="KpiReportBuilder.Build"/> gives for the same tickets: same placement rules, same
/// exact quantiles (the order of the blocks and rows does not change a median or p90; a mean may differ in the last
/// bit when the rows come in another order, because floating-point sums depend on order).
/// </summary>
/// <remarks>Not thread-safe. Label codes must mean the same label in every block (the label table may only grow).</remarks>
public sealed class KpiReportAccumulator
{
    private readonly KpiReportOptions _options;
    private readonly PeriodCalendar _calendar;
    private readonly PeriodLookup _createdPeriods;
    private readonly PeriodLookup _solvedPeriods;
    private readonly Dictionary<LabelCodes, GroupPartial> _byCodes = [];
    private readonly Dictionary<GroupKey, GroupPartial> _groups = [];

    // Groups by label codes when grouping by at most two dimensions: [first code][second code], grown on demand.
    private GroupPartial?[][] _byTwoCodes = [];
    private readonly long _from;
    private readonly long _to;
    private readonly bool _hasTo;
    private long _minPlaced = long.MaxValue;
    private long _maxPlaced = long.MinValue;
    private bool _built;

    /// <summary>Starts an empty report with <paramref name="options"/> (validated here).</summary>
    public KpiReportAccumulator(KpiReportOptions options)
    {
        _options = Guard.NotNull(options);
        options.Validate();
        _calendar = new PeriodCalendar(options);
        var span = new OrdinalSpan();
        _createdPeriods = new PeriodLookup(_calendar, options, span);
        _solvedPeriods = new PeriodLookup(_calendar, options, span);
        _from = options.From is { } f ? f.ToUnixTimeTicks() : long.MinValue;
        _hasTo = options.To is not null;
        _to = options.To is { } t ? t.ToUnixTimeTicks() : long.MaxValue;
    }

    /// <summary>Adds a block of tickets.</summary>
    /// <param name="columns">The block; every required column (and every grouped-by label column) has <see cref="KpiFactColumns.Count"/> rows.</param>
    /// <param name="labels">The text of the label codes; code 0 is null.</param>
    public void Add(in KpiFactColumns columns, IReadOnlyList<string?> labels)
    {
        Guard.NotNull(labels);
        Guard.InRange(!_built, "the report was not built yet", nameof(columns));
        var n = columns.Count;
        var dimensions = _options.GroupBy;
        Guard.InRange(columns.SolvedAt.Length == n && columns.FirstReplyBusiness.Length == n && columns.FirstReplyCalendar.Length == n
            && columns.FullResolutionBusiness.Length == n && columns.FullResolutionCalendar.Length == n && columns.Reopens.Length == n
            && columns.FirstContactResolved.Length == n && columns.Satisfaction.Length == n
            && columns.SlaFirstReplyMet.Length == n && columns.SlaFirstReplyBreached.Length == n
            && columns.SlaNextReplyMet.Length == n && columns.SlaNextReplyBreached.Length == n
            && columns.SlaResolutionMet.Length == n && columns.SlaResolutionBreached.Length == n,
            "every required column has one value per row", nameof(columns));
        foreach (var dimension in dimensions)
        {
            Guard.InRange(Labels(columns, dimension).Length == n, "every grouped-by label column has one value per row", nameof(columns));
        }

        var firstSolved = columns.FirstSolvedAt;
        var due = columns.ResolutionSlaDue;
        Guard.InRange(firstSolved.IsEmpty || firstSolved.Length == n, "FirstSolvedAt is empty or has one value per row", nameof(columns));
        Guard.InRange(due.IsEmpty || due.Length == n, "ResolutionSlaDue is empty or has one value per row", nameof(columns));

        var others = columns.ResolutionSlaOtherDues;
        for (var k = 0; k < others.Length; k++)
        {
            Guard.InRange(others[k].Row >= 0 && others[k].Row < n && (k == 0 || others[k].Row >= others[k - 1].Row),
                "ResolutionSlaOtherDues rows are in the block and ascending", nameof(columns));
        }

        var nextOther = 0;
        LabelCodes lastCodes = default;
        GroupPartial? group = null;
        var fewDimensions = dimensions.Count <= 2;
        var firstCodes = dimensions.Count > 0 ? Labels(columns, dimensions[0]) : default;
        var secondCodes = dimensions.Count > 1 ? Labels(columns, dimensions[1]) : default;
        for (var i = 0; i < n; i++)
        {
            if (fewDimensions)
            {
                // Rows come in creation order, so consecutive rows rarely share a group: index by code, no hashing.
                group = GroupOf(firstCodes.IsEmpty ? 0 : firstCodes[i], secondCodes.IsEmpty ? 0 : secondCodes[i], labels, dimensions);
            }
            else
            {
                var codes = CodesOf(columns, dimensions, i);
                if (group is null || codes != lastCodes)
                {
                    group = Group(codes, labels, dimensions);
                    lastCodes = codes;
                }
            }

            // Arrival cohort: created count, first reply time, first- and next-reply SLAs.
            var created = columns.CreatedAt[i];
            if (InRange(created))
            {
                Track(created);
                var cell = group.Cell(_createdPeriods.Of(created));
                cell.Created++;
                var replyBusiness = columns.FirstReplyBusiness[i];
                if (!double.IsNaN(replyBusiness))
                {
                    cell.FirstReplyBusiness.Add(replyBusiness);
                    cell.FirstReplyCalendar.Add(columns.FirstReplyCalendar[i]);
                }

                if ((columns.SlaFirstReplyMet[i] | columns.SlaFirstReplyBreached[i]) != 0)
                {
                    cell.SlaFirstReply.Add(columns.SlaFirstReplyMet[i], columns.SlaFirstReplyBreached[i]);
                }

                if ((columns.SlaNextReplyMet[i] | columns.SlaNextReplyBreached[i]) != 0)
                {
                    cell.SlaNextReply.Add(columns.SlaNextReplyMet[i], columns.SlaNextReplyBreached[i]);
                }
            }

            // Solve cohort: solved count, full resolution, FCR, reopen rate.
            var solved = columns.SolvedAt[i];
            KpiCell? solvedCell = null;
            if (solved != KpiFactColumns.NoInstant && InRange(solved))
            {
                Track(solved);
                solvedCell = group.Cell(_solvedPeriods.Of(solved));
                solvedCell.Solved++;
                var resolutionBusiness = columns.FullResolutionBusiness[i];
                if (!double.IsNaN(resolutionBusiness))
                {
                    solvedCell.ResolutionBusiness.Add(resolutionBusiness);
                    solvedCell.ResolutionCalendar.Add(columns.FullResolutionCalendar[i]);
                }

                if (columns.FirstContactResolved[i] is { } fcr)
                {
                    solvedCell.FirstContact.Add(fcr);
                }

                solvedCell.Reopened.Add(columns.Reopens[i] > 0);
            }

            // The instant a rating or a resolution SLA outcome is placed at: the final solve, else the first solve.
            var settled = solved != KpiFactColumns.NoInstant ? solved
                : !firstSolved.IsEmpty ? firstSolved[i] : KpiFactColumns.NoInstant;

            // Resolution SLA: decided at the solve; a breach on a ticket never solved is known at its due instant.
            var resolutionMet = columns.SlaResolutionMet[i];
            var resolutionBreached = columns.SlaResolutionBreached[i];
            if ((resolutionMet | resolutionBreached) != 0)
            {
                if (settled == KpiFactColumns.NoInstant)
                {
                    // Never solved: each outcome is placed at its own due instant.
                    for (; nextOther < others.Length && others[nextOther].Row == i; nextOther++)
                    {
                        var other = others[nextOther];
                        PlaceResolution(group, other.Due, other.Met, other.Breached);
                        resolutionMet -= other.Met;
                        resolutionBreached -= other.Breached;
                    }
                }

                var at = settled != KpiFactColumns.NoInstant ? settled : !due.IsEmpty ? due[i] : KpiFactColumns.NoInstant;
                if ((resolutionMet | resolutionBreached) != 0 && at != KpiFactColumns.NoInstant && InRange(at))
                {
                    Track(at);
                    var cell = at == solved && solvedCell is not null ? solvedCell : group.Cell(_solvedPeriods.Of(at));
                    cell.SlaResolution.Add(resolutionMet, resolutionBreached);
                }
            }

            while (nextOther < others.Length && others[nextOther].Row <= i)
            {
                nextOther++; // entries of a solved ticket: its outcomes were all placed at the solve
            }

            // CSAT: a rating follows a solve; ratings outside 1..5 are not on the scale and are ignored.
            var rating = columns.Satisfaction[i];
            if (rating is >= 1 and <= 5)
            {
                var at = settled != KpiFactColumns.NoInstant ? settled : created;
                if (InRange(at))
                {
                    Track(at);
                    var cell = at == solved && solvedCell is not null ? solvedCell : group.Cell(_solvedPeriods.Of(at));
                    cell.Satisfied.Add(rating >= _options.SatisfiedMinimum);
                }
            }

            AddToBacklog(group, created, solved);
        }
    }

    /// <summary>The report over every block added. Call once.</summary>
    public KpiReport Build()
    {
        Guard.InRange(!_built, "a report is built once", nameof(Build));
        _built = true;
        Instant? min = _minPlaced == long.MaxValue ? null : Instant.FromUnixTimeTicks(_minPlaced);
        Instant? max = _maxPlaced == long.MinValue ? null : Instant.FromUnixTimeTicks(_maxPlaced);
        var groups = new Dictionary<GroupKey, GroupState>(_groups.Count);
        foreach (var (key, partial) in _groups)
        {
            groups.Add(key, partial.ToGroupState(_createdPeriods));
        }

        return Assemble(groups, _calendar, min, max, _options);
    }

    private bool InRange(long at) => at >= _from && at < _to;

    private void PlaceResolution(GroupPartial group, long at, int met, int breached)
    {
        if ((met | breached) != 0 && at != KpiFactColumns.NoInstant && InRange(at))
        {
            Track(at);
            group.Cell(_solvedPeriods.Of(at)).SlaResolution.Add(met, breached);
        }
    }

    private void Track(long at)
    {
        _minPlaced = Math.Min(_minPlaced, at);
        _maxPlaced = Math.Max(_maxPlaced, at);
    }

    // The same rule as PeriodCalendar.AddToBacklog, with the period lookups cached.
    private void AddToBacklog(GroupPartial group, long created, long solved)
    {
        if (solved != KpiFactColumns.NoInstant && (solved < created || (_hasTo && solved >= _to)))
        {
            solved = solved < created ? created : KpiFactColumns.NoInstant;
        }

        if (_options.Period == PeriodGranularity.None)
        {
            if ((!_hasTo || created < _to) && (solved == KpiFactColumns.NoInstant || (_hasTo && solved >= _to)))
            {
                group.BacklogAtRangeEnd++;
            }

            return;
        }

        if (_hasTo && created >= _to)
        {
            return;
        }

        // Entering or leaving before the range counts at its first period: the backlog at a period's end sums every
        // delta up to it, so nothing changes, and a ticket created in year 1 does not stretch the arrays back there.
        var enter = _createdPeriods.Of(Math.Max(created, _from));
        if (solved != KpiFactColumns.NoInstant)
        {
            solved = Math.Max(solved, _from);
            var leave = _solvedPeriods.Of(solved);
            if (leave == enter)
            {
                return; // in and out within one period: never open at a period end
            }

            group.BacklogDelta(leave) -= 1;
        }

        group.BacklogDelta(enter) += 1;
    }

    private GroupPartial GroupOf(int first, int second, IReadOnlyList<string?> labels, IReadOnlyList<GroupDimension> dimensions)
    {
        var table = _byTwoCodes;
        if ((uint)first < (uint)table.Length && table[first] is { } row && (uint)second < (uint)row.Length && row[second] is { } found)
        {
            return found;
        }

        var codes = default(LabelCodes);
        codes[0] = first;
        codes[1] = second;
        var group = Group(codes, labels, dimensions);
        if (first >= table.Length)
        {
            Array.Resize(ref _byTwoCodes, Math.Max(first + 1, 2 * table.Length));
        }

        ref var seconds = ref _byTwoCodes[first];
        seconds ??= [];
        if (second >= seconds.Length)
        {
            Array.Resize(ref seconds, Math.Max(second + 1, 2 * seconds.Length));
        }

        seconds[second] = group;
        return group;
    }

    private GroupPartial Group(LabelCodes codes, IReadOnlyList<string?> labels, IReadOnlyList<GroupDimension> dimensions)
    {
        if (_byCodes.TryGetValue(codes, out var state))
        {
            return state;
        }

        var values = new string?[dimensions.Count];
        for (var d = 0; d < values.Length; d++)
        {
            values[d] = labels[codes[d]];
        }

        var key = values.Length == 0 ? GroupKey.Total : new GroupKey(values);
        if (!_groups.TryGetValue(key, out state))
        {
            state = new GroupPartial();
            _groups.Add(key, state);
        }

        _byCodes.Add(codes, state);
        return state;
    }

    private static LabelCodes CodesOf(in KpiFactColumns columns, IReadOnlyList<GroupDimension> dimensions, int row)
    {
        var codes = default(LabelCodes);
        for (var d = 0; d < dimensions.Count; d++)
        {
            codes[d] = Labels(columns, dimensions[d])[row];
        }

        return codes;
    }

    private static ReadOnlySpan<int> Labels(in KpiFactColumns columns, GroupDimension dimension) => dimension switch
    {
        GroupDimension.Team => columns.Team,
        GroupDimension.Channel => columns.Channel,
        GroupDimension.Agent => columns.Agent,
        GroupDimension.Priority => columns.Priority,
        GroupDimension.Language => columns.Language,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "unknown dimension"),
    };

    /// <summary>Label codes of up to the five dimensions, as a dictionary key.</summary>
    [System.Runtime.CompilerServices.InlineArray(5)]
    private struct LabelCodes : IEquatable<LabelCodes>
    {
        private int _element;

        public readonly bool Equals(LabelCodes other) => ((ReadOnlySpan<int>)this).SequenceEqual(other);

        public override readonly bool Equals(object? obj) => obj is LabelCodes other && Equals(other);

        public override readonly int GetHashCode()
        {
            ReadOnlySpan<int> span = this;
            return HashCode.Combine(span[0], span[1], span[2], span[3], span[4]);
        }

        public static bool operator ==(LabelCodes left, LabelCodes right) => left.Equals(right);

        public static bool operator !=(LabelCodes left, LabelCodes right) => !left.Equals(right);
    }

    /// <summary>
    /// One group's partials while blocks are added: cells and backlog deltas in arrays indexed by period ordinal (see
    /// <see cref="PeriodLookup"/>) instead of dictionaries keyed by date, turned into a <see cref="GroupState"/> at the end.
    /// </summary>
    private sealed class GroupPartial
    {
        private readonly ByOrdinal<KpiCell?> _cells = new();
        private readonly ByOrdinal<long> _backlogDelta = new();
        private readonly ByOrdinal<bool> _backlogTouched = new();

        public long BacklogAtRangeEnd;

        public KpiCell Cell(int ordinal) => _cells[ordinal] ??= new KpiCell();

        public ref long BacklogDelta(int ordinal)
        {
            _backlogTouched[ordinal] = true;
            return ref _backlogDelta[ordinal];
        }

        public GroupState ToGroupState(PeriodLookup periods)
        {
            var state = new GroupState { BacklogAtRangeEnd = BacklogAtRangeEnd };
            foreach (var (ordinal, cell) in _cells.Entries())
            {
                if (cell is not null)
                {
                    state.Cells.Add(periods.KeyOf(ordinal), cell);
                }
            }

            foreach (var (ordinal, touched) in _backlogTouched.Entries())
            {
                if (touched)
                {
                    state.BacklogDelta.Add(periods.KeyOf(ordinal), _backlogDelta[ordinal]);
                }
            }

            return state;
        }
    }

    /// <summary>Values by period ordinal, in one array that grows either way to cover every ordinal asked for.</summary>
    private sealed class ByOrdinal<T>
    {
        private T[] _items = [];
        private int _first;

        public ref T this[int ordinal]
        {
            get
            {
                var at = ordinal - _first;
                if ((uint)at >= (uint)_items.Length)
                {
                    at = Grow(ordinal);
                }

                return ref _items[at];
            }
        }

        public IEnumerable<(int Ordinal, T Value)> Entries()
        {
            for (var i = 0; i < _items.Length; i++)
            {
                yield return (_first + i, _items[i]);
            }
        }

        private int Grow(int ordinal)
        {
            if (_items.Length == 0)
            {
                _items = new T[8];
                _first = ordinal - 2;
                return 2;
            }

            var first = Math.Min(_first, ordinal);
            var last = Math.Max(_first + _items.Length - 1, ordinal);
            var length = Math.Max(last - first + 1, 2 * _items.Length);
            // Room on the side that grew, so a run of periods later (or earlier) than all before grows it rarely.
            var newFirst = ordinal < _first ? last - length + 1 : first;
            var items = new T[length];
            Array.Copy(_items, 0, items, _first - newFirst, _items.Length);
            (_items, _first) = (items, newFirst);
            return ordinal - _first;
        }
    }

    /// <summary>
    /// The lowest and highest period ordinal both lookups have met: a report that would list more than
    /// <see cref="KpiReportOptions.MaxPeriods"/> periods stops here, before per-period arrays grow that far.
    /// </summary>
    private sealed class OrdinalSpan
    {
        public int Min = int.MaxValue;
        public int Max = int.MinValue;
    }

    /// <summary>
    /// Instant (Unix ticks) → period ordinal (days, weeks or months counted from the Unix epoch's), remembering the
    /// instant range of every period found so far: the last one is tried first, then all by binary search. Solve instants
    /// jump between a few weeks from one ticket to the next, so one remembered range alone would miss often. Each range is
    /// cut to the zone interval (constant offset) it was found in, so it stays exact in zones whose local date can step
    /// back; disjoint ranges kept in order of their start.
    /// </summary>
    private sealed class PeriodLookup(PeriodCalendar calendar, KpiReportOptions options, OrdinalSpan span)
    {
        private static readonly LocalDate Epoch = new(1970, 1, 1);
        private static readonly LocalDate EpochMonday = new(1970, 1, 5);
        private readonly DateTimeZone _zone = options.TimeZone;
        private readonly PeriodGranularity _granularity = options.Period;
        private long[] _starts = new long[16];
        private long[] _ends = new long[16];
        private int[] _ordinals = new int[16];
        private int _count;
        private int _last = -1;

        public int Of(long ticks)
        {
            var last = _last;
            if (last >= 0 && ticks >= _starts[last] && ticks < _ends[last])
            {
                return _ordinals[last];
            }

            return Find(ticks);
        }

        /// <summary>The period key (its first day) of an ordinal <see cref="Of"/> gave.</summary>
        public LocalDate KeyOf(int ordinal) => _granularity switch
        {
            PeriodGranularity.None => default,
            PeriodGranularity.Day => Epoch.PlusDays(ordinal),
            PeriodGranularity.Week => EpochMonday.PlusWeeks(ordinal),
            _ => Epoch.PlusMonths(ordinal),
        };

        private int OrdinalOf(LocalDate key) => _granularity switch
        {
            PeriodGranularity.None => 0,
            PeriodGranularity.Day => Period.DaysBetween(Epoch, key),
            PeriodGranularity.Week => Period.DaysBetween(EpochMonday, key) / 7, // keys are Mondays: whole weeks
            _ => ((key.Year - Epoch.Year) * 12) + key.Month - 1,
        };

        private int Find(long ticks)
        {
            // The last range starting at or before ticks.
            int lo = 0, hi = _count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_starts[mid] <= ticks)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            if (hi >= 0 && ticks < _ends[hi])
            {
                _last = hi;
                return _ordinals[hi];
            }

            var at = Instant.FromUnixTimeTicks(ticks);
            var key = calendar.PeriodOf(at);
            var ordinal = OrdinalOf(key);
            if (ordinal < span.Min || ordinal > span.Max)
            {
                (span.Min, span.Max) = (Math.Min(span.Min, ordinal), Math.Max(span.Max, ordinal));
                if ((long)span.Max - span.Min >= KpiReportOptions.MaxPeriods)
                {
                    calendar.CheckSpan(KeyOf(span.Min), KeyOf(span.Max), soFar: true);
                }
            }

            long start, end;
            if (_granularity == PeriodGranularity.None)
            {
                (start, end) = (long.MinValue, long.MaxValue);
            }
            else
            {
                var interval = _zone.GetZoneInterval(at);
                var offset = interval.WallOffset.Ticks;
                var next = _granularity switch
                {
                    PeriodGranularity.Day => key.PlusDays(1),
                    PeriodGranularity.Week => key.PlusWeeks(1),
                    _ => key.PlusMonths(1),
                };
                start = LocalTicks(key) - offset;
                end = LocalTicks(next) - offset;
                if (interval.HasStart)
                {
                    start = Math.Max(start, interval.Start.ToUnixTimeTicks());
                }

                if (interval.HasEnd)
                {
                    end = Math.Min(end, interval.End.ToUnixTimeTicks());
                }
            }

            if (ticks >= start && ticks < end)
            {
                // Disjoint from every range kept (each is one period within one zone interval), and after range hi.
                Insert(hi + 1, start, end, ordinal);
            }

            return ordinal;
        }

        private void Insert(int at, long start, long end, int ordinal)
        {
            if (_count == _starts.Length)
            {
                Array.Resize(ref _starts, 2 * _count);
                Array.Resize(ref _ends, 2 * _count);
                Array.Resize(ref _ordinals, 2 * _count);
            }

            Array.Copy(_starts, at, _starts, at + 1, _count - at);
            Array.Copy(_ends, at, _ends, at + 1, _count - at);
            Array.Copy(_ordinals, at, _ordinals, at + 1, _count - at);
            (_starts[at], _ends[at], _ordinals[at]) = (start, end, ordinal);
            _count++;
            _last = at;
        }

        private static long LocalTicks(LocalDate date) => date.AtMidnight().InUtc().ToInstant().ToUnixTimeTicks();
    }
}
