using Utendaji.Core.Statistics;

namespace Utendaji.Core.Tests.Statistics;

public class ChangeTestsTests
{
    [Fact]
    public void Welch_CesSamples_MatchRTTest()
    {
        var current = SampleMomentsTests.Moments([5, 6, 7, 3, 4, 5, 6, 7, 2, 5, 6, 6]);
        var baseline = SampleMomentsTests.Moments([4, 5, 3, 2, 6, 5, 4, 3, 5, 4]);

        var test = ChangeTests.Welch(baseline, current)!;

        // R 4.2.2: t.test(a, b, var.equal = FALSE) with a = current, b = baseline.
        Assert.Equal(TestMethod.WelchT, test.Method);
        Assert.Equal(1.8353258709644955, test.Statistic, 12);
        Assert.Equal(19.946942940114582, test.DegreesOfFreedom!.Value, 10);
        Assert.Equal(0.081413786532293503, test.PValue, 12);
        Assert.False(test.IsSignificant(0.05));
    }

    [Fact]
    public void Welch_UnequalSpread_MatchesRTTest()
    {
        var current = SampleMomentsTests.Moments([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var baseline = SampleMomentsTests.Moments([7, 7, 7, 7, 7.5]);

        var test = ChangeTests.Welch(baseline, current)!;

        // R 4.2.2: t.test(1:10, c(7, 7, 7, 7, 7.5), var.equal = FALSE).
        Assert.Equal(-1.6621040665546645, test.Statistic, 12);
        Assert.Equal(9.1949725858530442, test.DegreesOfFreedom!.Value, 10);
        Assert.Equal(0.13014006630630143, test.PValue, 12);
    }

    [Fact]
    public void Welch_TooFewOrNoSpread_IsNull()
    {
        Assert.Null(ChangeTests.Welch(SampleMomentsTests.Moments([4]), SampleMomentsTests.Moments([4, 5, 6])));
        Assert.Null(ChangeTests.Welch(SampleMomentsTests.Moments([4, 4]), SampleMomentsTests.Moments([5, 5, 5])));
    }

    [Fact]
    public void TwoProportions_Csat_MatchesRPropTest()
    {
        var test = ChangeTests.TwoProportions(new Proportion(70, 95), new Proportion(84, 100))!;

        // R 4.2.2: prop.test(c(84, 70), c(100, 95), correct = FALSE): X-squared = 3.1221846189753748,
        // p = 0.07723317497901748; z = +sqrt(X²) because the current rate (0.84) is higher.
        Assert.Equal(TestMethod.TwoProportionZ, test.Method);
        Assert.Equal(Math.Sqrt(3.1221846189753748), test.Statistic, 12);
        Assert.Null(test.DegreesOfFreedom);
        Assert.Equal(0.07723317497901748, test.PValue, 12);
    }

    [Fact]
    public void TwoProportions_Decrease_HasNegativeStatistic()
    {
        var test = ChangeTests.TwoProportions(new Proportion(3, 4), new Proportion(0, 5))!;

        // R 4.2.2: prop.test(c(0, 3), c(5, 4), correct = FALSE): X-squared = 5.625, p = 0.017706065807366639.
        Assert.Equal(-Math.Sqrt(5.625), test.Statistic, 12);
        Assert.Equal(0.017706065807366639, test.PValue, 12);
        Assert.True(test.IsSignificant(0.05));
    }

    [Fact]
    public void TwoProportions_EmptyOrAllSatisfied_IsNull()
    {
        Assert.Null(ChangeTests.TwoProportions(new Proportion(0, 0), new Proportion(3, 5)));
        Assert.Null(ChangeTests.TwoProportions(new Proportion(10, 10), new Proportion(5, 5)));
    }

    [Fact]
    public void NpsDifference_KnownCounts_MatchesR()
    {
        var test = ChangeTests.NpsDifference(new NpsCounts(45, 30, 25), new NpsCounts(60, 25, 15))!;

        // R 4.2.2: v <- function(P, D, n) {pp <- P/n; pm <- D/n; (pp + pm - (pp - pm)^2)/n};
        // z <- (0.45 - 0.20)/sqrt(v(45, 25, 100) + v(60, 15, 100)); 2 * pnorm(-abs(z)).
        Assert.Equal(TestMethod.NpsDifferenceZ, test.Method);
        Assert.Equal(2.2750787759664504, test.Statistic, 12);
        Assert.Equal(0.02290120461045686, test.PValue, 12);
    }

    [Fact]
    public void NpsDifference_BothAllPromoters_IsNull() =>
        Assert.Null(ChangeTests.NpsDifference(new NpsCounts(5, 0, 0), new NpsCounts(9, 0, 0)));
}
