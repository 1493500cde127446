using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Statistics;

namespace Utendaji.Core.Reporting;

/// <summary>Which KPI a <see cref="KpiChange"/> compares (definitions and placement in docs/metrics.md).</summary>
public enum KpiChangeFigure
{
    /// <summary>Tickets created (a count: no test).</summary>
    Created,
    /// <summary>Tickets finally solved (a count: no test).</summary>
    Solved,
    /// <summary>Tickets open at the period's end (a count: no test).</summary>
    BacklogAtEnd,
    /// <summary>Mean first reply time in business hours, seconds (Welch t); the median is shown beside it.</summary>
    FirstReplyBusiness,
    /// <summary>Mean full resolution time in business hours, seconds (Welch t); the median is shown beside it.</summary>
    FullResolutionBusiness,
    /// <summary>First-reply SLA attainment (two-proportion z).</summary>
    SlaFirstReply,
    /// <summary>Next-reply SLA attainment (two-proportion z).</summary>
    SlaNextReply,
    /// <summary>Resolution SLA attainment (two-proportion z).</summary>
    SlaResolution,
    /// <summary>First-contact resolution rate (two-proportion z).</summary>
    FirstContactResolution,
    /// <summary>Reopen rate (two-proportion z).</summary>
    Reopened,
    /// <summary>CSAT: share of ratings at or above the threshold (two-proportion z).</summary>
    Satisfied,
}

/// <summary>One KPI in one period.</summary>
/// <param name="N">The n behind the value: tickets for counts, samples for durations, trials for rates.</param>
/// <param name="Value">The count, the mean in seconds, or the rate as a fraction 0–1; null when n = 0 (never for counts).</param>
/// <param name="Interval95">Wilson score interval for rates, t interval of the mean for durations; null for counts and when undefined.</param>
/// <param name="Median">The median, for durations (quantile definition of the options); otherwise null.</param>
/// <param name="Small">True when <paramref name="N"/> is below the minimum n (shown, never hidden).</param>
public sealed record KpiValue(long N, double? Value, ConfidenceInterval? Interval95, double? Median, bool Small);

/// <summary>A KPI in the previous and the current period, and the test of the change.</summary>
/// <param name="Figure">Which KPI.</param>
/// <param name="Previous">Its value in the previous period.</param>
/// <param name="Current">Its value in the current period.</param>
/// <param name="Difference">Current − previous; null when either is missing.</param>
/// <param name="Test">The two-sided test of the change; null for counts and when undefined (<see cref="ChangeTests"/>).</param>
/// <param name="Significant">True only when <paramref name="Test"/> exists and its p-value is below the significance level.</param>
public sealed record KpiChange(KpiChangeFigure Figure, KpiValue Previous, KpiValue Current, double? Difference, SignificanceTest? Test, bool Significant);

/// <summary>The changes of one group.</summary>
/// <param name="Group">The group (<see cref="GroupKey.Total"/> for all tickets).</param>
/// <param name="Changes">One change per <see cref="KpiChangeFigure"/>, in the enum's order.</param>
public sealed record KpiGroupChange(GroupKey Group, IReadOnlyList<KpiChange> Changes);

/// <summary>A period's KPIs against the period before it.</summary>
/// <param name="Previous">The previous period.</param>
/// <param name="Current">The current period.</param>
/// <param name="GroupBy">The dimensions of the groups (empty: the total only).</param>
/// <param name="SignificanceLevel">The level below which a p-value marks a change significant.</param>
/// <param name="Total">All tickets.</param>
/// <param name="Groups">Each group with any figure in either period, in key order; empty without grouping.</param>
public sealed record KpiComparison(
    ReportPeriod Previous, ReportPeriod Current, IReadOnlyList<GroupDimension> GroupBy, double SignificanceLevel, KpiGroupChange Total, IReadOnlyList<KpiGroupChange> Groups);

