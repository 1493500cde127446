using System.Globalization;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Reports.Charts;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports;

/// <summary>Choices for the HTML report page.</summary>
public sealed record HtmlReportOptions
{
    /// <summary>The defaults: English, "Utendaji KPI report".</summary>
    public static HtmlReportOptions Default { get; } = new();

    /// <summary>Page title and heading. Default "Utendaji KPI report".</summary>
    public string Title { get; init; } = "Utendaji KPI report";

    /// <summary>BCP 47 tag of the page's language, written to <c>lang</c>; right-to-left scripts (ur, ar, fa, he…) set <c>dir="rtl"</c>. Default "en".</summary>
    public string Language { get; init; } = "en";
}

/// <summary>
/// Renders the KPI report as one self-contained HTML file: inline CSS and inline SVG charts, no script, nothing
/// fetched. Every name from the data is HTML-escaped and isolated with <c>&lt;bdi&gt;</c> so a right-to-left name
/// cannot reorder its neighbours. The markup is also well-formed XML.
/// </summary>
public static class KpiHtmlRenderer
{
    private static readonly string[] RtlLanguages = ["ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];

    // Charts keep dir="ltr" (svg{direction:ltr}) on right-to-left pages: SVG text-anchor follows the inherited
    // direction, so an Urdu page would otherwise push axis labels into the plot. Text inside still runs right to left.
    internal const string Css = """
        :root{color-scheme:light;--ink:#1b1b1b;--muted:#555;--line:#d9d9d9;--accent:#0072B2;--flag:#8a4b00}
        *{box-sizing:border-box}
        body{margin:0;padding:24px;font:14px/1.45 system-ui,'Noto Sans','Noto Sans Gujarati','Noto Nastaliq Urdu',sans-serif;color:var(--ink);background:#fafafa}
        main{max-width:1200px;margin:0 auto}
        h1{font-size:24px;margin:0 0 4px}
        h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
        .meta{color:var(--muted);margin:0 0 16px}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}
        .card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
        .card .k{color:var(--muted);font-size:12px}
        .card .v{font-size:20px;font-weight:600}
        .card .s{color:var(--muted);font-size:12px}
        .charts{display:flex;flex-wrap:wrap;gap:16px}
        figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px;max-width:100%;overflow-x:auto}
        svg{max-width:100%;height:auto;direction:ltr}
        .table-wrap{overflow-x:auto;background:#fff;border:1px solid var(--line);border-radius:6px}
        table{border-collapse:collapse;font-size:12px;min-width:100%}
        th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:end;white-space:nowrap;vertical-align:top}
        th{background:#f0f0f0;position:sticky;top:0}
        td.g,th.g{text-align:start}
        tr.total td{font-weight:600;background:#f7f9fc}
        .ci{display:block;color:var(--muted);font-size:11px}
        .small{color:var(--flag)}
        .flag{display:inline-block;border:1px solid var(--flag);color:var(--flag);border-radius:3px;padding:0 4px;font-size:11px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
        dt{font-weight:600}
        dd{margin:0}
        """;

    /// <summary>Writes the page.</summary>
    /// <param name="report">The KPI report.</param>
    /// <param name="writer">Where to write.</param>
    /// <param name="options">Title and language.</param>
    /// <param name="survey">When given, survey CSAT and NPS cards, table columns and a definition (same group and period).</param>
    public static void Write(KpiReport report, TextWriter writer, HtmlReportOptions? options = null, SurveyColumns? survey = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= HtmlReportOptions.Default;
        var o = report.Options;
        var language = string.IsNullOrWhiteSpace(options.Language) ? "en" : options.Language;
        var dir = Direction(language);

        writer.Write("<!DOCTYPE html>\n");
        writer.Write($"<html lang=\"{Markup.Escape(language)}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        writer.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        writer.Write("<meta name=\"generator\" content=\"Utendaji\"/>\n");
        writer.Write($"<title>{Markup.Escape(options.Title)}</title>\n<style>\n{Css}\n</style>\n</head>\n<body>\n<main>\n");
        writer.Write($"<h1>{Markup.Escape(options.Title)}</h1>\n");
        var grouping = o.GroupBy.Count == 0 ? "no grouping" : "by " + string.Join(", ", o.GroupBy.Select(Format.DimensionName));
        writer.Write($"<p class=\"meta\">{Markup.Escape($"{RangeText(report.Range)} · time zone {o.TimeZone.Id} · period {Format.PeriodName(o.Period)} · {grouping}")}</p>\n");

        Overview(writer, report, survey);
        Trends(writer, report);
        Distribution(writer, report);
        SlaByGroup(writer, report);
        Table(writer, report, survey);
        Definitions(writer, report, survey);

        writer.Write("</main>\n</body>\n</html>\n");
    }

    /// <summary>"rtl" for right-to-left languages (by primary subtag), else "ltr".</summary>
    internal static string Direction(string language)
    {
        var primary = language.Split('-', '_')[0];
        return RtlLanguages.Contains(primary, StringComparer.OrdinalIgnoreCase) ? "rtl" : "ltr";
    }

    /// <summary>The page as one string.</summary>
    public static string Render(KpiReport report, HtmlReportOptions? options = null, SurveyColumns? survey = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer, options, survey);
        return writer.ToString();
    }

