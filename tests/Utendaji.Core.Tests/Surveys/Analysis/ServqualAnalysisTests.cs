using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;
using static Utendaji.Core.Tests.Surveys.Analysis.SurveyFixtures;

namespace Utendaji.Core.Tests.Surveys.Analysis;

/// <summary>
/// SERVQUAL figures against R 4.2.2. The same six respondents in R (P[4, 2] missing; respondent 6 allocated no
/// importance):
/// <code>
/// E &lt;- matrix(c(7,6,7,6,6, 6,6,6,7,7, 7,7,7,5,6, 5,6,6,6,5, 7,7,6,7,7, 6,5,7,6,6), ncol=5, byrow=TRUE)
/// P &lt;- matrix(c(5,5,6,6,4, 6,4,5,5,5, 4,5,4,5,6, 5,NA,6,4,4, 6,6,5,7,6, 3,4,4,5,5), ncol=5, byrow=TRUE)
/// imp &lt;- matrix(c(60,40, 50,50, 70,30, 40,60, 30,70), ncol=2, byrow=TRUE)
/// G &lt;- P - E; rel &lt;- rowMeans(G[,1:3], na.rm=TRUE); emp &lt;- rowMeans(G[,4:5], na.rm=TRUE)
/// ci &lt;- function(x) { x &lt;- x[!is.na(x)]; c(length(x), mean(x), t.test(x)$conf.int) }
/// alpha &lt;- function(S) { k &lt;- ncol(S); k/(k-1)*(1 - sum(diag(S))/sum(S)) }
/// </code>
/// </summary>
public class ServqualAnalysisTests
{
    private static readonly double[][] E =
    [
        [7, 6, 7, 6, 6], [6, 6, 6, 7, 7], [7, 7, 7, 5, 6], [5, 6, 6, 6, 5], [7, 7, 6, 7, 7], [6, 5, 7, 6, 6],
    ];

    private static readonly double[][] P =
    [
        [5, 5, 6, 6, 4], [6, 4, 5, 5, 5], [4, 5, 4, 5, 6], [5, double.NaN, 6, 4, 4], [6, 6, 5, 7, 6], [3, 4, 4, 5, 5],
    ];

    private static readonly double[][] Importance = [[60, 40], [50, 50], [70, 30], [40, 60], [30, 70], [double.NaN, double.NaN]];

    private static List<SurveyResponse> Responses() =>
        Enumerable.Range(0, 6).Select(r => Response(
            "sq-mini",
            Monday,
            [
                .. Enumerable.Range(0, 5).Select(i => ($"e{i + 1}", E[r][i])),
                .. Enumerable.Range(0, 5).Select(i => ($"p{i + 1}", P[r][i])),
                ("imp-rel", Importance[r][0]),
                ("imp-emp", Importance[r][1]),
            ])).ToList();

    private static ServqualFigures Build(SurveyReportOptions? options = null) =>
        SurveyReportBuilder.Build(Responses(), All, options ?? SurveyReportOptions.Default).Overall.Instruments.Single().Servqual!;

    private static MeanEstimate Scale(IEnumerable<ServqualScaleMean> means, ServqualScale scale) => means.Single(m => m.Scale == scale).Mean;

    private static void AssertMean(MeanEstimate actual, long n, double mean, double lower, double upper)
    {
        Assert.Equal(n, actual.N);
        Assert.Equal(mean, actual.Mean!.Value, 12);
        Assert.Equal(lower, actual.Interval95!.Value.Lower, 11);
        Assert.Equal(upper, actual.Interval95!.Value.Upper, 11);
    }

    [Fact]
    public void Items_GapAndExpectation_MatchR()
    {
        var figures = Build();

        Assert.Equal([1, 2, 3, 4, 5], figures.Items.Select(i => i.Item));
        Assert.Equal([ServqualScale.Expectation, ServqualScale.Perception, ServqualScale.Gap], figures.Items[0].Scales.Select(s => s.Scale));
        // R: ci(G[,2]); ci(E[,1]).
        AssertMean(Scale(figures.Items[1].Scales, ServqualScale.Gap), 5, -1.3999999999999999, -2.0800873806582554, -0.71991261934174422);
        AssertMean(Scale(figures.Items[0].Scales, ServqualScale.Expectation), 6, 6.333333333333333, 5.4764727214545612, 7.1901939452121049);
    }

    [Fact]
    public void Dimensions_MeansOfRespondentScores_MatchR()
    {
        var figures = Build();

        Assert.Equal([ServqualDimension.Reliability, ServqualDimension.Empathy], figures.Dimensions.Select(d => d.Dimension));
        var reliability = figures.Dimensions[0];
        Assert.Equal([1, 2, 3], reliability.Items);
        // R: ci(rel); ci(rowMeans(P[,1:3], na.rm=TRUE)); ci(emp); ci(imp[,1]).
        AssertMean(Scale(reliability.Scales, ServqualScale.Gap), 6, -1.3888888888888888, -2.4127486823628033, -0.36502909541497452);
        AssertMean(Scale(reliability.Scales, ServqualScale.Perception), 6, 4.916666666666667, 4.1056611866690194, 5.7276721466643146);
        AssertMean(Scale(figures.Dimensions[1].Scales, ServqualScale.Gap), 6, -1, -1.7420630573892939, -0.25793694261070604);
        AssertMean(reliability.Importance!, 5, 50, 30.367568385224427, 69.63243161477557);
    }

