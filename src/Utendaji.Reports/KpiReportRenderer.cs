using System.Text;
using Utendaji.Core.Reporting;

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
    public static void Write(KpiReport report, ReportFormat format, Stream stream, HtmlReportOptions? html = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        if (format == ReportFormat.Json)
        {
            KpiJsonRenderer.Write(report, stream);
            return;
        }

        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        switch (format)
        {
            case ReportFormat.Table:
                KpiTableRenderer.Write(report, writer);
                break;
            case ReportFormat.Csv:
                KpiCsvRenderer.Write(report, writer);
                break;
            case ReportFormat.Html:
                KpiHtmlRenderer.Write(report, writer, html);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown report format");
        }

        writer.Flush();
    }
}
