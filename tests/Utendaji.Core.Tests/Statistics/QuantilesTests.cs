using Utendaji.Core.Statistics;

namespace Utendaji.Core.Tests.Statistics;

public class QuantilesTests
{
    // Reference sample; quantiles below from R 4.2.2: quantile(x, c(0.5, 0.9, 0.25, 0.99), type = 7|1|6), options(digits = 17).
    private static readonly double[] Sample = [3.2, 1.5, 7.8, 4.4, 10.0, 2.1, 6.6, 5.0, 9.3, 0.7, 12.5];

    [Theory]
    [InlineData(0.5, 5.0)]
    [InlineData(0.9, 10.0)]
    [InlineData(0.25, 2.6500000000000004)]
    [InlineData(0.99, 12.25)]
    public void Of_Linear_MatchesRType7(double p, double expected) =>
        Assert.Equal(expected, Quantiles.Of(Sample, p, QuantileDefinition.Linear)!.Value, 12);

    [Theory]
    [InlineData(0.5, 5.0)]
    [InlineData(0.9, 10.0)]
    [InlineData(0.25, 2.1)]
    [InlineData(0.99, 12.5)]
    public void Of_InvertedCdf_MatchesRType1(double p, double expected) =>
        Assert.Equal(expected, Quantiles.Of(Sample, p, QuantileDefinition.InvertedCdf)!.Value, 12);

    [Theory]
    [InlineData(0.5, 5.0)]
    [InlineData(0.9, 12.0000000000000018)]
    [InlineData(0.25, 2.1)]
    [InlineData(0.99, 12.5)]
    public void Of_Weibull_MatchesRType6(double p, double expected) =>
        Assert.Equal(expected, Quantiles.Of(Sample, p, QuantileDefinition.Weibull)!.Value, 12);

    [Fact]
    public void Of_DurationSample_MatchesR()
    {
        // R 4.2.2: quantile(c(60, 120, 180, 3600, 7200), c(0.5, 0.9), type = 7) -> 180, 5759.9999999999982;
        // type = 1 and type = 6 -> 180, 7200.
        double[] seconds = [3600, 60, 7200, 180, 120];
        Assert.Equal(180, Quantiles.Of(seconds, 0.5)!.Value);
        Assert.Equal(5760, Quantiles.Of(seconds, 0.9)!.Value, 9);
        Assert.Equal(7200, Quantiles.Of(seconds, 0.9, QuantileDefinition.InvertedCdf)!.Value);
        Assert.Equal(7200, Quantiles.Of(seconds, 0.9, QuantileDefinition.Weibull)!.Value);
    }

    [Fact]
    public void Mean_Sample_MatchesR() =>
        // R 4.2.2: mean(x) = 5.7363636363636363
        Assert.Equal(5.7363636363636363, Quantiles.Mean(Sample)!.Value, 14);

    [Theory]
    [InlineData(QuantileDefinition.Linear)]
    [InlineData(QuantileDefinition.InvertedCdf)]
    [InlineData(QuantileDefinition.Weibull)]
    public void OfSorted_Empty_IsNullNotNaN(QuantileDefinition definition)
    {
        Assert.Null(Quantiles.OfSorted([], 0.5, definition));
        Assert.Null(Quantiles.Mean([]));
    }

    [Theory]
    [InlineData(QuantileDefinition.Linear)]
    [InlineData(QuantileDefinition.InvertedCdf)]
    [InlineData(QuantileDefinition.Weibull)]
    public void OfSorted_SingleValue_IsThatValue(QuantileDefinition definition)
    {
        // R 4.2.2: quantile(42, 0.9, type = 7) = 42
        foreach (var p in new[] { 0.0, 0.1, 0.5, 0.9, 1.0 })
        {
            Assert.Equal(42, Quantiles.OfSorted([42.0], p, definition));
        }
    }

    [Fact]
    public void OfSorted_ProbabilityOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.OfSorted([1.0], 1.5));

    [Fact]
    public void Of_Linear_AgreesWithNaiveReference_OnSeededSamples()
    {
        var random = new Random(20260301);
        for (var trial = 0; trial < 500; trial++)
        {
            var n = random.Next(1, 60);
            var values = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 1000, random.Next(0, 3))).ToArray();
            var p = random.Next(0, 101) / 100.0;
            Assert.Equal(NaiveLinear(values, p), Quantiles.Of(values, p)!.Value, 9);
        }
    }

    [Fact]
    public void Of_InvertedCdf_AgreesWithNaiveReference_OnSeededSamples()
    {
        var random = new Random(77);
        for (var trial = 0; trial < 500; trial++)
        {
            var n = random.Next(1, 60);
            var values = Enumerable.Range(0, n).Select(_ => (double)random.Next(0, 500)).ToArray();
            var percent = random.Next(0, 101);
            Assert.Equal(NaiveInvertedCdf(values, percent, 100), Quantiles.Of(values, percent / 100.0, QuantileDefinition.InvertedCdf)!.Value);
        }
    }

    [Fact]
    public void Mean_LargeSample_AgreesWithDecimalReference()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 100_000).Select(_ => random.Next(0, 2_000_000) + 0.25).ToArray();
        var reference = values.Select(v => (decimal)v).Sum() / values.Length;
        Assert.Equal((double)reference, Quantiles.Mean(values)!.Value, 9);
    }

    [Theory]
    [InlineData(QuantileDefinition.Linear)]
    [InlineData(QuantileDefinition.InvertedCdf)]
    [InlineData(QuantileDefinition.Weibull)]
    public void OfUnsortedInPlace_AgreesWithSortedPath_IncludingManyDuplicates(QuantileDefinition definition)
    {
        var random = new Random(31337);
        for (var trial = 0; trial < 400; trial++)
        {
            var n = random.Next(1, 300);
            var spread = random.Next(1, 4) == 1 ? 3 : 100_000; // often heavy ties, as business seconds of 0 are
            var values = Enumerable.Range(0, n).Select(_ => (double)random.Next(0, spread)).ToArray();
            double[] ps = [random.Next(0, 101) / 100.0, 0.5, 0.9, 0, 1];
            var sorted = values.OrderBy(v => v).ToArray();

            var actual = Quantiles.OfUnsortedInPlace(values, ps, definition);

            for (var i = 0; i < ps.Length; i++)
            {
                Assert.Equal(Quantiles.OfSorted(sorted, ps[i], definition), actual[i]);
            }

            Assert.Equal(sorted, values.OrderBy(v => v)); // reordered, nothing lost
        }
    }

    [Fact]
    public void OfUnsortedInPlace_Empty_GivesNulls() =>
        Assert.Equal([null, null], Quantiles.OfUnsortedInPlace([], [0.5, 0.9]));

    // Sort-and-index reference written straight from the type 7 definition with 1-based h.
    private static double NaiveLinear(double[] values, double p)
    {
        var x = values.OrderBy(v => v).ToArray();
        var h = ((x.Length - 1) * p) + 1;
        var lo = (int)Math.Floor(h);
        var hi = (int)Math.Ceiling(h);
        return x[lo - 1] + ((h - lo) * (x[hi - 1] - x[lo - 1]));
    }

    // Smallest x[k] with k/n ≥ percent/scale, in integer arithmetic so no rounding can creep in.
    private static double NaiveInvertedCdf(double[] values, int percent, int scale)
    {
        var x = values.OrderBy(v => v).ToArray();
        var k = 1;
        while (k * scale < percent * x.Length)
        {
            k++;
        }

        return x[k - 1];
    }
}
