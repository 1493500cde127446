using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Credit;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Tests.Surveys.Credit;

public class SurveyCreditTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 9, 0);

    // Amina answers first, Juma writes an internal note and later replies, a bot chimes in, Liisa solves the ticket
    // (the solver), the customer answers the survey at minute 60, and Amina replies again afterwards.
    private static readonly TicketEvent[] History =
    [
        Event("e1", 0, TicketEventType.Created, ActorKind.Customer, "customer-1"),
        Event("e2", 10, TicketEventType.AgentReply, ActorKind.Agent, "amina"),
        Event("e3", 20, TicketEventType.AgentReply, ActorKind.Agent, "juma", isPublic: false),
        Event("e4", 25, TicketEventType.AgentReply, ActorKind.Bot, "helper-bot"),
        Event("e5", 30, TicketEventType.AgentReply, ActorKind.Agent, "juma"),
        Event("e6", 35, TicketEventType.Assigned, ActorKind.Agent, "liisa"),
        Event("e7", 40, TicketEventType.StatusChanged, ActorKind.Agent, "liisa", status: TicketStatus.Solved),
        Event("e8", 100, TicketEventType.AgentReply, ActorKind.Agent, "amina"),
    ];

    private static readonly TicketFacts Facts = new()
    {
        TicketId = "T-1",
        Source = FactsSource.Events,
        CreatedAt = T0,
        Status = TicketStatus.Solved,
        Calendar = "24x7",
        Agent = "liisa",
    };

    // The helpdesk's own attribution, as a Chatwoot export would carry it: the assignee when the rating came in.
    private static readonly SurveyResponse Answered = new()
    {
        ResponseId = "R-1",
        InstrumentId = "csat-5",
        SubmittedAt = T0 + Duration.FromMinutes(60),
        TicketId = "T-1",
        Agent = "assignee-at-rating",
        Answers = new Dictionary<string, SurveyAnswer> { ["csat"] = new() { Number = 2 } },
    };

    [Fact]
    public void Credit_Solver_TheTicketsCreditedAgent()
    {
        var credit = SurveyCredit.Credit(Answered, Facts, History);

        Assert.Equal(["liisa"], credit.Agents);
        Assert.Equal(CreditBasis.TicketAgent, credit.Basis);
    }

    [Fact]
    public void Credit_LastPublicReplier_LastHumanPublicReplyBeforeTheAnswer()
    {
        var credit = SurveyCredit.Credit(Answered, Facts, History, SurveyCreditRule.LastPublicReplier);

        // Not the internal note, not the bot, not Amina's reply after the customer answered.
        Assert.Equal(["juma"], credit.Agents);
        Assert.Equal(CreditBasis.Events, credit.Basis);
    }

    [Fact]
    public void Credit_EveryParticipant_EachPublicHumanReplierOnceInOrderOfFirstReply()
    {
        var events = History.Append(Event("e9", 50, TicketEventType.AgentReply, ActorKind.Agent, "amina")).Reverse().ToList();

        var credit = SurveyCredit.Credit(Answered, Facts, events, SurveyCreditRule.EveryParticipant);

        Assert.Equal(["amina", "juma"], credit.Agents);
        Assert.Equal(CreditBasis.Events, credit.Basis);
    }

    [Fact]
    public void Credit_RepliesAtTheSameInstant_LaterEventIdIsTheLast()
    {
        var events = new[]
        {
            Event("b", 10, TicketEventType.AgentReply, ActorKind.Agent, "zawadi"),
            Event("a", 10, TicketEventType.AgentReply, ActorKind.Agent, "amina"),
        };

        Assert.Equal(["zawadi"], SurveyCredit.Credit(Answered, Facts, events, SurveyCreditRule.LastPublicReplier).Agents);
        Assert.Equal(["amina", "zawadi"], SurveyCredit.Credit(Answered, Facts, events, SurveyCreditRule.EveryParticipant).Agents);
    }

    [Fact]
    public void Credit_ReplyAtTheInstantOfSubmission_Counts()
    {
        var events = new[] { Event("e1", 60, TicketEventType.AgentReply, ActorKind.Agent, "amina") };

        Assert.Equal(["amina"], SurveyCredit.Credit(Answered, Facts, events, SurveyCreditRule.LastPublicReplier).Agents);
    }

    [Theory]
    [InlineData(SurveyCreditRule.LastPublicReplier)]
    [InlineData(SurveyCreditRule.EveryParticipant)]
    public void Credit_ReplyRulesWithoutEvents_FallBackToTheTicketsAgent(SurveyCreditRule rule)
    {
        // A ticket imported from a summary export has no events: an empty list and null mean the same.
        foreach (var events in new IReadOnlyList<TicketEvent>?[] { null, [] })
        {
            var credit = SurveyCredit.Credit(Answered, Facts, events, rule);

            Assert.Equal(["liisa"], credit.Agents);
            Assert.Equal(CreditBasis.TicketAgent, credit.Basis);
        }
    }

    [Theory]
    [InlineData(SurveyCreditRule.LastPublicReplier)]
    [InlineData(SurveyCreditRule.EveryParticipant)]
    public void Credit_ReplyRulesWithNoPublicHumanReply_Nobody(SurveyCreditRule rule)
    {
        var events = History.Where(e => e.ActorId != "amina" && e.Id != "e5").ToList();

        var credit = SurveyCredit.Credit(Answered, Facts, events, rule);

        Assert.Empty(credit.Agents);
        Assert.Equal(CreditBasis.Events, credit.Basis);
    }

    [Theory]
    [InlineData(SurveyCreditRule.Solver)]
    [InlineData(SurveyCreditRule.LastPublicReplier)]
    [InlineData(SurveyCreditRule.EveryParticipant)]
    public void Credit_UnknownTicket_TheAgentTheResponseNames(SurveyCreditRule rule)
    {
        var credit = SurveyCredit.Credit(Answered, null, null, rule);

        Assert.Equal(["assignee-at-rating"], credit.Agents);
        Assert.Equal(CreditBasis.ResponseAgent, credit.Basis);
    }

    [Fact]
    public void Credit_TicketWithoutCreditedAgent_TheAgentTheResponseNames()
    {
        var credit = SurveyCredit.Credit(Answered, Facts with { Agent = null });

        Assert.Equal(["assignee-at-rating"], credit.Agents);
        Assert.Equal(CreditBasis.ResponseAgent, credit.Basis);
    }

    [Fact]
    public void Credit_NothingNamesAnAgent_Nobody()
    {
        var anonymous = Answered with { TicketId = null, Agent = null };

        Assert.Same(ResponseCredit.Nobody, SurveyCredit.Credit(anonymous, null));
        Assert.Empty(ResponseCredit.Nobody.Agents);
    }

    [Fact]
    public void Credit_FactsOrEventsOfAnotherTicket_Refused()
    {
        Assert.Throws<ArgumentException>(() => SurveyCredit.Credit(Answered, Facts with { TicketId = "T-2" }));
        Assert.Throws<ArgumentException>(() => SurveyCredit.Credit(Answered, Facts, [History[0] with { TicketId = "T-2" }]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SurveyCredit.Credit(Answered, Facts, History, (SurveyCreditRule)42));
    }

    private static TicketEvent Event(string id, int minute, TicketEventType type, ActorKind actor, string actorId, bool isPublic = true, TicketStatus? status = null) =>
        new(id, "T-1", T0 + Duration.FromMinutes(minute), type, actor, actorId, isPublic, "email", null, null, status, null);
}
