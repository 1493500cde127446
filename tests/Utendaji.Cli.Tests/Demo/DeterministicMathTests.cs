using Utendaji.Cli.Demo;

namespace Utendaji.Cli.Tests.Demo;

public sealed class DeterministicMathTests
{
    [Fact]
    public void Exp_SeededInputs_AgreesWithMathExp()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var x = (random.NextDouble() * 80) - 40;
            var expected = Math.Exp(x);
            Assert.InRange(Math.Abs(DeterministicMath.Exp(x) - expected) / expected, 0, 1e-13);
        }
    }

    [Fact]
    public void Log_SeededInputs_AgreesWithMathLog()
    {
        var random = new Random(11);
        for (var i = 0; i < 10_000; i++)
        {
            var x = Math.Exp((random.NextDouble() * 80) - 40);
            Assert.InRange(Math.Abs(DeterministicMath.Log(x) - Math.Log(x)), 0, 1e-13 * Math.Max(1, Math.Abs(Math.Log(x))));
        }
    }

    [Fact]
    public void Log_NotPositive_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicMath.Log(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicMath.Log(-1));
    }
}
