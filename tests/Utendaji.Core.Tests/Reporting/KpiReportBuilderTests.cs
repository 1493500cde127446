using System.Collections;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using static Utendaji.Core.Tests.Reporting.FactsFactory;

namespace Utendaji.Core.Tests.Reporting;

public class KpiReportBuilderTests
{
    // Four tickets around ISO weeks 2026-W10 (Mon 2 March) and 2026-W11 (Mon 9 March), all figures worked by hand.
    private static List<TicketFacts> HandCase() =>
    [
        Ticket("1", At(3, 2, 9), firstReply: Dual(1800, 1800), solved: At(3, 3, 9), resolution: Dual(86400, 28800),
            fcr: true, satisfaction: 5,
            sla: [Outcome(SlaMetric.FirstReply, SlaState.Met, At(3, 2, 17)), Outcome(SlaMetric.Resolution, SlaState.Met, At(3, 5, 9))]),
        Ticket("2", At(3, 4, 10), firstReply: Dual(7200, 3600), solved: At(3, 9, 10), resolution: Dual(432000, 100000),
            fcr: false, reopens: 1, satisfaction: 2,
            sla: [Outcome(SlaMetric.FirstReply, SlaState.Breached, At(3, 4, 11)), Outcome(SlaMetric.NextReply, SlaState.Met, At(3, 5, 9)),
                Outcome(SlaMetric.NextReply, SlaState.Met, At(3, 6, 9)), Outcome(SlaMetric.Resolution, SlaState.Breached, At(3, 6, 10))]),
        Ticket("3", At(3, 8, 23), sla: [Outcome(SlaMetric.FirstReply, SlaState.Running, At(3, 9, 17))]),
        Ticket("4", At(3, 10, 8), team: "B", firstReply: Dual(600, 600), solved: At(3, 10, 12), resolution: Dual(14400, 14400),
            fcr: true, satisfaction: 4),
    ];

    private static readonly KpiReportOptions ByTeamWeekly = KpiReportOptions.Default with
    {
        GroupBy = [GroupDimension.Team],
        Period = PeriodGranularity.Week,
    };

    [Fact]
    public void Build_HandCase_PeriodsAreIsoWeeks()
    {
        var report = KpiReportBuilder.Build(HandCase(), ByTeamWeekly);

        Assert.Equal(["2026-W10", "2026-W11"], report.Periods.Select(p => p.Label));
        Assert.Equal(At(3, 2, 0), report.Periods[0].Start);
        Assert.Equal(At(3, 9, 0), report.Periods[0].End);
        Assert.Equal(At(3, 16, 0), report.Periods[1].End);
    }

    [Fact]
    public void Build_HandCase_TeamAWeek10_MatchesHandComputation()
    {
        var row = KpiReportBuilder.Build(HandCase(), ByTeamWeekly).Rows[0];
        var f = row.Figures;

        Assert.Equal("A", row.Group.Values[0]);
        Assert.Equal("2026-W10", row.Period.Label);
        Assert.Equal(3, f.Created);
        Assert.Equal(1, f.Solved);
        Assert.Equal(2, f.BacklogAtEnd); // tickets 2 and 3 are open at Monday 9 March 00:00
        Assert.Equal(2, f.FirstReply.Business.Count);
        Assert.Equal(2700, f.FirstReply.Business.Median); // type 7 of {1800, 3600}
        Assert.Equal(3420, f.FirstReply.Business.P90!.Value, 9); // 1800 + 0.9 · 1800
        Assert.Equal(4500, f.FirstReply.Calendar.Median);
        Assert.Equal(4500, f.FirstReply.Calendar.Mean);
        Assert.Equal(28800, f.FullResolution.Business.Median);
        Assert.Equal(new Proportion(1, 2), f.SlaFirstReply); // ticket 3 still running: excluded
        Assert.Equal(new Proportion(2, 2), f.SlaNextReply);
        Assert.Equal(new Proportion(1, 1), f.SlaResolution);
        Assert.Equal(new Proportion(1, 1), f.FirstContactResolution);
        Assert.Equal(new Proportion(0, 1), f.Reopened);
        Assert.Equal(new Proportion(1, 1), f.Satisfied);
        Assert.True(row.SmallGroup);
    }

