using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Tests.Reporting;

/// <summary>Builds TicketFacts for report tests, hand-written or from a seeded generator.</summary>
internal static class FactsFactory
{
    public static Instant At(int month, int day, int hour, int minute = 0) =>
        Instant.FromUtc(2026, month, day, hour, minute);

    public static DualDuration Dual(double calendarSeconds, double businessSeconds) =>
        new(Duration.FromSeconds(calendarSeconds), Duration.FromSeconds(businessSeconds));

    public static SlaOutcome Outcome(SlaMetric metric, SlaState state, Instant due) =>
        new(metric, "standard", Duration.FromHours(8), due, state, Duration.FromMinutes(10));

    public static TicketFacts Ticket(
        string id,
        Instant created,
        string? team = "A",
        DualDuration? firstReply = null,
        Instant? solved = null,
        DualDuration? resolution = null,
        bool? fcr = null,
        int reopens = 0,
        int? satisfaction = null,
        params SlaOutcome[] sla) => new()
        {
            TicketId = id,
            Source = FactsSource.Events,
            CreatedAt = created,
            Status = solved is null ? TicketStatus.Open : TicketStatus.Solved,
            Team = team,
            Channel = "email",
            Calendar = "support",
            FirstReply = firstReply,
            FirstReplyAt = firstReply is { } f ? created + f.Calendar : null,
            SolvedAt = solved,
            FirstSolvedAt = solved,
            FullResolution = resolution,
            FirstContactResolved = fcr,
            OneTouch = fcr,
            Reopens = reopens,
            Satisfaction = satisfaction,
            Sla = sla,
        };

    public static List<TicketFacts> Generate(int count, int seed, Instant start, int days)
    {
        var random = new Random(seed);
        string?[] teams = ["Mombasa", "Helsinki", "મદદ", null];
        string?[] channels = ["email", "chat", null];
        var list = new List<TicketFacts>(count);
        for (var i = 0; i < count; i++)
        {
            var created = start + Duration.FromSeconds(random.NextInt64(0, days * 86400L));
            DualDuration? firstReply = random.NextDouble() < 0.85
                ? Dual(random.Next(1, 200_000), random.Next(0, 60_000))
                : null;
            Instant? solved = random.NextDouble() < 0.7 ? created + Duration.FromSeconds(random.NextInt64(0, 20 * 86400L)) : null;
            DualDuration? resolution = solved is { } s ? Dual((s - created).TotalSeconds, random.Next(0, 200_000)) : null;
            var reopens = solved is null ? 0 : random.Next(0, 3) == 0 ? 1 : 0;
            var sla = new List<SlaOutcome>();
            foreach (var metric in new[] { SlaMetric.FirstReply, SlaMetric.NextReply, SlaMetric.NextReply, SlaMetric.Resolution })
            {
                if (random.NextDouble() < 0.8)
                {
                    var state = (SlaState)random.Next(0, 3);
                    sla.Add(Outcome(metric, state, created + Duration.FromHours(random.Next(1, 200))));
                }
            }

            list.Add(new TicketFacts
            {
                TicketId = "T" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Source = FactsSource.Events,
                CreatedAt = created,
                Status = solved is null ? TicketStatus.Open : TicketStatus.Solved,
                Team = teams[random.Next(teams.Length)],
                Channel = channels[random.Next(channels.Length)],
                Calendar = "support",
                FirstReply = firstReply,
                SolvedAt = solved,
                FirstSolvedAt = solved,
                FullResolution = resolution,
                Reopens = reopens,
                FirstContactResolved = solved is null ? null : random.Next(0, 2) == 0,
                Satisfaction = random.NextDouble() < 0.4 ? random.Next(1, 6) : null,
                Sla = sla,
            });
        }

        return list;
    }
}
