using System.Globalization;
using NodaTime;
using Utendaji.Core.Calendars;
using Utendaji.Core.Metrics;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Tests.Metrics;

/// <summary>Writes a ticket's events in order with readable ids (e01, e02, …) so tests read like a timeline.</summary>
internal sealed class TicketScript(string ticketId = "T1")
{
    private readonly List<TicketEvent> _events = [];

    public string TicketId => ticketId;

    public IReadOnlyList<TicketEvent> Events => _events;

    /// <summary>An instant on a day of March 2026 in UTC (2026-03-02 is a Monday).</summary>
    public static Instant Utc(int day, int hour, int minute = 0) => Instant.FromUtc(2026, 3, day, hour, minute);

    /// <summary>Helsinki wall-clock time in March 2026 (UTC+2 until 29 March).</summary>
    public static Instant Helsinki(int day, int hour, int minute = 0) =>
        new LocalDateTime(2026, 3, day, hour, minute).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/Helsinki"]).ToInstant();

    public TicketScript Add(
        Instant at,
        TicketEventType type,
        ActorKind actor,
        string? actorId,
        bool isPublic = true,
        TicketStatus? status = null,
        string? priority = null,
        string? channel = null,
        string? team = null,
        IReadOnlyDictionary<string, string>? attributes = null)
    {
        var id = "e" + (_events.Count + 1).ToString("00", CultureInfo.InvariantCulture);
        _events.Add(new TicketEvent(id, ticketId, at, type, actor, actorId, isPublic, channel, team, priority, status, attributes));
        return this;
    }

    public TicketScript Created(Instant at, ActorKind by = ActorKind.Customer, string? actorId = "cust-1",
        string? priority = "normal", string? channel = "email", string? team = null, TicketStatus? status = null) =>
        Add(at, TicketEventType.Created, by, actorId, status: status, priority: priority, channel: channel, team: team);

    public TicketScript Customer(Instant at, string actorId = "cust-1") =>
        Add(at, TicketEventType.CustomerReply, ActorKind.Customer, actorId);

    public TicketScript Agent(Instant at, string agent = "agent-1") =>
        Add(at, TicketEventType.AgentReply, ActorKind.Agent, agent);

    public TicketScript Note(Instant at, string agent = "agent-1") =>
        Add(at, TicketEventType.AgentReply, ActorKind.Agent, agent, isPublic: false);

    public TicketScript Bot(Instant at, string bot = "bot-1") =>
        Add(at, TicketEventType.AgentReply, ActorKind.Bot, bot);

    public TicketScript Status(Instant at, TicketStatus status, ActorKind by = ActorKind.Agent, string? actorId = "agent-1") =>
        Add(at, TicketEventType.StatusChanged, by, actorId, status: status);

    public TicketScript Solve(Instant at, string? agent = "agent-1") => Status(at, TicketStatus.Solved, ActorKind.Agent, agent);

    public TicketScript Reopened(Instant at) => Add(at, TicketEventType.Reopened, ActorKind.Customer, "cust-1", status: TicketStatus.Open);

    public TicketScript Priority(Instant at, string priority) =>
        Add(at, TicketEventType.PriorityChanged, ActorKind.Agent, "agent-1", priority: priority);

    public TicketScript Assign(Instant at, string agent) =>
        Add(at, TicketEventType.Assigned, ActorKind.System, null, attributes: new Dictionary<string, string> { ["assignee"] = agent });

    public TicketScript Attribute(Instant at, string key, string value) =>
        Add(at, TicketEventType.StatusChanged, ActorKind.System, null, attributes: new Dictionary<string, string> { [key] = value });

    public TicketFacts Compute(MetricContext context) => TicketMetricsEngine.Compute(ticketId, _events, context);

    public TicketExplanation Explain(MetricContext context) => TicketMetricsEngine.Explain(ticketId, _events, context);

    /// <summary>A 24×7 context (no calendars) measured at <paramref name="now"/>.</summary>
    public static MetricContext Context(Instant now, params SlaPolicy[] policies) => new()
    {
        Calendars = new Dictionary<string, BusinessCalendar>(),
        SlaPolicies = policies,
        Now = now,
    };

    public static Duration Minutes(long minutes) => Duration.FromMinutes(minutes);

    public static Duration Hours(double hours) => Duration.FromMinutes((long)(hours * 60));
}
