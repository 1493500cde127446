using NodaTime;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Metrics;

/// <summary>Where a ticket's facts were derived from.</summary>
public enum FactsSource
{
    /// <summary>Derived from the full event history.</summary>
    Events,
    /// <summary>Derived from one row of a helpdesk's summary export; fewer figures are known.</summary>
    Summary,
}

/// <summary>A duration measured twice: in elapsed calendar time and in the business hours of a calendar.</summary>
/// <param name="Calendar">Elapsed real time between the two instants.</param>
/// <param name="Business">Elapsed time inside the open hours of the ticket's business calendar.</param>
public readonly record struct DualDuration(Duration Calendar, Duration Business);

/// <summary>Which SLA target a due instant belongs to.</summary>
public enum SlaMetric
{
    /// <summary>Creation to the first public human reply.</summary>
    FirstReply,
    /// <summary>A customer message to the next public human reply.</summary>
    NextReply,
    /// <summary>Creation to the (final) solve, with pauses excluded.</summary>
    Resolution,
}

/// <summary>Where a ticket stands against one SLA target.</summary>
public enum SlaState
{
    /// <summary>The target was reached before its due instant (or exactly at it).</summary>
    Met,
    /// <summary>The due instant passed first.</summary>
    Breached,
    /// <summary>Not yet reached and not yet due at the time of computation.</summary>
    Running,
}

/// <summary>One SLA target applied to one ticket.</summary>
/// <param name="Metric">The target's kind.</param>
/// <param name="Policy">Name of the policy the target came from.</param>
/// <param name="Target">The target duration as written in the policy.</param>
/// <param name="Due">When the target falls due (pauses pushed it later).</param>
/// <param name="State">Met, breached or still running.</param>
/// <param name="Margin">
/// Met: how much of the target was left; breached: by how much it was missed (positive);
/// running: how much is left at the time of computation. Measured in the target's own clock
/// (business or calendar hours).
/// </param>
public sealed record SlaOutcome(SlaMetric Metric, string Policy, Duration Target, Instant Due, SlaState State, Duration Margin)
{
    /// <summary>
    /// When the clock started: creation (or, on a ticket an agent opened, the customer's first message) for first
    /// reply and resolution; the customer message awaiting reply for next reply. Null when not known.
    /// </summary>
    public Instant? Start { get; init; }
}

/// <summary>
/// Everything Utendaji derives about one ticket. Stored, exported one row per ticket, and aggregated by the
/// KPI report. Null means "not applicable or not known" (e.g. no reply yet), never zero.
/// </summary>
public sealed record TicketFacts
{
    /// <summary>The ticket id as the helpdesk knows it.</summary>
    public required string TicketId { get; init; }
    /// <summary>Whether the facts came from events or a summary row.</summary>
    public required FactsSource Source { get; init; }
    /// <summary>When the ticket was created.</summary>
    public required Instant CreatedAt { get; init; }
    /// <summary>Status after the last known event.</summary>
    public required TicketStatus Status { get; init; }
    /// <summary>Channel (last one stated).</summary>
    public string? Channel { get; init; }
    /// <summary>Team (last one stated).</summary>
    public string? Team { get; init; }
    /// <summary>Priority (last one stated).</summary>
    public string? Priority { get; init; }
    /// <summary>The agent credited with the ticket (rule in <see cref="MetricOptions.Credit"/>).</summary>
    public string? Agent { get; init; }
    /// <summary>The requester.</summary>
    public string? Customer { get; init; }
    /// <summary>The requester's language (BCP 47 tag as given).</summary>
    public string? Language { get; init; }
    /// <summary>Name of the business calendar the business figures were measured in.</summary>
    public required string Calendar { get; init; }

    /// <summary>Instant of the first public human agent reply.</summary>
    public Instant? FirstReplyAt { get; init; }
    /// <summary>Creation to the first public human agent reply.</summary>
    public DualDuration? FirstReply { get; init; }
    /// <summary>Each customer message after the first reply to the next public human agent reply.</summary>
    public IReadOnlyList<DualDuration> NextReplies { get; init; } = [];
    /// <summary>Instant the ticket was first solved.</summary>
    public Instant? FirstSolvedAt { get; init; }
    /// <summary>Creation to the first solve.</summary>
    public DualDuration? FirstResolution { get; init; }
    /// <summary>Instant of the final solve, when the ticket is solved or closed now.</summary>
    public Instant? SolvedAt { get; init; }
    /// <summary>Creation to the final solve, when the ticket is solved or closed now.</summary>
    public DualDuration? FullResolution { get; init; }
    /// <summary>Time the requester waited for the organisation until the final solve: pending and solved periods excluded.</summary>
    public DualDuration? RequesterWait { get; init; }

    /// <summary>Public replies by human agents.</summary>
    public int AgentReplies { get; init; }
    /// <summary>Times the ticket was reopened.</summary>
    public int Reopens { get; init; }
    /// <summary>Solved with exactly one public human agent reply and never reopened; null while unsolved.</summary>
    public bool? OneTouch { get; init; }
    /// <summary>First-contact resolution under the definition chosen in <see cref="MetricOptions.FirstContact"/>; null while unsolved.</summary>
    public bool? FirstContactResolved { get; init; }
    /// <summary>Satisfaction rating 1–5 when the customer gave one.</summary>
    public int? Satisfaction { get; init; }
    /// <summary>SLA outcomes, one per applicable target (next reply: one per customer message).</summary>
    public IReadOnlyList<SlaOutcome> Sla { get; init; } = [];
}
