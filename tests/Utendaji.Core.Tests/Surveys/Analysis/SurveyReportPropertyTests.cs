using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;
using static Utendaji.Core.Tests.Surveys.Analysis.SurveyFixtures;

namespace Utendaji.Core.Tests.Surveys.Analysis;

/// <summary>
/// The streaming builder (one pass, mergeable partials) against a naive reference that filters the raw responses of
/// each row and computes every figure with textbook two-pass formulas, on seeded random data.
/// </summary>
public class SurveyReportPropertyTests
{
    private static readonly string?[] Teams = ["alpha", "beta", "gamma", null];
    private static readonly string[] Channels = ["email", "chat"];
    private static readonly DateTimeZone Nairobi = DateTimeZoneProviders.Tzdb["Africa/Nairobi"];

    private static (List<SurveyResponse> Responses, List<SurveySend> Sends) Generate(int seed, int count)
    {
        var random = new Random(seed);
        var start = Instant.FromUtc(2026, 1, 1, 0, 0);
        var responses = new List<SurveyResponse>();
        var sends = new List<SurveySend>();
        double Maybe(double value) => random.NextDouble() < 0.08 ? double.NaN : value;
        for (var i = 0; i < count; i++)
        {
            var at = start.Plus(Duration.FromMinutes(random.Next(0, 70 * 24 * 60)));
            var channel = Channels[random.Next(Channels.Length)];
            var sendId = $"s{seed}-{i}";
            var instrument = random.Next(4) switch { 0 => "csat-5", 1 => "nps", 2 => "ces", _ => "sq-mini" };
            sends.Add(new SurveySend { SendId = sendId, InstrumentId = instrument, SentAt = at.Minus(Duration.FromHours(random.Next(0, 48))), Channel = channel });
            if (random.NextDouble() < 0.3)
            {
                continue; // not answered
            }

            (string, double)[] answers = instrument switch
            {
                "csat-5" => [("csat", Maybe(random.Next(1, 6)))],
                "nps" => [("nps", Maybe(random.Next(0, 11)))],
                "ces" => [("ces", Maybe(random.Next(1, 8)))],
                _ => SqAnswers(random, Maybe),
            };
            responses.Add(Response(instrument, at, answers) with { Team = Teams[random.Next(Teams.Length)], Channel = channel, SendId = sendId });
        }

        return (responses, sends);
    }

    private static (string, double)[] SqAnswers(Random random, Func<double, double> maybe)
    {
        var answers = new List<(string, double)>();
        for (var i = 1; i <= 5; i++)
        {
            var e = random.Next(4, 8);
            answers.Add(($"e{i}", maybe(e)));
            answers.Add(($"p{i}", maybe(Math.Clamp(e - random.Next(-1, 4), 1, 7))));
        }

        var rel = random.Next(0, 101);
        if (random.NextDouble() < 0.9)
        {
            answers.Add(("imp-rel", rel));
            answers.Add(("imp-emp", 100 - rel));
        }

        return [.. answers];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Build_SeededData_MatchesNaiveReference(int seed)
    {
        var (responses, sends) = Generate(seed, 1500);
        var options = SurveyReportOptions.Default with
        {
            GroupBy = [SurveyGroupDimension.Team, SurveyGroupDimension.Channel],
            Period = PeriodGranularity.Week,
            TimeZone = Nairobi,
            From = Instant.FromUtc(2026, 1, 5, 0, 0),
            To = Instant.FromUtc(2026, 3, 1, 0, 0),
            MinimumN = 10,
        };

        var report = SurveyReportBuilder.Build(responses, All, options, sends);

        var inRange = responses.Where(r => r.SubmittedAt >= options.From && r.SubmittedAt < options.To).ToList();
        Assert.NotEmpty(report.Rows);
        foreach (var row in report.Rows)
        {
            var subset = inRange.Where(r => InGroup(r, row.Group) && r.SubmittedAt >= row.Period.Start!.Value && r.SubmittedAt < row.Period.End!.Value);
            AssertRow(row, subset.ToList(), options.MinimumN);
        }

        foreach (var row in report.ByGroup)
        {
            AssertRow(row, inRange.Where(r => InGroup(r, row.Group)).ToList(), options.MinimumN);
        }

        foreach (var row in report.ByPeriod)
        {
            AssertRow(row, inRange.Where(r => r.SubmittedAt >= row.Period.Start!.Value && r.SubmittedAt < row.Period.End!.Value).ToList(), options.MinimumN);
        }

        AssertRow(report.Overall, inRange, options.MinimumN);
        Assert.Equal(inRange.Count, report.Rows.Sum(r => r.Instruments.Sum(i => i.Responses)));

        // Rows of team × channel cannot have a response rate (sends carry no team); the totals do.
        Assert.All(report.Rows, r => Assert.All(r.Instruments, i => Assert.Null(i.ResponseRate)));
        var answered = responses.Select(r => r.SendId).ToHashSet();
        foreach (var figures in report.Overall.Instruments)
        {
            var sent = sends.Where(s => s.InstrumentId == figures.InstrumentId && s.SentAt >= options.From && s.SentAt < options.To).ToList();
            Assert.Equal(new Proportion(sent.Count(s => answered.Contains(s.SendId)), sent.Count), figures.ResponseRate);
        }
    }

    [Fact]
    public void Build_SeededData_MergedRollUpsEqualUngroupedReport()
    {
        var (responses, sends) = Generate(9, 800);
        var grouped = SurveyReportBuilder.Build(responses, All, SurveyReportOptions.Default with { GroupBy = [SurveyGroupDimension.Channel], Period = PeriodGranularity.Month }, sends);
        var plain = SurveyReportBuilder.Build(responses, All, SurveyReportOptions.Default, sends);

        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(plain.Overall.Instruments.Select(Comparable)),
            System.Text.Json.JsonSerializer.Serialize(grouped.Overall.Instruments.Select(Comparable)));
        foreach (var row in grouped.ByGroup)
        {
            foreach (var figures in row.Instruments)
            {
                var sent = sends.Where(s => s.Channel == row.Group.Values[0] && s.InstrumentId == figures.InstrumentId).ToList();
                var answered = responses.Select(r => r.SendId).ToHashSet();
                Assert.Equal(new Proportion(sent.Count(s => answered.Contains(s.SendId)), sent.Count), figures.ResponseRate);
            }
        }
    }

