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
            var n = trial % 20 == 0 ? random.Next(2_000, 30_000) : random.Next(1, 300); // large ones take the sampled pivot
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

    [Theory]
    [InlineData(QuantileDefinition.Linear)]
    [InlineData(QuantileDefinition.InvertedCdf)]
    [InlineData(QuantileDefinition.Weibull)]
    public void OfUnion_RandomUnions_SameAsSortedConcatenation(QuantileDefinition definition)
    {
        var random = new Random(20261123);
        for (var trial = 0; trial < 300; trial++)
        {
            var parts = RandomParts(random, maxValues: random.Next(3) == 0 ? 20_000 : 300);
            var ps = Probabilities(random);

            // The sample size chosen from n, then small samples and brackets narrow enough to miss their rank often, so
            // that every way a rank is resolved (below, at or above a bracket end, or a miss and the copy) is taken.
            AssertUnionAgreesWithReference(parts, ps, definition, sampleSize: 0, halfWidth: 2.5);
            foreach (var (sampleSize, halfWidth) in new[] { (1, 0.0), (2, 0.0), (7, 0.3), (64, 0.0), (64, 1.0), (300, 0.5) })
            {
                AssertUnionAgreesWithReference(parts, ps, definition, sampleSize, halfWidth);
            }
        }
    }

    [Theory]
    [InlineData(QuantileDefinition.Linear)]
    [InlineData(QuantileDefinition.InvertedCdf)]
    [InlineData(QuantileDefinition.Weibull)]
    public void OfUnion_LargeUnionsOfDurations_SameAsSortedConcatenation(QuantileDefinition definition)
    {
        // Big enough for the sampled brackets (not the small-union copy), shaped like report samples: many cells of a
        // skewed distribution, runs of equal values (business seconds of 0, whole minutes) and some empty cells.
        var random = new Random(4242);
        for (var trial = 0; trial < 6; trial++)
        {
            var parts = Enumerable.Range(0, random.Next(1, 60)).Select(_ =>
            {
                var n = random.Next(8) == 0 ? 0 : random.Next(1, 4000);
                return (ReadOnlyMemory<double>)Enumerable.Range(0, n).Select(_ => random.Next(5) switch
                {
                    0 => 0.0,
                    1 => 60.0 * random.Next(0, 120),
                    _ => Math.Exp(random.NextDouble() * 12) - 1,
                }).ToArray();
            }).ToList();

            AssertUnionAgreesWithReference(parts, [0.5, 0.9, 0, 1, random.NextDouble()], definition, sampleSize: 0, halfWidth: 2.5);
        }
    }

    [Fact]
    public void OfUnion_PartsAreNotChanged()
    {
        var random = new Random(8);
        var arrays = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, random.Next(0, 900)).Select(_ => random.NextDouble()).ToArray()).ToList();
        var before = arrays.Select(a => a.ToArray()).ToList();

        Quantiles.OfUnion(arrays.Select(a => (ReadOnlyMemory<double>)a).ToList(), [0.5, 0.9]);

        Assert.Equal(before, arrays);
    }

    [Fact]
    public void OfUnion_EmptyOrNoParts_GiveNulls()
    {
        Assert.Equal([null, null], Quantiles.OfUnion([], [0.5, 0.9]));
        Assert.Equal([null, null], Quantiles.OfUnion([ReadOnlyMemory<double>.Empty, Array.Empty<double>()], [0.5, 0.9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.OfUnion([], [1.5]));
    }

    [Fact]
    public void OfUnion_Infinities_AreOrderedLikeAnyValue()
    {
        ReadOnlyMemory<double>[] parts = [new[] { double.NegativeInfinity, 3, 1 }, new[] { double.PositiveInfinity, 2 }];

        Assert.Equal([double.NegativeInfinity, 2, double.PositiveInfinity], Quantiles.OfUnion(parts, [0, 0.5, 1], QuantileDefinition.InvertedCdf, sampleSize: 3, halfWidth: 0));
    }

    private static List<ReadOnlyMemory<double>> RandomParts(Random random, int maxValues)
    {
        var spread = random.Next(4) switch
        {
            0 => 3, // heavy ties
            1 => 1, // every value equal
            _ => 1_000_000,
        };
        var negative = random.Next(3) == 0;
        var fraction = random.Next(2) == 0;
        var total = random.Next(1, maxValues);
        var parts = new List<ReadOnlyMemory<double>>();
        while (total > 0)
        {
            // Empty parts and single values among larger ones.
            var n = random.Next(5) switch
            {
                0 => 0,
                1 => 1,
                _ => random.Next(1, Math.Max(2, total)),
            };
            n = Math.Min(n, total);
            total -= n;
            parts.Add(Enumerable.Range(0, n).Select(_ =>
            {
                double v = random.Next(0, spread);
                return (negative ? v - (spread / 2) : v) + (fraction ? random.NextDouble() : 0);
            }).ToArray());
        }

        return parts;
    }

    private static double[] Probabilities(Random random) =>
        [0.5, 0.9, 0, 1, random.Next(0, 101) / 100.0, random.NextDouble(), 0.999];

    // The naive reference: concatenate, sort, OfSorted.
    private static void AssertUnionAgreesWithReference(IReadOnlyList<ReadOnlyMemory<double>> parts, double[] ps, QuantileDefinition definition, int sampleSize, double halfWidth)
    {
        var sorted = parts.SelectMany(p => p.ToArray()).Order().ToArray();

        var actual = Quantiles.OfUnion(parts, ps, definition, sampleSize, halfWidth);

        for (var i = 0; i < ps.Length; i++)
        {
            Assert.Equal(Quantiles.OfSorted(sorted, ps[i], definition), actual[i]);
        }
    }

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
