namespace Utendaji.Core.Statistics;

/// <summary>
/// Count, mean and sum of squared deviations of a sample, updated one value at a time (Welford 1962) and merged
/// exactly (Chan, Golub and LeVeque 1979), so per-group partials combine without keeping the values. Immutable;
/// <see cref="Add(double)"/> and <c>+</c> return new values.
/// </summary>
public readonly record struct SampleMoments
{
    /// <summary>Creates moments from their parts; used by merges and tests.</summary>
    /// <param name="count">n ≥ 0.</param>
    /// <param name="mean">The mean (0 when n = 0).</param>
    /// <param name="sumOfSquaredDeviations">Σ(x − mean)² ≥ 0 (0 when n ≤ 1).</param>
    public SampleMoments(long count, double mean, double sumOfSquaredDeviations)
    {
        Guard.InRange(count >= 0, "n is not negative", nameof(count));
        Guard.InRange(double.IsFinite(mean), "the mean is finite", nameof(mean));
        Guard.InRange(sumOfSquaredDeviations >= 0 && double.IsFinite(sumOfSquaredDeviations), "the sum of squares is finite and not negative", nameof(sumOfSquaredDeviations));
        Count = count;
        Mean = count == 0 ? 0 : mean;
        SumOfSquaredDeviations = count <= 1 ? 0 : sumOfSquaredDeviations;
    }

    /// <summary>n, the number of values.</summary>
    public long Count { get; }

    /// <summary>The arithmetic mean; 0 when n = 0 (use <see cref="Estimate"/> for a null-aware figure).</summary>
    public double Mean { get; }

    /// <summary>Σ(x − mean)², the second central moment times n.</summary>
    public double SumOfSquaredDeviations { get; }

    /// <summary>The sample variance with divisor n − 1 (R's <c>var</c>); null when n &lt; 2.</summary>
    public double? Variance => Count < 2 ? null : SumOfSquaredDeviations / (Count - 1);

    /// <summary>These moments with one more value (finite).</summary>
    public SampleMoments Add(double value)
    {
        Guard.InRange(double.IsFinite(value), "values are finite numbers", nameof(value));
        var n = Count + 1;
        var delta = value - Mean;
        var mean = Mean + (delta / n);
        return new SampleMoments(n, mean, SumOfSquaredDeviations + (delta * (value - mean)));
    }

    /// <summary>Combines two partials as if all their values had been added to one.</summary>
    public static SampleMoments operator +(SampleMoments left, SampleMoments right)
    {
        if (left.Count == 0)
        {
            return right;
        }

        if (right.Count == 0)
        {
            return left;
        }

        var n = left.Count + right.Count;
        var delta = right.Mean - left.Mean;
        var mean = left.Mean + (delta * right.Count / n);
        var m2 = left.SumOfSquaredDeviations + right.SumOfSquaredDeviations + (delta * delta * left.Count * right.Count / n);
        return new SampleMoments(n, mean, m2);
    }

    /// <summary>Combines two partials (named alternative to <c>+</c>).</summary>
    public static SampleMoments Add(SampleMoments left, SampleMoments right) => left + right;

    /// <summary>The mean with its 95% t interval; see <see cref="MeanEstimate"/>.</summary>
    public MeanEstimate Estimate() => MeanEstimate.From(this);
}

/// <summary>
/// A sample mean with n, standard deviation and its two-sided 95% confidence interval from Student's t:
/// mean ± t(0.975, n − 1) · s / √n. With n = 0 every figure is null; with n = 1 the mean is the single value and
/// the standard deviation and interval are null (one value says nothing about spread). When every value is equal the
/// interval has zero width: the t method cannot see uncertainty that the sample does not show.
/// </summary>
/// <param name="N">Number of values.</param>
/// <param name="Mean">The mean; null when n = 0.</param>
/// <param name="StandardDeviation">Sample standard deviation (divisor n − 1); null when n &lt; 2.</param>
/// <param name="Interval95">The 95% t interval; null when n &lt; 2.</param>
public sealed record MeanEstimate(long N, double? Mean, double? StandardDeviation, ConfidenceInterval? Interval95)
{
    /// <summary>The estimate of an empty sample.</summary>
    public static MeanEstimate Empty { get; } = new(0, null, null, null);

    /// <summary>The estimate from accumulated moments.</summary>
    public static MeanEstimate From(SampleMoments moments)
    {
        if (moments.Count == 0)
        {
            return Empty;
        }

        if (moments.Count == 1)
        {
            return new MeanEstimate(1, moments.Mean, null, null);
        }

        var sd = Math.Sqrt(moments.Variance!.Value);
        var half = Distributions.StudentTQuantile(0.975, moments.Count - 1) * sd / Math.Sqrt(moments.Count);
        return new MeanEstimate(moments.Count, moments.Mean, sd, new ConfidenceInterval(moments.Mean - half, moments.Mean + half));
    }
}
