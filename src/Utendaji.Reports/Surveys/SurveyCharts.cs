using System.Globalization;
using System.Text;
using Utendaji.Reports.Charts;

namespace Utendaji.Reports.Surveys;

/// <summary>A signed mean with its interval, drawn as a bar from zero with a whisker (e.g. a SERVQUAL gap P − E).</summary>
/// <param name="Label">The dimension or group.</param>
/// <param name="Mean">The mean; null draws "no data".</param>
/// <param name="Lower">Lower 95% bound; null when there is no interval (n &lt; 2).</param>
/// <param name="Upper">Upper 95% bound.</param>
/// <param name="N">n, written beside the bar.</param>
/// <param name="Small">Draws the bar faded and marks it with an asterisk.</param>
public sealed record SignedIntervalBar(string Label, double? Mean, double? Lower, double? Upper, long N, bool Small);

/// <summary>One bar of the NPS composition chart: the three shares of one group or period.</summary>
/// <param name="Label">The group or period.</param>
/// <param name="Promoters">Answers of 9–10.</param>
/// <param name="Passives">Answers of 7–8.</param>
/// <param name="Detractors">Answers of 0–6.</param>
/// <param name="Score">NPS (−100..100); null when n = 0.</param>
/// <param name="Lower">Lower 95% bound of the NPS.</param>
/// <param name="Upper">Upper 95% bound of the NPS.</param>
/// <param name="Small">Draws the bar faded and marks it with an asterisk.</param>
public sealed record NpsCompositionBar(string Label, long Promoters, long Passives, long Detractors, double? Score, double? Lower, double? Upper, bool Small)
{
    /// <summary>n, all answers.</summary>
    public long N => Promoters + Passives + Detractors;
}

/// <summary>A value with its interval at one x position of a trend; a null value leaves a gap.</summary>
/// <param name="Value">The value.</param>
/// <param name="Lower">Lower 95% bound.</param>
/// <param name="Upper">Upper 95% bound.</param>
/// <param name="N">n.</param>
/// <param name="Small">Draws the point hollow.</param>
public sealed record IntervalPoint(double? Value, double? Lower, double? Upper, long N, bool Small);

/// <summary>A named series of an interval trend chart, one point per x label.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Points">One point per x label.</param>
public sealed record IntervalSeries(string Name, IReadOnlyList<IntervalPoint> Points);

/// <summary>
/// The survey report's SVG charts, built like <see cref="Svg"/>'s: no script, every text escaped, a title and axis
/// labels, an accessible name, Okabe–Ito colours, intervals drawn as whiskers and n written beside each value.
/// </summary>
public static class SurveyCharts
{
    private const int Width = 720;
    private const int Top = 56;
    private const int Bottom = 64;
    private const string Negative = "#D55E00";
    private const string Positive = "#009E73";
    private const string Passive = "#BBBBBB";

