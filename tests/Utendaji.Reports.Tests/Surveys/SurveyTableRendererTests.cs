using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports.Tests.Surveys;

public class SurveyTableRendererTests
{
    private static readonly string Exact = SurveyTableRenderer.Render(SurveySampleData.Exact());

    [Fact]
    public void Render_Csat_ShowsRateWithNAndWilsonInterval()
    {
        // 34 of 40; R 4.2.2: prop.test(34, 40, correct = FALSE)$conf.int = 0.709276756335103 0.929388122826796
        Assert.Contains("85.0% (n=40, 95% CI 70.9–92.9)", Exact, StringComparison.Ordinal);
        Assert.Contains("satisfied = rating ≥ 4", Exact, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Nps_ShowsScoreIntervalAndShares()
    {
        // 45/30/25 of 100; adjusted Wald evaluated in R 4.2.2 (docs/surveys.md formula): 3.7702544118751 35.0646970444356
        Assert.Contains("+20.0 (n=100, 95% CI +3.8 to +35.1)", Exact, StringComparison.Ordinal);
        // Promoters 45 of 100 with its Wilson interval (R 4.2.2: prop.test(45, 100, correct = FALSE)$conf.int = 0.3561453798 0.5475539700).
        Assert.Contains("45.0% (n=100, 95% CI 35.6–54.8)", Exact, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Ces_ShowsMeanWithTIntervalAndAgreeing()
    {
        // R 4.2.2: t.test(c(7,6,6,5,4,3,7,5,6,2))$conf.int = 3.91012540237282 6.28987459762718
        Assert.Contains("5.10 (n=10, 95% CI 3.91 to 6.29)", Exact, StringComparison.Ordinal);
        // R 4.2.2: prop.test(7, 10, correct = FALSE)$conf.int = 0.396778147461145 0.892208732593699
        Assert.Contains("70.0% (n=10, 95% CI 39.7–89.2)", Exact, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Servqual_ShowsGapsWithIntervalsAndAlphaWithNAndRule()
    {
        // R 4.2.2 on the six respondents of SurveySampleData: reliability gap t.test → −1.1667 [−2.0988, −0.2346];
        // overall −1.0833 [−1.4860, −0.6807]; weighted −1.1847 [−1.6908, −0.6787]; alpha of the reliability gaps 0.802816901408451.
        Assert.Contains("−1.17 (n=6, 95% CI −2.10 to −0.23)", Exact, StringComparison.Ordinal);
        Assert.Contains("−1.08 (n=6, 95% CI −1.49 to −0.68)", Exact, StringComparison.Ordinal);
        Assert.Contains("−1.18 (n=6, 95% CI −1.69 to −0.68)", Exact, StringComparison.Ordinal);
        var alphaLine = Exact.Split('\n').Single(l => l.Contains("reliability", StringComparison.Ordinal) && l.Contains("0.803", StringComparison.Ordinal));
        Assert.Contains("listwise", alphaLine, StringComparison.Ordinal);
        Assert.Contains("Cronbach's alpha: missing data listwise", Exact, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PairwiseRule_IsStated()
    {
        var report = SurveyReportBuilder.Build(SurveySampleData.Responses(), SurveySampleData.All, SurveyReportOptions.Default with { AlphaMissingData = MissingDataRule.Pairwise });
        var text = SurveyTableRenderer.Render(report);

        Assert.Contains("missing data pairwise", text, StringComparison.Ordinal);
        Assert.Contains(text.Split('\n'), l => l.Contains("reliability", StringComparison.Ordinal) && l.TrimEnd().EndsWith("pairwise", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_SmallGroups_AreFlaggedAndStillShown()
    {
        var text = SurveyTableRenderer.Render(SurveySampleData.Grouped());

        Assert.Contains("small", text, StringComparison.Ordinal);
        Assert.Contains(" *", text, StringComparison.Ordinal);
        Assert.Contains(SampleData.Urdu, text, StringComparison.Ordinal);
        Assert.Contains(SampleData.Gujarati, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Comparison_GivesTestPValueAndVerdict()
    {
        var text = SurveyTableRenderer.Render(SurveySampleData.Grouped());

        Assert.Contains("Change from baseline", text, StringComparison.Ordinal);
        Assert.Contains("two-proportion z: z = ", text, StringComparison.Ordinal);
        Assert.Contains("Welch t: t = ", text, StringComparison.Ordinal);
        Assert.Contains("not significant — noise", text, StringComparison.Ordinal);
        var csatTotal = text.Split('\n').First(l => l.StartsWith("(all)", StringComparison.Ordinal) && l.Contains("CSAT satisfied", StringComparison.Ordinal));
        Assert.EndsWith("significant", csatTotal.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("noise", csatTotal, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyReport_SaysSoWithoutNaN()
    {
        var text = SurveyTableRenderer.Render(SurveyReportBuilder.Build([], SurveySampleData.All, SurveyReportOptions.Default));

        Assert.Contains("No survey responses", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
    }
}
