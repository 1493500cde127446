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
                        cell.SlaFirstReply = cell.SlaFirstReply.Add(outcome.State == SlaState.Met);
                    }
                    else if (outcome.Metric == SlaMetric.NextReply)
                    {
                        cell.SlaNextReply = cell.SlaNextReply.Add(outcome.State == SlaState.Met);
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
                    cell.FirstContact = cell.FirstContact.Add(fcr);
                }

                cell.Reopened = cell.Reopened.Add(ticket.Reopens > 0);
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
                    cell.SlaResolution = cell.SlaResolution.Add(outcome.State == SlaState.Met);
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
                    cell.Satisfied = cell.Satisfied.Add(rating >= options.SatisfiedMinimum);
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

        // Summaries select quantiles in place (reordering a sample), and a merge copies a sample in its current order,
        // so every cell is summarised before it is merged, in the same order whatever runs in parallel: a mean (an
        // order-dependent sum) comes out the same to the last bit. Groups are independent of each other, and so are
        // periods, so each of the two stages runs in parallel over them.
        var sorted = groups.OrderBy(g => g.Key).ToArray();
        var parts = new GroupPart?[sorted.Length];
        Parallel.For(0, sorted.Length, g =>
        {
            var (key, group) = sorted[g];
            var backlog = calendar.BacklogAtEnds(group, periods);
            if (group.Cells.Count == 0 && backlog.All(b => b == 0))
            {
                return; // nothing of this group falls in the report range
            }

            var total = new KpiCell();
            total.Reserve(group.Cells.Values);
            var groupRows = new KpiRow[periods.Count];
            for (var i = 0; i < periods.Count; i++)
            {
                var cell = group.Cells.TryGetValue(periods[i].Key, out var c) ? c : new KpiCell();
                groupRows[i] = Row(key, periods[i].Period, cell.Summarize(backlog[i], definition), options);
                total.Merge(cell);
            }

            var lastBacklog = backlog.Length > 0 ? backlog[^1] : 0;
            parts[g] = new GroupPart(groupRows, Row(key, range, total.Summarize(lastBacklog, definition), options), total, backlog, lastBacklog);
        });

        var rows = new List<KpiRow>();
        var byGroup = new List<KpiRow>();
        var periodBacklog = new long[periods.Count];
        long overallBacklog = 0;
        foreach (var part in parts)
        {
            if (part is null)
            {
                continue;
            }

            rows.AddRange(part.Rows);
            byGroup.Add(part.Total);
            for (var i = 0; i < periods.Count; i++)
            {
                periodBacklog[i] += part.Backlog[i];
            }

            overallBacklog += part.LastBacklog;
        }

        // Overall (group totals in group order) beside the per-period totals (cells in the groups' first-seen order).
        var overall = new KpiCell();
        KpiRow? overallRow = null;
        var overallTask = Task.Run(() =>
        {
            overall.Reserve(parts.Where(p => p is not null).Select(p => p!.Cell));
            foreach (var part in parts)
            {
                if (part is not null)
                {
                    overall.Merge(part.Cell);
                }
            }

            overallRow = Row(GroupKey.Total, range, overall.Summarize(overallBacklog, definition), options);
        });

        List<KpiRow> byPeriod;
        if (options.GroupBy.Count == 0)
        {
            byPeriod = rows; // one total group: its rows already are the per-period totals
        }
        else
        {
            var periodRows = new KpiRow[periods.Count];
            var states = groups.Values.ToArray();
            Parallel.For(0, periods.Count, i =>
            {
                var merged = new KpiCell();
                merged.Reserve(states.Select(g => g.Cells.GetValueOrDefault(periods[i].Key)).OfType<KpiCell>());
                foreach (var group in states)
                {
                    if (group.Cells.TryGetValue(periods[i].Key, out var cell))
                    {
                        merged.Merge(cell);
                    }
                }

                periodRows[i] = Row(GroupKey.Total, periods[i].Period, merged.Summarize(periodBacklog[i], definition), options);
            });
            byPeriod = [.. periodRows];
        }

        overallTask.GetAwaiter().GetResult();

        return new KpiReport
        {
            Options = options,
            Periods = periods.Select(p => p.Period).ToArray(),
            Range = range,
            Rows = rows,
            ByPeriod = byPeriod,
            ByGroup = byGroup,
            Overall = overallRow!,
            FirstReplyBusinessHistogram = overall.FirstReplyBusiness.Histogram(options.FirstReplyHistogramEdges),
            FirstReplyCalendarHistogram = overall.FirstReplyCalendar.Histogram(options.FirstReplyHistogramEdges),
        };
    }

    /// <summary>One group's part of the report: its rows, its total row, its merged cell and its backlog per period.</summary>
    private sealed record GroupPart(KpiRow[] Rows, KpiRow Total, KpiCell Cell, long[] Backlog, long LastBacklog);

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

            var slots = new List<PeriodSlot>();
            var lastKey = PeriodOf(last.Value);
            for (var key = PeriodOf(first.Value); key <= lastKey; key = Next(key))
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
