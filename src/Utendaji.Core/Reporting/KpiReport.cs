using NodaTime;
using Utendaji.Core.Statistics;

namespace Utendaji.Core.Reporting;

/// <summary>
/// The values of the group-by dimensions for one group, in <see cref="KpiReportOptions.GroupBy"/> order. A null
/// value means the ticket did not state it. Compared ordinally; nulls sort last.
/// </summary>
public sealed class GroupKey : IEquatable<GroupKey>, IComparable<GroupKey>
{
    private readonly string?[] _values;

    /// <summary>Creates a key from dimension values.</summary>
    public GroupKey(IEnumerable<string?> values) => _values = Guard.NotNull(values).ToArray();

    /// <summary>The key of the one total group (no dimensions).</summary>
    public static GroupKey Total { get; } = new([]);

    /// <summary>Dimension values in group-by order.</summary>
    public IReadOnlyList<string?> Values => _values;

    /// <inheritdoc/>
    public bool Equals(GroupKey? other) =>
        other is not null && _values.AsSpan().SequenceEqual(other._values, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as GroupKey);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var v in _values)
        {
            hash.Add(v, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public int CompareTo(GroupKey? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (var i = 0; i < Math.Min(_values.Length, other._values.Length); i++)
        {
            var (a, b) = (_values[i], other._values[i]);
            var c = (a, b) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                _ => string.CompareOrdinal(a, b),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return _values.Length.CompareTo(other._values.Length);
    }

    /// <summary>Values joined with " · "; "(none)" for a missing value, "all" for the total group.</summary>
    public override string ToString() =>
        _values.Length == 0 ? "all" : string.Join(" · ", _values.Select(v => v ?? "(none)"));
}

/// <summary>
/// One report period: figures whose placing instant is in [Start, End) belong to it. Start and End are the period's
/// natural bounds clipped to the report range; null means unbounded (only with <see cref="PeriodGranularity.None"/>).
/// </summary>
/// <param name="Label">"2026-03-02" (day), "2026-W10" (ISO week), "2026-03" (month) or "all".</param>
/// <param name="Start">Inclusive start.</param>
/// <param name="End">Exclusive end; the backlog is counted at this instant.</param>
public sealed record ReportPeriod(string Label, Instant? Start, Instant? End);

/// <summary>Business- and calendar-time statistics of one duration figure, in seconds.</summary>
/// <param name="Business">Summary of the business-time durations.</param>
/// <param name="Calendar">Summary of the elapsed calendar-time durations.</param>
public sealed record DurationFigures(SampleSummary Business, SampleSummary Calendar);

/// <summary>Every KPI of one group in one period (definitions in docs/metrics.md).</summary>
/// <param name="Created">Tickets created in the period.</param>
/// <param name="Solved">Tickets whose final solve is in the period.</param>
/// <param name="BacklogAtEnd">Tickets created before the period's end and not (finally) solved before it.</param>
/// <param name="FirstReply">First reply time of tickets created in the period that have a first reply.</param>
/// <param name="FullResolution">Full resolution time of tickets finally solved in the period.</param>
/// <param name="SlaFirstReply">First-reply targets met among met + breached, tickets created in the period.</param>
/// <param name="SlaNextReply">Next-reply targets met among met + breached (one per customer message), tickets created in the period.</param>
/// <param name="SlaResolution">Resolution targets met among met + breached, placed by solve (or due) instant.</param>
/// <param name="FirstContactResolution">First-contact resolved among tickets solved in the period.</param>
/// <param name="Reopened">Reopened at least once among tickets solved in the period.</param>
/// <param name="Satisfied">Ratings at or above the CSAT threshold among rated tickets placed in the period.</param>
public sealed record KpiFigures(
    long Created,
    long Solved,
    long BacklogAtEnd,
    DurationFigures FirstReply,
    DurationFigures FullResolution,
    Proportion SlaFirstReply,
    Proportion SlaNextReply,
    Proportion SlaResolution,
    Proportion FirstContactResolution,
    Proportion Reopened,
    Proportion Satisfied);

/// <summary>One line of the report: a group in a period.</summary>
/// <param name="Group">The group (the total group for roll-ups).</param>
/// <param name="Period">The period (the whole range for roll-ups over periods).</param>
/// <param name="Figures">The KPIs.</param>
/// <param name="SmallGroup">True when both tickets created and tickets solved are below the minimum n.</param>
public sealed record KpiRow(GroupKey Group, ReportPeriod Period, KpiFigures Figures, bool SmallGroup);

/// <summary>
/// The KPI report: figures per group × period and their roll-ups. Pure data; renderers in Utendaji.Reports turn it
/// into a table, JSON, CSV or HTML.
/// </summary>
public sealed record KpiReport
{
    /// <summary>The options the report was built with.</summary>
    public required KpiReportOptions Options { get; init; }

    /// <summary>The periods in chronological order.</summary>
    public required IReadOnlyList<ReportPeriod> Periods { get; init; }

    /// <summary>The whole report range as one period (what <see cref="ByGroup"/> and <see cref="Overall"/> cover).</summary>
    public required ReportPeriod Range { get; init; }

    /// <summary>One row per group × period, groups in key order, then periods in order. Every period of a group that has any figure is present.</summary>
    public required IReadOnlyList<KpiRow> Rows { get; init; }

    /// <summary>All groups combined, one row per period.</summary>
    public required IReadOnlyList<KpiRow> ByPeriod { get; init; }

    /// <summary>All periods combined, one row per group; its backlog is the backlog at the end of the last period.</summary>
    public required IReadOnlyList<KpiRow> ByGroup { get; init; }

    /// <summary>Everything combined.</summary>
    public required KpiRow Overall { get; init; }

    /// <summary>First reply time (business) over the whole report, binned by <see cref="KpiReportOptions.FirstReplyHistogramEdges"/>.</summary>
    public required IReadOnlyList<HistogramBin> FirstReplyBusinessHistogram { get; init; }

    /// <summary>First reply time (calendar) over the whole report, binned the same way.</summary>
    public required IReadOnlyList<HistogramBin> FirstReplyCalendarHistogram { get; init; }

    /// <summary>Whether a figure with this n is flagged as small (n below <see cref="KpiReportOptions.MinimumN"/>).</summary>
    public bool IsSmall(long n) => n < Options.MinimumN;
}
