using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using static Utendaji.Core.Tests.Metrics.TicketScript;

namespace Utendaji.Core.Tests.Metrics;

/// <summary>One test per metric and per decision of docs/metrics.md, in 24×7 time (business = calendar).</summary>
public class TicketMetricsEngineTests
{
    private static readonly MetricContext Context24x7 = Context(Utc(20, 0));

    [Fact]
    public void Compute_FirstReply_CreationToFirstPublicHumanReply()
    {
        // 09:00 created; 09:05 bot and 09:10 internal note answer nothing; 09:30 public human reply => 30 min.
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Bot(Utc(2, 9, 5))
            .Note(Utc(2, 9, 10))
            .Agent(Utc(2, 9, 30))
            .Compute(Context24x7);

        Assert.Equal(Utc(2, 9, 30), facts.FirstReplyAt);
        Assert.Equal(new DualDuration(Minutes(30), Minutes(30)), facts.FirstReply);
        Assert.Equal("24x7", facts.Calendar);
    }

    [Fact]
    public void Compute_BotHandOff_FirstReplyIncludesTimeWithTheBot()
    {
        // The customer writes at 10:00, talks to the bot until the 10:03 hand-off; the human answers at 10:20.
        // Clock from creation: 20 min (not 17 min from the hand-off).
        var facts = new TicketScript()
            .Created(Utc(2, 10), channel: "chat")
            .Bot(Utc(2, 10, 1))
            .Customer(Utc(2, 10, 2))
            .Bot(Utc(2, 10, 3))
            .Agent(Utc(2, 10, 20))
            .Compute(Context24x7);

        Assert.Equal(Minutes(20), facts.FirstReply!.Value.Calendar);
        Assert.Equal(1, facts.AgentReplies);
        Assert.Empty(facts.NextReplies);
    }

    [Fact]
    public void Compute_TicketOpenedByBot_FirstReplyFromCreation()
    {
        // A bot opens the ticket for the customer at 10:00; the human replies 10:45 => 45 min.
        var facts = new TicketScript()
            .Created(Utc(2, 10), by: ActorKind.Bot, actorId: "bot-1")
            .Agent(Utc(2, 10, 45))
            .Compute(Context24x7);

        Assert.Equal(Minutes(45), facts.FirstReply!.Value.Calendar);
    }

    [Fact]
    public void Compute_AgentOpened_FirstReplyFromFirstCustomerMessage()
    {
        // Agent opens at 09:00 and writes out at 09:01; the customer answers at 11:00; the agent replies 11:45.
        // First reply = 11:00 -> 11:45 = 45 min; both agent messages are public replies.
        var facts = new TicketScript()
            .Created(Utc(2, 9), by: ActorKind.Agent, actorId: "agent-1")
            .Agent(Utc(2, 9, 1))
            .Customer(Utc(2, 11))
            .Agent(Utc(2, 11, 45))
            .Compute(Context24x7);

        Assert.Equal(Utc(2, 11, 45), facts.FirstReplyAt);
        Assert.Equal(Minutes(45), facts.FirstReply!.Value.Calendar);
        Assert.Equal(2, facts.AgentReplies);
        Assert.Empty(facts.NextReplies);
    }

    [Fact]
    public void Compute_AgentOpenedCustomerNeverWrote_NoFirstReply()
    {
        var facts = new TicketScript()
            .Created(Utc(2, 9), by: ActorKind.Agent, actorId: "agent-1")
            .Agent(Utc(2, 9, 1))
            .Solve(Utc(2, 9, 2))
            .Compute(Context24x7);

        Assert.Null(facts.FirstReplyAt);
        Assert.Null(facts.FirstReply);
        Assert.Equal(1, facts.AgentReplies);
    }

    [Fact]
    public void Compute_Reopen_FirstReplyNotResetNextReplyCoversIt()
    {
        // Reply 09:30 (first reply 30 min), solved 09:31; the customer writes at 12:00 (reopen), answered 13:00.
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Agent(Utc(2, 9, 30))
            .Solve(Utc(2, 9, 31))
            .Customer(Utc(2, 12))
            .Status(Utc(2, 12), TicketStatus.Open, ActorKind.System, null)
            .Agent(Utc(2, 13))
            .Solve(Utc(2, 13, 5))
            .Compute(Context24x7);

        Assert.Equal(Minutes(30), facts.FirstReply!.Value.Calendar);
        Assert.Equal([new DualDuration(Minutes(60), Minutes(60))], facts.NextReplies);
        Assert.Equal(1, facts.Reopens);
    }

