using System.Runtime.CompilerServices;

namespace Utendaji.Core.Statistics;

/// <summary>Exact sample quantiles and the mean, computed from all values (no sketches; where a sample is drawn, it only narrows the search).</summary>
public static partial class Quantiles
{
    // R's quantile() adds this fuzz before taking floor() in the discontinuous types so that n·p computed as
    // 8.999999999999998 instead of 9 does not select the wrong order statistic; we follow it to agree with R.
    private const double Fuzz = 4 * 2.220446049250313e-16; // 4 · .Machine$double.eps

    /// <summary>
    /// The p-quantile of <paramref name="sorted"/>, which must be sorted ascending and contain no NaN.
    /// Returns null for an empty sample (never NaN).
    /// </summary>
    /// <param name="sorted">The values, ascending.</param>
    /// <param name="p">The probability, 0 ≤ p ≤ 1.</param>
    /// <param name="definition">Which sample-quantile definition to apply.</param>
    public static double? OfSorted(ReadOnlySpan<double> sorted, double p, QuantileDefinition definition = QuantileDefinition.Linear)
    {
        if (sorted.IsEmpty)
        {
            Guard.InRange(p is >= 0 and <= 1, "a probability lies in [0, 1]", nameof(p));
            return null;
        }

        var (lo, hi, g) = Positions(sorted.Length, p, definition);
        return Combine(sorted[lo], sorted[hi], g);
    }

    /// <summary>
    /// The p-quantiles of <paramref name="values"/> without sorting them: each needed order statistic is found by
    /// selection (introselect, O(n) expected), which reorders <paramref name="values"/> in place. Exactly the same
    /// results as sorting and calling <see cref="OfSorted"/>. Null entries for an empty sample.
    /// </summary>
    public static double?[] OfUnsortedInPlace(Span<double> values, ReadOnlySpan<double> ps, QuantileDefinition definition = QuantileDefinition.Linear)
    {
        var results = new double?[ps.Length];
        if (values.IsEmpty)
        {
            foreach (var p in ps)
            {
                Guard.InRange(p is >= 0 and <= 1, "a probability lies in [0, 1]", nameof(ps));
            }

            return results;
        }

        var positions = new (int Lo, int Hi, double G)[ps.Length];
        var ranks = RanksOf(values.Length, ps, definition, positions);
        var found = new double[ranks.Length];
        SelectRanksInPlace(values, ranks, found);
        for (var i = 0; i < ps.Length; i++)
        {
            var (lo, hi, g) = positions[i];
            results[i] = Combine(found[Array.BinarySearch(ranks, lo)], found[Array.BinarySearch(ranks, hi)], g);
        }

        return results;
    }

    /// <summary>
    /// The positions of each p-quantile in a sample of <paramref name="n"/> (into <paramref name="positions"/>) and
    /// the distinct zero-based order statistics they need, ascending.
    /// </summary>
    private static int[] RanksOf(int n, ReadOnlySpan<double> ps, QuantileDefinition definition, Span<(int Lo, int Hi, double G)> positions)
    {
        var ranks = new SortedSet<int>();
        for (var i = 0; i < ps.Length; i++)
        {
            positions[i] = Positions(n, ps[i], definition);
            ranks.Add(positions[i].Lo);
            ranks.Add(positions[i].Hi);
        }

        return [.. ranks];
    }

    /// <summary>
    /// found[i] = the ranks[i]-th smallest of <paramref name="values"/> (zero-based), <paramref name="ranks"/> ascending;
    /// reorders <paramref name="values"/>.
    /// </summary>
    private static void SelectRanksInPlace(Span<double> values, ReadOnlySpan<int> ranks, Span<double> found)
    {
        // Lowest rank first: after selecting rank r, nothing smaller lies after it, so every higher rank can be selected
        // in values[(r + 1)..] (the median's selection halves the p90's), and rank r + 1 (the upper neighbour an
        // interpolating definition needs) is simply the smallest value there.
        var from = 0;
        for (var i = 0; i < ranks.Length; i++)
        {
            var rank = ranks[i];
            var rest = values[from..];
            if (i > 0 && rank == ranks[i - 1] + 1)
            {
                MoveSmallestToFront(rest);
            }
            else
            {
                SelectInPlace(rest, rank - from);
            }

            found[i] = values[rank];
            from = rank + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from the first report of a process
    private static void MoveSmallestToFront(Span<double> values)
    {
        var at = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] < values[at])
            {
                at = i;
            }
        }