    [Fact]
    public void Overall_UnweightedAndWeighted_MatchR()
    {
        var figures = Build();

        // R: ci((rel + emp)/2); ci((rowMeans(E[,1:3]) + rowMeans(E[,4:5]))/2);
        // w <- imp/rowSums(imp); ci(w[,1]*rel[1:5] + w[,2]*emp[1:5]).
        AssertMean(Scale(figures.Overall, ServqualScale.Gap), 6, -1.1944444444444444, -1.5958399218692507, -0.79304896701963823);
        AssertMean(Scale(figures.Overall, ServqualScale.Expectation), 6, 6.25, 5.8006585043065284, 6.6993414956934725);
        var weighted = Assert.Single(figures.Weighted);
        Assert.Equal(ServqualScale.Gap, weighted.Scale);
        AssertMean(weighted.Mean, 5, -1.2233333333333332, -1.820179345754118, -0.62648732091254844);
    }

    [Fact]
    public void Reliability_ListwiseDefault_MatchesR()
    {
        var reliability = Build().Dimensions[0].Reliability;

        // R: g <- G[,1:3]; cc <- g[complete.cases(g),]; alpha(cov(cc)) with 5 respondents;
        // alpha(cov(P[complete.cases(P[,1:3]), 1:3])).
        var gap = reliability.Single(r => r.Scale == ServqualScale.Gap).Alpha;
        Assert.Equal(0.62727272727272732, gap.Alpha!.Value, 12);
        Assert.Equal(5, gap.RespondentsUsed);
        Assert.Equal(MissingDataRule.Listwise, gap.Rule);
        Assert.Equal(0.69827586206896552, reliability.Single(r => r.Scale == ServqualScale.Perception).Alpha.Alpha!.Value, 12);
    }

    [Fact]
    public void Reliability_Pairwise_MatchesR()
    {
        var figures = Build(SurveyReportOptions.Default with { AlphaMissingData = MissingDataRule.Pairwise });

        // R: alpha(cov(g, use = "pairwise.complete.obs")); min(crossprod(!is.na(g))) = 5; alpha(cov(G[,4:5])).
        var gap = figures.Dimensions[0].Reliability.Single(r => r.Scale == ServqualScale.Gap).Alpha;
        Assert.Equal(0.65909090909090917, gap.Alpha!.Value, 12);
        Assert.Equal(6, gap.RespondentsUsed);
        Assert.Equal(5, gap.MinimumPairN);
        Assert.Equal(MissingDataRule.Pairwise, gap.Rule);
        Assert.Equal(0.46666666666666679, figures.Dimensions[1].Reliability.Single(r => r.Scale == ServqualScale.Gap).Alpha.Alpha!.Value, 12);
    }

    [Fact]
    public void ZoneOfTolerance_AdequacyAndSuperiority_MatchR()
    {
        double[][] min = [[5, 4], [6, 5], [4, 4], [5, 6]];
        double[][] des = [[8, 8], [9, 8], [7, 8], [9, 9]];
        double[][] per = [[6, 7], [5, 6], [7, 8], [8, 7]];
        var responses = Enumerable.Range(0, 4).Select(r => Response(
            "zot-mini",
            Monday,
            ("min1", min[r][0]), ("des1", des[r][0]), ("per1", per[r][0]),
            ("min2", min[r][1]), ("des2", des[r][1]), ("per2", per[r][1])));

        var figures = SurveyReportBuilder.Build(responses, All, SurveyReportOptions.Default).Overall.Instruments.Single().Servqual!;

        Assert.Equal(
            [ServqualScale.Perception, ServqualScale.Minimum, ServqualScale.Desired, ServqualScale.Adequacy, ServqualScale.Superiority],
            figures.Overall.Select(s => s.Scale));
        Assert.Empty(figures.Weighted);
        Assert.Null(figures.Dimensions[0].Importance);
        // R: Mn, Ds, Pz as above; ci(rowMeans(Pz - Mn)); ci(rowMeans(Pz - Ds)); ci(Pz[,1] - Mn[,1]).
        AssertMean(Scale(figures.Overall, ServqualScale.Adequacy), 4, 1.875, -0.41022027124321853, 4.1602202712432188);
        AssertMean(Scale(figures.Overall, ServqualScale.Superiority), 4, -1.5, -3.4488423954376661, 0.44884239543766602);
        AssertMean(Scale(figures.Items[0].Scales, ServqualScale.Adequacy), 4, 1.5, -1.5469603616576244, 4.5469603616576242);
    }

