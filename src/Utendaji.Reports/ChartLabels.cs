using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;

namespace Utendaji.Reports;

/// <summary>The labels the HTML report gives groups and histogram bins, for other pages that draw the same charts.</summary>
public static class ChartLabels
{
    /// <summary>A group's label: its values joined with " · ", "(none)" for a missing value, "all" for the total.</summary>
    public static string Group(GroupKey key) => Format.GroupLabel(key);

    /// <summary>The short label of a histogram bin: "15m–30m", "≥ 5d".</summary>
    public static string Bin(HistogramBin bin) => Format.BinLabel(bin);
}
