using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;
using static Utendaji.Core.Tests.Surveys.Analysis.SurveyFixtures;

namespace Utendaji.Core.Tests.Surveys.Analysis;

public class SurveyReportBuilderTests
{
    private static InstrumentFigures Only(SurveyReport report, string instrument) =>
        Assert.Single(report.Overall.Instruments, i => i.InstrumentId == instrument);

    [Fact]
    public void Build_Csat_RateWilsonAndDistribution()
    {
        // 7 of 9 ratings are 4 or 5.
        double[] ratings = [5, 4, 4, 5, 3, 5, 4, 2, 5];
        var report = SurveyReportBuilder.Build(ratings.Select(r => Csat(r)), All, SurveyReportOptions.Default);

        var csat = Only(report, "csat-5");
        Assert.Equal(9, csat.Responses);
        Assert.True(csat.SmallGroup);
        Assert.Null(csat.ResponseRate);
        var figure = Assert.Single(csat.Csat);
        Assert.Equal(4, figure.SatisfiedMinimum);
        Assert.Equal(new Proportion(7, 9), figure.Satisfied);
        // R 4.2.2: prop.test(7, 9, correct = FALSE)$conf.int.
        Assert.Equal(0.45258896910698904, figure.Satisfied.Wilson95!.Value.Lower, 12);
        Assert.Equal(0.93677489288215332, figure.Satisfied.Wilson95!.Value.Upper, 12);

        var distribution = csat.Answers[0];
        Assert.Equal(["1", "2", "3", "4", "5"], distribution.Counts.Select(c => c.Value));
        Assert.Equal([0L, 1, 1, 3, 4], distribution.Counts.Select(c => c.Count));
        Assert.Equal(4.0 / 9, distribution.Counts[4].Share!.Value, 12);
        Assert.Equal(ratings.Average(), distribution.Mean!.Mean!.Value, 12);
        Assert.Equal(0, csat.Answers[1].Answered);
        Assert.Empty(csat.Answers[1].Counts);
    }

    [Fact]
    public void Build_CsatThreeAndTwoPointDefaults_AreTopBox()
    {
        var csat2 = new SurveyInstrument
        {
            Id = "csat-2",
            Kind = InstrumentKind.Csat,
            Questions = [new SurveyQuestion { Id = "csat", Type = QuestionType.Rating, ScaleMin = 1, ScaleMax = 2 }],
        };
        var responses = new[]
        {
            Response("csat-3", Monday, ("csat", 3)), Response("csat-3", Monday, ("csat", 2)),
            Response("csat-2", Monday, ("csat", 2)), Response("csat-2", Monday, ("csat", 1)),
        };

        var report = SurveyReportBuilder.Build(responses, [Csat3, csat2], SurveyReportOptions.Default);

        Assert.Equal(3, Only(report, "csat-3").Csat[0].SatisfiedMinimum);
        Assert.Equal(new Proportion(1, 2), Only(report, "csat-3").Csat[0].Satisfied);
        Assert.Equal(2, Only(report, "csat-2").Csat[0].SatisfiedMinimum);
    }

