using NodaTime;

namespace Utendaji.Core.Tickets;

/// <summary>What happened to a ticket. The canonical event vocabulary of DESIGN.md.</summary>
public enum TicketEventType
{
    /// <summary>The ticket was opened (by a customer, an agent, a bot or the system).</summary>
    Created,
    /// <summary>An agent or bot wrote to the ticket; <see cref="TicketEvent.Public"/> says whether the customer saw it.</summary>
    AgentReply,
    /// <summary>The customer wrote to the ticket.</summary>
    CustomerReply,
    /// <summary>The status changed to <see cref="TicketEvent.Status"/>.</summary>
    StatusChanged,
    /// <summary>The ticket was assigned to the agent in <see cref="TicketEvent.Attributes"/> <c>assignee</c>, or to the actor.</summary>
    Assigned,
    /// <summary>The priority changed to <see cref="TicketEvent.Priority"/>.</summary>
    PriorityChanged,
    /// <summary>A solved or closed ticket was opened again.</summary>
    Reopened,
}

/// <summary>Who caused an event.</summary>
public enum ActorKind
{
    /// <summary>The requester.</summary>
    Customer,
    /// <summary>A human agent.</summary>
    Agent,
    /// <summary>An automated assistant; its replies never count as a human reply.</summary>
    Bot,
    /// <summary>The helpdesk itself (automations, timers).</summary>
    System,
}

/// <summary>The lifecycle states a ticket can be in.</summary>
public enum TicketStatus
{
    /// <summary>Not yet looked at.</summary>
    New,
    /// <summary>Being worked on; the ball is with the organisation.</summary>
    Open,
    /// <summary>Waiting for the customer.</summary>
    Pending,
    /// <summary>Waiting for a third party.</summary>
    OnHold,
    /// <summary>Answered; may still be reopened.</summary>
    Solved,
    /// <summary>Final; cannot be reopened in most helpdesks.</summary>
    Closed,
}

/// <summary>
/// One canonical ticket lifecycle event. Immutable; <see cref="Id"/> is unique per organisation and makes
/// imports idempotent.
/// </summary>
/// <param name="Id">Event id, unique within the organisation.</param>
/// <param name="TicketId">The ticket the event belongs to.</param>
/// <param name="At">When it happened (the offset written in the source is kept by ingest, not here).</param>
/// <param name="Type">What happened.</param>
/// <param name="ActorKind">Who caused it.</param>
/// <param name="ActorId">The agent, customer or bot id, when known.</param>
/// <param name="Public">Whether the customer could see it (replies); internal notes are not public.</param>
/// <param name="Channel">Channel (email, chat, phone, social, web) when the event states it.</param>
/// <param name="Team">Team when the event states it.</param>
/// <param name="Priority">Priority when the event states it (always on <see cref="TicketEventType.PriorityChanged"/>).</param>
/// <param name="Status">The new status on <see cref="TicketEventType.StatusChanged"/>.</param>
/// <param name="Attributes">Free attributes (e.g. <c>customer</c>, <c>language</c>, <c>assignee</c>, <c>satisfaction</c>).</param>
public sealed record TicketEvent(
    string Id,
    string TicketId,
    Instant At,
    TicketEventType Type,
    ActorKind ActorKind,
    string? ActorId,
    bool Public,
    string? Channel,
    string? Team,
    string? Priority,
    TicketStatus? Status,
    IReadOnlyDictionary<string, string>? Attributes)
{
    /// <summary>An attribute's value, or null.</summary>
    public string? Attribute(string key) =>
        Attributes is not null && Attributes.TryGetValue(key, out var value) ? value : null;
}
