namespace Utendaji.Cli.Demo;

/// <summary>
/// The demo's source of chance: a seeded <see cref="Random"/> plus the few distributions the simulation needs,
/// all computed with <see cref="DeterministicMath"/> so that a seed gives the same numbers on every machine.
/// </summary>
internal sealed class DemoRandom
{
    private readonly Random _random;

    public DemoRandom(int seed)
    {
        // Seeded System.Random is a fixed algorithm (not the per-process xoshiro used without a seed).
#pragma warning disable CA5394 // Not for security: a reproducible simulation needs a seeded generator.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    /// <summary>A seed for one ticket's own generator, so every ticket is reproducible on its own.</summary>
    public static int DeriveSeed(int seed, long stream)
    {
        // SplitMix64 finaliser: neighbouring streams get unrelated seeds.
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) ^ ((ulong)stream * 0x9E3779B97F4A7C15UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }
    }

#pragma warning disable CA5394 // Not for security: a reproducible simulation needs a seeded generator.
    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => _random.NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => _random.Next(min, maxExclusive);
#pragma warning restore CA5394

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal deviate (Marsaglia's polar method: needs only log and sqrt, both deterministic).</summary>
    public double Normal()
    {
        while (true)
        {
            var u = (2 * NextDouble()) - 1;
            var v = (2 * NextDouble()) - 1;
            var s = (u * u) + (v * v);
            if (s > 0 && s < 1)
            {
                return u * Math.Sqrt(-2 * DeterministicMath.Log(s) / s);
            }
        }
    }

    /// <summary>Log-normal deviate with the given median and log-scale spread.</summary>
    public double LogNormal(double median, double sigma) => median * DeterministicMath.Exp(sigma * Normal());

    /// <summary>Poisson deviate with mean <paramref name="mean"/>.</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 60)
        {
            // Normal approximation; exact Knuth sampling would need e^-mean below double precision's comfort.
            var x = Math.Round(mean + (Math.Sqrt(mean) * Normal()), MidpointRounding.ToEven);
            return x < 0 ? 0 : (int)x;
        }

        var limit = DeterministicMath.Exp(-mean);
        var k = 0;
        var p = NextDouble();
        while (p > limit)
        {
            k++;
            p *= NextDouble();
        }

        return k;
    }

    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public int Choose(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        var x = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        // Rounding left x at or just above zero: take the last index with weight.
        for (var i = weights.Length - 1; i >= 0; i--)
        {
            if (weights[i] > 0)
            {
                return i;
            }
        }

        return 0;
    }
}
