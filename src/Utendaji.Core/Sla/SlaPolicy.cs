using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Sla;

/// <summary>Which hours an SLA clock counts.</summary>
public enum SlaHours
{
    /// <summary>Only the open hours of a business calendar (the named one, else the ticket's own).</summary>
    Business,
    /// <summary>Every hour of the day, every day (24×7 elapsed time).</summary>
    Calendar,
}

/// <summary>The clock an SLA target is measured in.</summary>
/// <param name="Hours">Business or calendar hours.</param>
/// <param name="CalendarName">
/// For <see cref="SlaHours.Business"/>: the calendar to count in; null means the ticket's own calendar (its team's,
/// else the default). Ignored for <see cref="SlaHours.Calendar"/>.
/// </param>
public sealed record SlaClock(SlaHours Hours, string? CalendarName = null)
{
    /// <summary>24×7 elapsed time.</summary>
    public static SlaClock CalendarHours { get; } = new(SlaHours.Calendar);

    /// <summary>Business hours of the ticket's own calendar (the default when a policy names no clock).</summary>
    public static SlaClock TicketBusinessHours { get; } = new(SlaHours.Business);
}

/// <summary>
/// Statuses during which each SLA clock stands still. Solved and closed always stop a clock, so they are never
/// listed here.
/// </summary>
public sealed record SlaPauses
{
    private static readonly IReadOnlySet<TicketStatus> None = new HashSet<TicketStatus>();

    /// <summary>The default: pending and on-hold pause resolution; first and next reply never pause.</summary>
    public static SlaPauses Default { get; } = new()
    {
        Resolution = new HashSet<TicketStatus> { TicketStatus.Pending, TicketStatus.OnHold },
    };

    /// <summary>Statuses that pause the first-reply clock. Default: none.</summary>
    public IReadOnlySet<TicketStatus> FirstReply { get; init; } = None;

    /// <summary>Statuses that pause each next-reply clock. Default: none.</summary>
    public IReadOnlySet<TicketStatus> NextReply { get; init; } = None;

    /// <summary>Statuses that pause the resolution clock. Default: pending and on-hold.</summary>
    public IReadOnlySet<TicketStatus> Resolution { get; init; } = None;

    /// <summary>The pausing statuses of one metric.</summary>
    public IReadOnlySet<TicketStatus> For(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstReply => FirstReply,
        SlaMetric.NextReply => NextReply,
        _ => Resolution,
    };
}

/// <summary>
/// The targets for tickets of one priority, optionally narrowed to a channel and/or a team. Any duration may be
/// absent; a target is chosen as a whole (absent durations are not borrowed from a less specific target).
/// </summary>
public sealed record SlaTarget
{
    /// <summary>The priority the target applies to (compared ignoring case).</summary>
    public required string Priority { get; init; }

    /// <summary>Only tickets of this channel, when set (compared ignoring case).</summary>
    public string? Channel { get; init; }

    /// <summary>Only tickets of this team, when set (compared ignoring case).</summary>
    public string? Team { get; init; }

    /// <summary>Creation to the first public human reply.</summary>
    public Duration? FirstReply { get; init; }

    /// <summary>Each customer message awaiting reply to the next public human reply.</summary>
    public Duration? NextReply { get; init; }

    /// <summary>Creation to the final solve, pauses excluded.</summary>
    public Duration? Resolution { get; init; }

    /// <summary>The clock the durations are counted in.</summary>
    public SlaClock Clock { get; init; } = SlaClock.TicketBusinessHours;

    /// <summary>Statuses that pause each clock.</summary>
    public SlaPauses Pauses { get; init; } = SlaPauses.Default;

    /// <summary>Position of the target in its policy (0-based); breaks ties between equally specific targets.</summary>
    public int Order { get; init; }

    /// <summary>2 when narrowed by team and channel, 1 by either, 0 by priority only. Higher wins.</summary>
    public int Specificity => (Team is null ? 0 : 1) + (Channel is null ? 0 : 1);

    /// <summary>The target duration of one metric, or null when the target sets none.</summary>
    public Duration? For(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstReply => FirstReply,
        SlaMetric.NextReply => NextReply,
        _ => Resolution,
    };

    /// <summary>Whether a ticket with this priority, channel and team falls under the target.</summary>
    public bool Matches(string? priority, string? channel, string? team) =>
        priority is not null
        && string.Equals(Priority, priority, StringComparison.OrdinalIgnoreCase)
        && (Channel is null || string.Equals(Channel, channel, StringComparison.OrdinalIgnoreCase))
        && (Team is null || string.Equals(Team, team, StringComparison.OrdinalIgnoreCase));

    /// <summary>A short human description such as <c>priority=high channel=chat</c>.</summary>
    public string Describe()
    {
        var text = "priority=" + Priority;
        if (Channel is not null)
        {
            text += " channel=" + Channel;
        }

        if (Team is not null)
        {
            text += " team=" + Team;
        }

        return text;
    }
}

/// <summary>
/// An SLA policy (JSON, see docs/formats.md): named targets per priority, optionally narrowed by channel or team.
/// Immutable; parse one with <see cref="SlaPolicyJson.Parse"/>.
/// </summary>
public sealed record SlaPolicy
{
    /// <summary>Policy name.</summary>
    public required string Name { get; init; }

    /// <summary>Targets in the order they were written.</summary>
    public IReadOnlyList<SlaTarget> Targets { get; init; } = [];

    /// <summary>
    /// The target that applies to a ticket: among the targets matching its (latest) priority, channel and team,
    /// the most specific one (team and channel, then team or channel, then priority only); among equally specific
    /// ones, the first in the file. Null when none matches.
    /// </summary>
    public SlaTarget? SelectTarget(string? priority, string? channel, string? team)
    {
        SlaTarget? best = null;
        foreach (var target in Targets)
        {
            // Strictly greater: an equally specific target later in the file never displaces an earlier one.
            if (target.Matches(priority, channel, team) && (best is null || target.Specificity > best.Specificity))
            {
                best = target;
            }
        }

        return best;
    }

    /// <summary>Names of the business calendars the policy refers to, so a caller can check they are loaded.</summary>
    public IReadOnlyCollection<string> CalendarNames() =>
        Targets.Select(t => t.Clock.CalendarName).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
