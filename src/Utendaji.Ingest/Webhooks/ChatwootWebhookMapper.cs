using System.Text.Json;
using NodaTime;
using Utendaji.Core.Tickets;

namespace Utendaji.Ingest.Webhooks;

/// <summary>
/// Maps the body of a Chatwoot account webhook onto canonical <see cref="TicketEvent"/>s; a conversation is a ticket.
/// Pure: no clock, no store, no I/O.
/// <list type="bullet">
/// <item>Ticket id: <c>chatwoot:</c> + the conversation's <c>id</c>. Event ids are built from the payload only
/// (message id; conversation id, changed attribute, new value and <c>updated_at</c>), so a redelivery, or the
/// <c>conversation_updated</c> that Chatwoot sends beside a <c>conversation_status_changed</c> for the same change,
/// maps to the same ids.</item>
/// <item><c>conversation_created</c> → <c>created</c>; <c>message_created</c> incoming → <c>customer_reply</c>,
/// outgoing → <c>agent_reply</c> (a bot's or an automation's when the sender is not a user; a private note with
/// <c>public: false</c>); <c>conversation_status_changed</c> / <c>conversation_updated</c> → <c>status_changed</c> or
/// <c>reopened</c>, <c>assigned</c>, <c>priority_changed</c> from <c>changed_attributes</c>. Everything else is
/// ignored.</item>
/// </list>
/// The full table is in docs/connectors.md.
/// </summary>
public static class ChatwootWebhookMapper
{
    /// <summary>The prefix of Chatwoot ticket ids and event ids in Utendaji.</summary>
    public const string IdPrefix = "chatwoot:";

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
        var name = read.Text(root, "event", "event", required: true);
        if (name is null)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        return name switch
        {
            "message_created" => Message(read, root),
            "conversation_created" => Created(read, root),
            "conversation_status_changed" or "conversation_updated" => Changed(read, root, name),
            _ => WebhookMapping.Ignored($"'{name}' is not measured"),
        };
    }

    private static WebhookMapping Message(PayloadReader read, JsonElement root)
    {
        var id = read.Text(root, "id", "id", required: true);
        var type = read.Text(root, "message_type", "message_type", required: true);
        var at = read.UnixOrIsoInstant(root, "created_at", "created_at", out _, required: true);
        var isPrivate = read.Bool(root, "private", "private") ?? false;
        var sender = read.Object(root, "sender", "sender");
        var senderId = read.Text(sender, "id", "sender.id");
        var senderType = read.Text(sender, "type", "sender.type");
        var conversation = read.Object(root, "conversation", "conversation", required: true);
        var ticket = read.Text(conversation, "id", "conversation.id", required: true);
        var team = Team(read, conversation, "conversation.");
        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        // message_type is an enum name in webhooks; some relays send Chatwoot's integer codes instead.
        var kind = type switch
        {
            "incoming" or "0" => TicketEventType.CustomerReply,
            "outgoing" or "1" => TicketEventType.AgentReply,
            "activity" or "2" or "template" or "3" => (TicketEventType?)null,
            _ => Unknown(read, type!),
        };
        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        if (kind is null)
        {
            return WebhookMapping.Ignored($"message_type '{type}' is not a message between customer and agent");
        }

        // Only a user (a human agent) counts as a human reply; agent bots, Captain and automations
        // (no sender) are bots. A contact writing is the customer whatever the message type says.
        var actor = senderType switch
        {
            "contact" => ActorKind.Customer,
            "user" => ActorKind.Agent,
            _ when kind == TicketEventType.CustomerReply => ActorKind.Customer,
            _ => ActorKind.Bot,
        };
        return WebhookMapping.Mapped([new TicketEvent($"{IdPrefix}message:{id}", IdPrefix + ticket, at!.Value, kind.Value,
            actor, senderId, !isPrivate, null, team, null, null, null)]);
    }

    private static TicketEventType? Unknown(PayloadReader read, string type)
    {
        read.Add("message_type", type, "is not a Chatwoot message type (incoming, outgoing, activity, template)");
        return null;
    }

    private static WebhookMapping Created(PayloadReader read, JsonElement root)
    {
        var ticket = read.Text(root, "id", "id", required: true);
        var at = read.UnixOrIsoInstant(root, "created_at", "created_at", out _, required: true);
        var statusText = read.Text(root, "status", "status");
        var priority = read.Text(root, "priority", "priority");
        var channel = read.Text(root, "channel", "channel");
        var meta = read.Object(root, "meta", "meta");
        var contact = read.Object(meta, "sender", "meta.sender");
        var contactId = read.Text(contact, "id", "meta.sender.id");
        var assignee = read.Object(meta, "assignee", "meta.assignee");
        var assigneeId = read.Text(assignee, "id", "meta.assignee.id");
        var team = Team(read, root, "");
        var status = Status(read, statusText, "status");
        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        return WebhookMapping.Mapped([new TicketEvent($"{IdPrefix}{ticket}:created", IdPrefix + ticket, at!.Value, TicketEventType.Created,
            ActorKind.Customer, contactId, true, channel is null ? null : WebhookVocabulary.ChatwootChannel(channel), team,
            priority, status ?? TicketStatus.New,
            ZendeskWebhookMapper.Attributes(("customer", contactId), ("assignee", assigneeId)))]);
    }

    private static WebhookMapping Changed(PayloadReader read, JsonElement root, string name)
    {
        var ticket = read.Text(root, "id", "id", required: true);
        var statusText = read.Text(root, "status", "status");
        var team = Team(read, root, "");
        // updated_at is the instant of the change (Unix seconds with microseconds); older versions send only timestamp.
        var field = root.TryGetProperty("updated_at", out var u) && u.ValueKind != JsonValueKind.Null ? "updated_at" : "timestamp";
        var at = read.UnixOrIsoInstant(root, field, field, out var rawAt, required: true);
        var changes = Changes(read, root);
        if (read.HasIssues)
        {
            return WebhookMapping.Invalid(read.Issues);
        }

        var events = new List<TicketEvent>();
        var basis = new TicketEvent("", IdPrefix + ticket, at!.Value, TicketEventType.StatusChanged, ActorKind.System, null, true,
            null, team, null, null, null);
        string EventId(string attribute, string value) => $"{IdPrefix}{ticket}:{attribute}:{value}:{rawAt}";

        if (changes.TryGetValue("assignee_id", out var assignee) && assignee.Current is { } agent)
        {
            events.Add(basis with { Id = EventId("assignee", agent), Type = TicketEventType.Assigned, Attributes = ZendeskWebhookMapper.Attributes(("assignee", agent)) });
        }

        if (changes.TryGetValue("priority", out var priority) && priority.Current is { } level)
        {
            events.Add(basis with { Id = EventId("priority", level), Type = TicketEventType.PriorityChanged, Priority = level });
        }

        var statusChange = changes.TryGetValue("status", out var s) ? s
            : name == "conversation_status_changed" ? new Change(null, statusText)
            : default;
        if (statusChange.Current is { } current)
        {
            var next = Status(read, current, changes.ContainsKey("status") ? "changed_attributes.status.current_value" : "status");
            var before = statusChange.Previous is null ? null : WebhookVocabulary.ChatwootStatus(statusChange.Previous);
            if (read.HasIssues)
            {
                return WebhookMapping.Invalid(read.Issues);
            }

            events.Add(basis with
            {
                Id = EventId("status", current),
                Type = WebhookVocabulary.IsReopen(before, next!.Value) ? TicketEventType.Reopened : TicketEventType.StatusChanged,
                Status = next,
            });
        }
        else if (name == "conversation_status_changed")
        {
            read.Add("status", null, "is required");
            return WebhookMapping.Invalid(read.Issues);
        }

        return events.Count == 0
            ? WebhookMapping.Ignored("no measured attribute changed (status, assignee_id, priority)")
            : WebhookMapping.Mapped(events);
    }

    private readonly record struct Change(string? Previous, string? Current);

    /// <summary>
    /// Chatwoot's <c>changed_attributes</c>: an array of one-key objects,
    /// <c>[{"status": {"previous_value": "open", "current_value": "resolved"}}, …]</c>.
    /// </summary>
    private static Dictionary<string, Change> Changes(PayloadReader read, JsonElement root)
    {
        var changes = new Dictionary<string, Change>(StringComparer.Ordinal);
        if (!root.TryGetProperty("changed_attributes", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return changes;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            read.Add("changed_attributes", null, "must be an array");
            return changes;
        }

        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"changed_attributes[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                read.Add(path, null, "must be an object");
                continue;
            }

            foreach (var property in item.EnumerateObject())
            {
                // A name that is not text is no attribute this reader knows, and reading it would throw.
                if (PayloadReader.HasLoneSurrogate(property) || property.Name is not ("status" or "assignee_id" or "priority"))
                {
                    continue;
                }

                var entry = read.Object(item, property.Name, $"{path}.{property.Name}");
                var previous = read.Text(entry, "previous_value", $"{path}.{property.Name}.previous_value");
                var current = read.Text(entry, "current_value", $"{path}.{property.Name}.current_value");
                changes[property.Name] = new Change(previous, current);
            }
        }

        return changes;
    }

    private static TicketStatus? Status(PayloadReader read, string? text, string path)
    {
        if (text is null)
        {
            return null;
        }

        var status = WebhookVocabulary.ChatwootStatus(text);
        if (status is null)
        {
            read.Add(path, text, "is not a Chatwoot conversation status (open, pending, snoozed, resolved)");
        }

        return status;
    }

    /// <summary>The conversation's team name (<c>meta.team.name</c>), the unit calendars and SLA policies name.</summary>
    private static string? Team(PayloadReader read, JsonElement? conversation, string prefix)
    {
        if (conversation is not { } c)
        {
            return null;
        }

        var meta = read.Object(c, "meta", prefix + "meta");
        var team = read.Object(meta, "team", prefix + "meta.team");
        return read.Text(team, "name", prefix + "meta.team.name");
    }
}
