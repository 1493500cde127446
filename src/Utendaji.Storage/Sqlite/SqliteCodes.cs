using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// The integer codes enumerations are stored as. Fixed here, never taken from a C# enum's ordinal, so that
/// reordering or extending an enum cannot silently change the meaning of stored rows.
/// </summary>
internal static class SqliteCodes
{
    public static long Of(TicketEventType type) => type switch
    {
        TicketEventType.Created => 1,
        TicketEventType.AgentReply => 2,
        TicketEventType.CustomerReply => 3,
        TicketEventType.StatusChanged => 4,
        TicketEventType.Assigned => 5,
        TicketEventType.PriorityChanged => 6,
        TicketEventType.Reopened => 7,
        _ => throw Unknown(type),
    };

    public static TicketEventType EventType(long code) => code switch
    {
        1 => TicketEventType.Created,
        2 => TicketEventType.AgentReply,
        3 => TicketEventType.CustomerReply,
        4 => TicketEventType.StatusChanged,
        5 => TicketEventType.Assigned,
        6 => TicketEventType.PriorityChanged,
        7 => TicketEventType.Reopened,
        _ => throw UnknownCode(nameof(TicketEventType), code),
    };

    public static long Of(ActorKind kind) => kind switch
    {
        ActorKind.Customer => 1,
        ActorKind.Agent => 2,
        ActorKind.Bot => 3,
        ActorKind.System => 4,
        _ => throw Unknown(kind),
    };

    public static ActorKind Actor(long code) => code switch
    {
        1 => ActorKind.Customer,
        2 => ActorKind.Agent,
        3 => ActorKind.Bot,
        4 => ActorKind.System,
        _ => throw UnknownCode(nameof(ActorKind), code),
    };

    public static long Of(TicketStatus status) => status switch
    {
        TicketStatus.New => 1,
        TicketStatus.Open => 2,
        TicketStatus.Pending => 3,
        TicketStatus.OnHold => 4,
        TicketStatus.Solved => 5,
        TicketStatus.Closed => 6,
        _ => throw Unknown(status),
    };

    public static TicketStatus Status(long code) => code switch
    {
        1 => TicketStatus.New,
        2 => TicketStatus.Open,
        3 => TicketStatus.Pending,
        4 => TicketStatus.OnHold,
        5 => TicketStatus.Solved,
        6 => TicketStatus.Closed,
        _ => throw UnknownCode(nameof(TicketStatus), code),
    };

    public static long Of(FactsSource source) => source switch
    {
        FactsSource.Events => 1,
        FactsSource.Summary => 2,
        _ => throw Unknown(source),
    };

    public static FactsSource Source(long code) => code switch
    {
        1 => FactsSource.Events,
        2 => FactsSource.Summary,
        _ => throw UnknownCode(nameof(FactsSource), code),
    };

    public static string Of(ConfigKind kind) => kind switch
    {
        ConfigKind.Calendar => "calendar",
        ConfigKind.SlaPolicy => "sla_policy",
        ConfigKind.Options => "options",
        ConfigKind.HolidayFile => "holiday_file",
        _ => throw Unknown(kind),
    };

    public static string Of(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstReply => "first_reply",
        SlaMetric.NextReply => "next_reply",
        SlaMetric.Resolution => "resolution",
        _ => throw Unknown(metric),
    };

    public static SlaMetric Metric(string name) => name switch
    {
        "first_reply" => SlaMetric.FirstReply,
        "next_reply" => SlaMetric.NextReply,
        "resolution" => SlaMetric.Resolution,
        _ => throw new InvalidDataException($"Unknown SLA metric '{name}' in the store."),
    };

    public static string Of(SlaState state) => state switch
    {
        SlaState.Met => "met",
        SlaState.Breached => "breached",
        SlaState.Running => "running",
        _ => throw Unknown(state),
    };

    public static SlaState State(string name) => name switch
    {
        "met" => SlaState.Met,
        "breached" => SlaState.Breached,
        "running" => SlaState.Running,
        _ => throw new InvalidDataException($"Unknown SLA state '{name}' in the store."),
    };

    private static NotSupportedException Unknown<T>(T value) where T : struct, Enum =>
        new($"{typeof(T).Name}.{value} has no storage code yet; add one to SqliteCodes (and a migration if needed).");

    private static InvalidDataException UnknownCode(string type, long code) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The store holds {type} code {code}, which this version of Utendaji does not know."));
}
