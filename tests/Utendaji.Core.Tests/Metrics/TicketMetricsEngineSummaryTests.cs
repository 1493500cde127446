using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;
using static Utendaji.Core.Tests.Metrics.TicketMetricsEngineBusinessTimeTests;
using static Utendaji.Core.Tests.Metrics.TicketScript;

namespace Utendaji.Core.Tests.Metrics;

public class TicketMetricsEngineSummaryTests
{
    private static TicketSummary Row(Instant? firstReply = null, Instant? solved = null, int reopens = 0, int agentReplies = 1,
        int? satisfaction = null) =>
        new("Z-1", Helsinki(2, 16), firstReply, solved, reopens, agentReplies, "normal", "email", "eu", "agent-7", "cust-9", "fi", satisfaction);

    [Fact]
    public void FromSummary_FirstReplyAndResolution_CalendarAndBusiness()
    {
        // Mon 16:00 -> Tue 10:00: 18h calendar, 2h30 business (see the business-time tests).
        // Mon 16:00 -> Tue 14:00: 22h calendar; business 1h30 + 09-12 + 13-14 (4h) = 5h30.
        var facts = TicketMetricsEngine.FromSummary(Row(Helsinki(3, 10), Helsinki(3, 14)), EuContext(Utc(30, 0)));

        Assert.Equal(FactsSource.Summary, facts.Source);
        Assert.Equal(new DualDuration(Hours(18), Hours(2.5)), facts.FirstReply);
        Assert.Equal(new DualDuration(Hours(22), Hours(5.5)), facts.FullResolution);
        Assert.Equal(facts.FullResolution, facts.FirstResolution);
        Assert.Equal(TicketStatus.Solved, facts.Status);
        Assert.Null(facts.RequesterWait);
        Assert.Empty(facts.NextReplies);
        Assert.Equal(("agent-7", "cust-9", "fi", "support-eu"), (facts.Agent, facts.Customer, facts.Language, facts.Calendar));
    }

    [Fact]
    public void FromSummary_Reopened_FirstResolutionUnknown()
    {
        var facts = TicketMetricsEngine.FromSummary(Row(Helsinki(3, 10), Helsinki(3, 14), reopens: 1), EuContext(Utc(30, 0)));

        Assert.Null(facts.FirstResolution);
        Assert.Null(facts.FirstSolvedAt);
        Assert.Equal(1, facts.Reopens);
        Assert.False(facts.OneTouch);
    }

    [Theory]
    [InlineData(FirstContactDefinition.OneTouch, 1, 0, true)]
    [InlineData(FirstContactDefinition.OneTouch, 2, 0, false)]
    [InlineData(FirstContactDefinition.NoReopen, 3, 0, true)]
    [InlineData(FirstContactDefinition.NoReopen, 1, 1, false)]
    [InlineData(FirstContactDefinition.NoCustomerFollowUp, 1, 0, null)] // customer messages are not in the row
    [InlineData(FirstContactDefinition.NoCustomerFollowUp, 1, 1, false)] // reopened: surely not
    public void FromSummary_FirstContact_WhereDeterminable(FirstContactDefinition definition, int replies, int reopens, bool? expected)
    {
        var facts = TicketMetricsEngine.FromSummary(Row(Helsinki(3, 10), Helsinki(3, 14), reopens, replies),
            EuContext(Utc(30, 0)) with { Options = new MetricOptions { FirstContact = definition } });

        Assert.Equal(expected, facts.FirstContactResolved);
    }

    [Fact]
    public void FromSummary_Unsolved_NoResolutionRunningSla()
    {
        // 4h business first reply from Mon 16:00: 1h30 Monday + 2h30 Tuesday => due Tue 11:30; now Tue 10:00 => running,
        // 1h30 + 1h = 2h30 used, 1h30 left.
        var policy = new SlaPolicy { Name = "p", Targets = [new SlaTarget { Priority = "normal", FirstReply = Hours(4) }] };
        var facts = TicketMetricsEngine.FromSummary(Row(), EuContext(Helsinki(3, 10), policy));

        Assert.Equal(TicketStatus.New, facts.Status);
        Assert.Null(facts.FullResolution);
        Assert.Null(facts.OneTouch);
        var outcome = Assert.Single(facts.Sla);
        Assert.Equal((Helsinki(3, 11, 30), SlaState.Running, Hours(1.5)), (outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void FromSummary_SatisfactionOutsideScale_Ignored()
    {
        Assert.Equal(4, TicketMetricsEngine.FromSummary(Row(satisfaction: 4), EuContext(Utc(30, 0))).Satisfaction);
        Assert.Null(TicketMetricsEngine.FromSummary(Row(satisfaction: 9), EuContext(Utc(30, 0))).Satisfaction);
    }

    [Fact]
    public void ExplainSummary_FactsEqualFromSummary()
    {
        var context = EuContext(Utc(30, 0));
        var row = Row(Helsinki(3, 10), Helsinki(3, 14));

        var explanation = TicketMetricsEngine.Explain(row, context);

        FactsAssert.Same(TicketMetricsEngine.FromSummary(row, context), explanation.Facts);
        Assert.Contains(explanation.Steps, s => s.Metric == "agent" && s.Text.Contains("credit rule cannot be applied", StringComparison.Ordinal));
    }
}
