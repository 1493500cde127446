using Utendaji.Core.Statistics;

namespace Utendaji.Core.Tests.Statistics;

public class SampleMomentsTests
{
    private static readonly double[] CesSample = [5, 6, 7, 3, 4, 5, 6, 7, 2, 5, 6, 6];

    [Fact]
    public void Estimate_CesSample_MatchesRTTest()
    {
        var estimate = Moments(CesSample).Estimate();

        // R 4.2.2: mean(a), sd(a), t.test(a)$conf.int with a = c(5,6,7,3,4,5,6,7,2,5,6,6).
        Assert.Equal(12, estimate.N);
        Assert.Equal(5.166666666666667, estimate.Mean!.Value, 13);
        Assert.Equal(1.5275252316519468, estimate.StandardDeviation!.Value, 13);
        Assert.Equal(4.1961234378423073, estimate.Interval95!.Value.Lower, 12);
        Assert.Equal(6.1372098954910275, estimate.Interval95!.Value.Upper, 12);
    }

    [Fact]
    public void Estimate_TwoValues_UsesT1()
    {
        // R 4.2.2: t.test(c(3, 5))$conf.int = -8.7062047361746941, 16.706204736174694.
        var interval = Moments([3, 5]).Estimate().Interval95!.Value;
        Assert.Equal(-8.7062047361746941, interval.Lower, 11);
        Assert.Equal(16.706204736174694, interval.Upper, 11);
    }

    [Fact]
    public void Estimate_Empty_IsAllNull()
    {
        var estimate = default(SampleMoments).Estimate();
        Assert.Equal(0, estimate.N);
        Assert.Null(estimate.Mean);
        Assert.Null(estimate.StandardDeviation);
        Assert.Null(estimate.Interval95);
    }

    [Fact]
    public void Estimate_OneValue_HasMeanButNoSpread()
    {
        var estimate = Moments([4]).Estimate();
        Assert.Equal(1, estimate.N);
        Assert.Equal(4, estimate.Mean);
        Assert.Null(estimate.StandardDeviation);
        Assert.Null(estimate.Interval95);
    }

    [Fact]
    public void Estimate_AllEqual_IsZeroWidth()
    {
        var estimate = Moments([6, 6, 6, 6]).Estimate();
        Assert.Equal(0, estimate.StandardDeviation);
        Assert.Equal(new ConfidenceInterval(6, 6), estimate.Interval95);
    }

    [Fact]
    public void Merge_SeededPartials_EqualOnePass()
    {
        var random = new Random(11);
        for (var round = 0; round < 200; round++)
        {
            var values = Enumerable.Range(0, random.Next(0, 40)).Select(_ => (double)random.Next(1, 8)).ToArray();
            var cut = values.Length == 0 ? 0 : random.Next(0, values.Length + 1);
            var merged = Moments(values[..cut]) + Moments(values[cut..]);
            var whole = Moments(values);
            Assert.Equal(whole.Count, merged.Count);
            Assert.Equal(whole.Mean, merged.Mean, 12);
            Assert.Equal(whole.SumOfSquaredDeviations, merged.SumOfSquaredDeviations, 9);

            // Naive reference: the two-pass formulas.
            if (values.Length > 0)
            {
                var mean = values.Average();
                Assert.Equal(mean, merged.Mean, 12);
                Assert.Equal(values.Sum(v => (v - mean) * (v - mean)), merged.SumOfSquaredDeviations, 9);
            }
        }
    }

    [Fact]
    public void Add_NaN_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => default(SampleMoments).Add(double.NaN));

    internal static SampleMoments Moments(IEnumerable<double> values) =>
        values.Aggregate(default(SampleMoments), (m, v) => m.Add(v));
}
