namespace Utendaji.Core.Statistics;

/// <summary>Exact sample quantiles and the mean, computed from all values (no sketches, no sampling).</summary>
public static class Quantiles
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
        Guard.InRange(p is >= 0 and <= 1, "a probability lies in [0, 1]", nameof(p));
        var n = sorted.Length;
        if (n == 0)
        {
            return null;
        }

        switch (definition)
        {
            case QuantileDefinition.Linear:
            {
                var h = (n - 1) * p; // zero-based position
                var lo = (int)Math.Floor(h);
                var hi = Math.Min(lo + 1, n - 1);
                var g = h - lo;
                // (1 − g)·a + g·b as R computes it; equal neighbours short-circuit so the result is exact.
                return g == 0 || sorted[lo] == sorted[hi] ? sorted[lo] : ((1 - g) * sorted[lo]) + (g * sorted[hi]);
            }

            case QuantileDefinition.InvertedCdf:
            {
                var np = n * p;
                var j = (int)Math.Floor(np + Fuzz);
                var g = np - j;
                // One-based order statistic: x[j] when n·p is (fuzzily) whole, else x[j + 1].
                var k = g > Fuzz ? j + 1 : j;
                return sorted[Math.Clamp(k, 1, n) - 1];
            }

            case QuantileDefinition.Weibull:
            {
                var h = ((n + 1) * p) - 1; // zero-based position
                if (h <= 0)
                {
                    return sorted[0];
                }

                if (h >= n - 1)
                {
                    return sorted[n - 1];
                }

                var lo = (int)Math.Floor(h + Fuzz);
                var g = Math.Max(0, h - lo);
                return g <= Fuzz || sorted[lo] == sorted[lo + 1] ? sorted[lo] : ((1 - g) * sorted[lo]) + (g * sorted[lo + 1]);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(definition), definition, "unknown quantile definition");
        }
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
