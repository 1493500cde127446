using Utendaji.Core.Statistics;

namespace Utendaji.Core.Tests.Statistics;

public class WilsonScoreTests
{
    // Every expected bound: R 4.2.2, prop.test(s, n, correct = FALSE)$conf.int (the Wilson score interval with
    // z = qnorm(0.975)), printed with options(digits = 17).
    [Theory]
    [InlineData(105, 120, 0.80397059791992609, 0.92276502726604637)]
    [InlineData(0, 10, 0.0, 0.27753279986288915)]
    [InlineData(10, 10, 0.72246720013711085, 1.0)]
    [InlineData(1, 1, 0.2065493143772375, 1.0)]
    [InlineData(0, 1, 0.0, 0.79345068562276255)]
    [InlineData(7, 9, 0.45258896910698904, 0.93677489288215332)]
    [InlineData(50, 100, 0.40383153036599567, 0.59616846963400427)]
    [InlineData(1, 30, 0.0059085903816124604, 0.1667039099140917)]
    [InlineData(999, 1000, 0.99435744140204207, 0.99982345362937386)]
    [InlineData(3, 7, 0.1582198552514697, 0.74954163547234265)]
    public void Interval_KnownCases_MatchR(long successes, long n, double lower, double upper)
    {
        var interval = WilsonScore.Interval(successes, n)!.Value;
        Assert.Equal(lower, interval.Lower, 12);
        Assert.Equal(upper, interval.Upper, 12);
    }

    [Fact]
    public void Interval_NoTrials_IsNull()
    {
        Assert.Null(WilsonScore.Interval(0, 0));
        Assert.Null(new Proportion(0, 0).Wilson95);
        Assert.Null(new Proportion(0, 0).Rate);
    }

    [Fact]
    public void Interval_AllOrNone_HitsBoundsExactly()
    {
        Assert.Equal(0.0, WilsonScore.Interval(0, 250)!.Value.Lower);
        Assert.Equal(1.0, WilsonScore.Interval(250, 250)!.Value.Upper);
    }

    [Fact]
    public void Interval_SeededCases_ContainRateAndStayInUnitInterval()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var n = random.Next(1, 5000);
            var s = random.Next(0, n + 1);
            var interval = WilsonScore.Interval(s, n)!.Value;
            var rate = (double)s / n;
            Assert.InRange(interval.Lower, 0, rate);
            Assert.InRange(interval.Upper, rate, 1);
        }
    }

    [Fact]
    public void Interval_InvalidCounts_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonScore.Interval(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Proportion(-1, 4));
    }
}