    [Fact]
    public void Build_CsatThresholdOverride_WinsOverInstrument()
    {
        var instrument = Csat5 with { SatisfiedMinimum = 5 };
        var responses = new[] { Csat(5), Csat(4), Csat(3) };

        var own = SurveyReportBuilder.Build(responses, [instrument], SurveyReportOptions.Default);
        var overridden = SurveyReportBuilder.Build(responses, [instrument], SurveyReportOptions.Default with { CsatSatisfiedMinimum = 3 });

        Assert.Equal(new Proportion(1, 3), Only(own, "csat-5").Csat[0].Satisfied);
        Assert.Equal(new Proportion(3, 3), Only(overridden, "csat-5").Csat[0].Satisfied);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SurveyReportBuilder.Build(responses, [instrument], SurveyReportOptions.Default with { CsatSatisfiedMinimum = 6 }));
    }

    [Fact]
    public void Build_InvalidAnswers_CountedNotUsed()
    {
        var responses = new[]
        {
            Csat(5), Csat(4.5), Csat(9), Csat(0),
            Csat(5).WithAnswer("csat", new SurveyAnswer { Text = "five" }).WithAnswer("comment", new SurveyAnswer { Text = "Asante sana! ખૂબ સરસ سروس اچھی تھی" }),
        };

        var figures = Only(SurveyReportBuilder.Build(responses, All, SurveyReportOptions.Default), "csat-5");

        Assert.Equal(5, figures.Responses);
        Assert.Equal(1, figures.Answers[0].Answered);
        Assert.Equal(4, figures.Answers[0].Invalid);
        Assert.Equal(new Proportion(1, 1), figures.Csat[0].Satisfied);
        Assert.Equal(1, figures.Answers[1].Answered);
    }

    [Fact]
    public void Build_Nps_ScoreSharesAndChoiceDistributions()
    {
        // 5 promoters, 3 passives, 2 detractors.
        double[] scores = [10, 9, 9, 10, 9, 8, 7, 8, 3, 6];
        var responses = scores.Select((s, i) => Response("nps", Monday, ("nps", s))
            .WithAnswer("reason", new SurveyAnswer { Choices = [i % 2 == 0 ? "speed" : "price"] })
            .WithAnswer("liked", new SurveyAnswer { Choices = i < 4 ? ["agent", "docs", "agent"] : ["app", "unknown"] }))
            .ToList();

        var figures = Only(SurveyReportBuilder.Build(responses, All, SurveyReportOptions.Default), "nps");

        var nps = Assert.Single(figures.Nps).Estimate;
        Assert.Equal(10, nps.N);
        Assert.Equal(30, nps.Score!.Value, 12);
        Assert.Equal(new Proportion(5, 10), nps.Promoters);
        Assert.Equal(new Proportion(3, 10), nps.Passives);
        Assert.Equal(new Proportion(2, 10), nps.Detractors);
        Assert.Equal(NpsEstimate.Interval(new NpsCounts(5, 3, 2), NpsIntervalMethod.AdjustedWald), nps.Interval95);
        Assert.Equal(11, figures.Answers[0].Counts.Count);
        Assert.Equal([0L, 0, 0, 1, 0, 0, 1, 1, 2, 3, 2], figures.Answers[0].Counts.Select(c => c.Count));

        var reason = figures.Answers[1];
        Assert.Equal(["price", "speed", "quality"], reason.Counts.Select(c => c.Value));
        Assert.Equal([5L, 5, 0], reason.Counts.Select(c => c.Count));
        Assert.Null(reason.Mean);

        var liked = figures.Answers[2];
        Assert.Equal(10, liked.Answered);
        Assert.Equal([4L, 6, 4], liked.Counts.Select(c => c.Count)); // "agent" twice in one answer counts once
        Assert.Equal(6, liked.Invalid);
    }

    [Fact]
    public void Build_Ces_MeanIntervalAndAgreeing()
    {
        double[] answers = [5, 6, 7, 3, 4, 5, 6, 7, 2, 5, 6, 6];
        var figures = Only(SurveyReportBuilder.Build(answers.Select(a => Response("ces", Monday, ("ces", a))), All, SurveyReportOptions.Default), "ces");

        var ces = Assert.Single(figures.Ces);
        // R 4.2.2: t.test(c(5,6,7,3,4,5,6,7,2,5,6,6))$conf.int; sum(a >= 5) = 9.
        Assert.Equal(5.166666666666667, ces.Mean.Mean!.Value, 12);
        Assert.Equal(4.1961234378423073, ces.Mean.Interval95!.Value.Lower, 12);
        Assert.Equal(6.1372098954910275, ces.Mean.Interval95!.Value.Upper, 12);
        Assert.Equal(5, ces.AgreeMinimum);
        Assert.Equal(new Proportion(9, 12), ces.Agreeing);
    }

    [Fact]
    public void Build_NoResponses_EmptyReportNotNaN()
    {
        var report = SurveyReportBuilder.Build([], All, SurveyReportOptions.Default with { Period = PeriodGranularity.Week });

        Assert.Empty(report.Rows);
        Assert.Empty(report.Periods);
        Assert.Empty(report.Overall.Instruments);
        Assert.Equal(0, report.UnknownInstrumentResponses);
    }

    [Fact]
    public void Build_OneResponse_FiguresWithoutSpread()
    {
        var report = SurveyReportBuilder.Build([Response("nps", Monday, ("nps", 10)), Response("ces", Monday, ("ces", 6))], All, SurveyReportOptions.Default);

        var nps = Only(report, "nps").Nps[0].Estimate;
        Assert.Equal(100, nps.Score);
        // Adjusted Wald keeps a wide interval for one promoter (R values in NetPromoterScoreTests).
        Assert.Equal(-48.498649420252015, nps.Interval95!.Value.Lower, 10);
        var ces = Only(report, "ces").Ces[0];
        Assert.Equal(6, ces.Mean.Mean);
        Assert.Null(ces.Mean.Interval95);
        Assert.True(Only(report, "ces").SmallGroup);
    }

    [Fact]
    public void Build_GroupsAndIsoWeeks_PlaceByZoneAndFlagSmallGroups()
    {
        var zone = DateTimeZoneProviders.Tzdb["Africa/Nairobi"]; // UTC+3
        // Sunday 1 March 2026 22:30 UTC is Monday 01:30 in Nairobi: week 10 there, week 9 in UTC.
        var sundayNight = Instant.FromUtc(2026, 3, 1, 22, 30);
        var responses = new[]
        {
            Csat(5, sundayNight) with { Team = "billing" },
            Csat(2, Monday) with { Team = "billing" },
            Csat(4, Monday.Plus(Duration.FromDays(7))) with { Team = "support" },
            Csat(5, Monday.Plus(Duration.FromDays(7))),
        };
        var options = SurveyReportOptions.Default with
        {
            GroupBy = [SurveyGroupDimension.Team],
            Period = PeriodGranularity.Week,
            TimeZone = zone,
            MinimumN = 2,
        };

        var report = SurveyReportBuilder.Build(responses, All, options);

        Assert.Equal(["2026-W10", "2026-W11"], report.Periods.Select(p => p.Label));
        Assert.Equal(["billing", "support", "(none)"], report.ByGroup.Select(r => r.Group.ToString()));
        Assert.Equal(6, report.Rows.Count);
        var billingW10 = report.Rows[0].Instruments.Single();
        Assert.Equal(2, billingW10.Responses);
        Assert.False(billingW10.SmallGroup);
        Assert.Equal(new Proportion(1, 2), billingW10.Csat[0].Satisfied);
        var billingW11 = report.Rows[1].Instruments.Single();
        Assert.Equal(0, billingW11.Responses);
        Assert.True(billingW11.SmallGroup);
        Assert.Equal([2L, 2], report.ByPeriod.Select(r => r.Instruments.Single().Responses));
        Assert.Equal(new Proportion(3, 4), report.Overall.Instruments.Single().Csat[0].Satisfied);
    }

    [Fact]
    public void Build_RangeFilterAndUnknownInstruments_AreApplied()
    {
        var responses = new[]
        {
            Csat(5, Monday.Minus(Duration.FromDays(1))),
            Csat(4, Monday),
            Response("nps", Monday, ("nps", 9)),
            Response("retired-survey", Monday, ("q", 1)),
        };
        var options = SurveyReportOptions.Default with { From = Monday, To = Monday.Plus(Duration.FromDays(1)), Instruments = ["csat-5"] };

        var report = SurveyReportBuilder.Build(responses, All, options);

        Assert.Equal(1, Only(report, "csat-5").Responses);
        Assert.DoesNotContain(report.Overall.Instruments, i => i.InstrumentId == "nps");
        Assert.Equal(1, report.UnknownInstrumentResponses);
        Assert.Throws<ArgumentOutOfRangeException>(() => SurveyReportBuilder.Build(responses, All, options with { Instruments = ["nope"] }));
    }

    [Fact]
    public void Build_Sends_ResponseRateByChannelAndInTotals()
    {
        var sends = Enumerable.Range(0, 10).Select(i => new SurveySend
        {
            SendId = $"s{i}",
            InstrumentId = "csat-5",
            SentAt = Monday,
            Channel = i < 6 ? "email" : "chat",
        }).Append(new SurveySend { SendId = "s0", InstrumentId = "csat-5", SentAt = Monday, Channel = "email" }).ToList();
        var responses = new[]
        {
            Csat(5) with { SendId = "s0", Channel = "email", Team = "a" },
            Csat(4) with { SendId = "s1", Channel = "email", Team = "a" },
            Csat(3) with { SendId = "s7", Channel = "chat", Team = "b" },
        };

        var byChannel = SurveyReportBuilder.Build(responses, All, SurveyReportOptions.Default with { GroupBy = [SurveyGroupDimension.Channel] }, sends);
        var byTeam = SurveyReportBuilder.Build(responses, All, SurveyReportOptions.Default with { GroupBy = [SurveyGroupDimension.Team] }, sends);

        Assert.Equal(["chat", "email"], byChannel.ByGroup.Select(r => r.Group.ToString()));
        Assert.Equal(new Proportion(1, 4), byChannel.ByGroup[0].Instruments[0].ResponseRate);
        Assert.Equal(new Proportion(2, 6), byChannel.ByGroup[1].Instruments[0].ResponseRate);
        Assert.Equal(new Proportion(3, 10), byChannel.Overall.Instruments[0].ResponseRate);
        Assert.All(byTeam.ByGroup, r => Assert.Null(r.Instruments[0].ResponseRate));
        Assert.Equal(new Proportion(3, 10), byTeam.Overall.Instruments[0].ResponseRate);
        Assert.Equal(new Proportion(3, 10), byTeam.ByPeriod[0].Instruments[0].ResponseRate);
    }

    [Fact]
    public void BuildAttributed_GivesTheRatePerTeamAndPerCreditedAgent()
    {
        // Ten sends: six of team a (tickets credited to ann, two of them also to bob), four of team b (credited to
        // nobody). Answered: s0 and s1 (team a; s1 is one of bob's), s7 (team b).
        var sends = Enumerable.Range(0, 10).Select(i => new AttributedSend(
            new SurveySend { SendId = $"s{i}", InstrumentId = "csat-5", SentAt = Monday },
            i < 6 ? "a" : "b",
            i switch { < 1 => ["ann"], < 3 => ["ann", "bob"], < 6 => ["ann"], _ => [] })).ToList();
        var responses = new[]
        {
            Csat(5) with { SendId = "s0", Team = "a", Agent = "ann" },
            Csat(4) with { SendId = "s1", Team = "a", Agent = "ann" },
            Csat(4) with { SendId = "s1", ResponseId = "r-s1-bob", Team = "a", Agent = "bob" },
            Csat(3) with { SendId = "s7", Team = "b" },
        };

        var byTeam = SurveyReportBuilder.BuildAttributed(responses, All, SurveyReportOptions.Default with { GroupBy = [SurveyGroupDimension.Team] }, sends);
        var byAgent = SurveyReportBuilder.BuildAttributed(responses, All, SurveyReportOptions.Default with { GroupBy = [SurveyGroupDimension.Agent] }, sends);

        // Naive reference: count the sends of each group by hand.
        Assert.Equal(["a", "b"], byTeam.ByGroup.Select(r => r.Group.ToString()));
        Assert.Equal(new Proportion(2, 6), byTeam.ByGroup[0].Instruments[0].ResponseRate);
        Assert.Equal(new Proportion(1, 4), byTeam.ByGroup[1].Instruments[0].ResponseRate);
        Assert.Equal(new Proportion(3, 10), byTeam.Overall.Instruments[0].ResponseRate);

        var rates = byAgent.ByGroup.ToDictionary(r => r.Group.ToString(), r => r.Instruments[0].ResponseRate);
        Assert.Equal(new Proportion(2, 6), rates["ann"]);
        Assert.Equal(new Proportion(1, 2), rates["bob"]);
        // A send counted for two agents is still one send in the totals.
        Assert.Equal(new Proportion(3, 10), byAgent.Overall.Instruments[0].ResponseRate);
        Assert.Equal(new Proportion(3, 10), byAgent.ByPeriod[0].Instruments[0].ResponseRate);
    }

    [Fact]
    public void Build_SendsWithoutResponses_StillGiveAZeroRateRow()
    {
        var sends = new[] { new SurveySend { SendId = "x", InstrumentId = "nps", SentAt = Monday, Channel = "sms" } };

        var report = SurveyReportBuilder.Build([], All, SurveyReportOptions.Default with { GroupBy = [SurveyGroupDimension.Channel] }, sends);

        var row = Assert.Single(report.ByGroup);
        Assert.Equal("sms", row.Group.ToString());
        Assert.Equal(new Proportion(0, 1), row.Instruments.Single().ResponseRate);
        Assert.Equal(0, row.Instruments.Single().Responses);
    }

    [Fact]
    public void Build_Comparison_TestsMatchR()
    {
        var baselineStart = Monday;
        var currentStart = Monday.Plus(Duration.FromDays(28));
        var responses = new List<SurveyResponse>();
        // CSAT: 70 of 95 satisfied in the baseline, 84 of 100 in the current period.
        responses.AddRange(Enumerable.Range(0, 95).Select(i => Csat(i < 70 ? 5 : 2, baselineStart.Plus(Duration.FromHours(i)))));
        responses.AddRange(Enumerable.Range(0, 100).Select(i => Csat(i < 84 ? 4 : 1, currentStart.Plus(Duration.FromHours(i)))));
        // CES: the samples of ChangeTestsTests.
        double[] baselineCes = [4, 5, 3, 2, 6, 5, 4, 3, 5, 4];
        double[] currentCes = [5, 6, 7, 3, 4, 5, 6, 7, 2, 5, 6, 6];
        responses.AddRange(baselineCes.Select(v => Response("ces", baselineStart, ("ces", v))));
        responses.AddRange(currentCes.Select(v => Response("ces", currentStart, ("ces", v))));
        var options = SurveyReportOptions.Default with
        {
            Comparison = new SurveyPeriodComparison(baselineStart, baselineStart.Plus(Duration.FromDays(28)), currentStart, currentStart.Plus(Duration.FromDays(28))),
        };

        var comparison = SurveyReportBuilder.Build(responses, All, options).Comparison!;

        var total = Assert.Single(comparison.Groups);
        Assert.Equal(GroupKey.Total, total.Group);
        var csat = Assert.Single(total.Instruments, i => i.InstrumentId == "csat-5");
        Assert.Equal(95, csat.Baseline.Responses);
        var csatChange = Assert.Single(csat.Changes);
        Assert.Equal(ChangeFigure.CsatSatisfied, csatChange.Figure);
        Assert.Equal(0.84 - (70.0 / 95), csatChange.Difference!.Value, 12);
        // R 4.2.2: prop.test(c(84, 70), c(100, 95), correct = FALSE): X² = 3.1221846189753748, p = 0.07723317497901748.
        Assert.Equal(Math.Sqrt(3.1221846189753748), csatChange.Test!.Statistic, 12);
        Assert.Equal(0.07723317497901748, csatChange.Test.PValue, 12);
        Assert.False(csatChange.Significant);

        var ces = Assert.Single(total.Instruments, i => i.InstrumentId == "ces");
        var mean = Assert.Single(ces.Changes, c => c.Figure == ChangeFigure.CesMean);
        // R 4.2.2: t.test(current, baseline, var.equal = FALSE): t = 1.8353258709644955, df = 19.946942940114582.
        Assert.Equal(1.8353258709644955, mean.Test!.Statistic, 12);
        Assert.Equal(19.946942940114582, mean.Test.DegreesOfFreedom!.Value, 10);
        Assert.Equal(0.081413786532293503, mean.Test.PValue, 12);
        var agreeing = Assert.Single(ces.Changes, c => c.Figure == ChangeFigure.CesAgreeing);
        Assert.Equal(new[] { 10L, 12 }, new[] { agreeing.BaselineN, agreeing.CurrentN });
    }

    [Fact]
    public void Build_ComparisonWithOneSideEmpty_HasNoTest()
    {
        var options = SurveyReportOptions.Default with
        {
            GroupBy = [SurveyGroupDimension.Team],
            Comparison = new SurveyPeriodComparison(Monday.Minus(Duration.FromDays(7)), Monday, Monday, Monday.Plus(Duration.FromDays(7))),
        };

        var comparison = SurveyReportBuilder.Build([Csat(5) with { Team = "a" }], All, options).Comparison!;

        Assert.Equal(["all", "a"], comparison.Groups.Select(g => g.Group.ToString()));
        var change = comparison.Groups[1].Instruments.Single().Changes.Single();
        Assert.Null(change.Baseline);
        Assert.Equal(1.0, change.Current);
        Assert.Null(change.Difference);
        Assert.Null(change.Test);
        Assert.False(change.Significant);
    }

    [Fact]
    public void Options_OverlappingComparison_Throws()
    {
        var options = SurveyReportOptions.Default with
        {
            Comparison = new SurveyPeriodComparison(Monday, Monday.Plus(Duration.FromDays(8)), Monday.Plus(Duration.FromDays(7)), Monday.Plus(Duration.FromDays(14))),
        };
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void Build_EnumeratesResponsesOnce()
    {
        var source = new OnceEnumerable<SurveyResponse>([Csat(5), Csat(4)]);
        var options = SurveyReportOptions.Default with { Period = PeriodGranularity.Day, GroupBy = [SurveyGroupDimension.Agent] };

        var report = SurveyReportBuilder.Build(source, All, options);

        Assert.Equal(1, source.Enumerations);
        Assert.Equal(2, report.Overall.Instruments.Single().Responses);
    }

    private sealed class OnceEnumerable<T>(IReadOnlyList<T> items) : IEnumerable<T>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<T> GetEnumerator()
        {
            Enumerations++;
            Assert.Equal(1, Enumerations);
            return items.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
