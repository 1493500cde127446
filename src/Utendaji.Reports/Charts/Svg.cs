using System.Globalization;
using System.Text;

namespace Utendaji.Reports.Charts;

/// <summary>A named series of a line chart; a null value leaves a gap.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Values">One value per x label.</param>
/// <param name="Links">Optional: per x label, where a point links to (e.g. the tickets behind it); null draws no link.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values, IReadOnlyList<string?>? Links = null);

/// <summary>A bar with a confidence interval whisker, e.g. an SLA attainment rate of one group.</summary>
/// <param name="Label">The group's name.</param>
/// <param name="Value">The rate in [0, 1]; null draws no bar ("no data").</param>
/// <param name="Lower">Lower interval bound in [0, 1].</param>
/// <param name="Upper">Upper interval bound in [0, 1].</param>
/// <param name="N">The sample size shown beside the bar.</param>
/// <param name="Small">Draws the bar faded and marks it with an asterisk.</param>
/// <param name="Href">Optional: where the bar links to (e.g. the tickets behind it).</param>
public sealed record IntervalBar(string Label, double? Value, double? Lower, double? Upper, long N, bool Small, string? Href = null);

/// <summary>A vertical bar, e.g. one histogram bin.</summary>
/// <param name="Label">Text under the bar.</param>
/// <param name="Value">Height of the bar.</param>
/// <param name="Href">Optional: where the bar links to (e.g. the tickets behind it).</param>
public sealed record ColumnBar(string Label, double Value, string? Href = null);

/// <summary>
/// Small SVG chart builders: our own, so the HTML report, the web app and exported files draw the same pictures
/// with no JavaScript and nothing fetched. Every text is escaped; each chart carries a title and axis labels, and an
/// accessible name (<c>role="img"</c>, <c>&lt;title&gt;</c>). Inline charts omit the xmlns declaration, which HTML
/// supplies; pass <c>standalone: true</c> for a separate .svg file.
/// </summary>
public static class Svg
{
    /// <summary>
    /// The style element every chart carries, the same text in each. A page with a Content-Security-Policy allows it
    /// by its hash (<c>style-src 'sha256-…'</c> of this text).
    /// </summary>
    public const string StyleSheet = ".tick,.note{fill:#444;font-size:11px}.axis{fill:#222;font-size:12px}.legend,.label{fill:#222}.grid{stroke:#ddd;stroke-width:1}.whisker{stroke:#111;stroke-width:1.5}.heading{font-size:15px;font-weight:600;fill:#111}";

    /// <summary>Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.</summary>
    internal static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
    private static readonly string[] Dashes = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

    private const int Width = 720;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 56;
    private const int Bottom = 64;

