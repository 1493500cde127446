using System.Text;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Surveys;

/// <summary>One entry point for the CLI: renders a survey report in any format as UTF-8 (no byte-order mark).</summary>
public static class SurveyReportRenderer
{
    /// <summary>Writes <paramref name="report"/> in <paramref name="format"/> to <paramref name="stream"/> (left open).</summary>
    /// <param name="report">The survey report.</param>
    /// <param name="format">Table, JSON, CSV or HTML.</param>
    /// <param name="stream">Where to write; not closed.</param>
    /// <param name="html">Page title, language, instrument titles, comments and texts needing review; HTML only.</param>
    public static void Write(SurveyReport report, ReportFormat format, Stream stream, SurveyHtmlOptions? html = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        if (format == ReportFormat.Json)
        {
            SurveyJsonRenderer.Write(report, stream);
            return;
        }

        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        switch (format)
        {
            case ReportFormat.Table:
                SurveyTableRenderer.Write(report, writer);
                break;
            case ReportFormat.Csv:
                SurveyCsvRenderer.Write(report, writer);
                break;
            case ReportFormat.Html:
                SurveyHtmlRenderer.Write(report, writer, html);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown report format");
        }

        writer.Flush();
    }
}
