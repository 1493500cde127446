using NodaTime;
using Utendaji.Core.Calendars;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Metrics;

/// <summary>
/// Everything the engine needs besides a ticket's own events: which calendar a ticket is measured in, the SLA
/// policies, the metric choices and "now" (for running SLA clocks). Pure: no clock is read, "now" is given.
/// </summary>
public sealed record MetricContext
{
    /// <summary>Calendars by name.</summary>
    public required IReadOnlyDictionary<string, BusinessCalendar> Calendars { get; init; }
    /// <summary>Calendar name per team; tickets of other teams use <see cref="DefaultCalendar"/>.</summary>
    public IReadOnlyDictionary<string, string> TeamCalendars { get; init; } = new Dictionary<string, string>();
    /// <summary>Calendar for tickets whose team has none; null means 24×7.</summary>
    public string? DefaultCalendar { get; init; }
    /// <summary>SLA policies in force.</summary>
    public IReadOnlyList<SlaPolicy> SlaPolicies { get; init; } = [];
    /// <summary>Metric choices.</summary>
    public MetricOptions Options { get; init; } = MetricOptions.Default;
    /// <summary>The instant running SLA clocks are measured at.</summary>
    public required Instant Now { get; init; }
}

/// <summary>
/// Derives a ticket's figures (docs/metrics.md) from its events or from a summary row, and explains how.
/// Pure and thread-safe. <see cref="Compute"/> and <see cref="Explain(string, IReadOnlyList{TicketEvent}, MetricContext)"/>
/// run one code path (the explanation is a trace of the computation), so they can never disagree.
/// </summary>
public static class TicketMetricsEngine
{
    /// <summary>Computes the figures of one ticket from its events.</summary>
    /// <param name="ticketId">The ticket; every event must belong to it.</param>
    /// <param name="events">The ticket's events, any order (they are sorted by instant, then id, stably).</param>
    /// <param name="context">Calendars, SLA policies, options and "now".</param>
    /// <exception cref="ArgumentException">No events, or an event of another ticket.</exception>
    public static TicketFacts Compute(string ticketId, IReadOnlyList<TicketEvent> events, MetricContext context) =>
        EventMetrics.Run(ticketId, events, context, MetricTrace.Off);

    /// <summary>Computes the figures of one ticket from its events and says how each was reached.</summary>
    /// <inheritdoc cref="Compute" path="/param"/>
    /// <exception cref="ArgumentException">No events, or an event of another ticket.</exception>
    public static TicketExplanation Explain(string ticketId, IReadOnlyList<TicketEvent> events, MetricContext context)
    {
        var trace = MetricTrace.On();
        var facts = EventMetrics.Run(ticketId, events, context, trace);
        return new TicketExplanation(ticketId, facts, trace.Steps);
    }

    /// <summary>
    /// The fewer figures a helpdesk's summary row allows: first reply, resolution (calendar and business time),
    /// reopens, agent replies, one-touch, first-contact resolution where determinable, satisfaction, and SLA
    /// first reply and resolution without pauses.
    /// </summary>
    /// <param name="summary">The summary row.</param>
    /// <param name="context">Calendars, SLA policies, options and "now".</param>
    public static TicketFacts FromSummary(TicketSummary summary, MetricContext context) =>
        SummaryMetrics.Run(summary, context, MetricTrace.Off);

    /// <summary>Like <see cref="FromSummary"/>, saying how each figure was reached.</summary>
    /// <param name="summary">The summary row.</param>
    /// <param name="context">Calendars, SLA policies, options and "now".</param>
    public static TicketExplanation Explain(TicketSummary summary, MetricContext context)
    {
        Guard.NotNull(summary);
        var trace = MetricTrace.On();
        var facts = SummaryMetrics.Run(summary, context, trace);
        return new TicketExplanation(summary.TicketId, facts, trace.Steps);
    }
}
