namespace Utendaji.Core.Statistics;

/// <summary>A two-sided confidence interval [Lower, Upper].</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper);

/// <summary>
/// A count of successes among trials, e.g. SLA targets met among targets met or breached. Immutable and
/// mergeable: partials from different groups or shards combine with <c>+</c>. Validated on construction.
/// </summary>
public readonly record struct Proportion
{
    /// <summary>Creates a proportion; 0 ≤ successes ≤ trials.</summary>
    public Proportion(long successes, long trials)
    {
        Guard.InRange(trials >= 0, "trials cannot be negative", nameof(trials));
        Guard.InRange(successes >= 0 && successes <= trials, "successes lie between 0 and trials", nameof(successes));
        Successes = successes;
        Trials = trials;
    }

    /// <summary>Number of successes.</summary>
    public long Successes { get; }

    /// <summary>Number of trials, the n of the rate.</summary>
    public long Trials { get; }

    /// <summary>Successes ÷ trials; null when there are no trials (never NaN).</summary>
    public double? Rate => Trials == 0 ? null : (double)Successes / Trials;

    /// <summary>The 95% Wilson score interval of the rate; null when there are no trials.</summary>
    public ConfidenceInterval? Wilson95 => WilsonScore.Interval(Successes, Trials);

    /// <summary>This proportion with one more trial.</summary>
    public Proportion Add(bool success) => new(Successes + (success ? 1 : 0), Trials + 1);

    /// <summary>Combines two partials (the counts add).</summary>
    public static Proportion operator +(Proportion left, Proportion right) =>
        new(left.Successes + right.Successes, left.Trials + right.Trials);

    /// <summary>Combines two partials (named alternative to <c>+</c>).</summary>
    public static Proportion Add(Proportion left, Proportion right) => left + right;
}

/// <summary>The Wilson score interval for a binomial proportion (Wilson 1927), without continuity correction.</summary>
public static class WilsonScore
{
    /// <summary>The standard normal quantile for 97.5%, Φ⁻¹(0.975), which gives a two-sided 95% interval (R: <c>qnorm(0.975)</c>).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval: (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), with p̂ = successes/n.
    /// Null when n = 0. Unlike the normal (Wald) interval it stays inside [0, 1] and is not degenerate at 0% or
    /// 100%; the bounds are exactly 0 when there are no successes and exactly 1 when all trials succeed.
    /// </summary>
    /// <param name="successes">Successes, 0 ≤ successes ≤ n.</param>
    /// <param name="n">Trials.</param>
    /// <param name="z">Normal quantile for the confidence level; default 95%.</param>
    public static ConfidenceInterval? Interval(long successes, long n, double z = Z95)
    {
        Guard.InRange(n >= 0 && successes >= 0 && successes <= n, "0 ≤ successes ≤ n", nameof(successes));
        Guard.InRange(z > 0 && double.IsFinite(z), "z is a positive number", nameof(z));
        if (n == 0)
        {
            return null;
        }

        double nd = n;
        var p = successes / nd;
        var z2 = z * z;
        var denominator = 1 + (z2 / nd);
        var centre = (p + (z2 / (2 * nd))) / denominator;
        var half = z / denominator * Math.Sqrt((p * (1 - p) / nd) + (z2 / (4 * nd * nd)));
        // At 0 and n the algebra gives exactly 0 / 1, but rounding could leave 1e-17 or 0.9999999999999999.
        var lower = successes == 0 ? 0 : Math.Max(0, centre - half);
        var upper = successes == n ? 1 : Math.Min(1, centre + half);
        return new ConfidenceInterval(lower, upper);
    }
}
