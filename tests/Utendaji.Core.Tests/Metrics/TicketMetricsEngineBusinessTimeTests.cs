using NodaTime;
using Utendaji.Core.Calendars;
using Utendaji.Core.Metrics;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;
using static Utendaji.Core.Tests.Metrics.TicketScript;

namespace Utendaji.Core.Tests.Metrics;

/// <summary>
/// Business versus calendar time in a real split-shift calendar: Europe/Helsinki (UTC+2 in early March 2026),
/// Monday–Friday 09:00–12:00 and 13:00–17:30, closed at weekends and on the holiday Wednesday 2026-03-04.
/// </summary>
public class TicketMetricsEngineBusinessTimeTests
{
    internal static readonly BusinessCalendar SplitShift = BusinessCalendar.FromDefinition(new CalendarDefinition
    {
        Name = "support-eu",
        Zone = DateTimeZoneProviders.Tzdb["Europe/Helsinki"],
        Week = new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday }
            .ToDictionary(d => d, IReadOnlyList<OpenHours> (_) =>
                [new OpenHours(new LocalTime(9, 0), new LocalTime(12, 0)), new OpenHours(new LocalTime(13, 0), new LocalTime(17, 30))]),
        Holidays = [new LocalDate(2026, 3, 4)],
    });

    internal static MetricContext EuContext(Instant now, params SlaPolicy[] policies) => new()
    {
        Calendars = new Dictionary<string, BusinessCalendar> { ["support-eu"] = SplitShift },
        TeamCalendars = new Dictionary<string, string> { ["eu"] = "support-eu" },
        SlaPolicies = policies,
        Now = now,
    };

    private static TicketFacts FirstReply(Instant created, Instant replied) =>
        new TicketScript().Created(created, team: "eu").Agent(replied).Compute(EuContext(Utc(30, 0)));

    [Fact]
    public void Compute_OvernightWait_CountsOnlyOpenHours()
    {
        // Mon 16:00 -> Tue 10:00: calendar 18h; business Mon 16:00-17:30 (1h30) + Tue 09:00-10:00 (1h) = 2h30.
        var facts = FirstReply(Helsinki(2, 16), Helsinki(3, 10));

        Assert.Equal("support-eu", facts.Calendar);
        Assert.Equal(new DualDuration(Hours(18), Hours(2.5)), facts.FirstReply);
    }

    [Fact]
    public void Compute_LunchBreak_NotCounted()
    {
        // Mon 11:30 -> 13:30: calendar 2h; business 11:30-12:00 + 13:00-13:30 = 1h.
        var facts = FirstReply(Helsinki(2, 11, 30), Helsinki(2, 13, 30));

        Assert.Equal(new DualDuration(Hours(2), Hours(1)), facts.FirstReply);
    }

    [Fact]
    public void Compute_Holiday_Skipped()
    {
        // Tue 17:00 -> Thu 09:30: calendar 40h30; business Tue 17:00-17:30 (30m), Wednesday holiday (0),
        // Thu 09:00-09:30 (30m) = 1h.
        var facts = FirstReply(Helsinki(3, 17), Helsinki(5, 9, 30));

        Assert.Equal(new DualDuration(Minutes((40 * 60) + 30), Hours(1)), facts.FirstReply);
    }

    [Fact]
    public void Compute_Weekend_Skipped()
    {
        // Fri 6 Mar 17:00 -> Mon 9 Mar 09:15: calendar 64h15; business 30m + 15m = 45m.
        var facts = FirstReply(Helsinki(6, 17), Helsinki(9, 9, 15));

        Assert.Equal(new DualDuration(Minutes((64 * 60) + 15), Minutes(45)), facts.FirstReply);
    }

    [Fact]
    public void Compute_TeamWithoutCalendar_DefaultCalendarElse24x7()
    {
        var withDefault = new TicketScript().Created(Helsinki(2, 11, 30), team: "us").Agent(Helsinki(2, 13, 30))
            .Compute(EuContext(Utc(30, 0)) with { DefaultCalendar = "support-eu" });
        var without = new TicketScript().Created(Helsinki(2, 11, 30), team: "us").Agent(Helsinki(2, 13, 30))
            .Compute(EuContext(Utc(30, 0)));

        Assert.Equal(("support-eu", Hours(1)), (withDefault.Calendar, withDefault.FirstReply!.Value.Business));
        Assert.Equal(("24x7", Hours(2)), (without.Calendar, without.FirstReply!.Value.Business));
    }

    [Fact]
    public void Compute_RequesterWait_BusinessExcludesPendingAndClosedHours()
    {
        // Mon 09:00 new/open until 10:00 (1h business), pending 10:00 -> Tue 10:00 (excluded),
        // open Tue 10:00 -> 14:00 (10-12 + 13-14 = 3h business; 4h calendar), solved Tue 14:00.
        // Wait: calendar 1h + 4h = 5h; business 1h + 3h = 4h.
        var facts = new TicketScript()
            .Created(Helsinki(2, 9), team: "eu")
            .Agent(Helsinki(2, 10))
            .Status(Helsinki(2, 10), TicketStatus.Pending)
            .Customer(Helsinki(3, 10))
            .Status(Helsinki(3, 10), TicketStatus.Open, ActorKind.System, null)
            .Solve(Helsinki(3, 14))
            .Compute(EuContext(Utc(30, 0)));

        Assert.Equal(new DualDuration(Hours(5), Hours(4)), facts.RequesterWait);
        // Full resolution Mon 09:00 -> Tue 14:00: calendar 29h; business Mon 7h30 + Tue 09-12 and 13-14 (4h) = 11h30.
        Assert.Equal(new DualDuration(Hours(29), Hours(11.5)), facts.FullResolution);
    }

    [Fact]
    public void Compute_FirstReplySlaInBusinessHours_DueNextMorningAndBreached()
    {
        // Target 2h business from Mon 16:00: 1h30 on Monday (to 17:30), 30m on Tuesday => due Tue 09:30.
        // Reply Tue 10:00 after 2h30 of business time: breached by 30m.
        var policy = new SlaPolicy
        {
            Name = "standard",
            Targets = [new SlaTarget { Priority = "normal", FirstReply = Hours(2) }],
        };
        var facts = new TicketScript().Created(Helsinki(2, 16), team: "eu").Agent(Helsinki(3, 10))
            .Compute(EuContext(Utc(30, 0), policy));

        var outcome = Assert.Single(facts.Sla);
        Assert.Equal((SlaMetric.FirstReply, Helsinki(3, 9, 30), SlaState.Breached, Minutes(30)),
            (outcome.Metric, outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void Compute_ResolutionSlaPendingPause_PushesDueLater()
    {
        // Target 4h business. Running Mon 09:00-10:00 (1h); pending Mon 10:00 -> Tue 10:00 (paused);
        // the remaining 3h from Tue 10:00: 10-12 (2h) + 13-14 (1h) => due Tue 14:00 (without the pause: Mon 14:00).
        // Solved Tue 13:30 after 3h30 counted: met with 30m to spare.
        var policy = new SlaPolicy
        {
            Name = "standard",
            Targets = [new SlaTarget { Priority = "normal", Resolution = Hours(4) }],
        };
        var facts = new TicketScript()
            .Created(Helsinki(2, 9), team: "eu")
            .Agent(Helsinki(2, 10))
            .Status(Helsinki(2, 10), TicketStatus.Pending)
            .Customer(Helsinki(3, 10))
            .Status(Helsinki(3, 10), TicketStatus.Open, ActorKind.System, null)
            .Solve(Helsinki(3, 13, 30))
            .Compute(EuContext(Utc(30, 0), policy));

        var outcome = Assert.Single(facts.Sla);
        Assert.Equal((SlaMetric.Resolution, Helsinki(3, 14), SlaState.Met, Minutes(30)),
            (outcome.Metric, outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void Compute_SlaCalendarHoursTarget_IgnoresBusinessCalendar()
    {
        // Same ticket, 2h in calendar hours: due Mon 18:00; reply Tue 10:00 after 18h => breached by 16h.
        var policy = new SlaPolicy
        {
            Name = "urgent",
            Targets = [new SlaTarget { Priority = "normal", FirstReply = Hours(2), Clock = SlaClock.CalendarHours }],
        };
        var facts = new TicketScript().Created(Helsinki(2, 16), team: "eu").Agent(Helsinki(3, 10))
            .Compute(EuContext(Utc(30, 0), policy));

        var outcome = Assert.Single(facts.Sla);
        Assert.Equal((Helsinki(2, 18), SlaState.Breached, Hours(16)), (outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void Compute_SlaNamedCalendar_UsedEvenForTicketOf24x7Team()
    {
        // The ticket's team has no calendar (24×7 figures) but the target counts in support-eu:
        // Mon 16:00 + 2h business = Tue 09:30, as above.
        var policy = new SlaPolicy
        {
            Name = "standard",
            Targets = [new SlaTarget { Priority = "normal", FirstReply = Hours(2), Clock = new SlaClock(SlaHours.Business, "support-eu") }],
        };
        var facts = new TicketScript().Created(Helsinki(2, 16), team: "us").Agent(Helsinki(2, 17))
            .Compute(EuContext(Utc(30, 0), policy));

        Assert.Equal("24x7", facts.Calendar);
        var outcome = Assert.Single(facts.Sla);
        Assert.Equal((Helsinki(3, 9, 30), SlaState.Met, Hours(1)), (outcome.Due, outcome.State, outcome.Margin));
    }

    [Fact]
    public void Compute_ReplyAfterDueInClosedHours_BreachedByZeroBusinessTime()
    {
        // Target 1h30 from Mon 16:00 is used up exactly at the 17:30 closing: due 17:30 (the closing instant).
        // A reply at 18:00 comes after the due instant, though no further business time passed: breached, margin 0.
        var policy = new SlaPolicy
        {
            Name = "standard",
            Targets = [new SlaTarget { Priority = "normal", FirstReply = Hours(1.5) }],
        };
        var facts = new TicketScript().Created(Helsinki(2, 16), team: "eu").Agent(Helsinki(2, 18))
            .Compute(EuContext(Utc(30, 0), policy));

        var outcome = Assert.Single(facts.Sla);
        Assert.Equal((Helsinki(2, 17, 30), SlaState.Breached, Duration.Zero), (outcome.Due, outcome.State, outcome.Margin));
    }
}

public class TicketMetricsEngineClosedCalendarTests
{
    [Fact]
    public void Compute_CalendarThatNeverOpens_ZeroBusinessTimeAndSlaNeverDue()
    {
        var closed = BusinessCalendar.FromDefinition(new CalendarDefinition { Name = "closed", Zone = DateTimeZone.Utc });
        var context = new MetricContext
        {
            Calendars = new Dictionary<string, BusinessCalendar> { ["closed"] = closed },
            DefaultCalendar = "closed",
            SlaPolicies = [new SlaPolicy { Name = "p", Targets = [new SlaTarget { Priority = "normal", FirstReply = Hours(1) }] }],
            Now = Utc(20, 0),
        };

        var facts = new TicketScript().Created(Utc(2, 9)).Compute(context);

        var outcome = Assert.Single(facts.Sla);
        Assert.Equal((BusinessCalendar.MaxSupported, SlaState.Running, Hours(1)), (outcome.Due, outcome.State, outcome.Margin));
        Assert.Equal(Duration.Zero, new TicketScript().Created(Utc(2, 9)).Agent(Utc(2, 10)).Compute(context).FirstReply!.Value.Business);
    }
}
