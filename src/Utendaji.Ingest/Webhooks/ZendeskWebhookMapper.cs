using System.Text.Json;
using NodaTime;
using Utendaji.Core.Tickets;

namespace Utendaji.Ingest.Webhooks;

/// <summary>
/// Maps the body of a Zendesk webhook subscribed to ticket events (<c>zen:event-type:ticket.*</c>, event version
/// 2022-11-06) onto canonical <see cref="TicketEvent"/>s. Pure: no clock, no store, no I/O.
/// <list type="bullet">
/// <item>Ticket id: <c>zendesk:</c> + <c>detail.id</c>; event id: <c>zendesk:</c> + the payload's <c>id</c>
/// (Zendesk's unique event id), so a redelivery maps to the same ids.</item>
/// <item><c>ticket.created</c> → <c>created</c> (status, priority, channel from <c>via.channel</c>, team = group id,
/// requester as customer); <c>ticket.comment_added</c> → <c>agent_reply</c> (staff author) or <c>customer_reply</c>,
/// <c>public</c> from <c>is_public</c>; <c>ticket.status_changed</c> → <c>status_changed</c>, or <c>reopened</c>
/// when it leaves solved/closed; <c>ticket.agent_assignment_changed</c> → <c>assigned</c>;
/// <c>ticket.priority_changed</c> → <c>priority_changed</c>. Everything else is ignored.</item>
/// </list>
/// The full table is in docs/connectors.md.
/// </summary>
public static class ZendeskWebhookMapper
{
    /// <summary>The prefix of Zendesk ticket ids and event ids in Utendaji.</summary>
    public const string IdPrefix = "zendesk:";

    private const string TicketEventPrefix = "zen:event-type:ticket.";

    /// <summary>Maps one webhook body (the raw request bytes).</summary>
    public static WebhookMapping Map(ReadOnlySpan<byte> body)
    {
        using var document = PayloadReader.Parse(body, out var parseIssue);
        if (document is null)
        {
            return WebhookMapping.Invalid([parseIssue!]);
        }

        var root = document.RootElement;
        var read = new PayloadReader();
        var type = read.Text(root, "type", "type", required: true);
        if (type is not null && !type.StartsWith(TicketEventPrefix, StringComparison.Ordinal))
        {
            return read.HasIssues ? WebhookMapping.Invalid(read.Issues) : WebhookMapping.Ignored($"'{type}' is not a ticket event");
        }

        var kind = type?[TicketEventPrefix.Length..];
        if (kind is not null && !IsMapped(kind))
        {
            return WebhookMapping.Ignored($"'{type}' is not measured");
        }

        var id = read.Text(root, "id", "id", required: true);
        var at = read.IsoInstant(root, "time", "time", required: true);
        var detail = read.Object(root, "detail", "detail", required: true);
        var ticket = read.Text(detail, "id", "detail.id", required: true);
        var actor = read.Text(detail, "actor_id", "detail.actor_id");
        var requester = read.Text(detail, "requester_id", "detail.requester_id");
        var group = read.Text(detail, "group_id", "detail.group_id");
        var eventObject = read.Object(root, "event", "event");
        if (kind is null)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        // With problems above, the event's own fields are still read so that every problem is reported at once;
        // each mapping below returns Invalid when any issue was found.
        var basis = new TicketEvent(IdPrefix + id, IdPrefix + ticket, at ?? default, TicketEventType.Created, ActorKind.System, null,
            true, null, group, null, null, null);
        return kind switch
        {
            "created" => Created(read, basis, detail, requester),
            "comment_added" => Comment(read, basis, detail, eventObject),
            "status_changed" => Status(read, basis, eventObject, actor, requester),
            "agent_assignment_changed" => Assignment(read, basis, eventObject, actor, requester),
            _ => Priority(read, basis, eventObject, actor, requester),
        };
    }

    private static bool IsMapped(string kind) =>
        kind is "created" or "comment_added" or "status_changed" or "agent_assignment_changed" or "priority_changed";

    private static WebhookMapping Created(PayloadReader read, TicketEvent basis, JsonElement? detail, string? requester)
    {
        var submitter = read.Text(detail, "submitter_id", "detail.submitter_id");
        var assignee = read.Text(detail, "assignee_id", "detail.assignee_id");
        var statusText = read.Text(detail, "status", "detail.status");
        var priority = read.Text(detail, "priority", "detail.priority");
        var via = read.Object(detail, "via", "detail.via");
        var channel = read.Text(via, "channel", "detail.via.channel");
        TicketStatus? status = null;
        if (statusText is not null)
        {
            status = WebhookVocabulary.ZendeskStatus(statusText);
            if (status is null)
            {
                read.Add("detail.status", statusText, "is not a Zendesk ticket status (new, open, pending, hold, solved, closed)");
            }
        }

        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        // An agent who opens a ticket on a customer's behalf is its submitter, not its requester.
        var byAgent = submitter is not null && requester is not null && submitter != requester;
        return WebhookMapping.Mapped([basis with
        {
            Type = TicketEventType.Created,
            ActorKind = byAgent ? ActorKind.Agent : ActorKind.Customer,
            ActorId = byAgent ? submitter : requester,
            Channel = channel is null ? null : WebhookVocabulary.ZendeskChannel(channel),
            Priority = priority?.ToLowerInvariant(),
            Status = status ?? TicketStatus.New,
            Attributes = Attributes(("customer", requester), ("assignee", assignee)),
        }]);
    }

