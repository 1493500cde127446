using NodaTime;

namespace Utendaji.Core.Tickets;

/// <summary>
/// One row of a helpdesk's ticket export, for users who have no event history. Maps onto the same
/// per-ticket facts as events, with fewer figures (no next-reply times, no pauses).
/// </summary>
public sealed record TicketSummary(
    string TicketId,
    Instant CreatedAt,
    Instant? FirstReplyAt,
    Instant? SolvedAt,
    int Reopens,
    int AgentReplies,
    string? Priority,
    string? Channel,
    string? Team,
    string? Agent,
    string? Customer,
    string? Language,
    int? Satisfaction);
