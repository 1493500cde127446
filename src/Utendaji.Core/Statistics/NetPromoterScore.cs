namespace Utendaji.Core.Statistics;

/// <summary>
/// Promoters (9–10), passives (7–8) and detractors (0–6) among answers to the 0–10 likelihood-to-recommend
/// question. Immutable and mergeable with <c>+</c>; validated on construction.
/// </summary>
public readonly record struct NpsCounts
{
    /// <summary>Creates counts; none negative.</summary>
    public NpsCounts(long promoters, long passives, long detractors)
    {
        Guard.InRange(promoters >= 0 && passives >= 0 && detractors >= 0, "counts are not negative", nameof(promoters));
        Promoters = promoters;
        Passives = passives;
        Detractors = detractors;
    }

    /// <summary>Answers of 9 or 10.</summary>
    public long Promoters { get; }

    /// <summary>Answers above 6 and below 9 (7 and 8 on the integer scale).</summary>
    public long Passives { get; }

    /// <summary>Answers of 0 to 6.</summary>
    public long Detractors { get; }

    /// <summary>n, all answers.</summary>
    public long Total => Promoters + Passives + Detractors;

    /// <summary>These counts with one more answer, classified: ≥ 9 promoter, ≤ 6 detractor, otherwise passive.</summary>
    public NpsCounts Add(double score)
    {
        Guard.InRange(score is >= 0 and <= 10, "an NPS answer lies in 0..10", nameof(score));
        return score >= 9 ? new(Promoters + 1, Passives, Detractors)
            : score <= 6 ? new(Promoters, Passives, Detractors + 1)
            : new(Promoters, Passives + 1, Detractors);
    }

    /// <summary>Combines two partials (the counts add).</summary>
    public static NpsCounts operator +(NpsCounts left, NpsCounts right) =>
        new(left.Promoters + right.Promoters, left.Passives + right.Passives, left.Detractors + right.Detractors);

    /// <summary>Combines two partials (named alternative to <c>+</c>).</summary>
    public static NpsCounts Add(NpsCounts left, NpsCounts right) => left + right;

    /// <summary>NPS = 100·(p₊ − p₋); null when n = 0.</summary>
    public double? Score => Total == 0 ? null : 100.0 * (Promoters - Detractors) / Total;

    /// <summary>
    /// The Wald variance of the NPS as a fraction (−1..1): (p₊ + p₋ − (p₊ − p₋)²) / n, the variance of the
    /// difference of two multinomial shares. Null when n = 0.
    /// </summary>
    public double? Variance => Total == 0 ? null : WaldVariance(Promoters, Detractors, Total);

    internal static double WaldVariance(double promoters, double detractors, double n)
    {
        var pPlus = promoters / n;
        var pMinus = detractors / n;
        var difference = pPlus - pMinus;
        return Math.Max(0, pPlus + pMinus - (difference * difference)) / n;
    }
}

/// <summary>How the 95% interval of an NPS is computed.</summary>
public enum NpsIntervalMethod
{
    /// <summary>
    /// Adjusted Wald (Rocks 2016, "Interval estimation for the Net Promoter Score", The American Statistician 70(4);
    /// Sauro and Lewis): add ¾ to promoters and to detractors and 3 to n, then centre ± z·√Var on the adjusted
    /// score with the Wald variance of the adjusted shares. Never zero-width: with n = 1 or when every answer is a
    /// promoter (or a detractor) it still shows the uncertainty the data leave. The default.
    /// </summary>
    AdjustedWald,

    /// <summary>
    /// Wald: NPS ± z·√((p₊ + p₋ − (p₊ − p₋)²)/n), normal approximation. Zero-width when all answers fall in one
    /// category (including n = 1), so it overstates precision for small or one-sided samples.
    /// </summary>
    Wald,
}

/// <summary>
/// The Net Promoter Score with its three shares (each with a Wilson 95% interval) and a 95% interval for the score.
/// Score and interval are on the −100..100 scale; the interval is clipped to it.
/// </summary>
/// <param name="N">Answers.</param>
/// <param name="Score">100·(promoters − detractors)/n; null when n = 0.</param>
/// <param name="Promoters">Promoters among answers.</param>
/// <param name="Passives">Passives among answers.</param>
/// <param name="Detractors">Detractors among answers.</param>
/// <param name="Interval95">The 95% interval of the score under <paramref name="Method"/>; null when n = 0.</param>
/// <param name="Method">How the interval was computed.</param>
public sealed record NpsEstimate(
    long N,
    double? Score,
    Proportion Promoters,
    Proportion Passives,
    Proportion Detractors,
    ConfidenceInterval? Interval95,
    NpsIntervalMethod Method)
{
    /// <summary>The estimate from counts.</summary>
    public static NpsEstimate From(NpsCounts counts, NpsIntervalMethod method = NpsIntervalMethod.AdjustedWald)
    {
        var n = counts.Total;
        return new NpsEstimate(
            n,
            counts.Score,
            new Proportion(counts.Promoters, n),
            new Proportion(counts.Passives, n),
            new Proportion(counts.Detractors, n),
            Interval(counts, method),
            method);
    }

    /// <summary>The 95% interval of the score (−100..100) under <paramref name="method"/>; null when n = 0.</summary>
    public static ConfidenceInterval? Interval(NpsCounts counts, NpsIntervalMethod method, double z = WilsonScore.Z95)
    {
        if (counts.Total == 0)
        {
            return null;
        }

        double promoters = counts.Promoters, detractors = counts.Detractors, n = counts.Total;
        if (method == NpsIntervalMethod.AdjustedWald)
        {
            promoters += 0.75;
            detractors += 0.75;
            n += 3;
        }
        else
        {
            Guard.InRange(method == NpsIntervalMethod.Wald, "a known interval method", nameof(method));
        }

        var centre = (promoters - detractors) / n;
        var half = z * Math.Sqrt(NpsCounts.WaldVariance(promoters, detractors, n));
        return new ConfidenceInterval(100 * Math.Max(-1, centre - half), 100 * Math.Min(1, centre + half));
    }
}