/// <summary>
/// Compares the KPIs of a week or month with those of the week or month before it: the figures come from
/// <see cref="KpiReportBuilder"/> (same placement rules as every KPI report), the tests from <see cref="ChangeTests"/>:
/// two-proportion z for rates, Welch t for mean durations; counts are shown with their difference and no test.
/// </summary>
public static class KpiPeriodComparison
{
    /// <summary>Compares <paramref name="current"/> with its <see cref="CalendarPeriod.Previous"/>. <paramref name="facts"/> is enumerated once.</summary>
    /// <param name="facts">Per-ticket facts of one organisation, in any order (tickets outside both periods are ignored).</param>
    /// <param name="current">The later period; its zone is the report zone.</param>
    /// <param name="options">Grouping, minimum n, CSAT threshold and quantile definition; its period, zone and range are replaced.</param>
    /// <param name="significanceLevel">A change is significant when its p-value is below this (0 &lt; level &lt; 1; usually 0.05).</param>
    /// <param name="cancellationToken">Checked while reading.</param>
    public static KpiComparison Compare(
        IEnumerable<TicketFacts> facts, CalendarPeriod current, KpiReportOptions options, double significanceLevel = 0.05, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(facts);
        Guard.NotNull(current);
        Guard.NotNull(options);
        Guard.InRange(significanceLevel is > 0 and < 1, "must lie strictly between 0 and 1", nameof(significanceLevel));
        var previous = current.Previous;
        var reportOptions = options with
        {
            Period = current.Granularity,
            TimeZone = current.Zone,
            From = previous.Start,
            To = current.End,
        };
        reportOptions.Validate();

        // The report keeps medians but not variances; the Welch test needs the moments, gathered in the same pass.
        var moments = new Dictionary<(GroupKey Group, bool Current), Moments>();
        var report = KpiReportBuilder.Build(Observe(facts, previous, current, options.GroupBy, moments), reportOptions, cancellationToken);

        var (previousKey, currentKey) = (previous.Start, current.Start);
        KpiGroupChange Group(GroupKey key, IEnumerable<KpiRow> rows)
        {
            var list = rows as IReadOnlyList<KpiRow> ?? rows.ToList();
            var before = list.FirstOrDefault(r => r.Period.Start == previousKey)?.Figures;
            var after = list.FirstOrDefault(r => r.Period.Start == currentKey)?.Figures;
            moments.TryGetValue((key, false), out var m1);
            moments.TryGetValue((key, true), out var m2);
            return new KpiGroupChange(key, Changes(before, after, m1 ?? new Moments(), m2 ?? new Moments(), report, significanceLevel));
        }

        // The report's periods are clipped to where data lies; a period with no figure at all is simply absent.
        var total = Group(GroupKey.Total, report.ByPeriod);
        var groups = options.GroupBy.Count == 0
            ? []
            : report.Rows.GroupBy(r => r.Group).OrderBy(g => g.Key).Select(g => Group(g.Key, g)).ToList();
        return new KpiComparison(previous.ToReportPeriod(), current.ToReportPeriod(), options.GroupBy, significanceLevel, total, groups);
    }

    private sealed class Moments
    {
        public SampleMoments FirstReply;
        public SampleMoments Resolution;
        public long Backlog;
    }

    private static IEnumerable<TicketFacts> Observe(
        IEnumerable<TicketFacts> facts, CalendarPeriod previous, CalendarPeriod current, IReadOnlyList<GroupDimension> groupBy, Dictionary<(GroupKey, bool), Moments> moments)
    {
        var (start, middle, end) = (previous.Start, current.Start, current.End);
        foreach (var ticket in facts)
        {
            // Same placement as the report: first reply by creation, full resolution by the final solve.
            if (ticket.FirstReply is { } reply && ticket.CreatedAt >= start && ticket.CreatedAt < end)
            {
                Add(ticket, ticket.CreatedAt >= middle, m => m.FirstReply = m.FirstReply.Add(reply.Business.TotalSeconds));
            }

            if (ticket.FullResolution is { } resolution && ticket.SolvedAt is { } solved && solved >= start && solved < end)
            {
                Add(ticket, solved >= middle, m => m.Resolution = m.Resolution.Add(resolution.Business.TotalSeconds));
            }

            // Backlog at each period's end, counted here too: the report lists only periods holding a figure, so a
            // quiet week would otherwise show no backlog. Same rule as the report: created before the end and not
            // finally solved before it (a solve stamped before creation counts at creation).
            if (IsOpenAt(ticket, middle))
            {
                Add(ticket, false, m => m.Backlog++);
            }

            if (IsOpenAt(ticket, end))
            {
                Add(ticket, true, m => m.Backlog++);
            }

            yield return ticket;
        }

        void Add(TicketFacts ticket, bool isCurrent, Action<Moments> add)
        {
            add(Get((GroupKey.Total, isCurrent)));
            if (groupBy.Count > 0)
            {
                add(Get((KeyOf(ticket, groupBy), isCurrent)));
            }
        }

        Moments Get((GroupKey, bool) key)
        {
            if (!moments.TryGetValue(key, out var m))
            {
                m = new Moments();
                moments.Add(key, m);
            }

            return m;
        }
    }

