using Utendaji.Core.Tickets;

namespace Utendaji.Ingest.Events;

/// <summary>The canonical NDJSON spellings of the event enums (snake_case, lower case, exact).</summary>
public static class EventVocabulary
{
    private static readonly string[] TypeNames =
        ["created", "agent_reply", "customer_reply", "status_changed", "assigned", "priority_changed", "reopened"];

    private static readonly string[] KindNames = ["customer", "agent", "bot", "system"];

    private static readonly string[] StatusNames = ["new", "open", "pending", "on_hold", "solved", "closed"];

    private static readonly Dictionary<string, TicketEventType> Types =
        TypeNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => (TicketEventType)p.i, StringComparer.Ordinal);

    private static readonly Dictionary<string, ActorKind> Kinds =
        KindNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => (ActorKind)p.i, StringComparer.Ordinal);

    private static readonly Dictionary<string, TicketStatus> Statuses =
        StatusNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => (TicketStatus)p.i, StringComparer.Ordinal);

    /// <summary>All event type names, comma-separated, for messages and docs.</summary>
    public static string TypeList { get; } = string.Join(", ", TypeNames);

    /// <summary>All actor kind names, comma-separated.</summary>
    public static string KindList { get; } = string.Join(", ", KindNames);

    /// <summary>All status names, comma-separated.</summary>
    public static string StatusList { get; } = string.Join(", ", StatusNames);

    /// <summary>The NDJSON name of an event type, e.g. <c>agent_reply</c>.</summary>
    public static string Name(TicketEventType type) => TypeNames[(int)type];

    /// <summary>The NDJSON name of an actor kind, e.g. <c>bot</c>.</summary>
    public static string Name(ActorKind kind) => KindNames[(int)kind];

    /// <summary>The NDJSON name of a status, e.g. <c>on_hold</c>.</summary>
    public static string Name(TicketStatus status) => StatusNames[(int)status];

    /// <summary>Parses an event type name (exact spelling).</summary>
    public static bool TryParseType(string text, out TicketEventType type) => Types.TryGetValue(text, out type);

    /// <summary>Parses an actor kind name (exact spelling).</summary>
    public static bool TryParseKind(string text, out ActorKind kind) => Kinds.TryGetValue(text, out kind);

    /// <summary>Parses a status name (exact spelling).</summary>
    public static bool TryParseStatus(string text, out TicketStatus status) => Statuses.TryGetValue(text, out status);

    /// <summary>
    /// The actor kind assumed when an event has no <c>actor</c>: the customer for <c>created</c> and
    /// <c>customer_reply</c>, an agent for <c>agent_reply</c>, the system for everything else.
    /// </summary>
    public static ActorKind DefaultActorKind(TicketEventType type) => type switch
    {
        TicketEventType.Created or TicketEventType.CustomerReply => ActorKind.Customer,
        TicketEventType.AgentReply => ActorKind.Agent,
        _ => ActorKind.System,
    };
}
