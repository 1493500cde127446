using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Tickets;

namespace Utendaji.Reports.Tests;

/// <summary>Ticket facts with hostile and non-Latin names, and the report built from them.</summary>
internal static class SampleData
{
    public const string ScriptTeam = "<script>alert('x')</script>";
    public const string ImgAgent = "<img src=x onerror=alert(1)>";
    public const string Gujarati = "ગ્રાહક સેવા ટીમ";
    public const string Urdu = "کسٹمر سروس ٹیم";
    public const string CsvHostile = "Smith, \"Jr.\"\nline two";

    public static Instant At(int day, int hour) => Instant.FromUtc(2026, 3, day, hour, 0);

    public static List<TicketFacts> Facts()
    {
        string[] teams = [ScriptTeam, Gujarati, Urdu, "Nairobi"];
        var random = new Random(7);
        var list = new List<TicketFacts>();
        for (var i = 0; i < 400; i++)
        {
            var created = At(2, 0) + Duration.FromMinutes(random.Next(0, 20 * 24 * 60));
            var replied = random.NextDouble() < 0.9;
            var solved = random.NextDouble() < 0.75;
            var solvedAt = created + Duration.FromMinutes(random.Next(30, 5 * 24 * 60));
            var team = teams[i % teams.Length];
            list.Add(new TicketFacts
            {
                TicketId = "T-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Source = FactsSource.Events,
                CreatedAt = created,
                Status = solved ? TicketStatus.Solved : TicketStatus.Open,
                Team = team,
                Channel = i % 3 == 0 ? "chat" : "email",
                Agent = i % 5 == 0 ? ImgAgent : "agent-" + (i % 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Customer = i % 7 == 0 ? CsvHostile : Urdu,
                Language = i % 2 == 0 ? "gu" : "ur",
                Calendar = "support-eu",
                FirstReplyAt = replied ? created + Duration.FromMinutes(20 + (i % 300)) : null,
                FirstReply = replied ? new DualDuration(Duration.FromMinutes(20 + (i % 300)), Duration.FromMinutes(10 + (i % 200))) : null,
                NextReplies = i % 4 == 0 ? [new DualDuration(Duration.FromSeconds(900), Duration.FromSeconds(600)), new DualDuration(Duration.FromSeconds(1800.5), Duration.FromSeconds(0))] : [],
                FirstSolvedAt = solved ? solvedAt : null,
                FirstResolution = solved ? new DualDuration(solvedAt - created, Duration.FromMinutes(random.Next(10, 3000))) : null,
                SolvedAt = solved ? solvedAt : null,
                FullResolution = solved ? new DualDuration(solvedAt - created, Duration.FromMinutes(random.Next(10, 3000))) : null,
                RequesterWait = solved ? new DualDuration(Duration.FromHours(2), Duration.FromHours(1)) : null,
                AgentReplies = 1 + (i % 3),
                Reopens = i % 9 == 0 ? 1 : 0,
                OneTouch = solved ? i % 3 == 1 : null,
                FirstContactResolved = solved ? i % 3 == 1 : null,
                Satisfaction = i % 2 == 0 ? 1 + (i % 5) : null,
                Sla =
                [
                    new SlaOutcome(SlaMetric.FirstReply, "gold", Duration.FromHours(1), created + Duration.FromHours(1), i % 4 == 0 ? SlaState.Breached : SlaState.Met, Duration.FromMinutes(12)),
                    new SlaOutcome(SlaMetric.NextReply, "gold", Duration.FromHours(2), created + Duration.FromHours(5), SlaState.Met, Duration.FromMinutes(30)),
                    new SlaOutcome(SlaMetric.Resolution, "gold", Duration.FromHours(24), created + Duration.FromHours(24), solved ? (i % 3 == 0 ? SlaState.Breached : SlaState.Met) : SlaState.Running, Duration.FromHours(3)),
                ],
            });
        }

        return list;
    }

    public static KpiReport Report(PeriodGranularity period = PeriodGranularity.Week, params GroupDimension[] groupBy) =>
        KpiReportBuilder.Build(Facts(), KpiReportOptions.Default with { GroupBy = groupBy, Period = period });
}