    // Counts and rounded figures: merged moments may differ from one-pass ones in the last bits.
    private static object Comparable(InstrumentFigures f) => new
    {
        f.InstrumentId,
        f.Responses,
        f.ResponseRate,
        Csat = f.Csat.Select(c => c.Satisfied).ToArray(),
        Nps = f.Nps.Select(n => (n.Estimate.Promoters.Successes, n.Estimate.Detractors.Successes, n.Estimate.N)).ToArray(),
        Answers = f.Answers.SelectMany(a => a.Counts.Select(c => c.Count)).ToArray(),
        Means = f.Answers.Select(a => a.Mean?.Mean is { } m ? Math.Round(m, 9) : (double?)null).ToArray(),
        Servqual = f.Servqual?.Dimensions.SelectMany(d => d.Scales.Select(s => (s.Mean.N, Math.Round(s.Mean.Mean ?? 0, 9)))).ToArray(),
        Alpha = f.Servqual?.Dimensions.SelectMany(d => d.Reliability.Select(r => (r.Alpha.RespondentsUsed, Math.Round(r.Alpha.Alpha ?? 0, 9)))).ToArray(),
    };

    private static bool InGroup(SurveyResponse response, GroupKey key) =>
        string.Equals(response.Team, key.Values[0], StringComparison.Ordinal) && string.Equals(response.Channel, key.Values[1], StringComparison.Ordinal);

    private static double? Number(SurveyResponse response, string question) =>
        response.Answers.TryGetValue(question, out var a) ? a.Number : null;

    private static void AssertRow(SurveyRow row, List<SurveyResponse> subset, int minimumN)
    {
        foreach (var figures in row.Instruments)
        {
            var mine = subset.Where(r => r.InstrumentId == figures.InstrumentId).ToList();
            Assert.Equal(mine.Count, figures.Responses);
            Assert.Equal(mine.Count < minimumN, figures.SmallGroup);
            switch (figures.InstrumentId)
            {
                case "csat-5":
                    var ratings = mine.Select(r => Number(r, "csat")).OfType<double>().ToList();
                    Assert.Equal(new Proportion(ratings.Count(v => v >= 4), ratings.Count), figures.Csat[0].Satisfied);
                    Assert.Equal(Enumerable.Range(1, 5).Select(v => (long)ratings.Count(x => x == v)), figures.Answers[0].Counts.Select(c => c.Count));
                    break;
                case "nps":
                    var scores = mine.Select(r => Number(r, "nps")).OfType<double>().ToList();
                    var estimate = figures.Nps[0].Estimate;
                    Assert.Equal(scores.Count, estimate.N);
                    Assert.Equal(scores.Count(s => s >= 9), estimate.Promoters.Successes);
                    Assert.Equal(scores.Count(s => s <= 6), estimate.Detractors.Successes);
                    if (scores.Count > 0)
                    {
                        Assert.Equal(100.0 * (scores.Count(s => s >= 9) - scores.Count(s => s <= 6)) / scores.Count, estimate.Score!.Value, 9);
                    }

                    break;
                case "ces":
                    var ces = mine.Select(r => Number(r, "ces")).OfType<double>().ToArray();
                    AssertMean(ces, figures.Ces[0].Mean);
                    Assert.Equal(new Proportion(ces.Count(v => v >= 5), ces.Length), figures.Ces[0].Agreeing);
                    break;
                default:
                    AssertServqual(mine, figures.Servqual!);
                    break;
            }
        }
    }