    private static void Overview(TextWriter writer, KpiReport report, SurveyColumns? survey)
    {
        var f = report.Overall.Figures;
        writer.Write("<section>\n<h2>Overview</h2>\n<div class=\"cards\">\n");
        Card(writer, "Tickets created", Format.Number(f.Created), null);
        Card(writer, "Tickets solved", Format.Number(f.Solved), null);
        Card(writer, "Backlog at end", Format.Number(f.BacklogAtEnd), null);
        Card(writer, "First reply, median (business)", Format.Duration(f.FirstReply.Business.Median), $"n={f.FirstReply.Business.Count} · p90 {Format.Duration(f.FirstReply.Business.P90)}");
        Card(writer, "Full resolution, median (business)", Format.Duration(f.FullResolution.Business.Median), $"n={f.FullResolution.Business.Count} · p90 {Format.Duration(f.FullResolution.Business.P90)}");
        RateCard(writer, "SLA first reply", f.SlaFirstReply, report);
        RateCard(writer, "SLA resolution", f.SlaResolution, report);
        RateCard(writer, "First-contact resolution", f.FirstContactResolution, report);
        RateCard(writer, "CSAT", f.Satisfied, report);
        if (survey is not null)
        {
            var s = survey.Find(report.Overall);
            var csat = s.Csat;
            Card(writer, "Survey CSAT", csat.Rate is { } rate ? Format.Percent(rate) + "%" : Format.Dash, csat.Wilson95 is { } ci
                ? string.Create(CultureInfo.InvariantCulture, $"n={csat.Trials} · 95% CI {Format.Percent(ci.Lower)}–{Format.Percent(ci.Upper)}%{(csat.Trials < survey.MinimumN ? " · small n" : string.Empty)}")
                : "n=0");
            Card(writer, "NPS", s.Nps.Score is { } score ? SurveyFormat.Signed(score, "0.0") : Format.Dash, s.Nps.Interval95 is { } nci
                ? string.Create(CultureInfo.InvariantCulture, $"n={s.Nps.N} · 95% CI {SurveyFormat.Signed(nci.Lower, "0.0")} to {SurveyFormat.Signed(nci.Upper, "0.0")}{(s.Nps.N < survey.MinimumN ? " · small n" : string.Empty)}")
                : "n=0");
        }

        writer.Write("</div>\n</section>\n");
    }