    /// <summary>A line chart of several series over the same x labels (e.g. KPI trends per period).</summary>
    public static string LineChart(
        string title,
        IReadOnlyList<string> xLabels,
        IReadOnlyList<ChartSeries> series,
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

        const int height = 340;
        var plotWidth = Width - Left - Right;
        var plotHeight = height - Top - Bottom;
        var svg = Open(title, Width, height, standalone);
        YAxis(svg, Ticks(yMin, yMax, 5), yMin, yMax, plotHeight, plotWidth, yTickFormat);
        // Each label owns an equal slot and its point sits in the slot's middle, so the first and last labels stay inside.
        double X(int i) => Left + (plotWidth * (i + 0.5) / Math.Max(1, xLabels.Count));
        double Y(double v) => Top + plotHeight - ((Math.Clamp(v, yMin, yMax) - yMin) / (yMax - yMin) * plotHeight);

        var every = Math.Max(1, (int)Math.Ceiling(xLabels.Count / 12.0));
        for (var i = 0; i < xLabels.Count; i += every)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(i))}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\" class=\"tick\">{Markup.Escape(xLabels[i])}</text>");
        }

        for (var s = 0; s < series.Count; s++)
        {
            var colour = Palette[s % Palette.Length];
            var dash = Dashes[s % Dashes.Length];
            var values = series[s].Values;
            var points = new List<string>();
            void Flush()
            {
                if (points.Count > 1)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : string.Empty)} points=\"{string.Join(' ', points)}\"/>");
                }

                points.Clear();
            }

            for (var i = 0; i < Math.Min(values.Count, xLabels.Count); i++)
            {
                if (values[i] is not { } v || !double.IsFinite(v))
                {
                    Flush();
                    continue;
                }

                points.Add(N(X(i)) + "," + N(Y(v)));
                var link = series[s].Links is { } links && i < links.Count ? links[i] : null;
                svg.Append(LinkOpen(link));
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(X(i))}\" cy=\"{N(Y(v))}\" r=\"{(link is null ? "3" : "5")}\" fill=\"{colour}\"><title>{Markup.Escape($"{series[s].Name}, {xLabels[i]}: {yTickFormat(v)}")}</title></circle>");
                svg.Append(LinkClose(link));
            }

            Flush();

            // Legend: a short sample of the line and the series name, in rows under the title.
            var lx = Left + (s % 3 * 210);
            var ly = 40 + (s / 3 * 14) - 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 22}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : string.Empty)}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 28}\" y=\"{ly + 4}\" class=\"legend\">{Markup.Escape(series[s].Name)}</text>");
        }

        AxisLabels(svg, xAxisLabel, yAxisLabel, height, plotHeight);
        return Close(svg);
    }

    /// <summary>A vertical bar chart with one bar per label (e.g. a histogram with one bar per bin).</summary>
    public static string ColumnChart(string title, IReadOnlyList<ColumnBar> bars, string xAxisLabel, string yAxisLabel, bool standalone = false)
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int height = 340;
        var plotWidth = Width - Left - Right;
        var plotHeight = height - Top - Bottom;
        var max = bars.Count == 0 ? 1 : Math.Max(1, bars.Max(b => b.Value));
        var ticks = Ticks(0, max, 5);
        var yMax = ticks[^1];
        var svg = Open(title, Width, height, standalone);
        YAxis(svg, ticks, 0, yMax, plotHeight, plotWidth, v => v.ToString("#,0.##", CultureInfo.InvariantCulture));
        var slot = bars.Count == 0 ? plotWidth : plotWidth / (double)bars.Count;
        for (var i = 0; i < bars.Count; i++)
        {
            var h = bars[i].Value / yMax * plotHeight;
            var x = Left + (i * slot) + (slot * 0.1);
            svg.Append(LinkOpen(bars[i].Href));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(Top + plotHeight - h)}\" width=\"{N(slot * 0.8)}\" height=\"{N(h)}\" fill=\"{Palette[0]}\"><title>{Markup.Escape($"{bars[i].Label}: {bars[i].Value.ToString("#,0.##", CultureInfo.InvariantCulture)}")}</title></rect>");
            svg.Append(LinkClose(bars[i].Href));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left + (i * slot) + (slot / 2))}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\" class=\"tick\">{Markup.Escape(bars[i].Label)}</text>");
        }

        AxisLabels(svg, xAxisLabel, yAxisLabel, height, plotHeight);
        return Close(svg);
    }

    /// <summary>
    /// Horizontal bars of rates in [0, 1], one per label, each with its confidence interval drawn as a whisker and
    /// its n written beside it (e.g. SLA attainment by group).
    /// </summary>
    public static string IntervalBarChart(string title, IReadOnlyList<IntervalBar> bars, string axisLabel, bool standalone = false)
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int labelWidth = 200;
        const int rowHeight = 26;
        const int textWidth = 150;
        var plotLeft = labelWidth;
        var plotWidth = Width - labelWidth - textWidth;
        var plotHeight = Math.Max(1, bars.Count) * rowHeight;
        var height = Top + plotHeight + Bottom;
        var svg = Open(title, Width, height, standalone);
        double X(double v) => plotLeft + (Math.Clamp(v, 0, 1) * plotWidth);

        foreach (var tick in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(tick))}\" y1=\"{Top}\" x2=\"{N(X(tick))}\" y2=\"{Top + plotHeight}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(tick))}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\" class=\"tick\">{tick * 100:0}%</text>");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = Top + (i * rowHeight);
            var mid = y + (rowHeight / 2.0);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotLeft - 8}\" y=\"{N(mid + 4)}\" text-anchor=\"end\" class=\"label\"><title>{Markup.Escape(bar.Label)}</title>{Markup.Escape(Truncate(bar.Label, 28))}</text>");
            if (bar.Value is not { } value)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotLeft + 4}\" y=\"{N(mid + 4)}\" class=\"note\">no data (n=0)</text>");
                continue;
            }

            var opacity = bar.Small ? "0.45" : "1";
            var caption = string.Create(CultureInfo.InvariantCulture, $"{value * 100:0.0}% (n={bar.N}){(bar.Small ? " *" : string.Empty)}");
            var detail = bar.Lower is { } lo && bar.Upper is { } hi
                ? string.Create(CultureInfo.InvariantCulture, $"{bar.Label}: {value * 100:0.0}%, n={bar.N}, 95% CI {lo * 100:0.0}–{hi * 100:0.0}%")
                : $"{bar.Label}: {caption}";
            svg.Append(LinkOpen(bar.Href));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{plotLeft}\" y=\"{y + 5}\" width=\"{N(X(value) - plotLeft)}\" height=\"{rowHeight - 10}\" fill=\"{Palette[0]}\" fill-opacity=\"{opacity}\"><title>{Markup.Escape(detail)}</title></rect>");
            svg.Append(LinkClose(bar.Href));
            if (bar.Lower is { } lower && bar.Upper is { } upper)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(lower))}\" y1=\"{N(mid)}\" x2=\"{N(X(upper))}\" y2=\"{N(mid)}\" class=\"whisker\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(lower))}\" y1=\"{N(mid - 5)}\" x2=\"{N(X(lower))}\" y2=\"{N(mid + 5)}\" class=\"whisker\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(upper))}\" y1=\"{N(mid - 5)}\" x2=\"{N(X(upper))}\" y2=\"{N(mid + 5)}\" class=\"whisker\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{plotLeft + plotWidth + 8}\" y=\"{N(mid + 4)}\" class=\"note\">{Markup.Escape(caption)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(plotLeft + (plotWidth / 2.0))}\" y=\"{height - 16}\" text-anchor=\"middle\" class=\"axis\">{Markup.Escape(axisLabel)}</text>");
        return Close(svg);
    }

    /// <summary>Opens a link around a chart element (nothing when there is no link); the address is escaped.</summary>
    private static string LinkOpen(string? href) => href is null ? string.Empty : $"<a href=\"{Markup.Escape(href)}\">";

    private static string LinkClose(string? href) => href is null ? string.Empty : "</a>";

    /// <summary>"Nice" tick values from <paramref name="min"/> to at least <paramref name="max"/> (1, 2 or 5 × 10^k steps).</summary>
    public static double[] Ticks(double min, double max, int count)
    {
        if (!(max > min))
        {
            max = min + 1;
        }

        var raw = (max - min) / count;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (var v = min; v < max + (step / 2); v += step)
        {
            ticks.Add(Math.Round(v, 10));
        }

        if (ticks[^1] < max)
        {
            ticks.Add(ticks[^1] + step);
        }

        return [.. ticks];
    }

    internal static StringBuilder Open(string title, int width, int height, bool standalone)
    {
        var id = "c" + ((uint)StringComparer.Ordinal.GetHashCode(title)).ToString("x8", CultureInfo.InvariantCulture) + "-" + height.ToString(CultureInfo.InvariantCulture);
        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture, $"<svg{(standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : string.Empty)} viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}\" font-family=\"system-ui, 'Noto Sans', sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}\">{Markup.Escape(title)}</title>");
        svg.Append("<style>").Append(StyleSheet).Append("</style>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" class=\"heading\">{Markup.Escape(title)}</text>");
        return svg;
    }

    internal static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void YAxis(StringBuilder svg, double[] ticks, double yMin, double yMax, int plotHeight, int plotWidth, Func<double, string> format)
    {
        foreach (var tick in ticks.Where(t => t >= yMin && t <= yMax + 1e-9))
        {
            var y = Top + plotHeight - ((tick - yMin) / (yMax - yMin) * plotHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{N(y)}\" x2=\"{Left + plotWidth}\" y2=\"{N(y)}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{N(y + 4)}\" text-anchor=\"end\" class=\"tick\">{Markup.Escape(format(tick))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"#333\"/>");
    }

    private static void AxisLabels(StringBuilder svg, string xAxisLabel, string yAxisLabel, int height, int plotHeight)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + ((Width - Left - Right) / 2)}\" y=\"{height - 16}\" text-anchor=\"middle\" class=\"axis\">{Markup.Escape(xAxisLabel)}</text>");
        var cy = Top + (plotHeight / 2);
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{cy}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {cy})\" class=\"axis\">{Markup.Escape(yAxisLabel)}</text>");
    }

    internal static string Truncate(string text, int elements)
    {
        var info = new StringInfo(text);
        return info.LengthInTextElements <= elements ? text : info.SubstringByTextElements(0, elements - 1) + "…";
    }

    internal static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
