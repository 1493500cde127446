using Utendaji.Core.Reporting;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Surveys;

/// <summary>A survey report row with its scope, as the table, CSV and HTML show them.</summary>
/// <param name="Scope">Which roll-up the row is.</param>
/// <param name="Row">The figures.</param>
public sealed record SurveyScopedRow(RowScope Scope, SurveyRow Row);

/// <summary>Chooses the survey rows to display so that no row repeats another's figures (the rule of <see cref="ReportRows"/>).</summary>
public static class SurveyReportRows
{
    /// <summary>
    /// Group × period rows, then (when grouped over several periods) per-period totals and per-group totals, then the
    /// grand total unless it equals the only row already shown.
    /// </summary>
    public static IReadOnlyList<SurveyScopedRow> Display(SurveyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var grouped = report.Options.GroupBy.Count > 0;
        var manyPeriods = report.Periods.Count > 1;
        var rows = report.Rows.Select(r => new SurveyScopedRow(RowScope.Group, r)).ToList();
        if (grouped && manyPeriods)
        {
            rows.AddRange(report.ByPeriod.Select(r => new SurveyScopedRow(RowScope.PeriodTotal, r)));
            rows.AddRange(report.ByGroup.Select(r => new SurveyScopedRow(RowScope.GroupTotal, r)));
        }

        if (grouped || manyPeriods || rows.Count == 0)
        {
            rows.Add(new SurveyScopedRow(RowScope.Total, report.Overall));
        }

        return rows;
    }

    /// <summary>The instrument ids of the report in the order the builder was given them (those with any data over the range).</summary>
    public static IReadOnlyList<string> Instruments(SurveyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var ids = new List<string>();
        foreach (var figures in report.Overall.Instruments.Concat(report.Rows.SelectMany(r => r.Instruments)))
        {
            if (!ids.Contains(figures.InstrumentId, StringComparer.Ordinal))
            {
                ids.Add(figures.InstrumentId);
            }
        }

        return ids;
    }

    /// <summary>The figures of <paramref name="instrumentId"/> in <paramref name="row"/>, or null when the row has none.</summary>
    public static InstrumentFigures? Find(SurveyRow row, string instrumentId)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Instruments.FirstOrDefault(i => string.Equals(i.InstrumentId, instrumentId, StringComparison.Ordinal));
    }

    /// <summary>The group cells of a displayed row: its values, "(all)" for totals over groups.</summary>
    internal static IEnumerable<string> GroupCells(SurveyScopedRow row, int dimensions) =>
        row.Scope is RowScope.PeriodTotal or RowScope.Total || row.Row.Group.Values.Count != dimensions
            ? Enumerable.Repeat("(all)", dimensions)
            : row.Row.Group.Values.Select(Format.Value);
}