    private static bool IsOpenAt(TicketFacts ticket, Instant at) =>
        ticket.CreatedAt < at && !(ticket.SolvedAt is { } solved && (solved < ticket.CreatedAt ? ticket.CreatedAt : solved) < at);

    private static GroupKey KeyOf(TicketFacts ticket, IReadOnlyList<GroupDimension> dimensions) =>
        new(dimensions.Select(d => d switch
        {
            GroupDimension.Team => ticket.Team,
            GroupDimension.Channel => ticket.Channel,
            GroupDimension.Agent => ticket.Agent,
            GroupDimension.Priority => ticket.Priority,
            GroupDimension.Language => ticket.Language,
            _ => throw new ArgumentOutOfRangeException(nameof(dimensions), d, "unknown dimension"),
        }));

    private static List<KpiChange> Changes(KpiFigures? before, KpiFigures? after, Moments m1, Moments m2, KpiReport report, double level)
    {
        Proportion None = default;
        return
        [
            Count(KpiChangeFigure.Created, before?.Created ?? 0, after?.Created ?? 0, report),
            Count(KpiChangeFigure.Solved, before?.Solved ?? 0, after?.Solved ?? 0, report),
            Count(KpiChangeFigure.BacklogAtEnd, m1.Backlog, m2.Backlog, report),
            Mean(KpiChangeFigure.FirstReplyBusiness, m1.FirstReply, m2.FirstReply, before?.FirstReply.Business.Median, after?.FirstReply.Business.Median, report, level),
            Mean(KpiChangeFigure.FullResolutionBusiness, m1.Resolution, m2.Resolution, before?.FullResolution.Business.Median, after?.FullResolution.Business.Median, report, level),
            Rate(KpiChangeFigure.SlaFirstReply, before?.SlaFirstReply ?? None, after?.SlaFirstReply ?? None, report, level),
            Rate(KpiChangeFigure.SlaNextReply, before?.SlaNextReply ?? None, after?.SlaNextReply ?? None, report, level),
            Rate(KpiChangeFigure.SlaResolution, before?.SlaResolution ?? None, after?.SlaResolution ?? None, report, level),
            Rate(KpiChangeFigure.FirstContactResolution, before?.FirstContactResolution ?? None, after?.FirstContactResolution ?? None, report, level),
            Rate(KpiChangeFigure.Reopened, before?.Reopened ?? None, after?.Reopened ?? None, report, level),
            Rate(KpiChangeFigure.Satisfied, before?.Satisfied ?? None, after?.Satisfied ?? None, report, level),
        ];
    }

    private static KpiChange Count(KpiChangeFigure figure, long before, long after, KpiReport report) =>
        new(figure, new KpiValue(before, before, null, null, report.IsSmall(before)), new KpiValue(after, after, null, null, report.IsSmall(after)), after - before, null, false);

    private static KpiChange Mean(KpiChangeFigure figure, SampleMoments before, SampleMoments after, double? medianBefore, double? medianAfter, KpiReport report, double level)
    {
        var (e1, e2) = (before.Estimate(), after.Estimate());
        var test = ChangeTests.Welch(before, after);
        return new(
            figure,
            new KpiValue(e1.N, e1.Mean, e1.Interval95, medianBefore, report.IsSmall(e1.N)),
            new KpiValue(e2.N, e2.Mean, e2.Interval95, medianAfter, report.IsSmall(e2.N)),
            e2.Mean - e1.Mean,
            test,
            test?.IsSignificant(level) ?? false);
    }

    private static KpiChange Rate(KpiChangeFigure figure, Proportion before, Proportion after, KpiReport report, double level)
    {
        var test = ChangeTests.TwoProportions(before, after);
        return new(
            figure,
            new KpiValue(before.Trials, before.Rate, before.Wilson95, null, report.IsSmall(before.Trials)),
            new KpiValue(after.Trials, after.Rate, after.Wilson95, null, report.IsSmall(after.Trials)),
            after.Rate - before.Rate,
            test,
            test?.IsSignificant(level) ?? false);
    }
}
