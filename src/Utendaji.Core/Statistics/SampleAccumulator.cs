using System.Runtime.InteropServices;

namespace Utendaji.Core.Statistics;

/// <summary>Count, mean, median and 90th percentile of a sample; the statistics are null when n = 0 (never NaN).</summary>
/// <param name="Count">n, the number of values.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Median">The 0.5-quantile under <paramref name="Definition"/>.</param>
/// <param name="P90">The 0.9-quantile under <paramref name="Definition"/>.</param>
/// <param name="Definition">The quantile definition the median and P90 were computed with.</param>
public sealed record SampleSummary(long Count, double? Mean, double? Median, double? P90, QuantileDefinition Definition)
{
    /// <summary>The summary of an empty sample.</summary>
    public static SampleSummary Empty(QuantileDefinition definition) => new(0, null, null, null, definition);
}

/// <summary>
/// Collects every value of a sample so that quantiles are exact. Mergeable: per-group partials combine with
/// <see cref="Merge"/>, so a report can be built per group × period and rolled up without a second pass.
/// Not thread-safe; one accumulator per writer.
/// </summary>
public sealed class SampleAccumulator
{
    private readonly List<double> _values;
    private bool _sorted = true;

    /// <summary>Creates an empty accumulator.</summary>
    public SampleAccumulator() => _values = [];

    /// <summary>Creates an empty accumulator with room for <paramref name="capacity"/> values.</summary>
    public SampleAccumulator(int capacity) => _values = new List<double>(capacity);

    /// <summary>Makes room for <paramref name="capacity"/> values in all, so merges that follow copy each value once.</summary>
    public void EnsureCapacity(int capacity) => _values.EnsureCapacity(capacity);

    /// <summary>Number of values collected.</summary>
    public int Count => _values.Count;

    /// <summary>Adds one value; NaN and infinities are refused because they have no place in an order statistic.</summary>
    public void Add(double value)
    {
        Guard.InRange(double.IsFinite(value), "values are finite numbers", nameof(value));
        if (_sorted && _values.Count > 0 && value < _values[^1])
        {
            _sorted = false;
        }

        _values.Add(value);
    }

    /// <summary>Adds every value of <paramref name="other"/> (which is left unchanged).</summary>
    public void Merge(SampleAccumulator other)
    {
        Guard.NotNull(other);
        if (other.Count == 0)
        {
            return;
        }

        if (_values.Count > 0)
        {
            _sorted = false;
        }
        else
        {
            _sorted = other._sorted;
        }

        _values.AddRange(other._values);
    }

    /// <summary>The values in ascending order (sorts the accumulator's storage in place once; order carries no meaning).</summary>
    public ReadOnlySpan<double> Sorted()
    {
        var span = CollectionsMarshal.AsSpan(_values);
        if (!_sorted)
        {
            span.Sort();
            _sorted = true;
        }

        return span;
    }

    /// <summary>The p-quantile under <paramref name="definition"/>, or null when empty.</summary>
    public double? Quantile(double p, QuantileDefinition definition = QuantileDefinition.Linear) =>
        _sorted ? Quantiles.OfSorted(CollectionsMarshal.AsSpan(_values), p, definition) : Quantiles.OfUnsortedInPlace(CollectionsMarshal.AsSpan(_values), [p], definition)[0];

    /// <summary>
    /// n, mean, median and p90, exact, from all values. Uses selection rather than a full sort (the storage is
    /// reordered; order carries no meaning), so summarising is linear in n.
    /// </summary>
    public SampleSummary Summarize(QuantileDefinition definition = QuantileDefinition.Linear)
    {
        if (_values.Count == 0)
        {
            return SampleSummary.Empty(definition);
        }

        var span = CollectionsMarshal.AsSpan(_values);
        var mean = Quantiles.Mean(span);
        if (_sorted)
        {
            return new SampleSummary(span.Length, mean, Quantiles.OfSorted(span, 0.5, definition), Quantiles.OfSorted(span, 0.9, definition), definition);
        }

        var q = Quantiles.OfUnsortedInPlace(span, [0.5, 0.9], definition);
        return new SampleSummary(span.Length, mean, q[0], q[1], definition);
    }

    /// <summary>
    /// Counts of values per bin. <paramref name="edges"/> are ascending lower bounds; bin i holds
    /// edges[i] ≤ v &lt; edges[i + 1], and the last bin is open-ended. Values below the first edge go to the first bin.
    /// </summary>
    public IReadOnlyList<HistogramBin> Histogram(IReadOnlyList<double> edges)
    {
        Guard.NotNull(edges);
        Guard.InRange(edges.Count > 0, "at least one edge", nameof(edges));
        for (var i = 1; i < edges.Count; i++)
        {
            Guard.InRange(edges[i] > edges[i - 1], "edges ascend strictly", nameof(edges));
        }

        var counts = new long[edges.Count];
        foreach (var v in _values)
        {
            var bin = 0;
            while (bin + 1 < edges.Count && v >= edges[bin + 1])
            {
                bin++;
            }

            counts[bin]++;
        }

        var bins = new HistogramBin[edges.Count];
        for (var i = 0; i < edges.Count; i++)
        {
            bins[i] = new HistogramBin(edges[i], i + 1 < edges.Count ? edges[i + 1] : null, counts[i]);
        }

        return bins;
    }
}

/// <summary>One histogram bin: Lower ≤ value &lt; Upper (Upper null for the open last bin).</summary>
/// <param name="Lower">Inclusive lower bound.</param>
/// <param name="Upper">Exclusive upper bound; null when the bin is open-ended.</param>
/// <param name="Count">Number of values in the bin.</param>
public readonly record struct HistogramBin(double Lower, double? Upper, long Count);
