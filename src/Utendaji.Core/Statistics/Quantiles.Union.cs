using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Utendaji.Core.Statistics;

public static partial class Quantiles
{
    // Below this many values a union is simply copied and selected: sampling would cost more than it saves.
    private const int CopyBelow = 4096;

    // Half-width of a rank window in units of √s sample positions. The sample position of the wanted order statistic
    // has a standard deviation of at most √s / 2, so the window reaches 5 standard deviations either side: a miss
    // (the rank falls outside, and the union is copied instead) happens about once in two million windows.
    private const double WindowHalfWidth = 2.5;

    // Parts are counted in chunks of this many values, one window after the other, so a chunk is read from memory once
    // and from the cache for the other windows.
    private const int ChunkLength = 16_384;

    /// <summary>
    /// The p-quantiles of the union of <paramref name="parts"/>: exactly what <see cref="OfSorted"/> gives on their
    /// concatenation sorted (order statistics of the union, then the same interpolation), without copying the parts
    /// into one sample and without changing them. Null entries for an empty union.
    /// </summary>
    /// <remarks>
    /// Floyd–Rivest selection over the union: a fixed-seed stratified random sample of the values brackets each wanted order
    /// statistic between two values, one pass over the parts counts the values below and at the brackets and gathers
    /// the few strictly between them (a few percent), and selection among those gives the exact value. When a bracket
    /// misses (rare, and whatever the data: the sample's ranks do not depend on the values' distribution), the union is
    /// copied and selected. The sample only narrows the search; the result is exact whatever it draws. Only reads the parts, so several unions over the same parts may be computed in parallel.
    /// The parts hold no NaN (infinities are fine).
    /// </remarks>
    public static double?[] OfUnion(IReadOnlyList<ReadOnlyMemory<double>> parts, ReadOnlySpan<double> ps, QuantileDefinition definition = QuantileDefinition.Linear) =>
        OfUnion(parts, ps, definition, sampleSize: 0, WindowHalfWidth);

    /// <summary>
    /// <see cref="OfUnion(IReadOnlyList{ReadOnlyMemory{double}}, ReadOnlySpan{double}, QuantileDefinition)"/> with a given
    /// sample size (0 = chosen from n, and small unions copied) and bracket half-width; tests force misses with narrow brackets.
    /// </summary>
    internal static double?[] OfUnion(IReadOnlyList<ReadOnlyMemory<double>> parts, ReadOnlySpan<double> ps, QuantileDefinition definition, int sampleSize, double halfWidth)
    {
        Guard.NotNull(parts);
        long total = 0;
        foreach (var part in parts)
        {
            total += part.Length;
        }

        Guard.InRange(total <= Array.MaxLength, "the union has at most Array.MaxLength values", nameof(parts));
        var results = new double?[ps.Length];
        if (total == 0)
        {
            foreach (var p in ps)
            {
                Guard.InRange(p is >= 0 and <= 1, "a probability lies in [0, 1]", nameof(ps));
            }

            return results;
        }

        var n = (int)total;
        var positions = new (int Lo, int Hi, double G)[ps.Length];
        var ranks = RanksOf(n, ps, definition, positions);
        var found = new double[ranks.Length];
        if (sampleSize == 0 && n < CopyBelow)
        {
            SelectRanksInPlace(Concatenate(parts, n), ranks, found);
        }
        else
        {
            SelectRanksOfUnion(parts, n, ranks, found, sampleSize == 0 ? SampleSizeFor(n) : Math.Min(sampleSize, n), halfWidth);
        }

        for (var i = 0; i < ps.Length; i++)
        {
            var (lo, hi, g) = positions[i];
            results[i] = Combine(found[Array.BinarySearch(ranks, lo)], found[Array.BinarySearch(ranks, hi)], g);
        }

        return results;
    }

    // n^(2/3): the bracket then holds about 5·n^(2/3) values, and drawing the sample costs about as much.
    private static int SampleSizeFor(int n) => (int)Math.Min(n, Math.Max(256, Math.Cbrt((double)n * n)));

    private static double[] Concatenate(IReadOnlyList<ReadOnlyMemory<double>> parts, int n)
    {
        var all = new double[n];
        var at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(all.AsSpan(at));
            at += part.Length;
        }

