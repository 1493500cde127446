using Utendaji.Core.Reporting;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports;

/// <summary>Renders the KPI report as aligned plain-text tables for a terminal.</summary>
public static class KpiTableRenderer
{
    /// <summary>Writes the report: a heading with the definitions used, then volume, time, SLA and quality tables.</summary>
    /// <param name="report">The KPI report.</param>
    /// <param name="writer">Where to write.</param>
    /// <param name="survey">When given, a last table shows survey CSAT and NPS of the same group and period.</param>
    public static void Write(KpiReport report, TextWriter writer, SurveyColumns? survey = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var options = report.Options;
        var rows = ReportRows.Display(report);

        writer.WriteLine("Utendaji KPI report");
        writer.WriteLine($"Range: {Describe(report.Range)}  ·  time zone {options.TimeZone.Id}  ·  period {Format.PeriodName(options.Period)}"
            + $"  ·  by {(options.GroupBy.Count == 0 ? "(no grouping)" : string.Join(", ", options.GroupBy.Select(Format.DimensionName)))}");
        writer.WriteLine($"Medians and p90: {Format.QuantileDescription(options.Quantile)}. Rates: 95% Wilson score interval."
            + $" CSAT: rating ≥ {options.SatisfiedMinimum} of 5. * = n below {options.MinimumN}; small groups are flagged, not hidden.");
        writer.WriteLine();

        Section(writer, "Volume", report, rows, ["created", "solved", "backlog at end", "flag"], [true, true, true, false], r =>
        [
            Format.Number(r.Row.Figures.Created),
            Format.Number(r.Row.Figures.Solved),
            Format.Number(r.Row.Figures.BacklogAtEnd),
            r.Row.SmallGroup ? "small" : string.Empty,
        ]);

        string[] timeHeaders = ["n", "median", "p90", "mean", "n (cal)", "median (cal)", "p90 (cal)", "mean (cal)"];
        bool[] timeAlign = [true, true, true, true, true, true, true, true];
        Section(writer, "First reply time — business hours | calendar time (tickets created in the period)", report, rows, timeHeaders, timeAlign,
            r => Times(r.Row.Figures.FirstReply, report));
        Section(writer, "Full resolution time — business hours | calendar time (tickets solved in the period)", report, rows, timeHeaders, timeAlign,
            r => Times(r.Row.Figures.FullResolution, report));
        Section(writer, "SLA attainment — met ÷ (met + breached)", report, rows, ["first reply", "next reply", "resolution"], [false, false, false], r =>
        [
            Format.Rate(r.Row.Figures.SlaFirstReply, report),
            Format.Rate(r.Row.Figures.SlaNextReply, report),
            Format.Rate(r.Row.Figures.SlaResolution, report),
        ]);
        Section(writer, "Quality — among tickets solved in the period", report, rows, ["first-contact resolution", "reopened", "CSAT"], [false, false, false], r =>
        [
            Format.Rate(r.Row.Figures.FirstContactResolution, report),
            Format.Rate(r.Row.Figures.Reopened, report),
            Format.Rate(r.Row.Figures.Satisfied, report),
        ]);
        if (survey is not null)
        {
            Section(writer, $"Survey — CSAT ({survey.CsatSource}) and NPS ({survey.NpsSource}), responses submitted in the period; * = n below {survey.MinimumN}", report, rows, ["survey CSAT", "NPS"], [false, false], r =>
            {
                var s = survey.Find(r.Row);
                return [SurveyFormat.Rate(s.Csat, survey.MinimumN), SurveyFormat.Nps(s.Nps, survey.MinimumN)];
            });
        }
    }

    /// <summary>The report as one string.</summary>
    public static string Render(KpiReport report, SurveyColumns? survey = null)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(report, writer, survey);
        return writer.ToString();
    }

    private static string[] Times(DurationFigures figures, KpiReport report)
    {
        var b = figures.Business;
        var c = figures.Calendar;
        return
        [
            Format.Number(b.Count) + (b.Count > 0 && report.IsSmall(b.Count) ? " *" : string.Empty),
            Format.Duration(b.Median), Format.Duration(b.P90), Format.Duration(b.Mean),
            Format.Number(c.Count),
            Format.Duration(c.Median), Format.Duration(c.P90), Format.Duration(c.Mean),
        ];
    }

    private static void Section(
        TextWriter writer,
        string title,
        KpiReport report,
        IReadOnlyList<ScopedRow> rows,
        string[] headers,
        bool[] rightAligned,
        Func<ScopedRow, string[]> cells)
    {
        var dimensions = report.Options.GroupBy;
        var leading = dimensions.Select(Format.DimensionName).Append("period").ToArray();
        var table = new TextTable(
            [.. leading, .. headers],
            [.. leading.Select(_ => false), .. rightAligned]);
        foreach (var row in rows)
        {
            var groupCells = row.Scope is RowScope.PeriodTotal or RowScope.Total
                ? dimensions.Select(_ => "(all)")
                : row.Row.Group.Values.Select(Format.Value);
            table.Add([.. groupCells, row.Row.Period.Label, .. cells(row)]);
        }

        writer.WriteLine(title);
        table.Write(writer);
        writer.WriteLine();
    }

    private static string Describe(ReportPeriod range) =>
        range.Start is null && range.End is null
            ? "all data"
            : $"{(range.Start is null ? "…" : Format.Instant(range.Start))} to {(range.End is null ? "…" : Format.Instant(range.End))} (end exclusive)";
}