    private static void Card(TextWriter writer, string key, string value, string? sub) =>
        writer.Write($"<div class=\"card\"><div class=\"k\">{Markup.Escape(key)}</div><div class=\"v\">{Markup.Escape(value)}</div>{(sub is null ? string.Empty : $"<div class=\"s\">{Markup.Escape(sub)}</div>")}</div>\n");

    private static void RateCard(TextWriter writer, string key, Proportion p, KpiReport report)
    {
        var value = p.Rate is { } r ? Format.Percent(r) + "%" : Format.Dash;
        var sub = p.Wilson95 is { } ci
            ? string.Create(CultureInfo.InvariantCulture, $"n={p.Trials} · 95% CI {Format.Percent(ci.Lower)}–{Format.Percent(ci.Upper)}%{(report.IsSmall(p.Trials) ? " · small n" : string.Empty)}")
            : "n=0";
        Card(writer, key, value, sub);
    }

    private static void Trends(TextWriter writer, KpiReport report)
    {
        if (report.ByPeriod.Count == 0)
        {
            return;
        }

        var labels = report.ByPeriod.Select(r => r.Period.Label).ToArray();
        var rows = report.ByPeriod;
        writer.Write("<section>\n<h2>Trends per period</h2>\n<div class=\"charts\">\n");
        Figure(writer, Svg.LineChart(
            "KPI rates per period (all groups)",
            labels,
            [
                new ChartSeries("SLA first reply", rows.Select(r => r.Figures.SlaFirstReply.Rate).ToArray()),
                new ChartSeries("SLA resolution", rows.Select(r => r.Figures.SlaResolution.Rate).ToArray()),
                new ChartSeries("First-contact resolution", rows.Select(r => r.Figures.FirstContactResolution.Rate).ToArray()),
                new ChartSeries("CSAT", rows.Select(r => r.Figures.Satisfied.Rate).ToArray()),
            ],
            "Period",
            "Rate",
            0,
            1,
            v => string.Create(CultureInfo.InvariantCulture, $"{v * 100:0.#}%")));

        var hours = rows.SelectMany(r => new[] { r.Figures.FirstReply.Business.P90, r.Figures.FirstReply.Business.Median })
            .Where(v => v is not null).Select(v => v!.Value / 3600).DefaultIfEmpty(1).Max();
        Figure(writer, Svg.LineChart(
            "First reply time per period, business hours (all groups)",
            labels,
            [
                new ChartSeries("Median", rows.Select(r => r.Figures.FirstReply.Business.Median / 3600).ToArray()),
                new ChartSeries("p90", rows.Select(r => r.Figures.FirstReply.Business.P90 / 3600).ToArray()),
            ],
            "Period (ticket created)",
            "Business hours",
            0,
            Svg.Ticks(0, Math.Max(hours, 0.1), 5)[^1],
            v => string.Create(CultureInfo.InvariantCulture, $"{v:0.##} h")));

        var volume = rows.SelectMany(r => new[] { r.Figures.Created, r.Figures.Solved, r.Figures.BacklogAtEnd }).DefaultIfEmpty(1).Max();
        Figure(writer, Svg.LineChart(
            "Tickets per period (all groups)",
            labels,
            [
                new ChartSeries("Created", rows.Select(r => (double?)r.Figures.Created).ToArray()),
                new ChartSeries("Solved", rows.Select(r => (double?)r.Figures.Solved).ToArray()),
                new ChartSeries("Backlog at end", rows.Select(r => (double?)r.Figures.BacklogAtEnd).ToArray()),
            ],
            "Period",
            "Tickets",
            0,
            Svg.Ticks(0, Math.Max(volume, 1), 5)[^1],
            v => v.ToString("#,0.##", CultureInfo.InvariantCulture)));
        writer.Write("</div>\n</section>\n");
    }

    private static void Distribution(TextWriter writer, KpiReport report)
    {
        writer.Write("<section>\n<h2>First reply time distribution</h2>\n<div class=\"charts\">\n");
        Figure(writer, Svg.ColumnChart(
            "First reply time, business hours (all tickets in range)",
            report.FirstReplyBusinessHistogram.Select(b => new ColumnBar(Format.BinLabel(b), b.Count)).ToArray(),
            "First reply time (business)",
            "Tickets"));
        Figure(writer, Svg.ColumnChart(
            "First reply time, calendar time (all tickets in range)",
            report.FirstReplyCalendarHistogram.Select(b => new ColumnBar(Format.BinLabel(b), b.Count)).ToArray(),
            "First reply time (calendar)",
            "Tickets"));
        writer.Write("</div>\n</section>\n");
    }

    private static void SlaByGroup(TextWriter writer, KpiReport report)
    {
        var grouped = report.Options.GroupBy.Count > 0;
        var rows = grouped ? report.ByGroup : report.ByPeriod;
        var by = grouped ? "group" : "period";
        writer.Write($"<section>\n<h2>SLA attainment by {by}</h2>\n<div class=\"charts\">\n");
        foreach (var (name, pick) in new (string, Func<KpiFigures, Proportion>)[]
        {
            ("first reply", f => f.SlaFirstReply),
            ("next reply", f => f.SlaNextReply),
            ("resolution", f => f.SlaResolution),
        })
        {
            var bars = rows.Select(r =>
            {
                var p = pick(r.Figures);
                var ci = p.Wilson95;
                return new IntervalBar(grouped ? Format.GroupLabel(r.Group) : r.Period.Label, p.Rate, ci?.Lower, ci?.Upper, p.Trials, p.Trials > 0 && report.IsSmall(p.Trials));
            }).ToArray();
            Figure(writer, Svg.IntervalBarChart($"SLA {name} attainment by {by}, with 95% Wilson intervals", bars, "Targets met ÷ (met + breached)"));
        }

        writer.Write("</div>\n</section>\n");
    }

    private static void Figure(TextWriter writer, string svg) => writer.Write($"<figure>{svg}</figure>\n");

    private static void Table(TextWriter writer, KpiReport report, SurveyColumns? survey)
    {
        var dims = report.Options.GroupBy;
        writer.Write("<section>\n<h2>All figures</h2>\n<div class=\"table-wrap\">\n<table>\n<thead><tr>");
        foreach (var d in dims)
        {
            writer.Write($"<th class=\"g\" scope=\"col\">{Markup.Escape(Format.DimensionName(d))}</th>");
        }

        foreach (var header in new[]
        {
            "period", "created", "solved", "backlog at end", "first reply median (bus.)", "first reply p90 (bus.)",
            "first reply median (cal.)", "resolution median (bus.)", "resolution p90 (bus.)", "resolution median (cal.)",
            "SLA first reply", "SLA next reply", "SLA resolution", "FCR", "reopened", "CSAT",
        })
        {
            writer.Write($"<th scope=\"col\"{(header == "period" ? " class=\"g\"" : string.Empty)}>{Markup.Escape(header)}</th>");
        }

        if (survey is not null)
        {
            writer.Write("<th scope=\"col\">survey CSAT</th><th scope=\"col\">NPS</th>");
        }

        writer.Write("</tr></thead>\n<tbody>\n");
        foreach (var scoped in ReportRows.Display(report))
        {
            var row = scoped.Row;
            var f = row.Figures;
            var total = scoped.Scope is not RowScope.Group;
            writer.Write(total ? "<tr class=\"total\">" : "<tr>");
            for (var i = 0; i < dims.Count; i++)
            {
                var value = i < row.Group.Values.Count ? Format.Value(row.Group.Values[i]) : "(all)";
                writer.Write($"<td class=\"g\"><bdi>{Markup.Escape(value)}</bdi></td>");
            }

            writer.Write($"<td class=\"g\">{Markup.Escape(row.Period.Label)}{(row.SmallGroup ? " <span class=\"flag\" title=\"fewer tickets than the minimum n\">small</span>" : string.Empty)}</td>");
            writer.Write($"<td>{Format.Number(f.Created)}</td><td>{Format.Number(f.Solved)}</td><td>{Format.Number(f.BacklogAtEnd)}</td>");
            Duration(writer, f.FirstReply.Business.Median, f.FirstReply.Business.Count, report, withN: true);
            Duration(writer, f.FirstReply.Business.P90, f.FirstReply.Business.Count, report, withN: false);
            Duration(writer, f.FirstReply.Calendar.Median, f.FirstReply.Calendar.Count, report, withN: false);
            Duration(writer, f.FullResolution.Business.Median, f.FullResolution.Business.Count, report, withN: true);
            Duration(writer, f.FullResolution.Business.P90, f.FullResolution.Business.Count, report, withN: false);
            Duration(writer, f.FullResolution.Calendar.Median, f.FullResolution.Calendar.Count, report, withN: false);
            foreach (var p in new[] { f.SlaFirstReply, f.SlaNextReply, f.SlaResolution, f.FirstContactResolution, f.Reopened, f.Satisfied })
            {
                RateCell(writer, p, report);
            }

            if (survey is not null)
            {
                SurveyCells(writer, survey.Find(row), survey.MinimumN);
            }

            writer.Write("</tr>\n");
        }

        writer.Write("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void Duration(TextWriter writer, double? seconds, long n, KpiReport report, bool withN)
    {
        var small = n > 0 && report.IsSmall(n);
        writer.Write(small ? "<td class=\"small\">" : "<td>");
        writer.Write(Markup.Escape(Format.Duration(seconds)));
        if (withN && n > 0)
        {
            writer.Write($"<span class=\"ci\">n={Format.Number(n)}{(small ? " *" : string.Empty)}</span>");
        }

        writer.Write("</td>");
    }

    private static void RateCell(TextWriter writer, Proportion p, KpiReport report)
    {
        if (p.Rate is not { } rate || p.Wilson95 is not { } ci)
        {
            writer.Write($"<td>{Format.Dash}</td>");
            return;
        }

        var small = report.IsSmall(p.Trials);
        writer.Write(small ? "<td class=\"small\">" : "<td>");
        writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"{Format.Percent(rate)}%<span class=\"ci\">n={p.Trials}{(small ? " *" : string.Empty)} · {Format.Percent(ci.Lower)}–{Format.Percent(ci.Upper)}</span></td>"));
    }

    private static void SurveyCells(TextWriter writer, SurveyColumnFigures s, int minimumN)
    {
        if (s.Csat.Rate is { } rate && s.Csat.Wilson95 is { } ci)
        {
            var small = s.Csat.Trials < minimumN;
            writer.Write(small ? "<td class=\"small\">" : "<td>");
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{Format.Percent(rate)}%<span class=\"ci\">n={s.Csat.Trials}{(small ? " *" : string.Empty)} · {Format.Percent(ci.Lower)}–{Format.Percent(ci.Upper)}</span></td>"));
        }
        else
        {
            writer.Write($"<td>{Format.Dash}</td>");
        }

        if (s.Nps.Score is { } score && s.Nps.Interval95 is { } nci)
        {
            var small = s.Nps.N < minimumN;
            writer.Write(small ? "<td class=\"small\">" : "<td>");
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{SurveyFormat.Signed(score, "0.0")}<span class=\"ci\">n={s.Nps.N}{(small ? " *" : string.Empty)} · {SurveyFormat.Signed(nci.Lower, "0.0")} to {SurveyFormat.Signed(nci.Upper, "0.0")}</span></td>"));
        }
        else
        {
            writer.Write($"<td>{Format.Dash}</td>");
        }
    }

    private static void Definitions(TextWriter writer, KpiReport report, SurveyColumns? survey)
    {
        var o = report.Options;
        writer.Write("<section>\n<h2>How these figures are defined</h2>\n<dl>\n");
        Definition(writer, "Periods", $"Figures are placed by instant in the {o.TimeZone.Id} time zone; weeks are ISO weeks starting Monday. Created count, first reply time and reply SLAs by creation; solved count, resolution time, resolution SLA, FCR and reopen rate by the final solve; CSAT by the solve. Backlog is counted at each period's end.");
        Definition(writer, "Quantiles", $"Medians and p90 are exact, from every value, using {Format.QuantileDescription(o.Quantile)}.");
        Definition(writer, "Intervals", "Every rate shows its n and a 95% Wilson score interval (z = 1.959964).");
        Definition(writer, "Small groups", $"Figures with n below {o.MinimumN} are marked * and rows whose tickets created and solved are both below it are marked small. They are shown, not hidden: read them as indicative.");
        Definition(writer, "CSAT", $"Share of ratings of {o.SatisfiedMinimum} or more on the 1–5 scale.");
        Definition(writer, "SLA attainment", "Targets met ÷ (met + breached); targets still running are left out.");
        if (survey is not null)
        {
            Definition(writer, "Survey CSAT and NPS", $"From survey responses submitted in the same group and period (CSAT: {survey.CsatSource}; NPS: {survey.NpsSource}). CSAT with its 95% Wilson interval; NPS = 100 × (promoters − detractors) ÷ answers with its 95% {SurveyFormat.NpsMethod(survey.NpsInterval)} interval. * = n below {survey.MinimumN}.");
        }
        writer.Write("</dl>\n</section>\n");
    }

    private static void Definition(TextWriter writer, string term, string text) =>
        writer.Write($"<dt>{Markup.Escape(term)}</dt><dd>{Markup.Escape(text)}</dd>\n");

    private static string RangeText(ReportPeriod range) =>
        range.Start is null && range.End is null
            ? "All data"
            : $"{(range.Start is null ? "…" : Format.Instant(range.Start))} to {(range.End is null ? "…" : Format.Instant(range.End))} (end exclusive)";
}