    [Fact]
    public void Build_HandCase_TeamAWeek11_PlacesSolveFiguresBySolveDate()
    {
        var f = KpiReportBuilder.Build(HandCase(), ByTeamWeekly).Rows[1].Figures;

        Assert.Equal(0, f.Created);
        Assert.Equal(1, f.Solved);
        Assert.Equal(1, f.BacklogAtEnd); // ticket 3
        Assert.Equal(0, f.FirstReply.Business.Count);
        Assert.Null(f.FirstReply.Business.Median);
        Assert.Equal(100000, f.FullResolution.Business.Median);
        Assert.Equal(432000, f.FullResolution.Calendar.Mean);
        Assert.Equal(new Proportion(0, 1), f.SlaResolution);
        Assert.Equal(new Proportion(0, 1), f.FirstContactResolution);
        Assert.Equal(new Proportion(1, 1), f.Reopened);
        Assert.Equal(new Proportion(0, 1), f.Satisfied); // rating 2 is below the top two boxes
    }

    [Fact]
    public void Build_HandCase_RollUpsAddUp()
    {
        var report = KpiReportBuilder.Build(HandCase(), ByTeamWeekly);

        Assert.Equal(4, report.Rows.Count); // A and B × two weeks; B's empty week 10 is shown
        Assert.Equal([3L, 1L], report.ByPeriod.Select(r => r.Figures.Created));
        Assert.Equal([1L, 2L], report.ByPeriod.Select(r => r.Figures.Solved));
        Assert.Equal([2L, 1L], report.ByPeriod.Select(r => r.Figures.BacklogAtEnd));
        Assert.Equal(4, report.Overall.Figures.Created);
        Assert.Equal(3, report.Overall.Figures.Solved);
        Assert.Equal(1, report.Overall.Figures.BacklogAtEnd);
        Assert.Equal(new Proportion(2, 3), report.Overall.Figures.Satisfied);
        Assert.Equal([3L, 1L], report.ByGroup.Select(r => r.Figures.Created));
        Assert.Equal(3, report.Overall.Figures.FirstReply.Business.Count);
        Assert.Equal(1800, report.Overall.Figures.FirstReply.Business.Median);
        Assert.Equal(3, report.FirstReplyBusinessHistogram.Sum(b => b.Count));
        Assert.Equal(1, report.FirstReplyBusinessHistogram[0].Count); // 600 s in [0, 900)
    }

    [Fact]
    public void Build_RangeWithoutPeriods_CountsBacklogAtTo()
    {
        var options = KpiReportOptions.Default with { From = At(3, 4, 0), To = At(3, 10, 0) };
        var report = KpiReportBuilder.Build(HandCase(), options);
        var f = Assert.Single(report.Rows).Figures;

        Assert.Equal("all", report.Rows[0].Period.Label);
        Assert.Equal(2, f.Created); // tickets 2 and 3
        Assert.Equal(1, f.Solved); // ticket 2; ticket 1 was solved before From
        Assert.Equal(1, f.BacklogAtEnd); // ticket 3; ticket 4 arrives after To
    }