        (values[0], values[at]) = (values[at], values[0]);
    }

    /// <summary>
    /// Zero-based order statistics and weight so that the quantile is (1 − g)·x[lo] + g·x[hi], for each definition.
    /// </summary>
    private static (int Lo, int Hi, double G) Positions(int n, double p, QuantileDefinition definition)
    {
        Guard.InRange(p is >= 0 and <= 1, "a probability lies in [0, 1]", nameof(p));
        switch (definition)
        {
            case QuantileDefinition.Linear:
            {
                var h = (n - 1) * p; // zero-based position
                var lo = (int)Math.Floor(h);
                return (lo, Math.Min(lo + 1, n - 1), h - lo);
            }

            case QuantileDefinition.InvertedCdf:
            {
                var np = n * p;
                var j = (int)Math.Floor(np + Fuzz);
                // One-based order statistic: x[j] when n·p is (fuzzily) whole, else x[j + 1].
                var k = Math.Clamp(np - j > Fuzz ? j + 1 : j, 1, n) - 1;
                return (k, k, 0);
            }

            case QuantileDefinition.Weibull:
            {
                var h = ((n + 1) * p) - 1; // zero-based position
                if (h <= 0)
                {
                    return (0, 0, 0);
                }

                if (h >= n - 1)
                {
                    return (n - 1, n - 1, 0);
                }

                var lo = (int)Math.Floor(h + Fuzz);
                var g = Math.Max(0, h - lo);
                return (lo, lo + 1, g <= Fuzz ? 0 : g);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(definition), definition, "unknown quantile definition");
        }
    }

    // (1 − g)·a + g·b as R computes it; equal neighbours short-circuit so the result is exact.
    private static double Combine(double a, double b, double g) => g == 0 || a == b ? a : ((1 - g) * a) + (g * b);

    /// <summary>
    /// Reorders <paramref name="values"/> so that values[k] is the k-th smallest (zero-based), nothing larger before
    /// it and nothing smaller after it. Quickselect with median-of-three pivots and a branch-free partition (a
    /// comparison of random data is a coin toss a branch predictor loses half the time); values equal to the pivot are
    /// set apart when there are many, so ties cannot stall it. Falls back to a sort when the partitioning degenerates,
    /// so the worst case stays O(n log n).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from the first report of a process
    internal static void SelectInPlace(Span<double> values, int k)
    {
        int lo = 0, hi = values.Length; // the k-th smallest lies in values[lo..hi]
        var budget = 2 * (System.Numerics.BitOperations.Log2((uint)values.Length) + 1);
        while (hi - lo > 16)
        {
            if (budget-- == 0)
            {
                break;
            }

            var window = values[lo..hi];
            var pivot = window.Length > 2048 ? SampledPivot(window, k - lo) : MedianOfThree(window[0], window[window.Length / 2], window[^1]);
            var (below, equal) = PartitionBelow(window, pivot);
            if (k < lo + below)
            {
                hi = lo + below;
                continue;
            }

            if (equal > (hi - lo) / 32 || below == 0)
            {
                // Many ties (or the pivot is the smallest value): set the values equal to the pivot apart.
                var atMost = below + PartitionAtMost(window[below..], pivot);
                if (k < lo + atMost)
                {
                    return; // values[(lo + below)..(lo + atMost)] all equal the pivot
                }

                lo += atMost;
            }
            else
            {
                lo += below;
            }
        }

        values[lo..hi].Sort();
    }

    /// <summary>
    /// The k-th smallest of an evenly spaced sample, as the k-th smallest of the window would fall in it: the partition
    /// then leaves k in a part little larger than k (or than n − k), where a median of three leaves it in one about
    /// three quarters of n on average.
    /// </summary>
    private static double SampledPivot(ReadOnlySpan<double> window, int k)
    {
        Span<double> sample = stackalloc double[63];
        var step = window.Length / sample.Length;
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = window[(i * step) + (step / 2)];
        }

        sample.Sort();
        return sample[(int)((long)k * sample.Length / window.Length)];
    }

    private static double MedianOfThree(double a, double b, double c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    /// <summary>
    /// Moves the values below <paramref name="pivot"/> to the front (branch-free Lomuto); returns how many there are
    /// and how many equal the pivot.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from the first report of a process
    private static (int Below, int Equal) PartitionBelow(Span<double> values, double pivot)
    {
        int store = 0, equal = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            values[i] = values[store];
            values[store] = v;
            store += v < pivot ? 1 : 0;
            equal += v == pivot ? 1 : 0;
        }

        return (store, equal);
    }

    /// <summary>Moves the values at most <paramref name="pivot"/> to the front (branch-free Lomuto); returns how many there are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from the first report of a process
    private static int PartitionAtMost(Span<double> values, double pivot)
    {
        var store = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            values[i] = values[store];
            values[store] = v;
            store += v <= pivot ? 1 : 0;
        }

        return store;
    }

    /// <summary>The p-quantile of unsorted values (copied and sorted; the input is not changed). Null when empty.</summary>
    public static double? Of(IEnumerable<double> values, double p, QuantileDefinition definition = QuantileDefinition.Linear)
    {
        var copy = Guard.NotNull(values).ToArray();
        Array.Sort(copy);
        return OfSorted(copy, p, definition);
    }

    /// <summary>
    /// The arithmetic mean, summed with Neumaier's compensated summation so that millions of durations in
    /// seconds lose no precision. Null for an empty sample.
    /// </summary>
    public static double? Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return null;
        }

        double sum = 0, compensation = 0;
        foreach (var v in values)
        {
            var t = sum + v;
            compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        return (sum + compensation) / values.Length;
    }
}
