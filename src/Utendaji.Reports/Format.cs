using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;

namespace Utendaji.Reports;

/// <summary>Shared wording and number formats of the renderers (invariant culture throughout).</summary>
internal static class Format
{
    public const string Dash = "—";

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Instant(Instant? at) => at is { } value ? InstantPattern.ExtendedIso.Format(value) : string.Empty;

    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>"87.5% (n=120, 95% CI 80.4–92.3)"; "—" when n = 0; a trailing " *" when n is small.</summary>
    public static string Rate(Proportion proportion, KpiReport report)
    {
        if (proportion.Rate is not { } rate || proportion.Wilson95 is not { } ci)
        {
            return Dash;
        }

        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{Percent(rate)}% (n={proportion.Trials}, 95% CI {Percent(ci.Lower)}–{Percent(ci.Upper)})");
        return report.IsSmall(proportion.Trials) ? text + " *" : text;
    }

    /// <summary>Compact human duration: "42s", "12m 05s", "3h 07m", "2d 04h"; "—" for null.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s)
        {
            return Dash;
        }

        var sign = s < 0 ? "-" : string.Empty;
        var total = (long)Math.Round(Math.Abs(s), MidpointRounding.AwayFromZero);
        var inv = CultureInfo.InvariantCulture;
        return total switch
        {
            < 60 => string.Create(inv, $"{sign}{total}s"),
            < 3600 => string.Create(inv, $"{sign}{total / 60}m {total % 60:00}s"),
            < 86400 => string.Create(inv, $"{sign}{total / 3600}h {total % 3600 / 60:00}m"),
            _ => string.Create(inv, $"{sign}{total / 86400}d {total % 86400 / 3600:00}h"),
        };
    }

    public static string DimensionName(GroupDimension dimension) => Snake(dimension.ToString());

    public static string PeriodName(PeriodGranularity period) => Snake(period.ToString());

    /// <summary>PascalCase to snake_case: OnHold → on_hold.</summary>
    public static string Snake(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    public static string QuantileName(QuantileDefinition definition) => definition switch
    {
        QuantileDefinition.Linear => "hyndman_fan_7",
        QuantileDefinition.InvertedCdf => "hyndman_fan_1",
        QuantileDefinition.Weibull => "hyndman_fan_6",
        _ => Snake(definition.ToString()),
    };

    public static string QuantileDescription(QuantileDefinition definition) => definition switch
    {
        QuantileDefinition.Linear => "Hyndman–Fan type 7 (R default, NumPy 'linear')",
        QuantileDefinition.InvertedCdf => "Hyndman–Fan type 1 (inverted CDF)",
        QuantileDefinition.Weibull => "Hyndman–Fan type 6 (Weibull, Excel PERCENTILE.EXC)",
        _ => definition.ToString(),
    };

    public static string GroupLabel(GroupKey key) => key.Values.Count == 0 ? "all" : key.ToString();

    public static string Value(string? value) => value ?? "(none)";

    /// <summary>The short label of a histogram bin: "15m–30m", "≥ 5d".</summary>
    public static string BinLabel(HistogramBin bin) =>
        bin.Upper is { } upper ? ShortDuration(bin.Lower) + "–" + ShortDuration(upper) : "≥ " + ShortDuration(bin.Lower);

    private static string ShortDuration(double seconds)
    {
        var inv = CultureInfo.InvariantCulture;
        return seconds switch
        {
            0 => "0",
            < 3600 => string.Create(inv, $"{seconds / 60:0.##}m"),
            < 86400 => string.Create(inv, $"{seconds / 3600:0.##}h"),
            _ => string.Create(inv, $"{seconds / 86400:0.##}d"),
        };
    }
}
