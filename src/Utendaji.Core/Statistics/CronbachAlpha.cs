namespace Utendaji.Core.Statistics;

/// <summary>Which respondents' answers enter the item covariances of Cronbach's alpha.</summary>
public enum MissingDataRule
{
    /// <summary>
    /// Listwise deletion (the default): only respondents who answered every item of the scale are used; all
    /// variances and covariances come from the same respondents.
    /// </summary>
    Listwise,

    /// <summary>
    /// Pairwise deletion: each variance s_jj uses every respondent who answered item j, each covariance s_jk every
    /// respondent who answered both j and k, with the means of those respondents (R:
    /// <c>cov(x, use = "pairwise.complete.obs")</c>). Uses more data; the matrix need not be positive semi-definite.
    /// </summary>
    Pairwise,
}

/// <summary>
/// Cronbach's alpha of a scale of k items: α = k/(k − 1) · (1 − Σ_j s_jj / Σ_j Σ_k s_jk), the item variances
/// over the variance of the sum score, written as the sum of the covariance matrix so that it also holds for
/// pairwise covariances.
/// </summary>
/// <param name="Alpha">α; null when it is undefined (k &lt; 2, a covariance from fewer than 2 respondents, or a total variance of 0).</param>
/// <param name="Items">k, the number of items.</param>
/// <param name="RespondentsUsed">Listwise: respondents who answered every item. Pairwise: respondents who answered at least one item.</param>
/// <param name="MinimumPairN">The smallest number of respondents behind any variance or covariance (equal to <paramref name="RespondentsUsed"/> listwise).</param>
/// <param name="Rule">The missing-data rule applied.</param>
public sealed record AlphaEstimate(double? Alpha, int Items, long RespondentsUsed, long MinimumPairN, MissingDataRule Rule);

/// <summary>
/// Accumulates the covariance matrix of k items one respondent at a time, with missing answers as NaN, under a
/// <see cref="MissingDataRule"/>. Every variance and covariance is kept as pairwise co-moments (n, both means,
/// Σ(x − x̄)(y − ȳ)), updated à la Welford and merged exactly, so partials per group and period combine.
/// Not thread-safe.
/// </summary>
public sealed class ItemCovariance
{
    private readonly int _k;
    private readonly long[] _n;
    private readonly double[] _meanJ;
    private readonly double[] _meanK;
    private readonly double[] _comoment;

    /// <summary>Creates an empty accumulator for <paramref name="items"/> items.</summary>
    public ItemCovariance(int items, MissingDataRule rule)
    {
        Guard.InRange(items >= 1, "at least one item", nameof(items));
        Guard.InRange(rule is MissingDataRule.Listwise or MissingDataRule.Pairwise, "a known rule", nameof(rule));
        _k = items;
        Rule = rule;
        var pairs = items * (items + 1) / 2;
        _n = new long[pairs];
        _meanJ = new double[pairs];
        _meanK = new double[pairs];
        _comoment = new double[pairs];
    }

    /// <summary>The missing-data rule.</summary>
    public MissingDataRule Rule { get; }

    /// <summary>k, the number of items.</summary>
    public int Items => _k;

    /// <summary>Respondents used so far (see <see cref="AlphaEstimate.RespondentsUsed"/>).</summary>
    public long RespondentsUsed { get; private set; }

    /// <summary>Adds one respondent's answers, item by item; NaN marks a missing answer.</summary>
    public void Add(ReadOnlySpan<double> answers)
    {
        Guard.InRange(answers.Length == _k, "one answer (or NaN) per item", nameof(answers));
        var any = false;
        var all = true;
        foreach (var a in answers)
        {
            Guard.InRange(double.IsNaN(a) || double.IsFinite(a), "answers are finite or NaN", nameof(answers));
            any |= !double.IsNaN(a);
            all &= !double.IsNaN(a);
        }

        if (Rule == MissingDataRule.Listwise ? !all : !any)
        {
            return;
        }

        RespondentsUsed++;
        var index = 0;
        for (var j = 0; j < _k; j++)
        {
            for (var k = j; k < _k; k++, index++)
            {
                double x = answers[j], y = answers[k];
                if (double.IsNaN(x) || double.IsNaN(y))
                {
                    continue;
                }

                var n = ++_n[index];
                var dx = x - _meanJ[index];
                _meanJ[index] += dx / n;
                _meanK[index] += (y - _meanK[index]) / n;
                _comoment[index] += dx * (y - _meanK[index]);
            }
        }
    }

