namespace Utendaji.Core.Statistics;

/// <summary>Which test produced a <see cref="SignificanceTest"/>.</summary>
public enum TestMethod
{
    /// <summary>Two-proportion z-test with the pooled proportion (R: <c>prop.test(correct = FALSE)</c>, whose X² is z²).</summary>
    TwoProportionZ,
    /// <summary>Welch's unequal-variance t-test with Welch–Satterthwaite degrees of freedom (R: <c>t.test(var.equal = FALSE)</c>).</summary>
    WelchT,
    /// <summary>z-test of the difference of two NPS values with their unpooled Wald variances added.</summary>
    NpsDifferenceZ,
}

/// <summary>
/// The result of a two-sided test of change from a baseline to a current sample. The statistic is signed: positive
/// when the current value is higher.
/// </summary>
/// <param name="Method">The test.</param>
/// <param name="Statistic">z or t, current minus baseline over its standard error.</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite degrees of freedom for t; null for z tests (normal reference).</param>
/// <param name="PValue">Two-sided p-value.</param>
public sealed record SignificanceTest(TestMethod Method, double Statistic, double? DegreesOfFreedom, double PValue)
{
    /// <summary>True when <see cref="PValue"/> is below <paramref name="alpha"/> (e.g. 0.05).</summary>
    public bool IsSignificant(double alpha) => PValue < alpha;
}

/// <summary>
/// Significance tests for a change between two independent samples (two periods). Each returns null when the test
/// is undefined: a side without data, fewer than two values for a variance, or a standard error of zero (e.g. both
/// periods 100% satisfied) — there is then no evidence either way, and a p-value would be invented.
/// </summary>
public static class ChangeTests
{
    /// <summary>
    /// Two-proportion z-test: z = (p₂ − p₁) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)) with the pooled p̄ = (x₁ + x₂)/(n₁ + n₂);
    /// p = 2·(1 − Φ(|z|)). Equal to R's <c>prop.test(c(x2, x1), c(n2, n1), correct = FALSE)</c> (X² = z²).
    /// </summary>
    public static SignificanceTest? TwoProportions(Proportion baseline, Proportion current)
    {
        if (baseline.Trials == 0 || current.Trials == 0)
        {
            return null;
        }

        double n1 = baseline.Trials, n2 = current.Trials;
        var pooled = (baseline.Successes + current.Successes) / (n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
        if (!(se > 0))
        {
            return null;
        }

        var z = ((current.Successes / n2) - (baseline.Successes / n1)) / se;
        return new SignificanceTest(TestMethod.TwoProportionZ, z, null, Distributions.NormalTwoSided(z));
    }

    /// <summary>
    /// Welch's t-test: t = (m₂ − m₁) / √(s₁²/n₁ + s₂²/n₂), ν = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1));
    /// p = 2·P(T_ν ≥ |t|). Equal to R's <c>t.test(current, baseline, var.equal = FALSE)</c>. Needs n ≥ 2 on both sides.
    /// </summary>
    public static SignificanceTest? Welch(SampleMoments baseline, SampleMoments current)
    {
        if (baseline.Count < 2 || current.Count < 2)
        {
            return null;
        }

        var v1 = baseline.Variance!.Value / baseline.Count;
        var v2 = current.Variance!.Value / current.Count;
        var se2 = v1 + v2;
        if (!(se2 > 0))
        {
            return null;
        }

        var t = (current.Mean - baseline.Mean) / Math.Sqrt(se2);
        var df = se2 * se2 / ((v1 * v1 / (baseline.Count - 1)) + (v2 * v2 / (current.Count - 1)));
        return new SignificanceTest(TestMethod.WelchT, t, df, Distributions.StudentTTwoSided(t, df));
    }

    /// <summary>
    /// Change of NPS: z = (NPS₂ − NPS₁) / √(V₁ + V₂) with each V the Wald variance (p₊ + p₋ − (p₊ − p₋)²)/n of its
    /// period (independent samples), normal reference. Null when either period is empty or both variances are 0.
    /// </summary>
    public static SignificanceTest? NpsDifference(NpsCounts baseline, NpsCounts current)
    {
        if (baseline.Total == 0 || current.Total == 0)
        {
            return null;
        }

        var se2 = baseline.Variance!.Value + current.Variance!.Value;
        if (!(se2 > 0))
        {
            return null;
        }

        var z = ((current.Score!.Value - baseline.Score!.Value) / 100) / Math.Sqrt(se2);
        return new SignificanceTest(TestMethod.NpsDifferenceZ, z, null, Distributions.NormalTwoSided(z));
    }
}
