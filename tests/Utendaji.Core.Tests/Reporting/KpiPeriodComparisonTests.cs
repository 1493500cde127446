using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using static Utendaji.Core.Tests.Reporting.FactsFactory;

namespace Utendaji.Core.Tests.Reporting;

public class KpiPeriodComparisonTests
{
    // 2026-W47 = Monday 16 to Sunday 22 November 2026; the week before, W46, begins Monday 9 November.
    private static readonly CalendarPeriod W47 = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 11, 16), DateTimeZone.Utc);

    private static TicketFacts Rated(string id, Instant created, bool slaMet, int rating) => Ticket(
        id, created, solved: created + Duration.FromHours(2), resolution: Dual(7200, 7200), fcr: true, satisfaction: rating,
        sla: [Outcome(SlaMetric.FirstReply, slaMet ? SlaState.Met : SlaState.Breached, created + Duration.FromHours(1))]);

    /// <summary>W46: 30 of 50 first-reply targets met, 40 of 50 satisfied; W47: 45 of 50 met, 44 of 50 satisfied; one W45 ticket.</summary>
    private static List<TicketFacts> RateCase()
    {
        var list = new List<TicketFacts>();
        for (var i = 0; i < 50; i++)
        {
            var minutes = Duration.FromMinutes(i * 97);
            list.Add(Rated($"p{i}", Instant.FromUtc(2026, 11, 9, 1, 0) + minutes, slaMet: i < 30, rating: i < 40 ? 5 : 2));
            list.Add(Rated($"c{i}", Instant.FromUtc(2026, 11, 16, 1, 0) + minutes, slaMet: i < 45, rating: i < 44 ? 4 : 1));
        }

        list.Add(Rated("old", Instant.FromUtc(2026, 11, 4, 12, 0), slaMet: false, rating: 1));
        return list;
    }

    private static KpiChange Figure(KpiGroupChange group, KpiChangeFigure figure) => group.Changes.Single(c => c.Figure == figure);

    [Fact]
    public void Compare_Rates_MatchTwoProportionReference()
    {
        var comparison = KpiPeriodComparison.Compare(RateCase(), W47, KpiReportOptions.Default);

        Assert.Equal("2026-W46", comparison.Previous.Label);
        Assert.Equal("2026-W47", comparison.Current.Label);
        var sla = Figure(comparison.Total, KpiChangeFigure.SlaFirstReply);
        Assert.Equal((50, 0.6), (sla.Previous.N, sla.Previous.Value!.Value));
        Assert.Equal((50, 0.9), (sla.Current.N, sla.Current.Value!.Value));
        Assert.Equal(0.3, sla.Difference!.Value, 12);
        // z and p from Python: z = (0.9 − 0.6)/√(0.75·0.25·(2/50)); p = math.erfc(|z|/√2).
        Assert.Equal(3.4641016151377553, sla.Test!.Statistic, 9);
        Assert.Equal(0.0005320055051392491, sla.Test.PValue, 9);
        Assert.True(sla.Significant);
        Assert.NotNull(sla.Current.Interval95);
        Assert.InRange(0.9, sla.Current.Interval95!.Value.Lower, sla.Current.Interval95.Value.Upper);

        var csat = Figure(comparison.Total, KpiChangeFigure.Satisfied);
        Assert.Equal((40L, 50L), ((long)Math.Round(csat.Previous.Value!.Value * 50), csat.Previous.N));
        // Python: 40/50 → 44/50 gives z = 1.0910894511799611, p = 0.2752335240748347: not significant at 0.05.
        Assert.Equal(1.0910894511799611, csat.Test!.Statistic, 9);
        Assert.Equal(0.2752335240748347, csat.Test.PValue, 9);
        Assert.False(csat.Significant);
    }

    [Fact]
    public void Compare_Counts_HaveDifferenceButNoTest()
    {
        var comparison = KpiPeriodComparison.Compare(RateCase(), W47, KpiReportOptions.Default);

        var created = Figure(comparison.Total, KpiChangeFigure.Created);
        Assert.Equal(50, created.Previous.N);
        Assert.Equal(50, created.Current.N);
        Assert.Equal(0, created.Difference);
        Assert.Null(created.Test);
        Assert.False(created.Significant);
        Assert.Empty(comparison.Groups);
    }

    [Fact]
    public void Compare_SignificanceLevel_DecidesTheFlagOnly()
    {
        var strict = KpiPeriodComparison.Compare(RateCase(), W47, KpiReportOptions.Default, significanceLevel: 0.0001);

        var sla = Figure(strict.Total, KpiChangeFigure.SlaFirstReply);
        Assert.Equal(0.0005320055051392491, sla.Test!.PValue, 9);
        Assert.False(sla.Significant);
    }

    [Fact]
    public void Compare_Durations_MatchWelchReferenceAndMedian()
    {
        double[] before = [600, 1200, 1800, 2400, 9000];
        double[] after = [300, 400, 500, 700, 800, 1000];
        var facts = new List<TicketFacts>();
        for (var i = 0; i < before.Length; i++)
        {
            facts.Add(Ticket($"b{i}", Instant.FromUtc(2026, 11, 10, 9, i), firstReply: Dual(before[i] * 2, before[i])));
        }

        for (var i = 0; i < after.Length; i++)
        {
            facts.Add(Ticket($"a{i}", Instant.FromUtc(2026, 11, 20, 9, i), firstReply: Dual(after[i] * 2, after[i])));
        }

        var change = Figure(KpiPeriodComparison.Compare(facts, W47, KpiReportOptions.Default).Total, KpiChangeFigure.FirstReplyBusiness);

        // Naive Welch: t = (m2 − m1)/√(s1²/n1 + s2²/n2), ν by Welch–Satterthwaite.
        static (double Mean, double Var) Moments(double[] x)
        {
            var m = x.Average();
            return (m, x.Sum(v => (v - m) * (v - m)) / (x.Length - 1));
        }

        var (m1, v1) = Moments(before);
        var (m2, v2) = Moments(after);
        var (a, b) = (v1 / before.Length, v2 / after.Length);
        Assert.Equal(m1, change.Previous.Value!.Value, 9);
        Assert.Equal(m2, change.Current.Value!.Value, 9);
        Assert.Equal(1800, change.Previous.Median);
        Assert.Equal(600, change.Current.Median);
        Assert.Equal((m2 - m1) / Math.Sqrt(a + b), change.Test!.Statistic, 9);
        Assert.Equal((a + b) * (a + b) / ((a * a / (before.Length - 1)) + (b * b / (after.Length - 1))), change.Test.DegreesOfFreedom!.Value, 9);
        Assert.Equal(TestMethod.WelchT, change.Test.Method);
        Assert.Equal(change.Test.PValue < 0.05, change.Significant);
        Assert.True(change.Previous.Small);
        Assert.NotNull(change.Previous.Interval95);
    }

    [Fact]
    public void Compare_EmptyPreviousPeriod_HasNoTestAndIsNotSignificant()
    {
        var facts = RateCase().Where(f => f.CreatedAt >= W47.Start).ToList();

        var sla = Figure(KpiPeriodComparison.Compare(facts, W47, KpiReportOptions.Default).Total, KpiChangeFigure.SlaFirstReply);

        Assert.Equal(0, sla.Previous.N);
        Assert.Null(sla.Previous.Value);
        Assert.Null(sla.Difference);
        Assert.Null(sla.Test);
        Assert.False(sla.Significant);
    }

    [Fact]
    public void Compare_GeneratedFacts_MatchNaivePlacementPerTeam()
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/Helsinki"];
        var month = CalendarPeriod.Containing(PeriodGranularity.Month, new LocalDate(2026, 3, 1), zone);
        var facts = Generate(3000, seed: 4711, start: Instant.FromUtc(2026, 1, 15, 0, 0), days: 90);
        var options = KpiReportOptions.Default with { GroupBy = [GroupDimension.Team] };

        var comparison = KpiPeriodComparison.Compare(facts, month, options);

        Assert.Equal("2026-02", comparison.Previous.Label);
        var groups = comparison.Groups.ToDictionary(g => g.Group.Values[0] ?? "(none)", StringComparer.Ordinal);
        foreach (var team in facts.Select(f => f.Team ?? "(none)").Distinct())
        {
            var mine = facts.Where(f => (f.Team ?? "(none)") == team).ToList();
            var group = groups[team];
            foreach (var (period, isCurrent) in new[] { (month.Previous, false), (month, true) })
            {
                bool In(Instant at) => at >= period.Start && at < period.End;
                KpiValue Side(KpiChange c) => isCurrent ? c.Current : c.Previous;
                var created = mine.Where(f => In(f.CreatedAt)).ToList();
                var solved = mine.Where(f => f.SolvedAt is { } s && In(s)).ToList();
                Assert.Equal(created.Count, Side(Figure(group, KpiChangeFigure.Created)).N);
                Assert.Equal(solved.Count, Side(Figure(group, KpiChangeFigure.Solved)).N);
                var open = mine.Count(f => f.CreatedAt < period.End && !(f.SolvedAt is { } s && s < period.End));
                Assert.Equal(open, Side(Figure(group, KpiChangeFigure.BacklogAtEnd)).N);

                var slaFirst = created.SelectMany(f => f.Sla).Where(o => o.Metric == SlaMetric.FirstReply && o.State != SlaState.Running).ToList();
                var slaValue = Side(Figure(group, KpiChangeFigure.SlaFirstReply));
                Assert.Equal(slaFirst.Count, slaValue.N);
                Assert.Equal(slaFirst.Count == 0 ? null : (double)slaFirst.Count(o => o.State == SlaState.Met) / slaFirst.Count, slaValue.Value);

                var reopened = Side(Figure(group, KpiChangeFigure.Reopened));
                Assert.Equal(solved.Count, reopened.N);
                Assert.Equal(solved.Count == 0 ? null : (double)solved.Count(f => f.Reopens > 0) / solved.Count, reopened.Value);

                var replies = created.Where(f => f.FirstReply is not null).Select(f => f.FirstReply!.Value.Business.TotalSeconds).ToList();
                var reply = Side(Figure(group, KpiChangeFigure.FirstReplyBusiness));
                Assert.Equal(replies.Count, reply.N);
                if (replies.Count > 0)
                {
                    Assert.Equal(replies.Average(), reply.Value!.Value, 6);
                }
            }
        }

        // The total is the sum of the groups for counts.
        Assert.Equal(
            comparison.Groups.Sum(g => Figure(g, KpiChangeFigure.Created).Current.N),
            Figure(comparison.Total, KpiChangeFigure.Created).Current.N);
        Assert.Equal(string.Join(",", comparison.Groups.Select(g => g.Group.ToString())),
            string.Join(",", comparison.Groups.Select(g => g.Group).Order().Select(g => g.ToString())), StringComparer.Ordinal);
    }

    [Fact]
    public void Compare_QuietWeeks_StillCountTheOpenBacklog()
    {
        // Three tickets from October, still open; one solved during W46. No figure at all falls in W47.
        List<TicketFacts> facts =
        [
            Ticket("1", Instant.FromUtc(2026, 10, 1, 9, 0)),
            Ticket("2", Instant.FromUtc(2026, 10, 2, 9, 0)),
            Ticket("3", Instant.FromUtc(2026, 10, 3, 9, 0), solved: Instant.FromUtc(2026, 11, 12, 9, 0)),
        ];

        var comparison = KpiPeriodComparison.Compare(facts, W47, KpiReportOptions.Default with { GroupBy = [GroupDimension.Team] });

        var backlog = Figure(comparison.Total, KpiChangeFigure.BacklogAtEnd);
        Assert.Equal((2L, 2L), (backlog.Previous.N, backlog.Current.N));
        // Against the report's own backlog where it lists the period: W46 holds a figure (the solve).
        var report = KpiReportBuilder.Build(facts, KpiReportOptions.Default with { Period = PeriodGranularity.Week, From = W47.Previous.Start, To = W47.End });
        Assert.Equal(report.ByPeriod.Single(r => r.Period.Label == "2026-W46").Figures.BacklogAtEnd, backlog.Previous.N);
        Assert.Equal(2, Figure(Assert.Single(comparison.Groups), KpiChangeFigure.BacklogAtEnd).Current.N);
    }

    [Fact]
    public void Compare_BadSignificanceLevel_NamesIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KpiPeriodComparison.Compare([], W47, KpiReportOptions.Default, significanceLevel: 1));
        Assert.Equal("significanceLevel", error.ParamName);
    }
}
