using NodaTime;
using Utendaji.Core.Statistics;

namespace Utendaji.Core.Reporting;

/// <summary>A ticket attribute the KPI report can group by.</summary>
public enum GroupDimension
{
    /// <summary><see cref="Metrics.TicketFacts.Team"/>.</summary>
    Team,
    /// <summary><see cref="Metrics.TicketFacts.Channel"/>.</summary>
    Channel,
    /// <summary><see cref="Metrics.TicketFacts.Agent"/> (the credited agent).</summary>
    Agent,
    /// <summary><see cref="Metrics.TicketFacts.Priority"/>.</summary>
    Priority,
    /// <summary><see cref="Metrics.TicketFacts.Language"/>.</summary>
    Language,
}

/// <summary>The length of a report period.</summary>
public enum PeriodGranularity
{
    /// <summary>One period covering the whole report range.</summary>
    None,
    /// <summary>Calendar days in the report time zone.</summary>
    Day,
    /// <summary>ISO weeks, Monday 00:00 to the next Monday 00:00 in the report time zone.</summary>
    Week,
    /// <summary>Calendar months in the report time zone.</summary>
    Month,
}

/// <summary>
/// What the KPI report groups, over which range and periods, and its statistical thresholds. Immutable; change
/// with <c>with</c>. Every default is documented on its property and in docs/metrics.md.
/// </summary>
public sealed record KpiReportOptions
{
    /// <summary>The documented defaults: no grouping, one period, UTC, no range limits, minimum n 30, CSAT rating ≥ 4.</summary>
    public static KpiReportOptions Default { get; } = new();

    /// <summary>Dimensions to group by, in column order; empty (the default) gives one total group. No duplicates.</summary>
    public IReadOnlyList<GroupDimension> GroupBy { get; init; } = [];

    /// <summary>Period length. Default <see cref="PeriodGranularity.None"/> (one period).</summary>
    public PeriodGranularity Period { get; init; } = PeriodGranularity.None;

    /// <summary>Time zone in which days, ISO weeks and months begin. Default UTC.</summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;

    /// <summary>Inclusive start of the report range; null (default) = from the earliest figure in the data.</summary>
    public Instant? From { get; init; }

    /// <summary>Exclusive end of the report range; null (default) = up to the latest figure in the data.</summary>
    public Instant? To { get; init; }

    /// <summary>A figure whose n is below this, and a row whose tickets created and solved are both below it, is flagged as small (shown, never hidden). Default 30.</summary>
    public int MinimumN { get; init; } = 30;

    /// <summary>
    /// The most periods a report lists (27 years by day, 191 by week, 833 by month). A report lists every period from its
    /// first figure to its last, so without a bound one ticket stamped in year 1 and another in 9999 made a daily report
    /// of 3.65 million periods per group: gigabytes of memory and output (within the 1900–2199 that readers now accept,
    /// still 110 thousand). Beyond it, <see cref="ReportTooLargeException"/>.
    /// </summary>
    public const int MaxPeriods = 10_000;

    /// <summary>CSAT counts a rating at or above this (on the 1–5 scale) as satisfied. Default 4: the top two boxes of five.</summary>
    public int SatisfiedMinimum { get; init; } = 4;

    /// <summary>The quantile definition for medians and p90s. Default <see cref="QuantileDefinition.Linear"/> (Hyndman–Fan type 7).</summary>
    public QuantileDefinition Quantile { get; init; } = QuantileDefinition.Linear;

    /// <summary>
    /// Lower edges, in seconds, of the first-reply-time histogram bins (the last bin is open-ended). Default:
    /// 0, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 24 h, 48 h, 120 h.
    /// </summary>
    public IReadOnlyList<double> FirstReplyHistogramEdges { get; init; } =
        [0, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 432000];

    /// <summary>Throws when the options contradict themselves.</summary>
    public void Validate()
    {
        Guard.NotNull(GroupBy);
        Guard.NotNull(TimeZone);
        Guard.NotNull(FirstReplyHistogramEdges);
        Guard.InRange(GroupBy.Distinct().Count() == GroupBy.Count, "a dimension appears once", nameof(GroupBy));
        Guard.InRange(From is null || To is null || From.Value < To.Value, "From lies before To", nameof(From));
        Guard.InRange(MinimumN >= 0, "minimum n is not negative", nameof(MinimumN));
        Guard.InRange(SatisfiedMinimum is >= 1 and <= 5, "a rating threshold lies in 1..5", nameof(SatisfiedMinimum));
        Guard.InRange(FirstReplyHistogramEdges.Count > 0, "at least one histogram edge", nameof(FirstReplyHistogramEdges));
    }
}
