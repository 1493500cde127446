using Utendaji.Core.Statistics;

namespace Utendaji.Core.Tests.Statistics;

public class NetPromoterScoreTests
{
    // Expected intervals: R 4.2.2 evaluating the documented formulas (docs/surveys.md) with
    // z = qnorm(0.975): Wald d ± z·sqrt((p₊ + p₋ − d²)/n); adjusted Wald the same after P + ¾, D + ¾, n + 3;
    // both clipped to [−100, 100]:
    //   nps <- function(P, D, n, adj) { if (adj) { P <- P + .75; D <- D + .75; n <- n + 3 }; pp <- P/n; pm <- D/n;
    //     d <- pp - pm; v <- (pp + pm - d^2)/n; z <- qnorm(.975); c(100*max(-1, d - z*sqrt(v)), 100*min(1, d + z*sqrt(v))) }
    [Theory]
    [InlineData(45, 30, 25, 4.0771773178932849, 35.922822682106712, 3.7702544118751042, 35.064697044435576)]
    [InlineData(1, 0, 0, 100, 100, -48.498649420252015, 98.498649420252022)]
    [InlineData(0, 0, 1, -100, -100, -98.498649420252022, 48.498649420252015)]
    [InlineData(50, 0, 0, 100, 100, 86.644321292034775, 100)]
    [InlineData(0, 0, 50, -100, -100, -100, -86.644321292034775)]
    [InlineData(7, 3, 2, -1.2884861225341715, 84.621819455867524, -5.5012939695517629, 72.167960636218439)]
    public void Interval_KnownCounts_MatchR(long promoters, long passives, long detractors, double waldLow, double waldHigh, double adjLow, double adjHigh)
    {
        var counts = new NpsCounts(promoters, passives, detractors);
        var wald = NpsEstimate.Interval(counts, NpsIntervalMethod.Wald)!.Value;
        var adjusted = NpsEstimate.Interval(counts, NpsIntervalMethod.AdjustedWald)!.Value;
        Assert.Equal(waldLow, wald.Lower, 10);
        Assert.Equal(waldHigh, wald.Upper, 10);
        Assert.Equal(adjLow, adjusted.Lower, 10);
        Assert.Equal(adjHigh, adjusted.Upper, 10);
    }

    [Fact]
    public void From_Counts_GivesScoreAndShares()
    {
        var estimate = NpsEstimate.From(new NpsCounts(45, 30, 25));
        Assert.Equal(100, estimate.N);
        Assert.Equal(20, estimate.Score!.Value, 12);
        Assert.Equal(0.45, estimate.Promoters.Rate!.Value, 12);
        Assert.Equal(0.30, estimate.Passives.Rate!.Value, 12);
        Assert.Equal(0.25, estimate.Detractors.Rate!.Value, 12);
        Assert.Equal(WilsonScore.Interval(45, 100), estimate.Promoters.Wilson95);
        Assert.Equal(NpsIntervalMethod.AdjustedWald, estimate.Method);
    }

    [Fact]
    public void From_NoAnswers_IsNullNotNaN()
    {
        var estimate = NpsEstimate.From(default);
        Assert.Equal(0, estimate.N);
        Assert.Null(estimate.Score);
        Assert.Null(estimate.Interval95);
        Assert.Null(estimate.Promoters.Rate);
        Assert.Null(estimate.Promoters.Wilson95);
    }

    [Fact]
    public void From_AllPromoters_ScoreIs100AndIntervalBelowIt()
    {
        var estimate = NpsEstimate.From(new NpsCounts(20, 0, 0));
        Assert.Equal(100, estimate.Score);
        Assert.Equal(100, estimate.Interval95!.Value.Upper);
        Assert.True(estimate.Interval95!.Value.Lower < 100);
        Assert.Equal(1.0, estimate.Promoters.Wilson95!.Value.Upper);
        Assert.Equal(0.0, estimate.Detractors.Wilson95!.Value.Lower);
    }

    [Theory]
    [InlineData(0, 0, 0, 1)]
    [InlineData(6, 0, 0, 1)]
    [InlineData(6.5, 0, 1, 0)]
    [InlineData(7, 0, 1, 0)]
    [InlineData(8, 0, 1, 0)]
    [InlineData(9, 1, 0, 0)]
    [InlineData(10, 1, 0, 0)]
    public void Add_Score_Classifies(double score, long promoters, long passives, long detractors) =>
        Assert.Equal(new NpsCounts(promoters, passives, detractors), default(NpsCounts).Add(score));

    [Fact]
    public void Add_OutsideScale_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => default(NpsCounts).Add(11));
}
