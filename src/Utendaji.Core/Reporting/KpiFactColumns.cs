namespace Utendaji.Core.Reporting;

/// <summary>
/// A block of tickets' report figures laid out in columns (one span per figure, all of the same length
/// <see cref="Count"/>): the input of <see cref="KpiReportAccumulator.Add(in KpiFactColumns, IReadOnlyList{string})"/>,
/// the fast path of the KPI report over millions of stored tickets. Each column holds exactly what the matching
/// property of <see cref="Metrics.TicketFacts"/> holds, with sentinels instead of nulls so the columns stay flat.
/// </summary>
/// <remarks>
/// Instants are Unix ticks (100 ns, <c>Instant.ToUnixTimeTicks()</c>), <see cref="NoInstant"/> where unknown.
/// Durations are seconds exactly as <c>NodaTime.Duration.TotalSeconds</c> gives them, <see cref="double.NaN"/> where
/// unknown. Label columns hold codes into a label table passed alongside (code 0 = null); a label column the report
/// does not group by may be left empty. <see cref="FirstSolvedAt"/> and <see cref="ResolutionSlaDue"/> are only
/// consulted for tickets that are not solved now; left empty, such tickets' CSAT and resolution-SLA outcomes are
/// placed as if those instants were unknown (see docs/performance.md).
/// </remarks>
public readonly ref struct KpiFactColumns
{
    /// <summary>The value of an instant column where the instant is not known.</summary>
    public const long NoInstant = long.MinValue;

    /// <summary>Rows in the block: the length of <see cref="CreatedAt"/>.</summary>
    public int Count => CreatedAt.Length;

    /// <summary>Creation instants (Unix ticks). Required.</summary>
    public ReadOnlySpan<long> CreatedAt { get; init; }

    /// <summary>Final-solve instants, <see cref="NoInstant"/> when not solved now. Required.</summary>
    public ReadOnlySpan<long> SolvedAt { get; init; }

    /// <summary>First-solve instants, <see cref="NoInstant"/> when never solved. Optional (empty = unknown).</summary>
    public ReadOnlySpan<long> FirstSolvedAt { get; init; }

    /// <summary>
    /// Due instant of the ticket's (first) decided resolution SLA target, <see cref="NoInstant"/> when none.
    /// Places a breach of a ticket never solved. Optional (empty = unknown).
    /// </summary>
    public ReadOnlySpan<long> ResolutionSlaDue { get; init; }

    /// <summary>Team label codes.</summary>
    public ReadOnlySpan<int> Team { get; init; }

    /// <summary>Channel label codes.</summary>
    public ReadOnlySpan<int> Channel { get; init; }

    /// <summary>Credited agent label codes.</summary>
    public ReadOnlySpan<int> Agent { get; init; }

    /// <summary>Priority label codes.</summary>
    public ReadOnlySpan<int> Priority { get; init; }

    /// <summary>Language label codes.</summary>
    public ReadOnlySpan<int> Language { get; init; }

    /// <summary>First reply time in business hours, seconds.</summary>
    public ReadOnlySpan<double> FirstReplyBusiness { get; init; }

    /// <summary>First reply time in calendar time, seconds.</summary>
    public ReadOnlySpan<double> FirstReplyCalendar { get; init; }

    /// <summary>Full resolution time in business hours, seconds.</summary>
    public ReadOnlySpan<double> FullResolutionBusiness { get; init; }

    /// <summary>Full resolution time in calendar time, seconds.</summary>
    public ReadOnlySpan<double> FullResolutionCalendar { get; init; }

    /// <summary>Times reopened.</summary>
    public ReadOnlySpan<int> Reopens { get; init; }

    /// <summary>First-contact resolution; null while unsolved.</summary>
    public ReadOnlySpan<bool?> FirstContactResolved { get; init; }

    /// <summary>Satisfaction rating, 0 when none was given.</summary>
    public ReadOnlySpan<byte> Satisfaction { get; init; }

    /// <summary>First-reply SLA targets met.</summary>
    public ReadOnlySpan<int> SlaFirstReplyMet { get; init; }

    /// <summary>First-reply SLA targets breached.</summary>
    public ReadOnlySpan<int> SlaFirstReplyBreached { get; init; }

    /// <summary>Next-reply SLA targets met.</summary>
    public ReadOnlySpan<int> SlaNextReplyMet { get; init; }

    /// <summary>Next-reply SLA targets breached.</summary>
    public ReadOnlySpan<int> SlaNextReplyBreached { get; init; }

    /// <summary>Resolution SLA targets met.</summary>
    public ReadOnlySpan<int> SlaResolutionMet { get; init; }

    /// <summary>Resolution SLA targets breached.</summary>
    public ReadOnlySpan<int> SlaResolutionBreached { get; init; }

    /// <summary>
    /// Rows whose decided resolution SLA outcomes fall due at more than one instant (several policies): one entry per
    /// further due instant, with the outcomes due then. Those outcomes are counted in <see cref="SlaResolutionMet"/> and
    /// <see cref="SlaResolutionBreached"/> too; an entry only moves them to its own due instant, which matters only for a
    /// ticket never solved. Rows ascending. Optional (empty = every row's outcomes fall due at
    /// <see cref="ResolutionSlaDue"/>).
    /// </summary>
    public ReadOnlySpan<KpiDueOutcomes> ResolutionSlaOtherDues { get; init; }
}

/// <summary>Resolution SLA outcomes of one row of a <see cref="KpiFactColumns"/> block that fall due at <see cref="Due"/>.</summary>
/// <param name="Row">The row in the block.</param>
/// <param name="Due">The due instant, Unix ticks.</param>
/// <param name="Met">Outcomes due then that were met.</param>
/// <param name="Breached">Outcomes due then that were breached.</param>
public readonly record struct KpiDueOutcomes(int Row, long Due, int Met, int Breached);
