using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;
using static Utendaji.Core.Tests.Metrics.TicketMetricsEngineBusinessTimeTests;
using static Utendaji.Core.Tests.Metrics.TicketScript;

namespace Utendaji.Core.Tests.Metrics;

public class TicketExplanationTests
{
    private static readonly SlaPolicy Policy = new()
    {
        Name = "standard",
        Targets =
        [
            new SlaTarget { Priority = "normal", FirstReply = Hours(2), NextReply = Hours(1), Resolution = Hours(8), Order = 0 },
            new SlaTarget { Priority = "normal", Team = "eu", FirstReply = Hours(1), Resolution = Hours(6), Order = 1 },
        ],
    };

    private static TicketScript HolidayTicket() => new TicketScript()
        .Created(Helsinki(3, 17), team: "eu")
        .Bot(Helsinki(3, 17, 1))
        .Note(Helsinki(3, 17, 10))
        .Agent(Helsinki(5, 9, 30))
        .Status(Helsinki(5, 9, 30), TicketStatus.Pending)
        .Customer(Helsinki(5, 11))
        .Status(Helsinki(5, 11), TicketStatus.Open, ActorKind.System, null)
        .Agent(Helsinki(5, 11, 20))
        .Solve(Helsinki(5, 11, 21));

    [Fact]
    public void Explain_FactsEqualCompute()
    {
        var context = EuContext(Utc(30, 0), Policy);
        var script = HolidayTicket();

        FactsAssert.Same(script.Compute(context), script.Explain(context).Facts);
    }

    [Fact]
    public void Explain_FirstReply_NamesEventsIntervalsAndSkippedHoliday()
    {
        var explanation = HolidayTicket().Explain(EuContext(Utc(30, 0), Policy));
        var firstReply = explanation.Steps.Where(s => s.Metric == "first_reply").ToList();

        // The measuring step names the start and end events and both durations, instants in Helsinki time.
        var measured = Assert.Single(firstReply, s => s.Text.StartsWith("First reply: e01", StringComparison.Ordinal));
        Assert.Contains("e04", measured.Text, StringComparison.Ordinal);
        Assert.Contains(new ExplanationValue("from", "2026-03-03T17:00:00+02:00"), measured.Values);
        Assert.Contains(new ExplanationValue("business", "0:01:00:00"), measured.Values);

        // The open intervals counted (Tue 17:00-17:30, Thu 09:00-09:30) and the holiday skipped.
        var intervals = Assert.Single(firstReply, s => s.Text.StartsWith("Counted", StringComparison.Ordinal));
        Assert.Equal(
            ["2026-03-03T17:00:00+02:00/2026-03-03T17:30:00+02:00", "2026-03-05T09:00:00+02:00/2026-03-05T09:30:00+02:00"],
            intervals.Values.Where(v => v.Name == "open").Select(v => v.Value));
        Assert.Contains(new ExplanationValue("closed_day", "2026-03-04 Wed"), intervals.Values);

        // The bot reply and the internal note are named as not counting.
        Assert.Contains(explanation.Steps, s => s.Metric == "agent_replies" && s.Text.Contains("e02", StringComparison.Ordinal) && s.Text.Contains("bot", StringComparison.Ordinal));
        Assert.Contains(explanation.Steps, s => s.Metric == "agent_replies" && s.Text.Contains("e03", StringComparison.Ordinal) && s.Text.Contains("internal note", StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_Sla_SaysWhichTargetAndWhyAndListsPauses()
    {
        var explanation = HolidayTicket().Explain(EuContext(Utc(30, 0), Policy));
        var sla = explanation.Steps.Where(s => s.Metric == "sla").ToList();

        var chosen = Assert.Single(sla, s => s.Text.StartsWith("Policy 'standard'", StringComparison.Ordinal));
        Assert.Contains("target #1 (priority=normal team=eu)", chosen.Text, StringComparison.Ordinal);
        Assert.Contains("most specific of 2 matching targets", chosen.Text, StringComparison.Ordinal);

        var resolution = Assert.Single(sla, s => s.Text.StartsWith("resolution target", StringComparison.Ordinal));
        Assert.Contains(new ExplanationValue("paused_pending", "2026-03-05T09:30:00+02:00/2026-03-05T11:00:00+02:00"), resolution.Values);
        Assert.Contains(new ExplanationValue("state", "Met"), resolution.Values);
    }

    [Fact]
    public void Explain_EverySeededRandomTicket_FactsEqualCompute()
    {
        // Random event sequences (fixed seed) over both a 24×7 and a split-shift context: the explanation's facts
        // are always exactly Compute's, because both run the same code.
        var random = new Random(20260302);
        var policy = SlaPolicyJson.Parse(Sla.SlaPolicyJsonTests.Example, "sla.json").Policy!;
        for (var n = 0; n < 300; n++)
        {
            var script = RandomTicket(random, "R" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var context = (n % 2 == 0 ? EuContext(Utc(20, 0), policy) : Context(Utc(20, 0), policy)) with
            {
                Options = new MetricOptions { FirstContact = (FirstContactDefinition)(n % 3), Credit = (CreditRule)(n % 4) },
            };

            FactsAssert.Same(script.Compute(context), script.Explain(context).Facts);
        }
    }

    private static TicketScript RandomTicket(Random random, string id)
    {
        var priorities = new[] { "urgent", "high", "normal", "low" };
        var channels = new[] { "email", "chat", "phone" };
        var teams = new[] { "eu", "billing", "us" };
        var at = Utc(2, 6) + Duration.FromMinutes(random.Next(0, 60 * 24 * 5));
        var script = new TicketScript(id).Created(at, by: (ActorKind)random.Next(0, 4), priority: priorities[random.Next(4)],
            channel: channels[random.Next(3)], team: teams[random.Next(3)]);
        var steps = random.Next(0, 14);
        for (var i = 0; i < steps; i++)
        {
            at += Duration.FromMinutes(random.Next(0, 600));
            _ = random.Next(0, 9) switch
            {
                0 => script.Customer(at),
                1 => script.Agent(at, "agent-" + random.Next(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                2 => script.Note(at),
                3 => script.Bot(at),
                4 => script.Status(at, (TicketStatus)random.Next(0, 6)),
                5 => script.Solve(at),
                6 => script.Reopened(at),
                7 => script.Priority(at, priorities[random.Next(4)]),
                _ => script.Attribute(at, "satisfaction", random.Next(0, 7).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
        }

        return script;
    }
}
