using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Sla;
using Utendaji.Core.Tests.Metrics;
using Utendaji.Core.Tickets;
using static Utendaji.Core.Tests.Metrics.TicketScript;

namespace Utendaji.Core.Tests.Sla;

/// <summary>SLA outcomes computed by the engine, in calendar hours so every figure is plain arithmetic.</summary>
public class SlaOutcomeTests
{
    private static SlaPolicy Policy(params SlaTarget[] targets) => new() { Name = "p", Targets = targets };

    private static SlaTarget Target(string priority = "normal", double? firstReply = null, double? nextReply = null,
        double? resolution = null, SlaPauses? pauses = null) => new()
    {
        Priority = priority,
        FirstReply = firstReply is { } f ? Hours(f) : null,
        NextReply = nextReply is { } n ? Hours(n) : null,
        Resolution = resolution is { } r ? Hours(r) : null,
        Clock = SlaClock.CalendarHours,
        Pauses = pauses ?? SlaPauses.Default,
    };

    private static SlaOutcome Only(TicketFacts facts, SlaMetric metric) => Assert.Single(facts.Sla, o => o.Metric == metric);

    [Fact]
    public void FirstReply_RepliedBeforeDue_MetWithTimeLeft()
    {
        // 1h target from 09:00: due 10:00; reply 09:40 => met, 20 min left.
        var facts = new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 9, 40))
            .Compute(Context(Utc(3, 0), Policy(Target(firstReply: 1))));

        var outcome = Only(facts, SlaMetric.FirstReply);
        Assert.Equal(("p", Hours(1), Utc(2, 10), SlaState.Met, Minutes(20), (Instant?)Utc(2, 9)),
            (outcome.Policy, outcome.Target, outcome.Due, outcome.State, outcome.Margin, outcome.Start));
    }

    [Fact]
    public void FirstReply_RepliedExactlyAtDue_Met()
    {
        var facts = new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 10))
            .Compute(Context(Utc(3, 0), Policy(Target(firstReply: 1))));

        Assert.Equal((SlaState.Met, Duration.Zero), (Only(facts, SlaMetric.FirstReply).State, Only(facts, SlaMetric.FirstReply).Margin));
    }

    [Theory]
    [InlineData(40, SlaState.Running, 20)] // now 09:40: 40 min used, 20 left
    [InlineData(60, SlaState.Running, 0)] // now 10:00, exactly due: not yet passed
    [InlineData(90, SlaState.Breached, 30)] // now 10:30: over by 30 min
    public void FirstReply_NoReplyYet_RunningOrBreachedAtNow(int nowMinutesAfterCreation, SlaState state, int marginMinutes)
    {
        var facts = new TicketScript().Created(Utc(2, 9))
            .Compute(Context(Utc(2, 9) + Minutes(nowMinutesAfterCreation), Policy(Target(firstReply: 1))));

        var outcome = Only(facts, SlaMetric.FirstReply);
        Assert.Equal((Utc(2, 10), state, Minutes(marginMinutes)), (outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void FirstReply_SolvedWithoutReply_SolveFulfilsTarget()
    {
        var facts = new TicketScript().Created(Utc(2, 9)).Solve(Utc(2, 9, 30))
            .Compute(Context(Utc(3, 0), Policy(Target(firstReply: 1))));

        Assert.Equal((SlaState.Met, Minutes(30)), (Only(facts, SlaMetric.FirstReply).State, Only(facts, SlaMetric.FirstReply).Margin));
        Assert.Null(facts.FirstReply);
    }

    [Fact]
    public void FirstReply_PendingDoesNotPauseByDefault()
    {
        // Pending 09:10-11:00 does not stop the first reply clock: 2h30 used of 1h => breached by 1h30.
        var facts = new TicketScript().Created(Utc(2, 9))
            .Status(Utc(2, 9, 10), TicketStatus.Pending)
            .Status(Utc(2, 11), TicketStatus.Open)
            .Agent(Utc(2, 11, 30))
            .Compute(Context(Utc(3, 0), Policy(Target(firstReply: 1))));

        Assert.Equal((SlaState.Breached, Minutes(90)), (Only(facts, SlaMetric.FirstReply).State, Only(facts, SlaMetric.FirstReply).Margin));
    }

    [Fact]
    public void FirstReply_PendingConfiguredToPause_ExcludesPending()
    {
        // With first_reply pausing in pending: 09:00-09:10 + 11:00-11:30 = 40 min used; due 09:00 + 1h + 1h50 = 11:50.
        var pauses = SlaPauses.Default with { FirstReply = new HashSet<TicketStatus> { TicketStatus.Pending } };
        var facts = new TicketScript().Created(Utc(2, 9))
            .Status(Utc(2, 9, 10), TicketStatus.Pending)
            .Status(Utc(2, 11), TicketStatus.Open)
            .Agent(Utc(2, 11, 30))
            .Compute(Context(Utc(3, 0), Policy(Target(firstReply: 1, pauses: pauses))));

        var outcome = Only(facts, SlaMetric.FirstReply);
        Assert.Equal((Utc(2, 11, 50), SlaState.Met, Minutes(20)), (outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void Resolution_PendingAndOnHoldPausedByDefault()
    {
        // 3h target. Running 09:00-10:00 (1h), pending 10:00-12:00, running 12:00-12:30 (30m), on_hold 12:30-14:00,
        // running 14:00-15:00 (1h) => solved 15:00 after 2h30 used: met, 30m left; due = 15:00 + 30m = 15:30.
        var facts = new TicketScript().Created(Utc(2, 9))
            .Agent(Utc(2, 10)).Status(Utc(2, 10), TicketStatus.Pending)
            .Status(Utc(2, 12), TicketStatus.Open)
            .Status(Utc(2, 12, 30), TicketStatus.OnHold)
            .Status(Utc(2, 14), TicketStatus.Open)
            .Solve(Utc(2, 15))
            .Compute(Context(Utc(3, 0), Policy(Target(resolution: 3))));

        var outcome = Only(facts, SlaMetric.Resolution);
        Assert.Equal((Utc(2, 15, 30), SlaState.Met, Minutes(30)), (outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void Resolution_PausedNow_RunningWithDueFromNow()
    {
        // 2h target; running 09:00-10:00, pending since 10:00; now 15:00 => 1h used, running, due if resumed now 16:00.
        var facts = new TicketScript().Created(Utc(2, 9))
            .Agent(Utc(2, 10)).Status(Utc(2, 10), TicketStatus.Pending)
            .Compute(Context(Utc(2, 15), Policy(Target(resolution: 2))));

        var outcome = Only(facts, SlaMetric.Resolution);
        Assert.Equal((Utc(2, 16), SlaState.Running, Hours(1)), (outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void Resolution_ReopenResumesClock_SolvedPeriodPaused()
    {
        // 2h target. 09:00-10:00 running (1h); solved 10:00-13:00 (stopped); reopened 13:00, solved 14:30 (1h30)
        // => 2h30 used: breached by 30m; the budget ran out at 13:00 + 1h = 14:00.
        var facts = new TicketScript().Created(Utc(2, 9))
            .Solve(Utc(2, 10)).Reopened(Utc(2, 13)).Solve(Utc(2, 14, 30))
            .Compute(Context(Utc(3, 0), Policy(Target(resolution: 2))));

        var outcome = Only(facts, SlaMetric.Resolution);
        Assert.Equal((Utc(2, 14), SlaState.Breached, Minutes(30)), (outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void NextReply_OneOutcomePerMessageAwaitingReply()
    {
        // 30m target. Message 10:00 answered 10:20 (met, 10m left); messages 11:00 and 11:10 form one run,
        // answered 11:45 (breached by 15m); message 12:00 unanswered at now 12:10 (running, 20m left).
        var facts = new TicketScript().Created(Utc(2, 9))
            .Agent(Utc(2, 9, 5))
            .Customer(Utc(2, 10)).Agent(Utc(2, 10, 20))
            .Customer(Utc(2, 11)).Customer(Utc(2, 11, 10)).Agent(Utc(2, 11, 45))
            .Customer(Utc(2, 12))
            .Compute(Context(Utc(2, 12, 10), Policy(Target(nextReply: 0.5))));

        var outcomes = facts.Sla.Where(o => o.Metric == SlaMetric.NextReply).ToList();
        Assert.Equal(
            [(Utc(2, 10), SlaState.Met, Minutes(10)), (Utc(2, 11), SlaState.Breached, Minutes(15)), (Utc(2, 12), SlaState.Running, Minutes(20))],
            outcomes.Select(o => (o.Start!.Value, o.State, o.Margin)));
    }

    [Fact]
    public void NextReply_SolvedWhileAwaiting_SolveFulfilsTarget()
    {
        // The customer says thanks at 10:00; the agent solves at 10:05 without replying: met, 25m left.
        var facts = new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 9, 5))
            .Customer(Utc(2, 10)).Solve(Utc(2, 10, 5))
            .Compute(Context(Utc(3, 0), Policy(Target(nextReply: 0.5))));

        var outcome = Only(facts, SlaMetric.NextReply);
        Assert.Equal((SlaState.Met, Minutes(25)), (outcome.State, outcome.Margin));
        Assert.Empty(facts.NextReplies);
    }

    [Fact]
    public void PriorityChange_LatestPriorityAppliedFromCreation()
    {
        // Created normal (4h first reply) at 09:00, raised to urgent (1h) at 09:50, replied 10:30.
        // The urgent target applies from creation: due 10:00, breached by 30m.
        var policy = Policy(Target("urgent", firstReply: 1), Target("normal", firstReply: 4));
        var facts = new TicketScript().Created(Utc(2, 9), priority: "normal")
            .Priority(Utc(2, 9, 50), "urgent")
            .Agent(Utc(2, 10, 30))
            .Compute(Context(Utc(3, 0), policy));

        var outcome = Only(facts, SlaMetric.FirstReply);
        Assert.Equal((Hours(1), Utc(2, 10), SlaState.Breached, Minutes(30)), (outcome.Target, outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void MostSpecificTarget_TeamAndChannelWin()
    {
        var policy = Policy(
            Target("high", firstReply: 8),
            Target("high", firstReply: 4) with { Channel = "chat" },
            Target("high", firstReply: 1) with { Channel = "chat", Team = "billing" },
            Target("high", firstReply: 2) with { Team = "billing" });
        var facts = new TicketScript().Created(Utc(2, 9), priority: "high", channel: "chat", team: "billing").Agent(Utc(2, 9, 30))
            .Compute(Context(Utc(3, 0), policy));

        Assert.Equal(Hours(1), Only(facts, SlaMetric.FirstReply).Target);
    }

    [Fact]
    public void NoMatchingTarget_NoOutcomes()
    {
        var facts = new TicketScript().Created(Utc(2, 9), priority: "low").Agent(Utc(2, 9, 30))
            .Compute(Context(Utc(3, 0), Policy(Target("urgent", firstReply: 1))));

        Assert.Empty(facts.Sla);
    }

    [Fact]
    public void AgentOpenedCustomerNeverWrote_NoFirstReplyOutcome()
    {
        var facts = new TicketScript().Created(Utc(2, 9), by: ActorKind.Agent, actorId: "agent-1").Agent(Utc(2, 9, 1))
            .Compute(Context(Utc(3, 0), Policy(Target(firstReply: 1, resolution: 8))));

        Assert.Equal([SlaMetric.Resolution], facts.Sla.Select(o => o.Metric));
    }

    [Fact]
    public void SeveralPolicies_OneOutcomeSetEach()
    {
        var internalPolicy = new SlaPolicy { Name = "internal", Targets = [Target(firstReply: 0.25)] };
        var contract = new SlaPolicy { Name = "contract", Targets = [Target(firstReply: 1)] };
        var facts = new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 9, 30))
            .Compute(Context(Utc(3, 0), internalPolicy, contract));

        Assert.Equal([("internal", SlaState.Breached), ("contract", SlaState.Met)], facts.Sla.Select(o => (o.Policy, o.State)));
    }
}
