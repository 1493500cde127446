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
