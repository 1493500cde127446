using System.Collections.Concurrent;
using System.Globalization;
using NodaTime;
using NodaTime.Calendars;
using Utendaji.Core.Metrics;
using Utendaji.Core.Statistics;

namespace Utendaji.Core.Reporting;

/// <summary>
/// Aggregates per-ticket facts into the KPI report. Enumerates the input once (it may be a stream from the store)
/// and keeps only per-group × period partials: counters and the duration samples needed for exact quantiles.
/// </summary>
/// <remarks>
/// Placement (which period a figure counts in) follows one rule per figure, documented in docs/metrics.md:
/// created count, first reply time and reply SLAs by creation instant (the arrival cohort); solved count, full
/// resolution time, resolution SLA, FCR and reopen rate by the final solve instant; CSAT by the solve instant.
/// </remarks>
public static class KpiReportBuilder
{
    /// <summary>Builds the report. <paramref name="facts"/> is enumerated exactly once.</summary>
    /// <param name="facts">Per-ticket facts, in any order.</param>
    /// <param name="options">Grouping, periods, range and thresholds.</param>
    /// <param name="cancellationToken">Checked every few thousand tickets.</param>
    public static KpiReport Build(IEnumerable<TicketFacts> facts, KpiReportOptions options, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(facts);
        Guard.NotNull(options);
        options.Validate();

        var calendar = new PeriodCalendar(options);
        var groups = new Dictionary<GroupKey, GroupState>();
        Instant? minPlaced = null, maxPlaced = null;
        var dimensions = options.GroupBy;
        var seen = 0;

        foreach (var ticket in facts)
        {
            if ((++seen & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var key = KeyOf(ticket, dimensions);
            if (!groups.TryGetValue(key, out var group))
            {
                group = new GroupState();
                groups.Add(key, group);
            }

            // Arrival cohort: created count, first reply time, first- and next-reply SLAs.
            var created = ticket.CreatedAt;
            if (calendar.InRange(created))
            {
                Track(created);
                var cell = group.Cell(calendar.PeriodOf(created));
                cell.Created++;
                if (ticket.FirstReply is { } firstReply)
                {
                    cell.FirstReplyBusiness.Add(firstReply.Business.TotalSeconds);
                    cell.FirstReplyCalendar.Add(firstReply.Calendar.TotalSeconds);
                }

                foreach (var outcome in ticket.Sla)
                {
                    if (outcome.State == SlaState.Running)
                    {
                        continue;
                    }

                    if (outcome.Metric == SlaMetric.FirstReply)
                    {
                        cell.SlaFirstReply.Add(outcome.State == SlaState.Met);
                    }
                    else if (outcome.Metric == SlaMetric.NextReply)
                    {
                        cell.SlaNextReply.Add(outcome.State == SlaState.Met);
                    }
                }
            }

            // Solve cohort: solved count, full resolution, FCR, reopen rate.
            if (ticket.SolvedAt is { } solved && calendar.InRange(solved))
            {
                Track(solved);
                var cell = group.Cell(calendar.PeriodOf(solved));
                cell.Solved++;
                if (ticket.FullResolution is { } resolution)
                {
                    cell.ResolutionBusiness.Add(resolution.Business.TotalSeconds);
                    cell.ResolutionCalendar.Add(resolution.Calendar.TotalSeconds);
                }

                if (ticket.FirstContactResolved is { } fcr)
                {
                    cell.FirstContact.Add(fcr);
                }

                cell.Reopened.Add(ticket.Reopens > 0);
            }

            // Resolution SLA: decided at the solve; a breach on a ticket never solved is known at its due instant.
            foreach (var outcome in ticket.Sla)
            {
                if (outcome.Metric != SlaMetric.Resolution || outcome.State == SlaState.Running)
                {
                    continue;
                }

                var at = ticket.SolvedAt ?? ticket.FirstSolvedAt ?? outcome.Due;
                if (calendar.InRange(at))
                {
                    Track(at);
                    var cell = group.Cell(calendar.PeriodOf(at));
                    cell.SlaResolution.Add(outcome.State == SlaState.Met);
                }
            }

            // CSAT: a rating follows a solve; ratings outside 1..5 are not on the scale and are ignored.
            if (ticket.Satisfaction is { } rating and >= 1 and <= 5)
            {
                var at = ticket.SolvedAt ?? ticket.FirstSolvedAt ?? created;
                if (calendar.InRange(at))
                {
                    Track(at);
                    var cell = group.Cell(calendar.PeriodOf(at));
                    cell.Satisfied.Add(rating >= options.SatisfiedMinimum);
                }
            }

            calendar.AddToBacklog(group, created, ticket.SolvedAt);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Assemble(groups, calendar, minPlaced, maxPlaced, options);

        void Track(Instant at)
        {
            if (minPlaced is null || at < minPlaced.Value)
            {
                minPlaced = at;
            }

            if (maxPlaced is null || at > maxPlaced.Value)
            {
                maxPlaced = at;
            }
        }
    }

    internal static KpiReport Assemble(
        Dictionary<GroupKey, GroupState> groups,
        PeriodCalendar calendar,
        Instant? minPlaced,
        Instant? maxPlaced,
        KpiReportOptions options)
    {
        var periods = calendar.Periods(minPlaced, maxPlaced);
        var definition = options.Quantile;
        var range = calendar.Range(periods);

        // Stage 1: each cell's own row. A summary selects quantiles in place, reordering the cell's samples, which is
        // allowed: order carries no meaning, since a mean comes from the running sums kept as values were added. Groups
        // are independent of each other, so they run in parallel.
        var sorted = groups.OrderBy(g => g.Key).ToArray();
        var found = new GroupPart?[sorted.Length];
        Parallel.For(0, sorted.Length, g =>
        {
            var (key, group) = sorted[g];
            var backlog = calendar.BacklogAtEnds(group, periods);
            if (group.Cells.Count == 0 && backlog.All(b => b == 0))
            {
                return; // nothing of this group falls in the report range
            }

            var cells = new KpiCell?[periods.Count];
            var groupRows = new KpiRow[periods.Count];
            for (var i = 0; i < periods.Count; i++)
            {
                cells[i] = group.Cells.GetValueOrDefault(periods[i].Key);
                groupRows[i] = Row(key, periods[i].Period, (cells[i] ?? new KpiCell()).Summarize(backlog[i], definition), options);
            }

            found[g] = new GroupPart(key, cells, groupRows, backlog, backlog.Length > 0 ? backlog[^1] : 0);
        });

        var parts = found.OfType<GroupPart>().ToArray();
        var rows = parts.SelectMany(p => p.Rows).ToList();
        var periodBacklog = new long[periods.Count];
        foreach (var part in parts)
        {
            for (var i = 0; i < periods.Count; i++)
            {
                periodBacklog[i] += part.Backlog[i];
            }
        }

        // Stage 2: the totals, each over the union of its cells' samples, which are now only read (never copied), so
        // every total runs in parallel with the others. The order of the cells is the order a total's mean adds their
        // compensated sums: a group's total takes its cells in period order, a period's total in group order, and the
        // overall total in group order, then period order.
        var groupTotals = parts.Select(p => new Total(p.Cells.OfType<KpiCell>().ToArray(), p.LastBacklog)).ToArray();
        var periodTotals = options.GroupBy.Count == 0
            ? []
            : Enumerable.Range(0, periods.Count)
                .Select(i => new Total(parts.Select(p => p.Cells[i]).OfType<KpiCell>().ToArray(), periodBacklog[i]))
                .ToArray();
        var overall = new Total(parts.SelectMany(p => p.Cells.OfType<KpiCell>()).ToArray(), parts.Sum(p => p.LastBacklog));
        IReadOnlyList<HistogramBin>? businessHistogram = null, calendarHistogram = null;
        var work = new List<(long Size, Action Run)>();
        foreach (var total in groupTotals.Concat(periodTotals).Append(overall))
        {
            for (var sample = 0; sample < KpiCell.Samples; sample++)
            {
                var s = sample;
                work.Add((total.Count(s), () => total.Summarize(s, definition)));
            }
        }

        // The overall first-reply histograms, from each cell's bin counts (edges checked here, outside the parallel work).
        SampleAccumulator.CheckEdges(options.FirstReplyHistogramEdges);
        work.Add((overall.Count(0), () => businessHistogram = SampleAccumulator.HistogramOfUnion(overall.Samples(0), options.FirstReplyHistogramEdges)));
        work.Add((overall.Count(1), () => calendarHistogram = SampleAccumulator.HistogramOfUnion(overall.Samples(1), options.FirstReplyHistogramEdges)));
        work.Sort((a, b) => b.Size.CompareTo(a.Size)); // largest first, so no big union is left for last on one core
        Parallel.ForEach(Partitioner.Create(work, EnumerablePartitionerOptions.NoBuffering), w => w.Run());

        return new KpiReport
        {
            Options = options,
            Periods = periods.Select(p => p.Period).ToArray(),
            Range = range,
            Rows = rows,
            // One total group: its rows already are the per-period totals.
            ByPeriod = options.GroupBy.Count == 0
                ? rows
                : periodTotals.Select((t, i) => Row(GroupKey.Total, periods[i].Period, t.Figures(), options)).ToList(),
            ByGroup = parts.Select((p, g) => Row(p.Key, range, groupTotals[g].Figures(), options)).ToList(),
            Overall = Row(GroupKey.Total, range, overall.Figures(), options),
            FirstReplyBusinessHistogram = businessHistogram!,
            FirstReplyCalendarHistogram = calendarHistogram!,
        };
    }

    /// <summary>One group's part of the report: its cells and rows per period, and its backlog per period.</summary>
    private sealed record GroupPart(GroupKey Key, KpiCell?[] Cells, KpiRow[] Rows, long[] Backlog, long LastBacklog);

    /// <summary>A total over some cells: its duration summaries are filled in one sample at a time, in parallel.</summary>
    private sealed class Total(KpiCell[] cells, long backlog)
    {
        private readonly SampleSummary[] _summaries = new SampleSummary[KpiCell.Samples];

        public long Count(int sample) => cells.Sum(c => (long)c.Sample(sample).Count);

        public SampleAccumulator[] Samples(int sample) => cells.Select(c => c.Sample(sample)).ToArray();

        public void Summarize(int sample, QuantileDefinition definition) =>
            _summaries[sample] = SampleAccumulator.SummarizeUnion(Samples(sample), definition);

        public KpiFigures Figures() => KpiCell.Total(cells, backlog, _summaries);
    }

    private static KpiRow Row(GroupKey key, ReportPeriod period, KpiFigures figures, KpiReportOptions options) =>
        new(key, period, figures, Math.Max(figures.Created, figures.Solved) < options.MinimumN);

    private static GroupKey KeyOf(TicketFacts ticket, IReadOnlyList<GroupDimension> dimensions)
    {
        if (dimensions.Count == 0)
        {
            return GroupKey.Total;
        }

        var values = new string?[dimensions.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = dimensions[i] switch
            {
                GroupDimension.Team => ticket.Team,
                GroupDimension.Channel => ticket.Channel,
                GroupDimension.Agent => ticket.Agent,
                GroupDimension.Priority => ticket.Priority,
                GroupDimension.Language => ticket.Language,
                _ => throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions[i], "unknown dimension"),
            };
        }

        return new GroupKey(values);
    }

    /// <summary>Partials of one group: a cell per period, and the backlog as a difference array over periods.</summary>
    internal sealed class GroupState
    {
        public Dictionary<LocalDate, KpiCell> Cells { get; } = [];

        // +1 at the period a ticket enters the backlog, −1 at the period it leaves; the prefix sum is the backlog.
        public Dictionary<LocalDate, long> BacklogDelta { get; } = [];

        // Used when there are no periods: tickets open at the single end instant.
        public long BacklogAtRangeEnd { get; set; }

        public KpiCell Cell(LocalDate period)
        {
            if (!Cells.TryGetValue(period, out var cell))
            {
                cell = new KpiCell();
                Cells.Add(period, cell);
            }

            return cell;
        }
    }

    internal readonly record struct PeriodSlot(LocalDate Key, ReportPeriod Period);

    /// <summary>Maps instants to periods in the report zone and keeps the range rules in one place.</summary>
    internal sealed class PeriodCalendar(KpiReportOptions options)
    {
        private readonly DateTimeZone _zone = options.TimeZone;
        private readonly PeriodGranularity _granularity = options.Period;
        private readonly Instant? _from = options.From;
        private readonly Instant? _to = options.To;

        public bool InRange(Instant at) => (_from is null || at >= _from.Value) && (_to is null || at < _to.Value);

        public LocalDate PeriodOf(Instant at)
        {
            if (_granularity == PeriodGranularity.None)
            {
                return default;
            }

            var date = at.InZone(_zone).Date;
            return _granularity switch
            {
                PeriodGranularity.Day => date,
                PeriodGranularity.Week => date.PlusDays(-((int)date.DayOfWeek - (int)IsoDayOfWeek.Monday)),
                _ => new LocalDate(date.Year, date.Month, 1),
            };
        }

        private LocalDate Next(LocalDate start) => _granularity switch
        {
            PeriodGranularity.Day => start.PlusDays(1),
            PeriodGranularity.Week => start.PlusWeeks(1),
            _ => start.PlusMonths(1),
        };

        public void AddToBacklog(GroupState group, Instant created, Instant? solved)
        {
            // Never solved before the range end counts as never solved: every period end lies before it.
            if (solved is { } s && (s < created || (_to is { } end && s >= end)))
            {
                solved = s < created ? created : null;
            }

            if (_granularity == PeriodGranularity.None)
            {
                var endOfRange = _to;
                if ((endOfRange is null || created < endOfRange.Value) && (solved is null || (endOfRange is { } e && solved.Value >= e)))
                {
                    group.BacklogAtRangeEnd++;
                }

                return;
            }

            if (_to is { } to && created >= to)
            {
                return;
            }

            var enter = PeriodOf(created);
            if (solved is { } leftAt)
            {
                var leave = PeriodOf(leftAt);
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

        public long[] BacklogAtEnds(GroupState group, IReadOnlyList<PeriodSlot> periods)
        {
            var result = new long[periods.Count];
            if (_granularity == PeriodGranularity.None)
            {
                if (result.Length > 0)
                {
                    result[0] = group.BacklogAtRangeEnd;
                }

                return result;
            }

            var deltas = group.BacklogDelta.OrderBy(d => d.Key).ToArray();
            long running = 0;
            var next = 0;
            for (var i = 0; i < periods.Count; i++)
            {
                while (next < deltas.Length && deltas[next].Key <= periods[i].Key)
                {
                    running += deltas[next++].Value;
                }

                result[i] = running;
            }

            return result;
        }

        public IReadOnlyList<PeriodSlot> Periods(Instant? minPlaced, Instant? maxPlaced)
        {
            if (_granularity == PeriodGranularity.None)
            {
                return [new PeriodSlot(default, new ReportPeriod("all", _from, _to))];
            }

            var first = _from ?? minPlaced;
            var last = _to is { } to ? to - Duration.Epsilon : maxPlaced;
            if (first is null || last is null || last.Value < first.Value)
            {
                return [];
            }

            var firstKey = PeriodOf(first.Value);
            var lastKey = PeriodOf(last.Value);
            CheckSpan(firstKey, lastKey);
            var slots = new List<PeriodSlot>();
            for (var key = firstKey; key <= lastKey; key = Next(key))
            {
                var start = _zone.AtStartOfDay(key).ToInstant();
                var end = _zone.AtStartOfDay(Next(key)).ToInstant();
                if (_from is { } f && f > start)
                {
                    start = f;
                }

                if (_to is { } t && t < end)
                {
                    end = t;
                }

                slots.Add(new PeriodSlot(key, new ReportPeriod(Label(key), start, end)));
            }

            return slots;
        }

        /// <summary>
        /// Throws <see cref="ReportTooLargeException"/> when the periods from <paramref name="firstKey"/> to
        /// <paramref name="lastKey"/> (period keys) are more than <see cref="KpiReportOptions.MaxPeriods"/>;
        /// <paramref name="soFar"/> when the span is that of the data read so far, which may grow.
        /// </summary>
        public void CheckSpan(LocalDate firstKey, LocalDate lastKey, bool soFar = false)
        {
            var count = _granularity switch
            {
                PeriodGranularity.None => 1,
                PeriodGranularity.Day => (long)Period.DaysBetween(firstKey, lastKey) + 1,
                PeriodGranularity.Week => (Period.DaysBetween(firstKey, lastKey) / 7) + 1,
                _ => ((lastKey.Year - firstKey.Year) * 12L) + lastKey.Month - firstKey.Month + 1,
            };
            if (count > KpiReportOptions.MaxPeriods)
            {
                var by = _granularity switch { PeriodGranularity.Day => "day", PeriodGranularity.Week => "week", _ => "month" };
                throw new ReportTooLargeException(string.Create(CultureInfo.InvariantCulture,
                    $"The report would list {(soFar ? "at least " : "")}{count:N0} periods (by {by}, {Label(firstKey)} to {Label(lastKey)}{(soFar ? " in the data read so far" : "")}); a report lists at most {KpiReportOptions.MaxPeriods:N0}. Choose a longer period or a narrower range (from, to)."));
            }
        }

        public ReportPeriod Range(IReadOnlyList<PeriodSlot> periods) =>
            periods.Count == 0 || _granularity == PeriodGranularity.None
                ? new ReportPeriod("all", _from, _to)
                : new ReportPeriod("all", periods[0].Period.Start, periods[^1].Period.End);

        private string Label(LocalDate key) => _granularity switch
        {
            PeriodGranularity.Day => key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PeriodGranularity.Week => string.Create(
                CultureInfo.InvariantCulture,
                $"{WeekYearRules.Iso.GetWeekYear(key):D4}-W{WeekYearRules.Iso.GetWeekOfWeekYear(key):D2}"),
            _ => key.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        };
    }
}