    private static void AssertServqual(List<SurveyResponse> responses, ServqualFigures figures)
    {
        double Gap(SurveyResponse r, int item) =>
            (Number(r, $"p{item}") ?? double.NaN) - (Number(r, $"e{item}") ?? double.NaN);
        double DimensionGap(SurveyResponse r, int[] items)
        {
            var gaps = items.Select(i => Gap(r, i)).Where(g => !double.IsNaN(g)).ToArray();
            return gaps.Length == 0 ? double.NaN : gaps.Average();
        }

        int[] reliability = [1, 2, 3], empathy = [4, 5];
        var rel = responses.Select(r => DimensionGap(r, reliability)).ToArray();
        var emp = responses.Select(r => DimensionGap(r, empathy)).ToArray();
        AssertMean(rel.Where(v => !double.IsNaN(v)).ToArray(), figures.Dimensions[0].Scales.Single(s => s.Scale == ServqualScale.Gap).Mean);
        AssertMean(emp.Where(v => !double.IsNaN(v)).ToArray(), figures.Dimensions[1].Scales.Single(s => s.Scale == ServqualScale.Gap).Mean);

        var overall = rel.Zip(emp, (a, b) => new[] { a, b }.Where(v => !double.IsNaN(v)).ToArray()).Where(v => v.Length > 0).Select(v => v.Average()).ToArray();
        AssertMean(overall, figures.Overall.Single(s => s.Scale == ServqualScale.Gap).Mean);

        var weighted = new List<double>();
        for (var i = 0; i < responses.Count; i++)
        {
            if (Number(responses[i], "imp-rel") is not { } a || Number(responses[i], "imp-emp") is not { } b || a + b <= 0)
            {
                continue;
            }

            var (wr, we) = (a / (a + b), b / (a + b));
            if ((wr > 0 && double.IsNaN(rel[i])) || (we > 0 && double.IsNaN(emp[i])))
            {
                continue;
            }

            weighted.Add((wr > 0 ? wr * rel[i] : 0) + (we > 0 ? we * emp[i] : 0));
        }

        AssertMean([.. weighted], figures.Weighted.Single().Mean);

        // Listwise alpha of the reliability gaps from complete respondents, two-pass covariances.
        var complete = responses.Select(r => reliability.Select(i => Gap(r, i)).ToArray()).Where(g => !g.Any(double.IsNaN)).ToArray();
        var alpha = figures.Dimensions[0].Reliability.Single(r => r.Scale == ServqualScale.Gap).Alpha;
        Assert.Equal(complete.Length, alpha.RespondentsUsed);
        if (complete.Length >= 2)
        {
            var k = 3;
            var means = Enumerable.Range(0, k).Select(j => complete.Average(r => r[j])).ToArray();
            double Cov(int j, int l) => complete.Sum(r => (r[j] - means[j]) * (r[l] - means[l])) / (complete.Length - 1);
            var diagonal = Enumerable.Range(0, k).Sum(j => Cov(j, j));
            var total = Enumerable.Range(0, k).Sum(j => Enumerable.Range(0, k).Sum(l => Cov(j, l)));
            if (total > 1e-9)
            {
                Assert.Equal(k / (k - 1.0) * (1 - (diagonal / total)), alpha.Alpha!.Value, 8);
            }
        }
    }

    private static void AssertMean(double[] values, MeanEstimate estimate)
    {
        Assert.Equal(values.Length, estimate.N);
        if (values.Length == 0)
        {
            Assert.Null(estimate.Mean);
            return;
        }

        var mean = values.Average();
        Assert.Equal(mean, estimate.Mean!.Value, 9);
        if (values.Length >= 2)
        {
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
            Assert.Equal(sd, estimate.StandardDeviation!.Value, 9);
            var half = Distributions.StudentTQuantile(0.975, values.Length - 1) * sd / Math.Sqrt(values.Length);
            Assert.Equal(mean - half, estimate.Interval95!.Value.Lower, 9);
        }
    }
}
