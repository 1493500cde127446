using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// <see cref="Merge"/>, or are summarised together without copying with <see cref="SummarizeUnion"/>, so a report can
/// be built per group × period and rolled up without a second pass. Not thread-safe; one accumulator per writer.
/// </summary>
/// <remarks>
/// The mean comes from a compensated (Neumaier) running sum kept as values are added, so it does not depend on the
/// order the storage is left in by a quantile selection. For the values of one accumulator it is exactly
/// <see cref="Quantiles.Mean"/> of the values in the order they were added. A merge or a union adds the parts' sums
/// and compensations in the order the parts are given (<see cref="AddSum"/>).
/// </remarks>
public sealed class SampleAccumulator
{
    private static readonly double[] NoValues = [];
    private double[] _values;
    private int _count;
    private bool _sorted = true;
    private double _sum;
    private double _compensation;

    /// <summary>Creates an empty accumulator.</summary>
    public SampleAccumulator() => _values = NoValues;

    /// <summary>Creates an empty accumulator with room for <paramref name="capacity"/> values.</summary>
    public SampleAccumulator(int capacity)
    {
        Guard.InRange(capacity >= 0, "a capacity is not negative", nameof(capacity));
        _values = capacity == 0 ? NoValues : new double[capacity];
    }

    /// <summary>Makes room for <paramref name="capacity"/> values in all, so merges that follow copy each value once.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity > _values.Length)
        {
            Array.Resize(ref _values, capacity);
        }
    }

    /// <summary>Number of values collected.</summary>
    public int Count => _count;

    /// <summary>The values collected, in no particular order (a summary reorders them).</summary>
    internal ReadOnlyMemory<double> Values => new(_values, 0, _count);

    /// <summary>Adds one value; NaN and infinities are refused because they have no place in an order statistic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per value of a report: worth inlining into the loop that adds
    public void Add(double value)
    {
        Guard.InRange(double.IsFinite(value), "values are finite numbers", nameof(value));
        var count = _count;
        var values = _values;
        if ((uint)count >= (uint)values.Length)
        {
            values = Grow();
        }

        // Whether the values are still in order only saves a selection when they are (rare); a store is cheaper than
        // comparing with the previous value on every add.
        _sorted = count == 0 || (_sorted && value >= values[count - 1]);
        values[count] = value;
        _count = count + 1;

        // Neumaier's step, exactly as Quantiles.Mean takes it, so one accumulator's mean has the same bits.
        var sum = _sum;
        var t = sum + value;
        _compensation += Math.Abs(sum) >= Math.Abs(value) ? (sum - t) + value : (value - t) + sum;
        _sum = t;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private double[] Grow()
    {
        Array.Resize(ref _values, Math.Max(16, (int)Math.Min(Array.MaxLength, 2L * _count)));
        return _values;
    }

    /// <summary>Adds every value of <paramref name="other"/> (which is left unchanged).</summary>
    public void Merge(SampleAccumulator other)
    {
        Guard.NotNull(other);
        if (other._count == 0)
        {
            return;
        }

        _sorted = _count == 0 && other._sorted;
        EnsureCapacity(_count + other._count);
        Array.Copy(other._values, 0, _values, _count, other._count);
        _count += other._count;
        AddSum(other._sum, other._compensation);
    }

    /// <summary>
    /// Adds a part's compensated sum: Neumaier's step for the part's sum, then its compensation. Merging into an empty
    /// accumulator keeps the part's pair exactly, so a total of one part has that part's mean to the last bit.
    /// </summary>
    private void AddSum(double sum, double compensation)
    {
        var t = _sum + sum;
        _compensation += Math.Abs(_sum) >= Math.Abs(sum) ? (_sum - t) + sum : (sum - t) + _sum;
        _sum = t;
        _compensation += compensation;
    }

    /// <summary>The values in ascending order (sorts the accumulator's storage in place once; order carries no meaning).</summary>
    public ReadOnlySpan<double> Sorted()
    {
        var span = _values.AsSpan(0, _count);
        if (!_sorted)
        {
            span.Sort();
            _sorted = true;
        }

        return span;
    }

    /// <summary>The p-quantile under <paramref name="definition"/>, or null when empty.</summary>
    public double? Quantile(double p, QuantileDefinition definition = QuantileDefinition.Linear) =>
        _sorted ? Quantiles.OfSorted(_values.AsSpan(0, _count), p, definition) : Quantiles.OfUnsortedInPlace(_values.AsSpan(0, _count), [p], definition)[0];

    /// <summary>
    /// n, mean, median and p90, exact, from all values. Uses selection rather than a full sort (the storage is
    /// reordered; order carries no meaning), so summarising is linear in n.
    /// </summary>
    public SampleSummary Summarize(QuantileDefinition definition = QuantileDefinition.Linear)
    {
        if (_count == 0)
        {
            return SampleSummary.Empty(definition);
        }

        var span = _values.AsSpan(0, _count);
        var mean = (_sum + _compensation) / _count;
        if (_sorted)
        {
            return new SampleSummary(span.Length, mean, Quantiles.OfSorted(span, 0.5, definition), Quantiles.OfSorted(span, 0.9, definition), definition);
        }

        var q = Quantiles.OfUnsortedInPlace(span, [0.5, 0.9], definition);
        return new SampleSummary(span.Length, mean, q[0], q[1], definition);
    }

    /// <summary>
    /// The summary of all values of <paramref name="parts"/> together: the same as merging them, in this order, into
    /// an empty accumulator and summarising it (the mean adds the parts' compensated sums in this order), without
    /// copying them. The parts are only read (see <see cref="Quantiles.OfUnion(IReadOnlyList{ReadOnlyMemory{double}}, ReadOnlySpan{double}, QuantileDefinition)"/>),
    /// so several unions over the same parts may be summarised in parallel, as long as none of the parts changes meanwhile.
    /// </summary>
    public static SampleSummary SummarizeUnion(IReadOnlyList<SampleAccumulator> parts, QuantileDefinition definition = QuantileDefinition.Linear)
    {
        Guard.NotNull(parts);
        var total = new SampleAccumulator();
        var values = new ReadOnlyMemory<double>[parts.Count];
        long count = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = Guard.NotNull(parts[i]);
            values[i] = part.Values;
            count += part._count;
            if (part._count > 0)
            {
                total.AddSum(part._sum, part._compensation);
            }
        }

        if (count == 0)
        {
            return SampleSummary.Empty(definition);
        }

        var q = Quantiles.OfUnion(values, [0.5, 0.9], definition);
        return new SampleSummary(count, (total._sum + total._compensation) / count, q[0], q[1], definition);
    }

    /// <summary>
    /// Counts of values per bin. <paramref name="edges"/> are ascending lower bounds; bin i holds
    /// edges[i] ≤ v &lt; edges[i + 1], and the last bin is open-ended. Values below the first edge go to the first bin.
    /// </summary>
    public IReadOnlyList<HistogramBin> Histogram(IReadOnlyList<double> edges) => HistogramOfUnion([this], edges);

    /// <summary>
    /// <see cref="Histogram"/> of all values of <paramref name="parts"/> together, from each part's bin counts (nothing
    /// is copied or reordered).
    /// </summary>
    public static IReadOnlyList<HistogramBin> HistogramOfUnion(IReadOnlyList<SampleAccumulator> parts, IReadOnlyList<double> edges)
    {
        Guard.NotNull(parts);
        CheckEdges(edges);

        // Edges ascend, so a value's bin is the number of edges after the first that it reaches: bin i holds the values
        // below edge i + 1 that are not below edge i, and the first bin everything below edge 1.
        var below = new long[edges.Count + 1];
        long count = 0;
        foreach (var part in parts)
        {
            var values = Guard.NotNull(part)._values.AsSpan(0, part._count);
            count += values.Length;
            for (var e = 1; e < edges.Count; e++)
            {
                below[e] += CountBelow(values, edges[e]);
            }
        }

        below[edges.Count] = count;
        var bins = new HistogramBin[edges.Count];
        for (var i = 0; i < edges.Count; i++)
        {
            bins[i] = new HistogramBin(edges[i], i + 1 < edges.Count ? edges[i + 1] : null, below[i + 1] - (i == 0 ? 0 : below[i]));
        }

        return bins;
    }

    /// <summary>Throws unless <paramref name="edges"/> are histogram edges: at least one, strictly ascending.</summary>
    internal static void CheckEdges(IReadOnlyList<double> edges)
    {
        Guard.NotNull(edges);
        Guard.InRange(edges.Count > 0, "at least one edge", nameof(edges));
        for (var i = 1; i < edges.Count; i++)
        {
            Guard.InRange(edges[i] > edges[i - 1], "edges ascend strictly", nameof(edges));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from the first report of a process
    private static long CountBelow(ReadOnlySpan<double> values, double bound)
    {
        long count = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<double>.Count)
        {
            var limit = Vector256.Create(bound);
            Vector256<long> sum = default;
            ref var start = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                sum -= Vector256.LessThan(Vector256.LoadUnsafe(ref start, (nuint)i), limit).AsInt64(); // true is −1
            }

            count = Vector256.Sum(sum);
        }

        for (; i < values.Length; i++)
        {
            count += values[i] < bound ? 1 : 0;
        }

        return count;
    }
}

/// <summary>One histogram bin: Lower ≤ value &lt; Upper (Upper null for the open last bin).</summary>
/// <param name="Lower">Inclusive lower bound.</param>
/// <param name="Upper">Exclusive upper bound; null when the bin is open-ended.</param>
/// <param name="Count">Number of values in the bin.</param>
public readonly record struct HistogramBin(double Lower, double? Upper, long Count);
