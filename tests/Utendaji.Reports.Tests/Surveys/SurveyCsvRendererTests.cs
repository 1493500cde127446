using System.Globalization;
using Utendaji.Core.Reporting;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports.Tests.Surveys;

public class SurveyCsvRendererTests
{
    private static SurveyReport HostileReport() =>
        SurveyReportBuilder.Build(
            SurveySampleData.Responses().Select((r, i) => i % 3 == 0 ? r with { Team = SampleData.CsvHostile } : r),
            SurveySampleData.All,
            SurveyReportOptions.Default with
            {
                GroupBy = [SurveyGroupDimension.Team],
                Period = PeriodGranularity.Week,
                Comparison = new SurveyPeriodComparison(SurveySampleData.At(2, 0), SurveySampleData.At(9, 0), SurveySampleData.At(9, 0), SurveySampleData.At(23, 0)),
            });

    private static List<Dictionary<string, string>> Records(string csv, out List<string> header)
    {
        var rows = CsvReader.Parse(csv);
        header = rows[0];
        var names = header;
        Assert.All(rows, r => Assert.Equal(names.Count, r.Count));
        return rows.Skip(1).Select(r => names.Select((n, i) => (n, r[i])).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal)).ToList();
    }

    private static double D(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void Render_IsRfc4180WithTheDocumentedHeader()
    {
        var report = HostileReport();
        var records = Records(SurveyCsvRenderer.Render(report), out var header);

        Assert.Equal(SurveyCsvRenderer.Columns(report.Options.GroupBy), header);
        Assert.Equal(["scope", "team", "period", "period_start", "period_end", "instrument"], header.Take(6));
        Assert.Contains(records, r => r["team"] == SampleData.CsvHostile); // comma, quote and line break survive
        Assert.Contains(records, r => r["team"] == SampleData.Urdu);
        Assert.Contains(records, r => r["team"] == SampleData.Gujarati);
    }

    [Fact]
    public void Render_Exact_CsatNpsAndServqualLinesCarryValuesAndIntervals()
    {
        var records = Records(SurveyCsvRenderer.Render(SurveySampleData.Exact()), out _);

        var csat = Assert.Single(records, r => r["figure"] == "csat");
        Assert.Equal("40", csat["n"]);
        Assert.Equal("34", csat["successes"]);
        Assert.Equal(0.85, D(csat["value"]));
        Assert.Equal("4", csat["threshold"]);
        Assert.Equal("wilson_score", csat["interval"]);
        // R 4.2.2: prop.test(34, 40, correct = FALSE)$conf.int = 0.709276756335103 0.929388122826796
        Assert.Equal(0.709276756335103, D(csat["ci_lower"]), 12);
        Assert.Equal(0.929388122826796, D(csat["ci_upper"]), 12);

        var nps = Assert.Single(records, r => r["figure"] == "nps");
        Assert.Equal(20, D(nps["value"]), 12);
        // Adjusted Wald, evaluated in R 4.2.2 from the docs/surveys.md formula: 3.7702544118751 35.0646970444356
        Assert.Equal(3.7702544118751, D(nps["ci_lower"]), 10);
        Assert.Equal("adjusted_wald", nps["interval"]);

        var alpha = Assert.Single(records, r => r["figure"] == "servqual_alpha" && r["dimension"] == "reliability" && r["scale"] == "gap");
        // R 4.2.2: Cronbach's alpha of the three reliability item gaps = 0.802816901408451
        Assert.Equal(0.802816901408451, D(alpha["value"]), 12);
        Assert.Equal("6", alpha["n"]);
        Assert.Equal("3", alpha["items"]);
        Assert.Equal("listwise", alpha["missing_data"]);

        var answer = Assert.Single(records, r => r["figure"] == "answer_count" && r["question"] == "csat" && r["answer"] == "4");
        Assert.Equal("14", answer["successes"]);
        Assert.Equal("40", answer["n"]);
    }

    [Fact]
    public void Render_RoundTripsEveryRowFigureAndChange()
    {
        var report = HostileReport();
        var records = Records(SurveyCsvRenderer.Render(report), out _);

        foreach (var scoped in SurveyReportRows.Display(report))
        {
            var scope = Format.Snake(scoped.Scope.ToString());
            var team = scoped.Row.Group.Values.Count == 1 ? scoped.Row.Group.Values[0] ?? string.Empty : string.Empty;
            var mine = records.Where(r => r["scope"] == scope && r["team"] == team && r["period"] == scoped.Row.Period.Label).ToList();
            foreach (var f in scoped.Row.Instruments)
            {
                var lines = mine.Where(r => r["instrument"] == f.InstrumentId).ToList();
                Assert.All(lines, l => Assert.Equal(f.Responses.ToString(CultureInfo.InvariantCulture), l["responses"]));
                foreach (var csat in f.Csat)
                {
                    var line = Assert.Single(lines, l => l["figure"] == "csat");
                    Assert.Equal(csat.Satisfied.Rate, line["value"].Length == 0 ? null : D(line["value"]));
                }

                foreach (var d in f.Servqual?.Dimensions ?? [])
                {
                    foreach (var m in d.Scales)
                    {
                        var line = Assert.Single(lines, l => l["figure"] == "servqual_dimension" && l["dimension"] == Format.Snake(d.Dimension.ToString()) && l["scale"] == Format.Snake(m.Scale.ToString()));
                        Assert.Equal(m.Mean.Mean, line["value"].Length == 0 ? null : D(line["value"]));
                        Assert.Equal(m.Mean.Interval95?.Lower, line["ci_lower"].Length == 0 ? null : D(line["ci_lower"]));
                    }
                }

                Assert.Equal(f.Answers.Sum(a => a.Counts.Count), lines.Count(l => l["figure"] == "answer_count"));
            }
        }

        var changes = records.Where(r => r["scope"] == "change").ToList();
        Assert.Equal(report.Comparison!.Groups.Sum(g => g.Instruments.Sum(i => i.Changes.Count)), changes.Count);
        var significant = changes.Where(r => r["significant"] == "true").ToList();
        Assert.NotEmpty(significant);
        Assert.All(significant, r => Assert.True(D(r["p_value"]) < 0.05));
        Assert.All(changes, r => Assert.Equal("2026-03-02T00:00:00Z", r["baseline_start"]));
    }

    [Fact]
    public void Render_UnderADecimalCommaCulture_StaysInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fi-FI");
            var records = Records(SurveyCsvRenderer.Render(SurveySampleData.Exact()), out _);
            Assert.Equal("0.85", Assert.Single(records, r => r["figure"] == "csat")["value"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
