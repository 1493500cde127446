using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Tests;

/// <summary>Builders for events, summaries and facts, with text in the scripts Utendaji promises to keep intact.</summary>
internal static class TestData
{
    public const string Gujarati = "ગ્રાહક સેવા ઉત્તમ હતી";
    public const string Urdu = "گاہک کی خدمت بہترین تھی";
    public const string Finnish = "Hyvää päivää, asiakaspalvelu öisin";
    public const string Swahili = "Huduma kwa wateja";
    public const string Astral = "𝒜😀"; // above U+FFFF: surrogate pairs in UTF-16, 4-byte sequences in UTF-8

    public static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 9, 15, 30).PlusTicks(1_234_567);

    public static Instant At(int minutes) => T0 + Duration.FromMinutes(minutes);

    public static TicketEvent Event(
        string id,
        string ticket,
        int minute,
        TicketEventType type = TicketEventType.AgentReply,
        ActorKind actor = ActorKind.Agent,
        string? actorId = "agent-1",
        bool isPublic = true,
        string? channel = "email",
        string? team = "tier-1",
        string? priority = "normal",
        TicketStatus? status = null,
        IReadOnlyDictionary<string, string>? attributes = null) =>
        new(id, ticket, At(minute), type, actor, actorId, isPublic, channel, team, priority, status, attributes);

    /// <summary>A small history with every field used, including Unicode attributes.</summary>
    public static IReadOnlyList<TicketEvent> Ticket(string ticket, int startMinute = 0, string prefix = "") =>
    [
        Event($"{prefix}{ticket}-1", ticket, startMinute, TicketEventType.Created, ActorKind.Customer, "customer-ü", channel: "chat",
            attributes: new Dictionary<string, string> { ["customer"] = Urdu, ["language"] = "ur-PK", ["note"] = Gujarati }),
        Event($"{prefix}{ticket}-2", ticket, startMinute + 30, TicketEventType.AgentReply, actorId: Finnish),
        Event($"{prefix}{ticket}-3", ticket, startMinute + 31, TicketEventType.StatusChanged, ActorKind.System, null, isPublic: false,
            channel: null, team: null, priority: null, status: TicketStatus.Solved),
    ];

    public static TicketSummary Summary(string ticket, int minute = 0, int satisfaction = 5) => new(
        ticket, At(minute), At(minute + 45), At(minute + 300), 1, 2, "high", "phone", Swahili, "agent-ગ", Urdu, "gu-IN", satisfaction);

    /// <summary>Facts with every member set to a non-default value.</summary>
    public static TicketFacts FullFacts(string ticket, int minute = 0, string? team = "tier-1", string? channel = "email") => new()
    {
        TicketId = ticket,
        Source = FactsSource.Events,
        CreatedAt = At(minute),
        Status = TicketStatus.Solved,
        Channel = channel,
        Team = team,
        Priority = "urgent",
        Agent = "agent-" + Finnish,
        Customer = Urdu,
        Language = "gu-IN",
        Calendar = "support-" + Gujarati,
        FirstReplyAt = At(minute + 30),
        FirstReply = new DualDuration(Duration.FromMinutes(30), Duration.FromMinutes(12)),
        NextReplies = [new DualDuration(Duration.FromSeconds(90), Duration.FromSeconds(60)), new DualDuration(Duration.FromHours(20), Duration.FromHours(3))],
        FirstSolvedAt = At(minute + 120),
        FirstResolution = new DualDuration(Duration.FromMinutes(120), Duration.FromMinutes(100)),
        SolvedAt = At(minute + 600),
        FullResolution = new DualDuration(Duration.FromMinutes(600), Duration.FromMinutes(200) + Duration.FromTicks(7)),
        RequesterWait = new DualDuration(Duration.FromMinutes(500), Duration.FromMinutes(150)),
        AgentReplies = 3,
        Reopens = 1,
        OneTouch = false,
        FirstContactResolved = true,
        Satisfaction = 4,
        Sla =
        [
            new SlaOutcome(SlaMetric.FirstReply, "gold " + Urdu, Duration.FromHours(1), At(minute + 60), SlaState.Met, Duration.FromMinutes(30)),
            new SlaOutcome(SlaMetric.NextReply, "gold", Duration.FromHours(4), At(minute + 400), SlaState.Breached, Duration.FromMinutes(-5)),
            new SlaOutcome(SlaMetric.Resolution, "gold", Duration.FromHours(24), At(minute + 1440), SlaState.Running, Duration.FromHours(2)),
        ],
    };

    /// <summary>Facts with every optional member null or empty.</summary>
    public static TicketFacts MinimalFacts(string ticket, int minute = 0) => new()
    {
        TicketId = ticket,
        Source = FactsSource.Summary,
        CreatedAt = At(minute),
        Status = TicketStatus.New,
        Calendar = "24x7",
    };

    public static void AssertSameFacts(TicketFacts expected, TicketFacts? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.NextReplies, actual.NextReplies);
        Assert.Equal(expected.Sla, actual.Sla);

        // Records compare list members by reference: give both the same list instances, then compare the rest.
        IReadOnlyList<DualDuration> replies = [];
        IReadOnlyList<SlaOutcome> sla = [];
        Assert.Equal(expected with { NextReplies = replies, Sla = sla }, actual with { NextReplies = replies, Sla = sla });
    }

    public static void AssertSameEvents(IReadOnlyList<TicketEvent> expected, IReadOnlyList<TicketEvent> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.Equal(
                e.Attributes?.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() ?? [],
                a.Attributes?.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() ?? []);
            Assert.Equal(e with { Attributes = null }, a with { Attributes = null });
        }
    }
}
