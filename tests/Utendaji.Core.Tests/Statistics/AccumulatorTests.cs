using Utendaji.Core.Statistics;

namespace Utendaji.Core.Tests.Statistics;

public class AccumulatorTests
{
    [Fact]
    public void Proportion_AddAndMerge_CountsCombine()
    {
        var a = new Proportion(0, 0).Add(true).Add(false).Add(true);
        var b = new Proportion(4, 5);
        var merged = a + b;
        Assert.Equal(new Proportion(6, 8), merged);
        Assert.Equal(0.75, merged.Rate);
    }

    [Fact]
    public void SampleAccumulator_Empty_SummaryHasNullsAndZeroCount()
    {
        var summary = new SampleAccumulator().Summarize();
        Assert.Equal(0, summary.Count);
        Assert.Null(summary.Mean);
        Assert.Null(summary.Median);
        Assert.Null(summary.P90);
    }

    [Fact]
    public void SampleAccumulator_MergedPartials_EqualOneAccumulatorOfAllValues()
    {
        var random = new Random(99);
        for (var trial = 0; trial < 200; trial++)
        {
            var all = new SampleAccumulator();
            var parts = Enumerable.Range(0, random.Next(1, 6)).Select(_ => new SampleAccumulator()).ToArray();
            var n = random.Next(0, 80);
            for (var i = 0; i < n; i++)
            {
                var v = random.Next(0, 100_000);
                all.Add(v);
                parts[random.Next(parts.Length)].Add(v);
            }

            var merged = new SampleAccumulator();
            foreach (var part in parts)
            {
                merged.Merge(part);
            }

            Assert.Equal(all.Summarize(), merged.Summarize());
        }
    }

    [Theory]
    [InlineData(QuantileDefinition.Linear)]
    [InlineData(QuantileDefinition.InvertedCdf)]
    [InlineData(QuantileDefinition.Weibull)]
    public void SummarizeUnion_RandomParts_SameAsMergingThemInOrder(QuantileDefinition definition)
    {
        var random = new Random(1123);
        for (var trial = 0; trial < 150; trial++)
        {
            var parts = Enumerable.Range(0, random.Next(0, 12)).Select(_ =>
            {
                var part = new SampleAccumulator();
                var n = random.Next(4) == 0 ? random.Next(0, 2) : random.Next(0, 3000);
                for (var i = 0; i < n; i++)
                {
                    // Fractions of very different sizes, so that sums round and the order of adding matters.
                    part.Add(Math.Round(Math.Exp(random.NextDouble() * 14), random.Next(0, 7)) * (random.Next(10) == 0 ? -1 : 1));
                }

                if (random.Next(2) == 0)
                {
                    part.Summarize(definition); // summarised parts are reordered; that must not change a total
                }

                return part;
            }).ToList();
            var merged = new SampleAccumulator();
            foreach (var part in parts)
            {
                merged.Merge(part);
            }

            var union = SampleAccumulator.SummarizeUnion(parts, definition);

            Assert.Equal(merged.Summarize(definition), union); // to the last bit, mean included
            var all = parts.SelectMany(p => p.Sorted().ToArray()).Order().ToArray();
            Assert.Equal(all.Length, union.Count);
            Assert.Equal(Quantiles.OfSorted(all, 0.5, definition), union.Median);
            Assert.Equal(Quantiles.OfSorted(all, 0.9, definition), union.P90);
            if (all.Length > 0)
            {
                var reference = (double)(all.Select(v => (decimal)v).Sum() / all.Length);
                Assert.Equal(reference, union.Mean!.Value, Math.Max(1e-9, Math.Abs(reference) * 1e-14));
            }
        }
    }

    [Fact]
    public void Mean_IsTheCompensatedSumInTheOrderAdded_WhateverTheStorageOrderLater()
    {
        var random = new Random(17);
        var values = Enumerable.Range(0, 5000).Select(_ => Math.Exp(random.NextDouble() * 20) / 7).ToArray();
        var accumulator = new SampleAccumulator();
        foreach (var v in values)
        {
            accumulator.Add(v);
        }

        var expected = Quantiles.Mean(values);
        Assert.Equal(expected, accumulator.Summarize().Mean); // bit for bit: the same Neumaier steps
        accumulator.Quantile(0.3); // reorders
        Assert.Equal(expected, accumulator.Summarize().Mean);
        accumulator.Sorted();
        Assert.Equal(expected, accumulator.Summarize().Mean);
    }

    [Fact]
    public void SummarizeUnion_OnePart_IsThatPartsSummary()
    {
        var part = new SampleAccumulator();
        foreach (var v in new[] { 0.1, 0.7, 1e9 / 3, 0.2, 5.5 })
        {
            part.Add(v);
        }

        Assert.Equal(part.Summarize(), SampleAccumulator.SummarizeUnion([new SampleAccumulator(), part, new SampleAccumulator()]));
    }

    [Fact]
    public void HistogramOfUnion_RandomParts_SameAsNaiveBinning()
    {
        var random = new Random(321);
        double[] edges = [0, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 432000];
        for (var trial = 0; trial < 50; trial++)
        {
            var parts = Enumerable.Range(0, random.Next(0, 8)).Select(_ =>
            {
                var part = new SampleAccumulator();
                for (var i = random.Next(0, 500); i > 0; i--)
                {
                    // Values on the edges, below the first and far above the last.
                    part.Add(random.Next(3) == 0 ? edges[random.Next(edges.Length)] : (random.NextDouble() * 600_000) - 1000);
                }

                return part;
            }).ToList();

            var bins = SampleAccumulator.HistogramOfUnion(parts, edges);

            var expected = new long[edges.Length];
            foreach (var v in parts.SelectMany(p => p.Sorted().ToArray()))
            {
                var bin = edges.Length - 1;
                while (bin > 0 && v < edges[bin])
                {
                    bin--;
                }

                expected[bin]++;
            }

            Assert.Equal(expected, bins.Select(b => b.Count));
            Assert.Equal(edges, bins.Select(b => b.Lower));
        }
    }

    [Fact]
    public void SampleAccumulator_Summary_MatchesR()
    {
        // R 4.2.2: x <- c(3.2, 1.5, 7.8, 4.4, 10, 2.1, 6.6, 5, 9.3, 0.7, 12.5);
        // median(x) = 5, quantile(x, 0.9) = 10, mean(x) = 5.7363636363636363
        var accumulator = new SampleAccumulator();
        foreach (var v in new[] { 3.2, 1.5, 7.8, 4.4, 10.0, 2.1, 6.6, 5.0, 9.3, 0.7, 12.5 })
        {
            accumulator.Add(v);
        }

        var summary = accumulator.Summarize();
        Assert.Equal(11, summary.Count);
        Assert.Equal(5.0, summary.Median);
        Assert.Equal(10.0, summary.P90);
        Assert.Equal(5.7363636363636363, summary.Mean!.Value, 14);
        Assert.Equal(QuantileDefinition.Linear, summary.Definition);
    }

    [Fact]
    public void SampleAccumulator_NaN_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleAccumulator().Add(double.NaN));

    [Fact]
    public void Histogram_ValuesOnEdges_GoToUpperBin()
    {
        var accumulator = new SampleAccumulator();
        foreach (var v in new[] { -1.0, 0, 59, 60, 61, 3600, 1e9 })
        {
            accumulator.Add(v);
        }

        var bins = accumulator.Histogram([0, 60, 3600]);
        Assert.Equal([3L, 2L, 2L], bins.Select(b => b.Count));
        Assert.Null(bins[^1].Upper);
        Assert.Equal(60, bins[0].Upper);
    }
}