    /// <summary>Adds every respondent of <paramref name="other"/> (same k and rule), which is left unchanged.</summary>
    public void Merge(ItemCovariance other)
    {
        Guard.NotNull(other);
        Guard.InRange(other._k == _k && other.Rule == Rule, "same items and rule", nameof(other));
        RespondentsUsed += other.RespondentsUsed;
        for (var i = 0; i < _n.Length; i++)
        {
            long na = _n[i], nb = other._n[i];
            if (nb == 0)
            {
                continue;
            }

            if (na == 0)
            {
                (_n[i], _meanJ[i], _meanK[i], _comoment[i]) = (nb, other._meanJ[i], other._meanK[i], other._comoment[i]);
                continue;
            }

            var n = na + nb;
            var dj = other._meanJ[i] - _meanJ[i];
            var dk = other._meanK[i] - _meanK[i];
            _comoment[i] += other._comoment[i] + (dj * dk * na * nb / n);
            _meanJ[i] += dj * nb / n;
            _meanK[i] += dk * nb / n;
            _n[i] = n;
        }
    }

    /// <summary>The covariance s_jk (divisor n_jk − 1); null when fewer than 2 respondents answered both.</summary>
    public double? Covariance(int j, int k)
    {
        var i = Index(j, k);
        return _n[i] < 2 ? null : _comoment[i] / (_n[i] - 1);
    }

    /// <summary>n_jk, the respondents behind s_jk.</summary>
    public long PairCount(int j, int k) => _n[Index(j, k)];

    /// <summary>Cronbach's alpha from the accumulated covariances.</summary>
    public AlphaEstimate Alpha()
    {
        var minimumPair = _n.Length == 0 ? 0 : _n.Min();
        if (_k < 2)
        {
            return new AlphaEstimate(null, _k, RespondentsUsed, minimumPair, Rule);
        }

        double diagonal = 0, total = 0;
        for (var j = 0; j < _k; j++)
        {
            for (var k = j; k < _k; k++)
            {
                if (Covariance(j, k) is not { } s)
                {
                    return new AlphaEstimate(null, _k, RespondentsUsed, minimumPair, Rule);
                }

                if (j == k)
                {
                    diagonal += s;
                    total += s;
                }
                else
                {
                    total += 2 * s;
                }
            }
        }

        double? alpha = total > 0 ? _k / (_k - 1.0) * (1 - (diagonal / total)) : null;
        return new AlphaEstimate(alpha, _k, RespondentsUsed, minimumPair, Rule);
    }

    private int Index(int j, int k)
    {
        Guard.InRange(j >= 0 && j < _k && k >= 0 && k < _k, "item indices lie in 0..k−1", nameof(j));
        if (j > k)
        {
            (j, k) = (k, j);
        }

        // Row-major upper triangle including the diagonal.
        return (j * _k) - (j * (j - 1) / 2) + (k - j);
    }

    /// <summary>Cronbach's alpha of complete or incomplete answer rows (NaN = missing) under <paramref name="rule"/>.</summary>
    public static AlphaEstimate Of(IEnumerable<double[]> rows, int items, MissingDataRule rule = MissingDataRule.Listwise)
    {
        Guard.NotNull(rows);
        var accumulator = new ItemCovariance(items, rule);
        foreach (var row in rows)
        {
            accumulator.Add(row);
        }

        return accumulator.Alpha();
    }
}
