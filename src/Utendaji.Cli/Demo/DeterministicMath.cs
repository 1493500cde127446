namespace Utendaji.Cli.Demo;

/// <summary>
/// Exp and Log built only from IEEE-754 basic operations (+, −, ×, ÷, exact scaling), which are correctly
/// rounded everywhere. <see cref="Math.Exp(double)"/> and <see cref="Math.Log(double)"/> call the platform's C runtime and may
/// differ in the last bit between machines; one such bit can move a generated instant by a second, and the
/// demo promises byte-identical output for a seed on any machine.
/// </summary>
internal static class DeterministicMath
{
    // The double nearest to ln 2 and to √2.
    private const double Ln2 = 0.6931471805599453;
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary>e^x, to about 1e-15 relative error.</summary>
    public static double Exp(double x)
    {
        if (x < -700)
        {
            return 0;
        }

        if (x > 700)
        {
            return double.MaxValue;
        }

        // x = k·ln2 + r with |r| ≤ ln2/2, so the Taylor series of e^r converges in ~18 terms.
        var k = Math.Round(x / Ln2, MidpointRounding.ToEven);
        var r = x - (k * Ln2);
        double term = 1;
        double sum = 1;
        for (var n = 1; n <= 20; n++)
        {
            term = term * r / n;
            sum += term;
        }

        return Math.ScaleB(sum, (int)k);
    }

    /// <summary>Natural logarithm of a positive normal number, to about 1e-15 relative error.</summary>
    public static double Log(double x)
    {
        if (x <= 0 || double.IsNaN(x) || double.IsInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), "must be a positive finite number");
        }

        // x = m·2^e with m in [1, 2), read exactly from the bits; then fold m into [√½, √2).
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponent = (int)((bits >> 52) & 0x7FF) - 1023;
        var mantissa = BitConverter.Int64BitsToDouble((bits & 0xFFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (mantissa > Sqrt2)
        {
            mantissa /= 2;
            exponent++;
        }

        // ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.172: the odd series converges in ~12 terms.
        var s = (mantissa - 1) / (mantissa + 1);
        var s2 = s * s;
        var power = s;
        double sum = 0;
        for (var n = 1; n <= 41; n += 2)
        {
            sum += power / n;
            power *= s2;
        }

        return (2 * sum) + (exponent * Ln2);
    }
}