        return all;
    }

    /// <summary>
    /// found[i] = the ranks[i]-th smallest of values[..count], which may be reordered: selected in place when few,
    /// else bracketed again (a bracket of a large union still holds a few percent of it).
    /// </summary>
    private static void SelectRanksOfOwn(double[] values, int count, int[] ranks, double[] found, int unionCount)
    {
        // Bracketing again pays only when the brackets were narrow; brackets merged across far-apart ranks (p = 0 and
        // p = 1 together) can hold most of the union, and bracketing that again would not shrink it.
        if (count < CopyBelow || count > unionCount / 4)
        {
            SelectRanksInPlace(values.AsSpan(0, count), ranks, found);
        }
        else
        {
            SelectRanksOfUnion([new ReadOnlyMemory<double>(values, 0, count)], count, ranks, found, SampleSizeFor(count), WindowHalfWidth);
        }
    }

    /// <summary>found[i] = the ranks[i]-th smallest value of the union (zero-based), <paramref name="ranks"/> ascending.</summary>
    private static void SelectRanksOfUnion(IReadOnlyList<ReadOnlyMemory<double>> parts, int n, int[] ranks, double[] found, int sampleSize, double halfWidth)
    {
        var windows = Bracket(parts, n, ranks, sampleSize, halfWidth);
        foreach (var part in parts)
        {
            var span = part.Span;
            for (var start = 0; start < span.Length; start += ChunkLength)
            {
                var chunk = span.Slice(start, Math.Min(ChunkLength, span.Length - start));
                foreach (var window in windows)
                {
                    window.Count(chunk);
                }
            }
        }

        foreach (var window in windows)
        {
            if (!window.TryResolve(ranks, found, n))
            {
                // The sample put a bracket on the wrong side of its rank: select in a copy of the union instead.
                SelectRanksInPlace(Concatenate(parts, n), ranks, found);
                return;
            }
        }
    }

    /// <summary>
    /// Draws the sample and brackets each rank between two of its order statistics; overlapping brackets are merged,
    /// so each value is gathered at most once.
    /// </summary>
    private static List<RankWindow> Bracket(IReadOnlyList<ReadOnlyMemory<double>> parts, int n, int[] ranks, int sampleSize, double halfWidth)
    {
        // A stratified sample: one value drawn at random from each of s equal stretches of the union. Its count of
        // values below any x varies no more than a simple random sample's, so the brackets are as safe, and the draws
        // walk the parts in order instead of jumping about memory. SplitMix64 with a fixed seed: the same union always
        // draws the same sample, so timings repeat.
        var state = 0x9E3779B97F4A7C15UL ^ (ulong)n;
        var sample = new double[sampleSize];
        int part = 0, partStart = 0;
        var span = parts[0].Span;
        // Stretch j is [⌊j·n/s⌋, ⌊(j + 1)·n/s⌋), stepped without a division: n/s whole, plus one when the remainders add up.
        var (step, remainder) = Math.DivRem(n, sampleSize);
        int stretchStart = 0, carried = 0;
        for (var j = 0; j < sample.Length; j++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var stretch = step; // ≥ 1, as s ≤ n
            carried += remainder;
            if (carried >= sampleSize)
            {
                carried -= sampleSize;
                stretch++;
            }

            var index = stretchStart + (int)(((z >> 32) * (ulong)stretch) >> 32);
            stretchStart += stretch;
            while (index >= partStart + span.Length)
            {
                partStart += span.Length;
                span = parts[++part].Span;
            }

            sample[j] = span[index - partStart];
        }

        // Sample positions of each bracket's ends: at the rank's expected position ± the half-width (−1 or s: open).
        var margin = (int)Math.Ceiling(halfWidth * Math.Sqrt(sampleSize)) + 1;
        var ends = new (int Low, int High)[ranks.Length];
        var needed = new SortedSet<int>();
        for (var i = 0; i < ranks.Length; i++)
        {
            var expected = (double)ranks[i] * sampleSize / n;
            var low = Math.Max(-1, (int)Math.Floor(expected) - margin);
            var high = Math.Min(sampleSize, (int)Math.Ceiling(expected) + margin);
            ends[i] = (low, high);
            if (low >= 0)
            {
                needed.Add(low);
            }

            if (high < sampleSize)
            {
                needed.Add(high);
            }
        }

        int[] sampleRanks = [.. needed];
        var sampleValues = new double[sampleRanks.Length];
        SelectRanksInPlace(sample, sampleRanks, sampleValues);
        double ValueAt(int position, double open) =>
            position < 0 || position >= sampleSize ? open : sampleValues[Array.BinarySearch(sampleRanks, position)];

        var windows = new List<RankWindow>();
        for (var i = 0; i < ranks.Length; i++)
        {
            var low = ValueAt(ends[i].Low, double.NegativeInfinity);
            var high = ValueAt(ends[i].High, double.PositiveInfinity);
            if (windows.Count > 0 && low <= windows[^1].High)
            {
                windows[^1].Extend(high, i);
            }
            else
            {
                windows.Add(new RankWindow(low, high, i, (long)n * (ends[i].High - ends[i].Low) / sampleSize));
            }
        }

        return windows;
    }

    /// <summary>
    /// A bracket [Low, High] around some wanted ranks: counts of the union's values below Low, at most Low and at most
    /// High, and a copy of the values strictly between (the only ones whose order is still unknown).
    /// </summary>
    private sealed class RankWindow(double low, double high, int firstRank, long expectedInside)
    {
        private double[] _inside = new double[(int)Math.Clamp(expectedInside + (expectedInside / 4) + 16, 16, Array.MaxLength)];
        private int _insideCount;
        private long _below;
        private long _atMostLow;
        private long _atMostHigh;
        private readonly int _firstRank = firstRank;
        private int _lastRank = firstRank;

        public double Low { get; } = low;

        public double High { get; private set; } = high;

        public void Extend(double high, int rank)
        {
            High = Math.Max(High, high);
            _lastRank = rank;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from the first report of a process
        public void Count(ReadOnlySpan<double> values)
        {
            // Room for every value of the chunk, so the loop stores without a check or a call (a call in the loop
            // would make the JIT keep the vector sums in memory).
            if (_inside.Length - _insideCount < values.Length)
            {
                Array.Resize(ref _inside, (int)Math.Min(Array.MaxLength, Math.Max(2L * _inside.Length, (long)_insideCount + values.Length)));
            }

            ref var inside = ref MemoryMarshal.GetArrayDataReference(_inside);
            var gathered = _insideCount;
            long below = 0, atMostLow = 0, atMostHigh = 0;
            var i = 0;
            if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<double>.Count)
            {
                var low = Vector256.Create(Low);
                var high = Vector256.Create(High);
                Vector256<long> belowSum = default, atMostLowSum = default, atMostHighSum = default;
                ref var start = ref MemoryMarshal.GetReference(values);
                for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                    var isAtMostLow = Vector256.LessThanOrEqual(v, low);
                    // A comparison gives all bits set (−1) where true: subtracting counts.
                    belowSum -= Vector256.LessThan(v, low).AsInt64();
                    atMostLowSum -= isAtMostLow.AsInt64();
                    atMostHighSum -= Vector256.LessThanOrEqual(v, high).AsInt64();
                    var between = Vector256.AndNot(Vector256.LessThan(v, high), isAtMostLow).ExtractMostSignificantBits();
                    if (between != 0)
                    {
                        // Store every lane and advance past the ones between: no branch per lane to mispredict.
                        ref var lane = ref Unsafe.Add(ref start, i);
                        Unsafe.Add(ref inside, gathered) = lane;
                        gathered += (int)(between & 1);
                        Unsafe.Add(ref inside, gathered) = Unsafe.Add(ref lane, 1);
                        gathered += (int)((between >> 1) & 1);
                        Unsafe.Add(ref inside, gathered) = Unsafe.Add(ref lane, 2);
                        gathered += (int)((between >> 2) & 1);
                        Unsafe.Add(ref inside, gathered) = Unsafe.Add(ref lane, 3);
                        gathered += (int)(between >> 3);
                    }
                }

                below = Vector256.Sum(belowSum);
                atMostLow = Vector256.Sum(atMostLowSum);
                atMostHigh = Vector256.Sum(atMostHighSum);
            }

            for (; i < values.Length; i++)
            {
                var v = values[i];
                below += v < Low ? 1 : 0;
                atMostLow += v <= Low ? 1 : 0;
                atMostHigh += v <= High ? 1 : 0;
                if (v > Low && v < High)
                {
                    Unsafe.Add(ref inside, gathered++) = v;
                }
            }

            _insideCount = gathered;
            _below += below;
            _atMostLow += atMostLow;
            _atMostHigh += atMostHigh;
        }

        /// <summary>Fills found[] for this bracket's ranks; false when a rank lies outside the bracket.</summary>
        public bool TryResolve(int[] ranks, double[] found, int unionCount)
        {
            var between = new List<int>();
            for (var i = _firstRank; i <= _lastRank; i++)
            {
                var rank = ranks[i];
                if (rank < _below || rank >= _atMostHigh)
                {
                    return false;
                }

                if (rank < _atMostLow)
                {
                    found[i] = Low;
                }
                else if (rank - _atMostLow >= _insideCount)
                {
                    found[i] = High;
                }
                else
                {
                    between.Add(i);
                }
            }

            if (between.Count > 0)
            {
                var insideRanks = between.Select(i => (int)(ranks[i] - _atMostLow)).ToArray();
                var values = new double[insideRanks.Length];
                SelectRanksOfOwn(_inside, _insideCount, insideRanks, values, unionCount);
                for (var k = 0; k < between.Count; k++)
                {
                    found[between[k]] = values[k];
                }
            }

            return true;
        }
    }
}