    [Fact]
    public void Comparison_ServqualGap_UsesWelchPerDimensionOverallAndWeighted()
    {
        var baseline = Responses();
        var current = Responses().Select(r => r with
        {
            SubmittedAt = Monday.Plus(NodaTime.Duration.FromDays(30)),
            Answers = r.Answers.ToDictionary(a => a.Key, a => a.Key.StartsWith('p') && a.Value.Number < 7 ? new SurveyAnswer { Number = a.Value.Number + 1 } : a.Value, StringComparer.Ordinal),
        });
        var options = SurveyReportOptions.Default with
        {
            Comparison = new SurveyPeriodComparison(Monday, Monday.Plus(NodaTime.Duration.FromDays(1)), Monday.Plus(NodaTime.Duration.FromDays(30)), Monday.Plus(NodaTime.Duration.FromDays(31))),
        };

        var changes = SurveyReportBuilder.Build(baseline.Concat(current), All, options).Comparison!.Groups[0].Instruments.Single().Changes;

        Assert.Equal(
            [ChangeFigure.ServqualDimension, ChangeFigure.ServqualDimension, ChangeFigure.ServqualOverall, ChangeFigure.ServqualWeighted],
            changes.Select(c => c.Figure));
        Assert.All(changes, c =>
        {
            Assert.Equal(ServqualScale.Gap, c.Scale);
            Assert.Equal(TestMethod.WelchT, c.Test!.Method);
            Assert.True(c.Difference > 0);
        });
        Assert.Equal(ServqualDimension.Empathy, changes[1].Dimension);
    }

    [Fact]
    public void Build_FullRevisedScale_ReportsAllItemsDimensionsAndWeights()
    {
        // The shape of the built-in instrument: e01–e22, five importance questions, p01–p22, a comment.
        static ServqualDimension DimensionOf(int item) => item switch
        {
            <= 4 => ServqualDimension.Tangibles,
            <= 9 => ServqualDimension.Reliability,
            <= 13 => ServqualDimension.Responsiveness,
            <= 17 => ServqualDimension.Assurance,
            _ => ServqualDimension.Empathy,
        };
        SurveyQuestion ItemQuestion(string prefix, ServqualPart part, int item) => new()
        {
            Id = $"{prefix}{item:00}",
            Type = QuestionType.Rating,
            ScaleMin = 1,
            ScaleMax = 7,
            Item = item,
            Part = part,
            Dimension = DimensionOf(item),
        };
        var instrument = new SurveyInstrument
        {
            Id = "servqual",
            Kind = InstrumentKind.Servqual,
            Questions =
            [
                .. Enumerable.Range(1, 22).Select(i => ItemQuestion("e", ServqualPart.Expectation, i)),
                .. Enum.GetValues<ServqualDimension>().Select(d => new SurveyQuestion
                {
                    Id = $"importance_{d}",
                    Type = QuestionType.Allocation,
                    ScaleMin = 0,
                    ScaleMax = 100,
                    Dimension = d,
                    Part = ServqualPart.Importance,
                }),
                .. Enumerable.Range(1, 22).Select(i => ItemQuestion("p", ServqualPart.Perception, i)),
                new SurveyQuestion { Id = "comment", Type = QuestionType.FreeText },
            ],
        };
        var random = new Random(3);
        var responses = Enumerable.Range(0, 40).Select(_ => Response(
            "servqual",
            Monday,
            [
                .. Enumerable.Range(1, 22).Select(i => ($"e{i:00}", (double)random.Next(5, 8))),
                .. Enumerable.Range(1, 22).Select(i => ($"p{i:00}", (double)random.Next(3, 8))),
                .. Enum.GetValues<ServqualDimension>().Select(d => ($"importance_{d}", 20.0)),
            ]));

        var figures = SurveyReportBuilder.Build(responses, [instrument], SurveyReportOptions.Default).Overall.Instruments.Single().Servqual!;

        Assert.Equal(22, figures.Items.Count);
        Assert.Equal(Enum.GetValues<ServqualDimension>(), figures.Dimensions.Select(d => d.Dimension));
        Assert.Equal([4, 5, 4, 4, 5], figures.Dimensions.Select(d => d.Items.Count));
        Assert.All(figures.Dimensions, d => Assert.Equal(40, d.Reliability.Single(r => r.Scale == ServqualScale.Gap).Alpha.RespondentsUsed));
        Assert.All(figures.Dimensions, d => Assert.Equal(20, d.Importance!.Mean));
        // Equal weights of 20 points: the weighted score equals the unweighted mean of the five dimension gaps.
        var weighted = figures.Weighted.Single().Mean;
        var overall = figures.Overall.Single(s => s.Scale == ServqualScale.Gap).Mean;
        Assert.Equal(overall.Mean!.Value, weighted.Mean!.Value, 12);
        Assert.Equal(40, weighted.N);
    }
}