    /// <summary>
    /// Horizontal bars of signed means (e.g. the SERVQUAL gap P − E per dimension) from a zero line, each with its 95%
    /// interval as a whisker and its n beside it. Bars below zero (service short of expectations) are vermillion, above
    /// bluish green.
    /// </summary>
    public static string SignedIntervalChart(string title, IReadOnlyList<SignedIntervalBar> bars, string axisLabel, bool standalone = false)
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int labelWidth = 190;
        const int rowHeight = 26;
        const int textWidth = 170;
        var plotWidth = Width - labelWidth - textWidth;
        var plotHeight = Math.Max(1, bars.Count) * rowHeight;
        var height = Top + plotHeight + Bottom;
        var values = bars.SelectMany(b => new[] { b.Mean, b.Lower, b.Upper }).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).Append(0).ToArray();
        var (lo, hi) = (values.Min(), values.Max());
        if (!(hi > lo))
        {
            (lo, hi) = (-1, 1);
        }

        var ticks = NiceTicks(lo, hi);
        var (min, max) = (ticks[0], ticks[^1]);
        var svg = Svg.Open(title, Width, height, standalone);
        double X(double v) => labelWidth + ((Math.Clamp(v, min, max) - min) / (max - min) * plotWidth);

        foreach (var tick in ticks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.N(X(tick))}\" y1=\"{Top}\" x2=\"{Svg.N(X(tick))}\" y2=\"{Top + plotHeight}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.N(X(tick))}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\" class=\"tick\">{Markup.Escape(SurveyFormat.Signed(tick, "0.##"))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.N(X(0))}\" y1=\"{Top - 4}\" x2=\"{Svg.N(X(0))}\" y2=\"{Top + plotHeight + 4}\" stroke=\"#333\" stroke-width=\"1.5\"/>");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = Top + (i * rowHeight);
            var mid = y + (rowHeight / 2.0);
            Label(svg, labelWidth - 8, mid, bar.Label);
            if (bar.Mean is not { } mean || !double.IsFinite(mean))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.N(X(0) + 4)}\" y=\"{Svg.N(mid + 4)}\" class=\"note\">no data (n={bar.N})</text>");
                continue;
            }

            var caption = string.Create(CultureInfo.InvariantCulture, $"{SurveyFormat.Signed(mean, "0.00")} (n={bar.N}){(bar.Small ? " *" : string.Empty)}");
            var detail = bar.Lower is { } l && bar.Upper is { } u
                ? $"{bar.Label}: {SurveyFormat.Signed(mean, "0.00")}, n={bar.N}, 95% CI {SurveyFormat.Signed(l, "0.00")} to {SurveyFormat.Signed(u, "0.00")}"
                : $"{bar.Label}: {caption}";
            var (x0, x1) = (Math.Min(X(0), X(mean)), Math.Max(X(0), X(mean)));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Svg.N(x0)}\" y=\"{y + 5}\" width=\"{Svg.N(Math.Max(1, x1 - x0))}\" height=\"{rowHeight - 10}\" fill=\"{(mean < 0 ? Negative : Positive)}\" fill-opacity=\"{(bar.Small ? "0.45" : "1")}\"><title>{Markup.Escape(detail)}</title></rect>");
            if (bar.Lower is { } lower && bar.Upper is { } upper)
            {
                Whisker(svg, X(lower), X(upper), mid, horizontal: true);
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + plotWidth + 8}\" y=\"{Svg.N(mid + 4)}\" class=\"note\">{Markup.Escape(caption)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.N(labelWidth + (plotWidth / 2.0))}\" y=\"{height - 16}\" text-anchor=\"middle\" class=\"axis\">{Markup.Escape(axisLabel)}</text>");
        return Svg.Close(svg);
    }

    /// <summary>
    /// One 100% stacked bar per group or period: detractors, passives, promoters from left to right, each segment with
    /// its share, and the NPS with its interval and n beside the bar.
    /// </summary>
    public static string NpsCompositionChart(string title, IReadOnlyList<NpsCompositionBar> bars, string axisLabel, bool standalone = false)
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int labelWidth = 190;
        const int rowHeight = 28;
        const int textWidth = 190;
        var plotWidth = Width - labelWidth - textWidth;
        var plotHeight = Math.Max(1, bars.Count) * rowHeight;
        var height = Top + plotHeight + Bottom;
        var svg = Svg.Open(title, Width, height, standalone);
        double X(double share) => labelWidth + (Math.Clamp(share, 0, 1) * plotWidth);

        // Legend under the title.
        var legend = new[] { ("Detractors 0–6", Negative), ("Passives 7–8", Passive), ("Promoters 9–10", Positive) };
        for (var k = 0; k < legend.Length; k++)
        {
            var lx = labelWidth + (k * 150);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"30\" width=\"12\" height=\"12\" fill=\"{legend[k].Item2}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 16}\" y=\"40\" class=\"legend\">{Markup.Escape(legend[k].Item1)}</text>");
        }

        foreach (var tick in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.N(X(tick))}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\" class=\"tick\">{tick * 100:0}%</text>");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = Top + (i * rowHeight);
            var mid = y + (rowHeight / 2.0);
            Label(svg, labelWidth - 8, mid, bar.Label);
            if (bar.N == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + 4}\" y=\"{Svg.N(mid + 4)}\" class=\"note\">no data (n=0)</text>");
                continue;
            }

            double n = bar.N;
            var start = 0.0;
            foreach (var (name, count, colour) in new[] { ("detractors", bar.Detractors, Negative), ("passives", bar.Passives, Passive), ("promoters", bar.Promoters, Positive) })
            {
                var share = count / n;
                if (count > 0)
                {
                    var x = X(start);
                    var w = X(start + share) - x;
                    var text = string.Create(CultureInfo.InvariantCulture, $"{bar.Label}: {name} {count} of {bar.N} ({share * 100:0.0}%)");
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Svg.N(x)}\" y=\"{y + 4}\" width=\"{Svg.N(w)}\" height=\"{rowHeight - 8}\" fill=\"{colour}\" fill-opacity=\"{(bar.Small ? "0.5" : "1")}\"><title>{Markup.Escape(text)}</title></rect>");
                    if (w >= 34)
                    {
                        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.N(x + (w / 2))}\" y=\"{Svg.N(mid + 4)}\" text-anchor=\"middle\" fill=\"#111\" font-size=\"11\">{share * 100:0}%</text>");
                    }
                }

                start += share;
            }

            var score = bar.Score is { } s ? SurveyFormat.Signed(s, "0") : Format.Dash;
            var ci = bar.Lower is { } lo && bar.Upper is { } hi ? $" [{SurveyFormat.Signed(lo, "0")}, {SurveyFormat.Signed(hi, "0")}]" : string.Empty;
            var caption = string.Create(CultureInfo.InvariantCulture, $"NPS {score}{ci} n={bar.N}{(bar.Small ? " *" : string.Empty)}");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + plotWidth + 8}\" y=\"{Svg.N(mid + 4)}\" class=\"note\">{Markup.Escape(caption)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.N(labelWidth + (plotWidth / 2.0))}\" y=\"{height - 16}\" text-anchor=\"middle\" class=\"axis\">{Markup.Escape(axisLabel)}</text>");
        return Svg.Close(svg);
    }

    /// <summary>
    /// Values over x labels (e.g. CSAT per period) as points joined by lines, each with its 95% interval as a vertical
    /// whisker; small-n points are hollow. Series are offset a little sideways so their whiskers do not overlap.
    /// </summary>
    public static string IntervalTrendChart(
        string title,
        IReadOnlyList<string> xLabels,
        IReadOnlyList<IntervalSeries> series,
        string xAxisLabel,
        string yAxisLabel,
        double yMin,
        double yMax,
        Func<double, string> yTickFormat,
        bool standalone = false)
    {
        ArgumentNullException.ThrowIfNull(xLabels);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(yTickFormat);
        if (!(yMax > yMin))
        {
            yMax = yMin + 1;
        }

        const int left = 70;
        const int right = 20;
        const int height = 340;
        var plotWidth = Width - left - right;
        var plotHeight = height - Top - Bottom;
        var svg = Svg.Open(title, Width, height, standalone);
        foreach (var tick in Svg.Ticks(yMin, yMax, 5).Where(t => t <= yMax + 1e-9))
        {
            var ty = Top + plotHeight - ((tick - yMin) / (yMax - yMin) * plotHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Svg.N(ty)}\" x2=\"{left + plotWidth}\" y2=\"{Svg.N(ty)}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Svg.N(ty + 4)}\" text-anchor=\"end\" class=\"tick\">{Markup.Escape(yTickFormat(tick))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Top + plotHeight}\" x2=\"{left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"#333\"/>");
        var slot = plotWidth / (double)Math.Max(1, xLabels.Count);
        double X(int i, int s) => left + (slot * (i + 0.5)) + ((s - ((series.Count - 1) / 2.0)) * Math.Min(8, slot / (2.0 * Math.Max(1, series.Count))));
        double Y(double v) => Top + plotHeight - ((Math.Clamp(v, yMin, yMax) - yMin) / (yMax - yMin) * plotHeight);

        var every = Math.Max(1, (int)Math.Ceiling(xLabels.Count / 12.0));
        for (var i = 0; i < xLabels.Count; i += every)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.N(left + (slot * (i + 0.5)))}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\" class=\"tick\">{Markup.Escape(xLabels[i])}</text>");
        }

        for (var s = 0; s < series.Count; s++)
        {
            var colour = Svg.Palette[s % Svg.Palette.Length];
            var points = series[s].Points;
            var line = new List<string>();
            void Flush()
            {
                if (line.Count > 1)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', line)}\"/>");
                }

                line.Clear();
            }

            for (var i = 0; i < Math.Min(points.Count, xLabels.Count); i++)
            {
                if (points[i].Value is not { } v || !double.IsFinite(v))
                {
                    Flush();
                    continue;
                }

                line.Add(Svg.N(X(i, s)) + "," + Svg.N(Y(v)));
            }

            Flush();
            for (var i = 0; i < Math.Min(points.Count, xLabels.Count); i++)
            {
                var p = points[i];
                if (p.Value is not { } v || !double.IsFinite(v))
                {
                    continue;
                }

                if (p.Lower is { } lo && p.Upper is { } hi)
                {
                    Whisker(svg, Y(lo), Y(hi), X(i, s), horizontal: false, colour);
                }

                var ci = p.Lower is { } l && p.Upper is { } u ? $", 95% CI {yTickFormat(l)}–{yTickFormat(u)}" : string.Empty;
                var text = string.Create(CultureInfo.InvariantCulture, $"{series[s].Name}, {xLabels[i]}: {yTickFormat(v)} (n={p.N}{ci}){(p.Small ? " *" : string.Empty)}");
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Svg.N(X(i, s))}\" cy=\"{Svg.N(Y(v))}\" r=\"4\" fill=\"{(p.Small ? "#fff" : colour)}\" stroke=\"{colour}\" stroke-width=\"2\"><title>{Markup.Escape(text)}</title></circle>");
            }

            var lx = left + (s % 3 * 210);
            var ly = 40 + (s / 3 * 14) - 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 22}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 28}\" y=\"{ly + 4}\" class=\"legend\">{Markup.Escape(series[s].Name)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{height - 16}\" text-anchor=\"middle\" class=\"axis\">{Markup.Escape(xAxisLabel)}</text>");
        var cy = Top + (plotHeight / 2);
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{cy}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {cy})\" class=\"axis\">{Markup.Escape(yAxisLabel)}</text>");
        return Svg.Close(svg);
    }

    /// <summary>Ticks spanning [lo, hi] on a 1/2/2.5/5 × 10^k step, always including 0 when it lies inside.</summary>
    private static double[] NiceTicks(double lo, double hi)
    {
        var raw = (hi - lo) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var start = Math.Floor(lo / step) * step;
        var ticks = new List<double>();
        for (var v = start; v < hi + step - 1e-12; v += step)
        {
            ticks.Add(Math.Round(v, 10));
        }

        if (ticks.Count < 2)
        {
            ticks.Add(ticks[^1] + step);
        }

        return [.. ticks];
    }

    private static void Label(StringBuilder svg, double x, double mid, string label) =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Svg.N(x)}\" y=\"{Svg.N(mid + 4)}\" text-anchor=\"end\" class=\"label\"><title>{Markup.Escape(label)}</title>{Markup.Escape(Svg.Truncate(label, 28))}</text>");

    private static void Whisker(StringBuilder svg, double from, double to, double at, bool horizontal, string? colour = null)
    {
        var style = colour is null ? " class=\"whisker\"" : $" stroke=\"{colour}\" stroke-width=\"1.5\"";
        if (horizontal)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.N(from)}\" y1=\"{Svg.N(at)}\" x2=\"{Svg.N(to)}\" y2=\"{Svg.N(at)}\"{style}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.N(from)}\" y1=\"{Svg.N(at - 5)}\" x2=\"{Svg.N(from)}\" y2=\"{Svg.N(at + 5)}\"{style}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.N(to)}\" y1=\"{Svg.N(at - 5)}\" x2=\"{Svg.N(to)}\" y2=\"{Svg.N(at + 5)}\"{style}/>");
        }
        else
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.N(at)}\" y1=\"{Svg.N(from)}\" x2=\"{Svg.N(at)}\" y2=\"{Svg.N(to)}\"{style}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.N(at - 4)}\" y1=\"{Svg.N(from)}\" x2=\"{Svg.N(at + 4)}\" y2=\"{Svg.N(from)}\"{style}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Svg.N(at - 4)}\" y1=\"{Svg.N(to)}\" x2=\"{Svg.N(at + 4)}\" y2=\"{Svg.N(to)}\"{style}/>");
        }
    }
}
