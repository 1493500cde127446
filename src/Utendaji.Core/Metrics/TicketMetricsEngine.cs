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
