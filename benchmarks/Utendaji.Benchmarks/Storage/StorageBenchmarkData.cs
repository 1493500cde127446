using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Benchmarks.Storage;

/// <summary>Seeded, realistic-shaped rows for the store benchmarks: 5 events per ticket, facts with SLA lists.</summary>
internal static class StorageBenchmarkData
{
    private static readonly string[] Teams = ["tier-1", "tier-2", "billing"];
    private static readonly string[] Channels = ["email", "chat", "phone", "social", "web"];
    private static readonly string[] Languages = ["en", "sw", "tl", "fi", "gu", "ur"];
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);

    public static List<TicketEvent> Events(int count, int seed = 42)
    {
        var random = new Random(seed);
        var events = new List<TicketEvent>(count);
        for (var i = 0; events.Count < count; i++)
        {
            var ticket = $"T-{i:D8}";
            var at = Start + Duration.FromSeconds(i * 7L);
            var agent = "agent-" + random.Next(25);
            var customer = "customer-" + random.Next(100_000);
            TicketEvent[] history =
            [
                new($"{ticket}-1", ticket, at, TicketEventType.Created, ActorKind.Customer, customer, true, Channels[i % 5], Teams[i % 3], "normal", null,
                    new Dictionary<string, string> { ["customer"] = customer, ["language"] = Languages[i % 6] }),
                new($"{ticket}-2", ticket, at + Duration.FromMinutes(random.Next(5, 600)), TicketEventType.AgentReply, ActorKind.Agent, agent, true, null, null, null, null, null),
                new($"{ticket}-3", ticket, at + Duration.FromMinutes(700), TicketEventType.CustomerReply, ActorKind.Customer, customer, true, null, null, null, null, null),
                new($"{ticket}-4", ticket, at + Duration.FromMinutes(800), TicketEventType.AgentReply, ActorKind.Agent, agent, true, null, null, null, null, null),
                new($"{ticket}-5", ticket, at + Duration.FromMinutes(801), TicketEventType.StatusChanged, ActorKind.Agent, agent, false, null, null, null, TicketStatus.Solved, null),
            ];
            events.AddRange(history.Take(count - events.Count));
        }

        return events;
    }

    public static List<TicketFacts> Facts(int count, int seed = 42)
    {
        var random = new Random(seed);
        var facts = new List<TicketFacts>(count);
        for (var i = 0; i < count; i++)
        {
            var at = Start + Duration.FromSeconds(i * 7L);
            var firstReply = Duration.FromMinutes(random.Next(5, 600));
            var solved = random.Next(10) < 8;
            facts.Add(new TicketFacts
            {
                TicketId = $"T-{i:D8}",
                Source = FactsSource.Events,
                CreatedAt = at,
                Status = solved ? TicketStatus.Solved : TicketStatus.Open,
                Channel = Channels[i % 5],
                Team = Teams[i % 3],
                Priority = "normal",
                Agent = "agent-" + random.Next(25),
                Customer = "customer-" + random.Next(100_000),
                Language = Languages[i % 6],
                Calendar = "support-eu",
                FirstReplyAt = at + firstReply,
                FirstReply = new DualDuration(firstReply, firstReply / 3),
                NextReplies = [new DualDuration(Duration.FromMinutes(100), Duration.FromMinutes(40))],
                FirstSolvedAt = solved ? at + Duration.FromMinutes(801) : null,
                FirstResolution = solved ? new DualDuration(Duration.FromMinutes(801), Duration.FromMinutes(300)) : null,
                SolvedAt = solved ? at + Duration.FromMinutes(801) : null,
                FullResolution = solved ? new DualDuration(Duration.FromMinutes(801), Duration.FromMinutes(300)) : null,
                RequesterWait = solved ? new DualDuration(Duration.FromMinutes(700), Duration.FromMinutes(250)) : null,
                AgentReplies = 2,
                Reopens = 0,
                OneTouch = solved ? false : null,
                FirstContactResolved = solved ? false : null,
                Satisfaction = random.Next(3) == 0 ? 1 + random.Next(5) : null,
                Sla =
                [
                    new SlaOutcome(SlaMetric.FirstReply, "standard", Duration.FromHours(4), at + Duration.FromHours(4),
                        firstReply <= Duration.FromHours(4) ? SlaState.Met : SlaState.Breached, Duration.FromHours(4) - firstReply),
                    new SlaOutcome(SlaMetric.Resolution, "standard", Duration.FromHours(24), at + Duration.FromHours(24), SlaState.Met, Duration.FromHours(10)),
                ],
            });
        }

        return facts;
    }
}