    [Fact]
    public void Build_ReportTimeZone_DecidesTheWeek()
    {
        // 2026-03-08 20:00 UTC is Sunday in UTC (week 10) but Monday 01:30 in Asia/Kolkata (week 11).
        var facts = new[] { Ticket("k", Instant.FromUtc(2026, 3, 8, 20, 0)) };
        var utc = KpiReportBuilder.Build(facts, KpiReportOptions.Default with { Period = PeriodGranularity.Week });
        var kolkata = KpiReportBuilder.Build(facts, KpiReportOptions.Default with
        {
            Period = PeriodGranularity.Week,
            TimeZone = DateTimeZoneProviders.Tzdb["Asia/Kolkata"],
        });

        Assert.Equal("2026-W10", Assert.Single(utc.Periods).Label);
        Assert.Equal("2026-W11", Assert.Single(kolkata.Periods).Label);
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 18, 30), kolkata.Periods[0].Start);
    }

    [Fact]
    public void Build_DayAndMonthPeriods_HaveCalendarLabels()
    {
        var day = KpiReportBuilder.Build(HandCase(), KpiReportOptions.Default with { Period = PeriodGranularity.Day });
        var month = KpiReportBuilder.Build(HandCase(), KpiReportOptions.Default with { Period = PeriodGranularity.Month });

        Assert.Equal("2026-03-02", day.Periods[0].Label);
        Assert.Equal("2026-03-10", day.Periods[^1].Label);
        Assert.Equal(9, day.Periods.Count);
        Assert.Equal("2026-03", Assert.Single(month.Periods).Label);
    }

    [Fact]
    public void Build_NoFacts_GivesEmptyReportWithoutNaN()
    {
        var report = KpiReportBuilder.Build([], ByTeamWeekly);

        Assert.Empty(report.Rows);
        Assert.Empty(report.Periods);
        Assert.Equal(0, report.Overall.Figures.Created);
        Assert.Null(report.Overall.Figures.SlaFirstReply.Rate);
        Assert.Null(report.Overall.Figures.FirstReply.Business.Median);
    }

    [Fact]
    public void Build_EnumeratesInputOnce()
    {
        var source = new CountingEnumerable(HandCase());
        KpiReportBuilder.Build(source, ByTeamWeekly);
        Assert.Equal(1, source.Enumerations);
    }

    [Fact]
    public void Build_InvalidOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KpiReportBuilder.Build([], KpiReportOptions.Default with
        {
            GroupBy = [GroupDimension.Team, GroupDimension.Team],
        }));
        Assert.Throws<ArgumentOutOfRangeException>(() => KpiReportBuilder.Build([], KpiReportOptions.Default with
        {
            From = At(3, 2, 0),
            To = At(3, 1, 0),
        }));
    }

    [Fact]
    public void Build_SmallAndLargeGroups_AreFlaggedNotHidden()
    {
        var facts = Enumerable.Range(0, 30).Select(i => Ticket("a" + i, At(3, 2, 9), team: "big"))
            .Append(Ticket("b", At(3, 2, 9), team: "tiny"))
            .ToList();
        var report = KpiReportBuilder.Build(facts, KpiReportOptions.Default with { GroupBy = [GroupDimension.Team] });

        Assert.Equal(["big", "tiny"], report.Rows.Select(r => r.Group.Values[0]));
        Assert.False(report.Rows[0].SmallGroup);
        Assert.True(report.Rows[1].SmallGroup);
    }

    [Theory]
    [InlineData(PeriodGranularity.Week, "Europe/Helsinki")]
    [InlineData(PeriodGranularity.Day, "America/New_York")]
    [InlineData(PeriodGranularity.Month, "Australia/Lord_Howe")]
    [InlineData(PeriodGranularity.None, "UTC")]
    public void Build_GeneratedFacts_AgreeWithNaiveReference(PeriodGranularity period, string zone)
    {
        var facts = FactsFactory.Generate(3000, seed: 1234, start: At(2, 20, 0), days: 70);
        var options = KpiReportOptions.Default with
        {
            GroupBy = [GroupDimension.Team, GroupDimension.Channel],
            Period = period,
            TimeZone = DateTimeZoneProviders.Tzdb[zone],
            From = At(3, 1, 5, 30),
            To = At(4, 20, 0),
        };

        var report = KpiReportBuilder.Build(facts, options);

        Assert.NotEmpty(report.Rows);
        for (var i = 1; i < report.Periods.Count; i++)
        {
            Assert.Equal(report.Periods[i - 1].End, report.Periods[i].Start);
        }

        Assert.Equal(options.From, report.Periods[0].Start);
        Assert.Equal(options.To, report.Periods[^1].End);
        foreach (var row in report.Rows)
        {
            var mine = facts.Where(f => new GroupKey([f.Team, f.Channel]).Equals(row.Group)).ToList();
            AssertMatchesReference(row, mine, options);
        }

        foreach (var row in report.ByPeriod)
        {
            AssertMatchesReference(row, facts, options);
        }

        AssertMatchesReference(report.Overall, facts, options);
        Assert.Equal(report.Rows.Sum(r => r.Figures.Created), report.Overall.Figures.Created);
    }

    private static void AssertMatchesReference(KpiRow row, List<TicketFacts> facts, KpiReportOptions options)
    {
        var start = row.Period.Start!.Value;
        var end = row.Period.End!.Value;
        bool In(Instant at) => at >= start && at < end;

        var created = facts.Where(f => In(f.CreatedAt)).ToList();
        var solved = facts.Where(f => f.SolvedAt is { } s && In(s)).ToList();
        var f = row.Figures;

        Assert.Equal(created.Count, f.Created);
        Assert.Equal(solved.Count, f.Solved);
        Assert.Equal(facts.Count(t => t.CreatedAt < end && !(t.SolvedAt < end)), f.BacklogAtEnd);

        AssertSummary(created.Where(t => t.FirstReply is not null).Select(t => t.FirstReply!.Value.Business.TotalSeconds), f.FirstReply.Business);
        AssertSummary(created.Where(t => t.FirstReply is not null).Select(t => t.FirstReply!.Value.Calendar.TotalSeconds), f.FirstReply.Calendar);
        AssertSummary(solved.Select(t => t.FullResolution!.Value.Business.TotalSeconds), f.FullResolution.Business);

        Assert.Equal(Count(created.SelectMany(t => t.Sla).Where(o => o.Metric == SlaMetric.FirstReply)), f.SlaFirstReply);
        Assert.Equal(Count(created.SelectMany(t => t.Sla).Where(o => o.Metric == SlaMetric.NextReply)), f.SlaNextReply);
        Assert.Equal(Count(solved.SelectMany(t => t.Sla).Where(o => o.Metric == SlaMetric.Resolution)
            .Concat(facts.Where(t => t.SolvedAt is null).SelectMany(t => t.Sla)
                .Where(o => o.Metric == SlaMetric.Resolution && In(o.Due)))), f.SlaResolution);
        Assert.Equal(new Proportion(solved.Count(t => t.FirstContactResolved == true), solved.Count), f.FirstContactResolution);
        Assert.Equal(new Proportion(solved.Count(t => t.Reopens > 0), solved.Count), f.Reopened);
        var rated = facts.Where(t => t.Satisfaction is not null && In(t.SolvedAt ?? t.CreatedAt)).ToList();
        Assert.Equal(new Proportion(rated.Count(t => t.Satisfaction >= options.SatisfiedMinimum), rated.Count), f.Satisfied);
    }

    private static Proportion Count(IEnumerable<SlaOutcome> outcomes)
    {
        var decided = outcomes.Where(o => o.State != SlaState.Running).ToList();
        return new Proportion(decided.Count(o => o.State == SlaState.Met), decided.Count);
    }

    // Sort-and-index reference for type 7, the mean as a plain decimal average.
    private static void AssertSummary(IEnumerable<double> values, SampleSummary actual)
    {
        var x = values.OrderBy(v => v).ToArray();
        Assert.Equal(x.Length, actual.Count);
        if (x.Length == 0)
        {
            Assert.Null(actual.Median);
            return;
        }

        Assert.Equal(NaiveQuantile(x, 0.5), actual.Median!.Value, 6);
        Assert.Equal(NaiveQuantile(x, 0.9), actual.P90!.Value, 6);
        Assert.Equal((double)(x.Select(v => (decimal)v).Sum() / x.Length), actual.Mean!.Value, 6);
    }

    private static double NaiveQuantile(double[] sorted, double p)
    {
        var h = ((sorted.Length - 1) * p) + 1;
        var lo = (int)Math.Floor(h);
        var hi = (int)Math.Ceiling(h);
        return sorted[lo - 1] + ((h - lo) * (sorted[hi - 1] - sorted[lo - 1]));
    }

    private sealed class CountingEnumerable(IEnumerable<TicketFacts> inner) : IEnumerable<TicketFacts>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<TicketFacts> GetEnumerator()
        {
            Enumerations++;
            return inner.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