    private static WebhookMapping Comment(PayloadReader read, TicketEvent basis, JsonElement? detail, JsonElement? eventObject)
    {
        var comment = read.Object(eventObject, "comment", "event.comment", required: true);
        if (eventObject is null)
        {
            read.Add("event", null, "is required");
        }

        var isPublic = read.Bool(comment, "is_public", "event.comment.is_public", required: true);
        var author = read.Object(comment, "author", "event.comment.author", required: true);
        var authorId = read.Text(author, "id", "event.comment.author.id");
        var isStaff = read.Bool(author, "is_staff", "event.comment.author.is_staff", required: true);
        var createdAt = read.IsoInstant(detail, "created_at", "detail.created_at");
        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        // Zendesk sends the ticket's opening comment (its description) as comment_added in the same second as the
        // creation. It is not a reply: counting it would make an agent-opened ticket answered at once.
        if (createdAt is { } created && Truncate(basis.At) == Truncate(created))
        {
            return WebhookMapping.Ignored("the comment is the ticket's opening description, part of its creation");
        }

        return WebhookMapping.Mapped([basis with
        {
            Type = isStaff!.Value ? TicketEventType.AgentReply : TicketEventType.CustomerReply,
            ActorKind = isStaff.Value ? ActorKind.Agent : ActorKind.Customer,
            ActorId = authorId,
            Public = isPublic!.Value,
        }]);
    }

    private static WebhookMapping Status(PayloadReader read, TicketEvent basis, JsonElement? eventObject, string? actor, string? requester)
    {
        var current = Change(read, eventObject, "current", required: true);
        var previous = Change(read, eventObject, "previous", required: false);
        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        var next = WebhookVocabulary.ZendeskStatus(current!);
        if (next is null)
        {
            return WebhookMapping.Ignored($"status '{current}' has no canonical status (deleted, archived and scrubbed tickets are not measured)");
        }

        var before = previous is null ? null : WebhookVocabulary.ZendeskStatus(previous);
        var (kind, id) = Actor(actor, requester);
        return WebhookMapping.Mapped([basis with
        {
            Type = WebhookVocabulary.IsReopen(before, next.Value) ? TicketEventType.Reopened : TicketEventType.StatusChanged,
            ActorKind = kind,
            ActorId = id,
            Status = next,
        }]);
    }

    private static WebhookMapping Assignment(PayloadReader read, TicketEvent basis, JsonElement? eventObject, string? actor, string? requester)
    {
        var current = Change(read, eventObject, "current", required: false);
        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        if (current is null)
        {
            return WebhookMapping.Ignored("the ticket was unassigned (no agent to credit)");
        }

        var (kind, id) = Actor(actor, requester);
        return WebhookMapping.Mapped([basis with
        {
            Type = TicketEventType.Assigned,
            ActorKind = kind,
            ActorId = id,
            Attributes = Attributes(("assignee", current)),
        }]);
    }

    private static WebhookMapping Priority(PayloadReader read, TicketEvent basis, JsonElement? eventObject, string? actor, string? requester)
    {
        var current = Change(read, eventObject, "current", required: false);
        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        if (current is null)
        {
            return WebhookMapping.Ignored("the priority was removed");
        }

        var (kind, id) = Actor(actor, requester);
        return WebhookMapping.Mapped([basis with
        {
            Type = TicketEventType.PriorityChanged,
            ActorKind = kind,
            ActorId = id,
            Priority = current.ToLowerInvariant(),
        }]);
    }

    private static string? Change(PayloadReader read, JsonElement? eventObject, string name, bool required)
    {
        if (eventObject is null)
        {
            if (required)
            {
                read.Add("event", null, "is required");
            }

            return null;
        }

        return read.Text(eventObject, name, "event." + name, required);
    }

    /// <summary>
    /// Who changed the ticket: Zendesk writes <c>-1</c> (or nothing) for its own automations, the requester is the
    /// customer (a reply that reopens), anyone else an agent.
    /// </summary>
    private static (ActorKind Kind, string? Id) Actor(string? actor, string? requester) =>
        actor is null or "-1" ? (ActorKind.System, null)
        : actor == requester ? (ActorKind.Customer, actor)
        : (ActorKind.Agent, actor);

    private static Instant Truncate(Instant instant) => Instant.FromUnixTimeSeconds(instant.ToUnixTimeSeconds());

    internal static Dictionary<string, string>? Attributes(params (string Key, string? Value)[] pairs)
    {
        Dictionary<string, string>? attributes = null;
        foreach (var (key, value) in pairs)
        {
            if (value is not null)
            {
                (attributes ??= new(StringComparer.Ordinal))[key] = value;
            }
        }

        return attributes;
    }
}
