using System.Text;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports.Tests.Surveys;

public class SurveyReportRendererTests
{
    [Theory]
    [InlineData(ReportFormat.Table, "Utendaji survey report")]
    [InlineData(ReportFormat.Json, "\"schema\": \"utendaji.survey_report.v1\"")]
    [InlineData(ReportFormat.Csv, "scope,team,period,")]
    [InlineData(ReportFormat.Html, "<!DOCTYPE html>")]
    public void Write_EachFormat_WritesUtf8WithoutBomAndLeavesTheStreamOpen(ReportFormat format, string expected)
    {
        using var stream = new MemoryStream();
        SurveyReportRenderer.Write(SurveySampleData.Grouped(), format, stream, SurveyHtmlOptions.Default);

        Assert.True(stream.CanWrite);
        var bytes = stream.ToArray();
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Contains(SampleData.Urdu, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_UnknownFormat_Throws()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentOutOfRangeException>(() => SurveyReportRenderer.Write(SurveySampleData.Exact(), (ReportFormat)99, stream));
    }
}
