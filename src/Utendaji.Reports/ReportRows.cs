using Utendaji.Core.Reporting;

namespace Utendaji.Reports;

/// <summary>Which roll-up a displayed row is.</summary>
public enum RowScope
{
    /// <summary>One group in one period.</summary>
    Group,
    /// <summary>All groups in one period.</summary>
    PeriodTotal,
    /// <summary>One group over the whole range.</summary>
    GroupTotal,
    /// <summary>All groups over the whole range.</summary>
    Total,
}

/// <summary>A report row with its scope, as the table, CSV and HTML show them.</summary>
/// <param name="Scope">Which roll-up the row is.</param>
/// <param name="Row">The figures.</param>
public sealed record ScopedRow(RowScope Scope, KpiRow Row);

/// <summary>Chooses the rows to display so that no row repeats another's figures.</summary>
public static class ReportRows
{
    /// <summary>
    /// Group × period rows, then (when grouped) per-period totals, then (when grouped over several periods)
    /// per-group totals, then the grand total unless it equals the only row already shown.
    /// </summary>
    public static IReadOnlyList<ScopedRow> Display(KpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var grouped = report.Options.GroupBy.Count > 0;
        var manyPeriods = report.Periods.Count > 1;
        var rows = report.Rows.Select(r => new ScopedRow(RowScope.Group, r)).ToList();
        if (grouped && manyPeriods)
        {
            rows.AddRange(report.ByPeriod.Select(r => new ScopedRow(RowScope.PeriodTotal, r)));
            rows.AddRange(report.ByGroup.Select(r => new ScopedRow(RowScope.GroupTotal, r)));
        }

        if (grouped || manyPeriods || rows.Count == 0)
        {
            rows.Add(new ScopedRow(RowScope.Total, report.Overall));
        }

        return rows;
    }
}
