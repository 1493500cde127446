using System.Globalization;
using Utendaji.Core.Reporting;

namespace Utendaji.Reports.Tests;

public class KpiCsvRendererTests
{
    [Fact]
    public void Render_OneRowPerGroupAndPeriod_ValuesRoundTrip()
    {
        var report = SampleData.Report(PeriodGranularity.Week, GroupDimension.Team, GroupDimension.Channel);
        var rows = CsvReader.Parse(KpiCsvRenderer.Render(report));
        var header = rows[0];

        Assert.Equal(KpiCsvRenderer.Columns(report.Options.GroupBy), header);
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
        var groupRows = rows.Skip(1).Where(r => r[0] == "group").ToList();
        Assert.Equal(report.Rows.Count, groupRows.Count);
        for (var i = 0; i < report.Rows.Count; i++)
        {
            var expected = report.Rows[i];
            var line = header.Zip(groupRows[i]).ToDictionary(p => p.First, p => p.Second);
            Assert.Equal(expected.Group.Values[0], line["team"]);
            Assert.Equal(expected.Period.Label, line["period"]);
            Assert.Equal(expected.Figures.Solved, long.Parse(line["solved"], CultureInfo.InvariantCulture));
            AssertNumber(expected.Figures.FullResolution.Business.P90, line["full_resolution_business_p90_seconds"]);
            AssertNumber(expected.Figures.FirstReply.Calendar.Mean, line["first_reply_calendar_mean_seconds"]);
            AssertNumber(expected.Figures.Satisfied.Rate, line["csat_rate"]);
            AssertNumber(expected.Figures.Satisfied.Wilson95?.Lower, line["csat_ci_lower"]);
            Assert.Equal(expected.SmallGroup ? "true" : "false", line["small_group"]);
        }

        Assert.Contains(rows, r => r[0] == "period_total");
        Assert.Contains(rows, r => r[0] == "group_total");
        Assert.Single(rows, r => r[0] == "total");
    }

    [Fact]
    public void Render_UngroupedSinglePeriod_HasOneDataRow()
    {
        var rows = CsvReader.Parse(KpiCsvRenderer.Render(SampleData.Report(PeriodGranularity.None)));
        Assert.Equal(2, rows.Count);
        Assert.Equal("group", rows[1][0]);
    }

    private static void AssertNumber(double? expected, string actual)
    {
        if (expected is { } e)
        {
            Assert.Equal(e, double.Parse(actual, CultureInfo.InvariantCulture));
        }
        else
        {
            Assert.Equal(string.Empty, actual);
        }
    }
}
