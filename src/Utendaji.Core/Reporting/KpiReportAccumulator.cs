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
    private readonly Dictionary<LabelCodes, GroupState> _byCodes = [];
    private readonly Dictionary<GroupKey, GroupState> _groups = [];
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
        _createdPeriods = new PeriodLookup(_calendar, options);
        _solvedPeriods = new PeriodLookup(_calendar, options);
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
        GroupState? group = null;
        for (var i = 0; i < n; i++)
        {
            var codes = CodesOf(columns, dimensions, i);
            if (group is null || codes != lastCodes)
            {
                group = Group(codes, labels, dimensions);
                lastCodes = codes;
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
                    cell.SlaFirstReply += Counts(columns.SlaFirstReplyMet[i], columns.SlaFirstReplyBreached[i]);
                }

                if ((columns.SlaNextReplyMet[i] | columns.SlaNextReplyBreached[i]) != 0)
                {
                    cell.SlaNextReply += Counts(columns.SlaNextReplyMet[i], columns.SlaNextReplyBreached[i]);
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
                    solvedCell.FirstContact = solvedCell.FirstContact.Add(fcr);
                }

                solvedCell.Reopened = solvedCell.Reopened.Add(columns.Reopens[i] > 0);
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
                    cell.SlaResolution += Counts(resolutionMet, resolutionBreached);
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
                    cell.Satisfied = cell.Satisfied.Add(rating >= _options.SatisfiedMinimum);
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
        return Assemble(_groups, _calendar, min, max, _options);
    }

    private bool InRange(long at) => at >= _from && at < _to;

    private void PlaceResolution(GroupState group, long at, int met, int breached)
    {
        if ((met | breached) != 0 && at != KpiFactColumns.NoInstant && InRange(at))
        {
            Track(at);
            group.Cell(_solvedPeriods.Of(at)).SlaResolution += Counts(met, breached);
        }
    }

    private void Track(long at)
    {
        _minPlaced = Math.Min(_minPlaced, at);
        _maxPlaced = Math.Max(_maxPlaced, at);
    }

    private static Proportion Counts(int met, int breached) => new(met, met + breached);

    // The same rule as PeriodCalendar.AddToBacklog, with the period lookups cached.
    private void AddToBacklog(GroupState group, long created, long solved)
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

        var enter = _createdPeriods.Of(created);
        if (solved != KpiFactColumns.NoInstant)
        {
            var leave = _solvedPeriods.Of(solved);
            if (leave == enter)
            {
                return; // in and out within one period: never open at a period end
            }

            Bump(group.BacklogDelta, leave, -1);
        }

        Bump(group.BacklogDelta, enter, +1);
    }

    private static void Bump(Dictionary<LocalDate, long> delta, LocalDate key, long by) =>
        delta[key] = delta.TryGetValue(key, out var v) ? v + by : by;

    private GroupState Group(LabelCodes codes, IReadOnlyList<string?> labels, IReadOnlyList<GroupDimension> dimensions)
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
            state = new GroupState();
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
    /// Instant (Unix ticks) → period key, remembering the instant range of the last period found. The range is cut to
    /// the zone interval (constant offset) it was found in, so it stays exact in zones whose local date can step back.
    /// </summary>
    private sealed class PeriodLookup(PeriodCalendar calendar, KpiReportOptions options)
    {
        private readonly DateTimeZone _zone = options.TimeZone;
        private readonly PeriodGranularity _granularity = options.Period;
        private long _start = long.MaxValue;
        private long _end = long.MinValue;
        private LocalDate _key;

        public LocalDate Of(long ticks)
        {
            if (ticks >= _start && ticks < _end)
            {
                return _key;
            }

            var at = Instant.FromUnixTimeTicks(ticks);
            var key = calendar.PeriodOf(at);
            if (_granularity == PeriodGranularity.None)
            {
                (_start, _end, _key) = (long.MinValue, long.MaxValue, key);
                return key;
            }

            var interval = _zone.GetZoneInterval(at);
            var offset = interval.WallOffset.Ticks;
            var next = _granularity switch
            {
                PeriodGranularity.Day => key.PlusDays(1),
                PeriodGranularity.Week => key.PlusWeeks(1),
                _ => key.PlusMonths(1),
            };
            var start = LocalTicks(key) - offset;
            var end = LocalTicks(next) - offset;
            if (interval.HasStart)
            {
                start = Math.Max(start, interval.Start.ToUnixTimeTicks());
            }

            if (interval.HasEnd)
            {
                end = Math.Min(end, interval.End.ToUnixTimeTicks());
            }

            (_start, _end, _key) = ticks >= start && ticks < end ? (start, end, key) : (long.MaxValue, long.MinValue, key);
            return key;
        }

        private static long LocalTicks(LocalDate date) => date.AtMidnight().InUtc().ToInstant().ToUnixTimeTicks();
    }
}