    [Fact]
    public void Compute_NextReplies_FromFirstUnansweredMessageOfARun()
    {
        // Run 1: customer 10:00 and 10:20, reply 10:50 => 50 min (from 10:00).
        // Run 2: customer 11:00, internal note 11:05 (answers nothing), reply 11:30 => 30 min.
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Agent(Utc(2, 9, 10))
            .Customer(Utc(2, 10))
            .Customer(Utc(2, 10, 20))
            .Agent(Utc(2, 10, 50))
            .Customer(Utc(2, 11))
            .Note(Utc(2, 11, 5))
            .Agent(Utc(2, 11, 30))
            .Customer(Utc(2, 12))
            .Compute(Context24x7);

        Assert.Equal([Minutes(50), Minutes(30)], facts.NextReplies.Select(d => d.Calendar));
    }

    [Fact]
    public void Compute_FirstAndFullResolution_FirstSolveAndFinalSolve()
    {
        // Created 09:00; solved 10:00; reopened 11:00; solved 15:00; closed 16:00 (closing is not a new solve).
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Agent(Utc(2, 9, 50))
            .Solve(Utc(2, 10))
            .Reopened(Utc(2, 11))
            .Solve(Utc(2, 15))
            .Status(Utc(2, 16), TicketStatus.Closed, ActorKind.System, null)
            .Compute(Context24x7);

        Assert.Equal(Utc(2, 10), facts.FirstSolvedAt);
        Assert.Equal(Hours(1), facts.FirstResolution!.Value.Calendar);
        Assert.Equal(Utc(2, 15), facts.SolvedAt);
        Assert.Equal(Hours(6), facts.FullResolution!.Value.Calendar);
        Assert.Equal(TicketStatus.Closed, facts.Status);
    }

    [Fact]
    public void Compute_ReopenedAndUnsolved_NoFullResolution()
    {
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Solve(Utc(2, 10))
            .Reopened(Utc(2, 11))
            .Compute(Context24x7);

        Assert.Equal(Hours(1), facts.FirstResolution!.Value.Calendar);
        Assert.Null(facts.SolvedAt);
        Assert.Null(facts.FullResolution);
        Assert.Null(facts.RequesterWait);
        Assert.Equal(TicketStatus.Open, facts.Status);
    }

    [Fact]
    public void Compute_RequesterWait_ExcludesPendingAndSolved()
    {
        // new 09:00-09:10 (10m) + open 09:10-10:00 (50m) + [pending 10:00-12:00 excluded] + open 12:00-13:00 (60m)
        // + on_hold 13:00-14:00 (60m) + open 14:00-15:00 (60m) + [solved 15:00-16:00 excluded] + open 16:00-17:00 (60m)
        // = 300 min.
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Status(Utc(2, 9, 10), TicketStatus.Open)
            .Agent(Utc(2, 10))
            .Status(Utc(2, 10), TicketStatus.Pending)
            .Customer(Utc(2, 12))
            .Status(Utc(2, 12), TicketStatus.Open, ActorKind.System, null)
            .Status(Utc(2, 13), TicketStatus.OnHold)
            .Status(Utc(2, 14), TicketStatus.Open)
            .Solve(Utc(2, 15))
            .Reopened(Utc(2, 16))
            .Solve(Utc(2, 17))
            .Compute(Context24x7);

        Assert.Equal(new DualDuration(Minutes(300), Minutes(300)), facts.RequesterWait);
        Assert.Equal(Hours(8), facts.FullResolution!.Value.Calendar);
    }

    [Fact]
    public void Compute_AgentReplies_CountsPublicHumanRepliesOnly()
    {
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Agent(Utc(2, 9, 10))
            .Note(Utc(2, 9, 20))
            .Bot(Utc(2, 9, 30))
            .Add(Utc(2, 9, 40), TicketEventType.AgentReply, ActorKind.System, "automation")
            .Agent(Utc(2, 9, 50), "agent-2")
            .Compute(Context24x7);

        Assert.Equal(2, facts.AgentReplies);
    }

    [Fact]
    public void Compute_Reopens_ReopenedEventAndStatusChangeCountedOnce()
    {
        // Episode 1: a Reopened event and the status change it caused, at the same instant: one reopen.
        // Episode 2: a status change solved -> pending with no Reopened event: one more.
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Solve(Utc(2, 10))
            .Reopened(Utc(2, 11))
            .Status(Utc(2, 11), TicketStatus.Open, ActorKind.System, null)
            .Solve(Utc(2, 12))
            .Status(Utc(2, 13), TicketStatus.Pending)
            .Solve(Utc(2, 14))
            .Compute(Context24x7);

        Assert.Equal(2, facts.Reopens);
    }

