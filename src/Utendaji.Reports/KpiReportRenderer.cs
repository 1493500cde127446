using System.Text;
using Utendaji.Core.Reporting;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports;

/// <summary>The output formats of <c>utendaji report</c>.</summary>
public enum ReportFormat
{
    /// <summary>Aligned plain-text tables for a terminal.</summary>
    Table,
    /// <summary>JSON, schema in docs/metrics.md.</summary>
    Json,
    /// <summary>RFC 4180 CSV, one row per group × period plus roll-ups.</summary>
    Csv,
    /// <summary>One self-contained HTML file with SVG charts.</summary>
    Html,
}

/// <summary>One entry point for the CLI: renders a KPI report in any format as UTF-8 (no byte-order mark).</summary>
public static class KpiReportRenderer
{
    /// <summary>Writes <paramref name="report"/> in <paramref name="format"/> to <paramref name="stream"/> (left open).</summary>
    /// <param name="report">The KPI report.</param>
    /// <param name="format">Table, JSON, CSV or HTML.</param>
    /// <param name="stream">Where to write; not closed.</param>
    /// <param name="html">Page options; HTML only.</param>
    /// <param name="survey">Survey CSAT and NPS columns beside the ticket KPIs of the same group and period; null = none (output unchanged).</param>
    public static void Write(KpiReport report, ReportFormat format, Stream stream, HtmlReportOptions? html = null, SurveyColumns? survey = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        if (format == ReportFormat.Json)
        {
            KpiJsonRenderer.Write(report, stream, survey: survey);
            return;
        }

        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        switch (format)
        {
            case ReportFormat.Table:
                KpiTableRenderer.Write(report, writer, survey);
                break;
            case ReportFormat.Csv:
                KpiCsvRenderer.Write(report, writer, survey);
                break;
            case ReportFormat.Html:
                KpiHtmlRenderer.Write(report, writer, html, survey);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown report format");
        }

        writer.Flush();
    }
}
