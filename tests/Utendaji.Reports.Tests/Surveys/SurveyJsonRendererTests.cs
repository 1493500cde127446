using System.Text.Json;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports.Tests.Surveys;

public class SurveyJsonRendererTests
{
    [Fact]
    public void Render_Exact_HasSchemaAndNumbersAsNumbers()
    {
        using var document = JsonDocument.Parse(SurveyJsonRenderer.Render(SurveySampleData.Exact()));
        var root = document.RootElement;

        Assert.Equal("utendaji.survey_report.v1", root.GetProperty("schema").GetString());
        Assert.Equal("listwise", root.GetProperty("options").GetProperty("alpha_missing_data").GetString());
        Assert.Equal("adjusted_wald", root.GetProperty("options").GetProperty("nps_interval").GetString());
        var overall = root.GetProperty("overall").GetProperty("instruments");
        var csat = overall[0].GetProperty("csat")[0];
        Assert.Equal(JsonValueKind.Number, csat.GetProperty("rate").ValueKind);
        Assert.Equal(0.85, csat.GetProperty("rate").GetDouble());
        Assert.Equal(40, csat.GetProperty("n").GetInt64());
        // R 4.2.2: prop.test(34, 40, correct = FALSE)$conf.int = 0.709276756335103 0.929388122826796
        Assert.Equal(0.709276756335103, csat.GetProperty("ci_lower").GetDouble(), 12);
        Assert.Equal(0.929388122826796, csat.GetProperty("ci_upper").GetDouble(), 12);

        var nps = overall[1].GetProperty("nps")[0];
        Assert.Equal(20, nps.GetProperty("score").GetDouble(), 12);
        // Adjusted Wald, the formula of docs/surveys.md evaluated in R 4.2.2: 3.7702544118751 35.0646970444356
        Assert.Equal(3.7702544118751, nps.GetProperty("ci_lower").GetDouble(), 10);
        Assert.Equal(35.0646970444356, nps.GetProperty("ci_upper").GetDouble(), 10);
        Assert.Equal(45, nps.GetProperty("promoters").GetProperty("successes").GetInt64());

        var servqual = overall[3].GetProperty("servqual");
        var reliability = servqual.GetProperty("dimensions")[0];
        Assert.Equal("reliability", reliability.GetProperty("dimension").GetString());
        // R 4.2.2 t.test on the six respondents' reliability gaps: −1.16666666666667 [−2.098769286924021, −0.234564046409312]
        var gap = reliability.GetProperty("scales").GetProperty("gap");
        Assert.Equal(-1.16666666666667, gap.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(-2.098769286924021, gap.GetProperty("ci_lower").GetDouble(), 9);
        Assert.Equal(-0.234564046409312, gap.GetProperty("ci_upper").GetDouble(), 9);
        // R 4.2.2: k/(k−1)·(1 − tr(S)/sum(S)) with S = cov of the three reliability item gaps = 0.802816901408451
        var alpha = reliability.GetProperty("reliability").GetProperty("gap");
        Assert.Equal(0.802816901408451, alpha.GetProperty("alpha").GetDouble(), 12);
        Assert.Equal(6, alpha.GetProperty("respondents_used").GetInt64());
        Assert.Equal("listwise", alpha.GetProperty("missing_data").GetString());
        // R 4.2.2: weighted mean −1.18472222222222
        Assert.Equal(-1.18472222222222, servqual.GetProperty("weighted").GetProperty("gap").GetProperty("mean").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("comparison").ValueKind);
    }

    [Fact]
    public void Render_Grouped_RoundTripsEveryRowFigure()
    {
        var report = SurveySampleData.Grouped(SurveyGroupDimension.Team, SurveyGroupDimension.Language);
        using var document = JsonDocument.Parse(SurveyJsonRenderer.Render(report));
        var root = document.RootElement;

        foreach (var (name, rows) in new[] { ("rows", report.Rows), ("by_period", report.ByPeriod), ("by_group", report.ByGroup) })
        {
            var array = root.GetProperty(name);
            Assert.Equal(rows.Count, array.GetArrayLength());
            for (var i = 0; i < rows.Count; i++)
            {
                AssertRow(rows[i], array[i], report.Options);
            }
        }

        AssertRow(report.Overall, root.GetProperty("overall"), report.Options);
    }

    [Fact]
    public void Render_Comparison_RoundTripsEveryChange()
    {
        var report = SurveySampleData.Grouped();
        using var document = JsonDocument.Parse(SurveyJsonRenderer.Render(report));
        var groups = document.RootElement.GetProperty("comparison").GetProperty("groups");

        Assert.Equal(report.Comparison!.Groups.Count, groups.GetArrayLength());
        for (var g = 0; g < groups.GetArrayLength(); g++)
        {
            var instruments = groups[g].GetProperty("instruments");
            for (var i = 0; i < instruments.GetArrayLength(); i++)
            {
                var expected = report.Comparison.Groups[g].Instruments[i];
                var changes = instruments[i].GetProperty("changes");
                Assert.Equal(expected.Changes.Count, changes.GetArrayLength());
                for (var c = 0; c < expected.Changes.Count; c++)
                {
                    var e = expected.Changes[c];
                    var a = changes[c];
                    Assert.Equal(e.BaselineN, a.GetProperty("baseline_n").GetInt64());
                    Assert.Equal(e.CurrentN, a.GetProperty("current_n").GetInt64());
                    AssertNumber(e.Difference, a.GetProperty("difference"));
                    AssertNumber(e.Test?.PValue, a.GetProperty("test").ValueKind == JsonValueKind.Null ? a.GetProperty("test") : a.GetProperty("test").GetProperty("p_value"));
                    Assert.Equal(e.Significant, a.GetProperty("significant").GetBoolean());
                }
            }
        }
    }

    [Fact]
    public void Render_KeepsGujaratiAndUrduReadable()
    {
        var json = SurveyJsonRenderer.Render(SurveySampleData.Grouped());

        Assert.Contains(SampleData.Gujarati, json, StringComparison.Ordinal);
        Assert.Contains(SampleData.Urdu, json, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyReport_UsesNullsNotNaN()
    {
        var json = SurveyJsonRenderer.Render(SurveyReportBuilder.Build([], SurveySampleData.All, SurveyReportOptions.Default));
        using var document = JsonDocument.Parse(json);

        Assert.Equal(0, document.RootElement.GetProperty("rows").GetArrayLength());
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    private static void AssertRow(SurveyRow row, JsonElement json, SurveyReportOptions options)
    {
        var group = json.GetProperty("group");
        for (var d = 0; d < row.Group.Values.Count; d++)
        {
            var value = group.GetProperty(Format.Snake(options.GroupBy[d].ToString()));
            Assert.Equal(row.Group.Values[d], value.ValueKind == JsonValueKind.Null ? null : value.GetString());
        }

        Assert.Equal(row.Period.Label, json.GetProperty("period").GetProperty("label").GetString());
        var instruments = json.GetProperty("instruments");
        Assert.Equal(row.Instruments.Count, instruments.GetArrayLength());
        for (var i = 0; i < row.Instruments.Count; i++)
        {
            var f = row.Instruments[i];
            var j = instruments[i];
            Assert.Equal(f.InstrumentId, j.GetProperty("instrument").GetString());
            Assert.Equal(f.Responses, j.GetProperty("responses").GetInt64());
            Assert.Equal(f.SmallGroup, j.GetProperty("small_group").GetBoolean());
            for (var q = 0; q < f.Csat.Count; q++)
            {
                AssertRate(f.Csat[q].Satisfied, j.GetProperty("csat")[q]);
            }

            for (var q = 0; q < f.Nps.Count; q++)
            {
                var e = f.Nps[q].Estimate;
                var n = j.GetProperty("nps")[q];
                AssertNumber(e.Score, n.GetProperty("score"));
                AssertNumber(e.Interval95?.Lower, n.GetProperty("ci_lower"));
                AssertNumber(e.Interval95?.Upper, n.GetProperty("ci_upper"));
                AssertRate(e.Promoters, n.GetProperty("promoters"));
                AssertRate(e.Passives, n.GetProperty("passives"));
                AssertRate(e.Detractors, n.GetProperty("detractors"));
            }

            for (var q = 0; q < f.Ces.Count; q++)
            {
                AssertMean(f.Ces[q].Mean, j.GetProperty("ces")[q].GetProperty("mean"));
                AssertRate(f.Ces[q].Agreeing, j.GetProperty("ces")[q].GetProperty("agreeing"));
            }

            for (var q = 0; q < f.Answers.Count; q++)
            {
                var a = j.GetProperty("answers")[q];
                Assert.Equal(f.Answers[q].Answered, a.GetProperty("answered").GetInt64());
                var counts = a.GetProperty("counts");
                Assert.Equal(f.Answers[q].Counts.Count, counts.GetArrayLength());
                for (var c = 0; c < counts.GetArrayLength(); c++)
                {
                    Assert.Equal(f.Answers[q].Counts[c].Value, counts[c].GetProperty("value").GetString());
                    Assert.Equal(f.Answers[q].Counts[c].Count, counts[c].GetProperty("count").GetInt64());
                    AssertNumber(f.Answers[q].Counts[c].Share, counts[c].GetProperty("share"));
                }
            }

            if (f.Servqual is { } s)
            {
                var sq = j.GetProperty("servqual");
                for (var d = 0; d < s.Dimensions.Count; d++)
                {
                    foreach (var m in s.Dimensions[d].Scales)
                    {
                        AssertMean(m.Mean, sq.GetProperty("dimensions")[d].GetProperty("scales").GetProperty(Format.Snake(m.Scale.ToString())));
                    }

                    foreach (var r in s.Dimensions[d].Reliability)
                    {
                        var alpha = sq.GetProperty("dimensions")[d].GetProperty("reliability").GetProperty(Format.Snake(r.Scale.ToString()));
                        AssertNumber(r.Alpha.Alpha, alpha.GetProperty("alpha"));
                        Assert.Equal(r.Alpha.RespondentsUsed, alpha.GetProperty("respondents_used").GetInt64());
                    }
                }

                for (var k = 0; k < s.Items.Count; k++)
                {
                    foreach (var m in s.Items[k].Scales)
                    {
                        AssertMean(m.Mean, sq.GetProperty("items")[k].GetProperty("scales").GetProperty(Format.Snake(m.Scale.ToString())));
                    }
                }

                foreach (var m in s.Overall)
                {
                    AssertMean(m.Mean, sq.GetProperty("overall").GetProperty(Format.Snake(m.Scale.ToString())));
                }

                foreach (var m in s.Weighted)
                {
                    AssertMean(m.Mean, sq.GetProperty("weighted").GetProperty(Format.Snake(m.Scale.ToString())));
                }
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, j.GetProperty("servqual").ValueKind);
            }
        }
    }

    private static void AssertRate(Proportion p, JsonElement json)
    {
        Assert.Equal(p.Trials, json.GetProperty("n").GetInt64());
        Assert.Equal(p.Successes, json.GetProperty("successes").GetInt64());
        AssertNumber(p.Rate, json.GetProperty("rate"));
        AssertNumber(p.Wilson95?.Lower, json.GetProperty("ci_lower"));
        AssertNumber(p.Wilson95?.Upper, json.GetProperty("ci_upper"));
    }

    private static void AssertMean(MeanEstimate m, JsonElement json)
    {
        Assert.Equal(m.N, json.GetProperty("n").GetInt64());
        AssertNumber(m.Mean, json.GetProperty("mean"));
        AssertNumber(m.StandardDeviation, json.GetProperty("sd"));
        AssertNumber(m.Interval95?.Lower, json.GetProperty("ci_lower"));
        AssertNumber(m.Interval95?.Upper, json.GetProperty("ci_upper"));
    }

    /// <summary>Exact equality: the writer emits the shortest round-trip form, so the number read back is the same double.</summary>
    private static void AssertNumber(double? expected, JsonElement json)
    {
        if (expected is null)
        {
            Assert.Equal(JsonValueKind.Null, json.ValueKind);
        }
        else
        {
            Assert.Equal(expected.Value, json.GetDouble());
        }
    }
}