    [Fact]
    public void Compute_Reopens_StatusChangeBeforeReopenedEventCountedOnce()
    {
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Solve(Utc(2, 10))
            .Status(Utc(2, 11), TicketStatus.Open, ActorKind.Customer, "cust-1")
            .Reopened(Utc(2, 11, 1))
            .Compute(Context24x7);

        Assert.Equal(1, facts.Reopens);
    }

    [Fact]
    public void Compute_OneTouch_SolvedWithOneReplyNeverReopened()
    {
        var oneReply = new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 9, 30)).Solve(Utc(2, 9, 31)).Compute(Context24x7);
        var twoReplies = new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 9, 30)).Agent(Utc(2, 9, 40)).Solve(Utc(2, 9, 41)).Compute(Context24x7);
        var reopened = new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 9, 30)).Solve(Utc(2, 9, 31))
            .Reopened(Utc(2, 10)).Solve(Utc(2, 11)).Compute(Context24x7);
        var unsolved = new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 9, 30)).Compute(Context24x7);

        Assert.True(oneReply.OneTouch);
        Assert.False(twoReplies.OneTouch);
        Assert.False(reopened.OneTouch);
        Assert.Null(unsolved.OneTouch);
        Assert.Null(unsolved.FirstContactResolved);
    }

    [Theory]
    [InlineData(FirstContactDefinition.OneTouch, true)]
    [InlineData(FirstContactDefinition.NoReopen, true)]
    [InlineData(FirstContactDefinition.NoCustomerFollowUp, false)]
    public void Compute_FirstContact_OneReplyThenCustomerThanks(FirstContactDefinition definition, bool expected)
    {
        // One public reply; the customer writes "thanks"; the agent solves without replying again.
        var facts = new TicketScript()
            .Created(Utc(2, 9)).Agent(Utc(2, 9, 30)).Customer(Utc(2, 9, 40)).Solve(Utc(2, 9, 45))
            .Compute(Context24x7 with { Options = new MetricOptions { FirstContact = definition } });

        Assert.Equal(expected, facts.FirstContactResolved);
    }

    [Theory]
    [InlineData(FirstContactDefinition.OneTouch, false)]
    [InlineData(FirstContactDefinition.NoReopen, true)]
    [InlineData(FirstContactDefinition.NoCustomerFollowUp, true)]
    public void Compute_FirstContact_TwoRepliesNoFollowUp(FirstContactDefinition definition, bool expected)
    {
        var facts = new TicketScript()
            .Created(Utc(2, 9)).Agent(Utc(2, 9, 30)).Agent(Utc(2, 9, 35)).Solve(Utc(2, 9, 45))
            .Compute(Context24x7 with { Options = new MetricOptions { FirstContact = definition } });

        Assert.Equal(expected, facts.FirstContactResolved);
    }

    [Fact]
    public void Compute_FirstContactNoCustomerFollowUp_SolvedWithoutAnyReplyIsNotResolvedAtContact()
    {
        var facts = new TicketScript().Created(Utc(2, 9)).Solve(Utc(2, 9, 45))
            .Compute(Context24x7 with { Options = new MetricOptions { FirstContact = FirstContactDefinition.NoCustomerFollowUp } });

        Assert.False(facts.FirstContactResolved);
    }

    [Fact]
    public void Compute_Satisfaction_LastValidRatingWins()
    {
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Attribute(Utc(2, 10), "satisfaction", "2")
            .Attribute(Utc(2, 11), "satisfaction", "5")
            .Attribute(Utc(2, 12), "satisfaction", "7")
            .Attribute(Utc(2, 13), "satisfaction", "good")
            .Compute(Context24x7);

        Assert.Equal(5, facts.Satisfaction);
    }

    [Theory]
    [InlineData(CreditRule.Solver, "agent-3")]
    [InlineData(CreditRule.Assignee, "agent-2")]
    [InlineData(CreditRule.FirstResponder, "agent-1")]
    [InlineData(CreditRule.LastResponder, "agent-2")]
    public void Compute_CreditedAgent_FollowsTheRule(CreditRule rule, string expected)
    {
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Assign(Utc(2, 9, 1), "agent-1")
            .Agent(Utc(2, 9, 10), "agent-1")
            .Assign(Utc(2, 9, 20), "agent-2")
            .Agent(Utc(2, 9, 30), "agent-2")
            .Solve(Utc(2, 9, 40), "agent-3")
            .Compute(Context24x7 with { Options = new MetricOptions { Credit = rule } });

        Assert.Equal(expected, facts.Agent);
    }

    [Fact]
    public void Compute_CreditSolverAutomationSolved_AssigneeThen()
    {
        // An automation solves: the agent credited is the assignee at that moment, not the later one.
        var facts = new TicketScript()
            .Created(Utc(2, 9))
            .Assign(Utc(2, 9, 1), "agent-1")
            .Status(Utc(2, 10), TicketStatus.Solved, ActorKind.System, "auto-close")
            .Assign(Utc(2, 11), "agent-9")
            .Compute(Context24x7);

        Assert.Equal("agent-1", facts.Agent);
    }

    [Fact]
    public void Compute_CustomerAndLanguage_AttributesElseCustomerActor()
    {
        var byActor = new TicketScript().Created(Utc(2, 9), actorId: "cust-42").Compute(Context24x7);
        var byAttribute = new TicketScript()
            .Created(Utc(2, 9), actorId: "cust-42")
            .Add(Utc(2, 9, 1), TicketEventType.CustomerReply, ActorKind.Customer, "cust-42",
                attributes: new Dictionary<string, string> { ["customer"] = "Asha Mwangi", ["language"] = "sw" })
            .Compute(Context24x7);

        Assert.Equal("cust-42", byActor.Customer);
        Assert.Null(byActor.Language);
        Assert.Equal("Asha Mwangi", byAttribute.Customer);
        Assert.Equal("sw", byAttribute.Language);
    }

    [Fact]
    public void Compute_ChannelTeamPriority_LastStated()
    {
        var facts = new TicketScript()
            .Created(Utc(2, 9), priority: "low", channel: "email", team: "tier1")
            .Priority(Utc(2, 10), "urgent")
            .Add(Utc(2, 11), TicketEventType.Assigned, ActorKind.Agent, "agent-1", team: "billing")
            .Compute(Context24x7);

        Assert.Equal(("urgent", "email", "billing"), (facts.Priority, facts.Channel, facts.Team));
    }

    [Fact]
    public void Compute_EventsInAnyOrder_SortedByInstantThenId()
    {
        var script = new TicketScript()
            .Created(Utc(2, 9))
            .Agent(Utc(2, 9, 30))
            .Customer(Utc(2, 10))
            .Agent(Utc(2, 10, 40))
            .Solve(Utc(2, 11));
        var shuffled = script.Events.Reverse().ToList();

        var ordered = script.Compute(Context24x7);
        var fromShuffled = TicketMetricsEngine.Compute("T1", shuffled, Context24x7);

        FactsAssert.Same(ordered, fromShuffled);
        Assert.Equal(Minutes(40), fromShuffled.NextReplies.Single().Calendar);
    }

    [Fact]
    public void Compute_EventOfAnotherTicket_Throws()
    {
        var events = new TicketScript("T2").Created(Utc(2, 9)).Events;

        Assert.Throws<ArgumentException>(() => TicketMetricsEngine.Compute("T1", events, Context24x7));
        Assert.Throws<ArgumentException>(() => TicketMetricsEngine.Compute("T1", [], Context24x7));
    }

    [Fact]
    public void Compute_NoCreatedEvent_EarliestEventStandsForCreation()
    {
        var facts = new TicketScript()
            .Customer(Utc(2, 9))
            .Agent(Utc(2, 9, 20))
            .Compute(Context24x7);

        Assert.Equal(Utc(2, 9), facts.CreatedAt);
        Assert.Equal(Minutes(20), facts.FirstReply!.Value.Calendar);
    }
}

/// <summary>Compares facts including their lists (records compare lists by reference).</summary>
internal static class FactsAssert
{
    private static readonly IReadOnlyList<DualDuration> NoReplies = [];
    private static readonly IReadOnlyList<SlaOutcome> NoSla = [];

    public static void Same(TicketFacts expected, TicketFacts actual)
    {
        Assert.Equal(expected with { NextReplies = NoReplies, Sla = NoSla }, actual with { NextReplies = NoReplies, Sla = NoSla });
        Assert.Equal(expected.NextReplies, actual.NextReplies);
        Assert.Equal(expected.Sla, actual.Sla);
    }
}
