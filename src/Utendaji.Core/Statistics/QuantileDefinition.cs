namespace Utendaji.Core.Statistics;

/// <summary>
/// How a sample quantile is computed from the sorted values x[1] ≤ … ≤ x[n], numbered after Hyndman and Fan
/// (1996), "Sample quantiles in statistical packages", The American Statistician 50(4). Every quantile
/// Utendaji reports names one of these; the report default is <see cref="Linear"/>.
/// </summary>
public enum QuantileDefinition
{
    /// <summary>
    /// Hyndman–Fan type 7, the default of R's <c>quantile()</c>, NumPy's <c>method='linear'</c> and Excel's
    /// <c>PERCENTILE.INC</c>: h = (n − 1)·p + 1, then linear interpolation between x[⌊h⌋] and x[⌈h⌉].
    /// Always lies between the smallest and largest value; the median of an even sample is the mean of the two
    /// middle values.
    /// </summary>
    Linear = 7,

    /// <summary>
    /// Hyndman–Fan type 1, the inverse of the empirical distribution function (R <c>type = 1</c>, NumPy
    /// <c>'inverted_cdf'</c>): the smallest x[k] with k/n ≥ p. Always an observed value.
    /// </summary>
    InvertedCdf = 1,

    /// <summary>
    /// Hyndman–Fan type 6 (R <c>type = 6</c>, NumPy <c>'weibull'</c>, Excel <c>PERCENTILE.EXC</c>, Minitab, SPSS):
    /// h = (n + 1)·p, linear interpolation, clamped to the smallest and largest value.
    /// </summary>
    Weibull = 6,
}
