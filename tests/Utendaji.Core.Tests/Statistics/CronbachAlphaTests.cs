using Utendaji.Core.Statistics;

namespace Utendaji.Core.Tests.Statistics;

public class CronbachAlphaTests
{
    private const double M = double.NaN;

    // Twelve respondents, four items; four respondents skipped one item each.
    private static readonly double[][] Answers =
    [
        [5, 4, 5, 4],
        [3, 3, 2, 3],
        [6, 5, 6, 7],
        [4, M, 4, 5],
        [2, 2, 3, 2],
        [7, 6, 7, 6],
        [5, 5, M, 4],
        [M, 3, 3, 3],
        [6, 6, 5, 6],
        [4, 4, 4, M],
        [3, 2, 3, 3],
        [5, 6, 6, 5],
    ];

    [Fact]
    public void Alpha_Listwise_MatchesRFormula()
    {
        var alpha = ItemCovariance.Of(Answers, 4, MissingDataRule.Listwise);

        // R 4.2.2: cc <- x[complete.cases(x), ]; S <- cov(cc); k/(k-1) * (1 - sum(diag(S))/sum(S)); nrow(cc) = 8.
        Assert.Equal(0.96979166666666661, alpha.Alpha!.Value, 12);
        Assert.Equal(8, alpha.RespondentsUsed);
        Assert.Equal(8, alpha.MinimumPairN);
        Assert.Equal(MissingDataRule.Listwise, alpha.Rule);
        Assert.Equal(4, alpha.Items);
    }

    [Fact]
    public void Alpha_Pairwise_MatchesRFormula()
    {
        var alpha = ItemCovariance.Of(Answers, 4, MissingDataRule.Pairwise);

        // R 4.2.2: S <- cov(x, use = "pairwise.complete.obs"); k/(k-1) * (1 - sum(diag(S))/sum(S));
        // min(crossprod(!is.na(x))) = 10.
        Assert.Equal(0.98634060365719312, alpha.Alpha!.Value, 12);
        Assert.Equal(12, alpha.RespondentsUsed);
        Assert.Equal(10, alpha.MinimumPairN);
        Assert.Equal(MissingDataRule.Pairwise, alpha.Rule);
    }

    [Fact]
    public void Covariance_Pairwise_MatchesRCov()
    {
        var covariance = new ItemCovariance(4, MissingDataRule.Pairwise);
        foreach (var row in Answers)
        {
            covariance.Add(row);
        }

        // R 4.2.2: cov(x, use = "pairwise.complete.obs")[1, 1], [1, 2], [3, 4].
        Assert.Equal(2.2727272727272729, covariance.Covariance(0, 0)!.Value, 12);
        Assert.Equal(2.2444444444444445, covariance.Covariance(1, 0)!.Value, 12);
        Assert.Equal(2.2666666666666666, covariance.Covariance(2, 3)!.Value, 12);
        Assert.Equal(10, covariance.PairCount(0, 1));
        Assert.Equal(11, covariance.PairCount(0, 0));
    }

    [Fact]
    public void Merge_SeededPartials_EqualOnePass()
    {
        var random = new Random(5);
        foreach (var rule in new[] { MissingDataRule.Listwise, MissingDataRule.Pairwise })
        {
            for (var round = 0; round < 50; round++)
            {
                var rows = Enumerable.Range(0, random.Next(3, 60))
                    .Select(_ => Enumerable.Range(0, 5).Select(_ => random.NextDouble() < 0.1 ? M : random.Next(1, 8)).ToArray())
                    .ToArray();
                var cut = random.Next(0, rows.Length + 1);
                var left = new ItemCovariance(5, rule);
                var right = new ItemCovariance(5, rule);
                foreach (var row in rows[..cut])
                {
                    left.Add(row);
                }

                foreach (var row in rows[cut..])
                {
                    right.Add(row);
                }

                left.Merge(right);
                var whole = ItemCovariance.Of(rows, 5, rule);
                var merged = left.Alpha();
                Assert.Equal(whole.RespondentsUsed, merged.RespondentsUsed);
                Assert.Equal(whole.MinimumPairN, merged.MinimumPairN);
                Assert.Equal(whole.Alpha is null, merged.Alpha is null);
                if (whole.Alpha is { } a)
                {
                    Assert.Equal(a, merged.Alpha!.Value, 10);
                    Assert.Equal(NaiveAlpha(rows, rule)!.Value, a, 10);
                }
            }
        }
    }

    [Fact]
    public void Alpha_OneItemOrTooFewRespondentsOrNoVariance_IsNull()
    {
        Assert.Null(ItemCovariance.Of([[3.0], [4.0]], 1).Alpha);
        Assert.Null(ItemCovariance.Of([[3.0, 4.0]], 2).Alpha);
        Assert.Null(ItemCovariance.Of([[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]], 2).Alpha);
        var allMissing = ItemCovariance.Of([[M, M], [M, M]], 2, MissingDataRule.Pairwise);
        Assert.Null(allMissing.Alpha);
        Assert.Equal(0, allMissing.RespondentsUsed);
    }

    [Fact]
    public void Alpha_CompleteData_RulesAgree()
    {
        var complete = Answers.Where(r => !r.Any(double.IsNaN)).ToArray();
        Assert.Equal(
            ItemCovariance.Of(complete, 4, MissingDataRule.Listwise).Alpha!.Value,
            ItemCovariance.Of(complete, 4, MissingDataRule.Pairwise).Alpha!.Value,
            12);
    }

    // Naive reference: two-pass covariances over the rows each rule admits, then the alpha formula.
    private static double? NaiveAlpha(double[][] rows, MissingDataRule rule)
    {
        var k = rows[0].Length;
        var used = rule == MissingDataRule.Listwise ? rows.Where(r => !r.Any(double.IsNaN)).ToArray() : rows;
        double diagonal = 0, total = 0;
        for (var j = 0; j < k; j++)
        {
            for (var l = 0; l < k; l++)
            {
                var pairs = used.Where(r => !double.IsNaN(r[j]) && !double.IsNaN(r[l])).ToArray();
                if (pairs.Length < 2)
                {
                    return null;
                }

                var mj = pairs.Average(r => r[j]);
                var ml = pairs.Average(r => r[l]);
                var s = pairs.Sum(r => (r[j] - mj) * (r[l] - ml)) / (pairs.Length - 1);
                total += s;
                if (j == l)
                {
                    diagonal += s;
                }
            }
        }

        return total > 0 ? k / (k - 1.0) * (1 - (diagonal / total)) : null;
    }
}
