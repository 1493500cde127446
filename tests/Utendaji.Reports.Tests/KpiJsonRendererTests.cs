using System.Text.Json;
using Utendaji.Core.Reporting;

namespace Utendaji.Reports.Tests;

public class KpiJsonRendererTests
{
    [Fact]
    public void Render_Values_RoundTripThroughJson()
    {
        var report = SampleData.Report(PeriodGranularity.Week, GroupDimension.Team);
        using var document = JsonDocument.Parse(KpiJsonRenderer.Render(report));
        var root = document.RootElement;

        Assert.Equal(KpiJsonRenderer.Schema, root.GetProperty("schema").GetString());
        Assert.Equal("week", root.GetProperty("options").GetProperty("period").GetString());
        Assert.Equal("hyndman_fan_7", root.GetProperty("options").GetProperty("quantile_definition").GetString());
        var rows = root.GetProperty("rows");
        Assert.Equal(report.Rows.Count, rows.GetArrayLength());
        for (var i = 0; i < report.Rows.Count; i++)
        {
            var expected = report.Rows[i];
            var actual = rows[i];
            Assert.Equal(expected.Group.Values[0], actual.GetProperty("group").GetProperty("team").GetString());
            Assert.Equal(expected.Period.Label, actual.GetProperty("period").GetProperty("label").GetString());
            Assert.Equal(expected.Figures.Created, actual.GetProperty("created").GetInt64());
            Assert.Equal(expected.Figures.BacklogAtEnd, actual.GetProperty("backlog_at_end").GetInt64());
            var median = actual.GetProperty("first_reply").GetProperty("business").GetProperty("median_seconds");
            if (expected.Figures.FirstReply.Business.Median is { } m)
            {
                Assert.Equal(m, median.GetDouble());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, median.ValueKind);
            }

            var sla = actual.GetProperty("sla_first_reply");
            Assert.Equal(expected.Figures.SlaFirstReply.Trials, sla.GetProperty("n").GetInt64());
            if (expected.Figures.SlaFirstReply.Wilson95 is { } ci)
            {
                Assert.Equal(expected.Figures.SlaFirstReply.Rate!.Value, sla.GetProperty("rate").GetDouble());
                Assert.Equal(ci.Lower, sla.GetProperty("ci_lower").GetDouble());
                Assert.Equal(ci.Upper, sla.GetProperty("ci_upper").GetDouble());
            }
        }

        Assert.Equal(report.Overall.Figures.Created, root.GetProperty("overall").GetProperty("created").GetInt64());
        Assert.Equal(report.FirstReplyBusinessHistogram.Count, root.GetProperty("first_reply_histogram").GetProperty("business").GetArrayLength());
    }

    [Fact]
    public void Render_NonLatinNames_AreWrittenAsThemselves()
    {
        var json = KpiJsonRenderer.Render(SampleData.Report(PeriodGranularity.None, GroupDimension.Team));

        Assert.Contains(SampleData.Gujarati, json, StringComparison.Ordinal);
        Assert.Contains(SampleData.Urdu, json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Contains(document.RootElement.GetProperty("rows").EnumerateArray(), r => r.GetProperty("group").GetProperty("team").GetString() == SampleData.ScriptTeam);
    }

    [Fact]
    public void Render_NoData_WritesNullsNotNaN()
    {
        var json = KpiJsonRenderer.Render(KpiReportBuilder.Build([], KpiReportOptions.Default));
        using var document = JsonDocument.Parse(json);
        var csat = document.RootElement.GetProperty("overall").GetProperty("csat");

        Assert.Equal(0, csat.GetProperty("n").GetInt64());
        Assert.Equal(JsonValueKind.Null, csat.GetProperty("rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, csat.GetProperty("ci_lower").ValueKind);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }
}
