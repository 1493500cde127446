using System.Globalization;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Surveys;

/// <summary>
/// Renders the survey report as one self-contained HTML file (the KPI page's style): inline CSS and inline SVG
/// charts — CSAT trend with intervals, NPS composition, SERVQUAL gap per dimension with intervals — no script,
/// nothing fetched. Every text from the data (group values, instrument, question and option ids, comments, titles)
/// is HTML-escaped; names are isolated with <c>&lt;bdi&gt;</c>. The markup is also well-formed XML.
/// </summary>
public static class SurveyHtmlRenderer
{
    // On a right-to-left page a leading minus is a neutral character and would be drawn after the digits ("44.7−");
    // figures take their direction from their own text instead (plaintext), so "−44.7" stays as written.
    private const string ExtraCss = """
        [dir=rtl] .v,[dir=rtl] .s,[dir=rtl] .ci,[dir=rtl] td:not(.g),[dir=rtl] th:not(.g){unicode-bidi:plaintext}
        h3{font-size:15px;margin:20px 0 6px}
        .verdict-yes{color:#005a3c;font-weight:600}
        .verdict-no{color:var(--muted)}
        ul.comments{list-style:none;padding:0;margin:0;display:grid;gap:8px}
        ul.comments li{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 12px}
        ul.comments .who{display:block;color:var(--muted);font-size:12px}
        ul.review{columns:2 320px;font-size:12px}
        """;

    /// <summary>Writes the page.</summary>
    public static void Write(SurveyReport report, TextWriter writer, SurveyHtmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= SurveyHtmlOptions.Default;
        var o = report.Options;
        var language = string.IsNullOrWhiteSpace(options.Language) ? "en" : options.Language;

        writer.Write("<!DOCTYPE html>\n");
        writer.Write($"<html lang=\"{Markup.Escape(language)}\" dir=\"{KpiHtmlRenderer.Direction(language)}\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        writer.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        writer.Write("<meta name=\"generator\" content=\"Utendaji\"/>\n");
        writer.Write($"<title>{Markup.Escape(options.Title)}</title>\n<style>\n{KpiHtmlRenderer.Css}\n{ExtraCss}\n</style>\n</head>\n<body>\n<main>\n");
        writer.Write($"<h1>{Markup.Escape(options.Title)}</h1>\n");
        writer.Write($"<p class=\"meta\">{Markup.Escape($"{SurveyFormat.Range(report.Range)} · time zone {o.TimeZone.Id} · period {Format.PeriodName(o.Period)} · {SurveyFormat.Grouping(o)}")}</p>\n");

        var instruments = SurveyReportRows.Instruments(report);
        Overview(writer, report, instruments, options);
        Charts(writer, report, instruments, options);
        var rows = SurveyReportRows.Display(report);
        foreach (var id in instruments)
        {
            Instrument(writer, report, rows, id, options);
        }

        Comparison(writer, report, options);
        Comments(writer, options);
        Review(writer, options);
        Definitions(writer, report);
        writer.Write("</main>\n</body>\n</html>\n");
    }

    /// <summary>The page as one string.</summary>
    public static string Render(SurveyReport report, SurveyHtmlOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer, options);
        return writer.ToString();
    }

    private static string InstrumentName(string id, SurveyHtmlOptions options) =>
        options.InstrumentTitles.TryGetValue(id, out var title) && !string.IsNullOrWhiteSpace(title) ? $"{title} ({id})" : id;

    private static void Overview(TextWriter writer, SurveyReport report, IReadOnlyList<string> instruments, SurveyHtmlOptions options)
    {
        var min = report.Options.MinimumN;
        writer.Write("<section>\n<h2>Overview</h2>\n");
        if (instruments.Count == 0)
        {
            writer.Write("<p>No survey responses or sends in the range.</p>\n");
        }

        writer.Write("<div class=\"cards\">\n");
        foreach (var id in instruments)
        {
            if (SurveyReportRows.Find(report.Overall, id) is not { } f)
            {
                continue;
            }

            var name = InstrumentName(id, options);
            Card(writer, $"{name}: responses", Format.Number(f.Responses), f.ResponseRate is { } rr && rr.Rate is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"response rate {Format.Percent(r)}% of {rr.Trials} sent")
                : f.SmallGroup ? "small n" : null);
            foreach (var csat in f.Csat)
            {
                RateCard(writer, $"{name}: CSAT ({csat.QuestionId} ≥ {csat.SatisfiedMinimum})", csat.Satisfied, min);
            }

            foreach (var nps in f.Nps)
            {
                var e = nps.Estimate;
                Card(writer, $"{name}: NPS ({nps.QuestionId})", e.Score is { } s ? SurveyFormat.Signed(s, "0.0") : Format.Dash,
                    e.Interval95 is { } ci
                        ? string.Create(CultureInfo.InvariantCulture, $"n={e.N} · 95% CI {SurveyFormat.Signed(ci.Lower, "0.0")} to {SurveyFormat.Signed(ci.Upper, "0.0")}{(e.N < min ? " · small n" : string.Empty)}")
                        : "n=0");
            }

            foreach (var ces in f.Ces)
            {
                var m = ces.Mean;
                Card(writer, $"{name}: CES mean ({ces.QuestionId})", m.Mean is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : Format.Dash,
                    m.Interval95 is { } ci
                        ? string.Create(CultureInfo.InvariantCulture, $"n={m.N} · 95% CI {ci.Lower:0.00} to {ci.Upper:0.00}")
                        : string.Create(CultureInfo.InvariantCulture, $"n={m.N}"));
            }

            if (f.Servqual is { } sq)
            {
                foreach (var scale in sq.Overall.Where(x => SurveyFormat.IsDifference(x.Scale)))
                {
                    Card(writer, $"{name}: SERVQUAL {SurveyFormat.ScaleLabel(scale.Scale)} overall", scale.Mean.Mean is { } v ? SurveyFormat.Signed(v, "0.00") : Format.Dash,
                        scale.Mean.Interval95 is { } ci
                            ? $"n={scale.Mean.N} · 95% CI {SurveyFormat.Signed(ci.Lower, "0.00")} to {SurveyFormat.Signed(ci.Upper, "0.00")}"
                            : string.Create(CultureInfo.InvariantCulture, $"n={scale.Mean.N}"));
                }
            }
        }

        writer.Write("</div>\n</section>\n");
    }

    private static void Card(TextWriter writer, string key, string value, string? sub)
    {
        writer.Write($"<div class=\"card\"><div class=\"k\"><bdi>{Markup.Escape(key)}</bdi></div><div class=\"v\">{Markup.Escape(value)}</div>");
        if (sub is not null)
        {
            writer.Write($"<div class=\"s\">{Markup.Escape(sub)}</div>");
        }

        writer.Write("</div>\n");
    }

    private static void RateCard(TextWriter writer, string key, Proportion p, int min)
    {
        var value = p.Rate is { } rate ? Format.Percent(rate) + "%" : Format.Dash;
        var sub = p.Wilson95 is { } ci
            ? string.Create(CultureInfo.InvariantCulture, $"n={p.Trials} · 95% CI {Format.Percent(ci.Lower)}–{Format.Percent(ci.Upper)}%{(p.Trials < min ? " · small n" : string.Empty)}")
            : "n=0";
        Card(writer, key, value, sub);
    }

    private static void Charts(TextWriter writer, SurveyReport report, IReadOnlyList<string> instruments, SurveyHtmlOptions options)
    {
        var figures = new List<string>();
        var min = report.Options.MinimumN;
        var grouped = report.Options.GroupBy.Count > 0;

        // CSAT trend: every CSAT question of every instrument, one series each, over the per-period totals.
        var labels = report.ByPeriod.Select(r => r.Period.Label).ToArray();
        var csatSeries = new List<IntervalSeries>();
        foreach (var id in instruments)
        {
            var questions = SurveyReportRows.Find(report.Overall, id)?.Csat.Select(c => c.QuestionId).ToArray() ?? [];
            foreach (var question in questions)
            {
                var points = report.ByPeriod.Select(r =>
                {
                    var p = SurveyReportRows.Find(r, id)?.Csat.FirstOrDefault(c => c.QuestionId == question)?.Satisfied ?? default;
                    var ci = p.Wilson95;
                    return new IntervalPoint(p.Rate, ci?.Lower, ci?.Upper, p.Trials, p.Trials < min);
                }).ToArray();
                csatSeries.Add(new IntervalSeries(questions.Length > 1 ? $"{InstrumentName(id, options)} · {question}" : InstrumentName(id, options), points));
            }
        }

        if (csatSeries.Count > 0 && labels.Length > 0)
        {
            figures.Add(SurveyCharts.IntervalTrendChart(
                "CSAT per period (all groups), with 95% Wilson intervals",
                labels,
                csatSeries,
                "Period (response submitted)",
                "Satisfied",
                0,
                1,
                v => string.Create(CultureInfo.InvariantCulture, $"{v * 100:0.#}%")));
        }

        // NPS composition: per group when grouped, else per period.
        foreach (var id in instruments)
        {
            foreach (var nps in SurveyReportRows.Find(report.Overall, id)?.Nps ?? [])
            {
                var source = grouped ? report.ByGroup : report.ByPeriod;
                var bars = source.Select(r =>
                {
                    var e = SurveyReportRows.Find(r, id)?.Nps.FirstOrDefault(x => x.QuestionId == nps.QuestionId)?.Estimate;
                    var label = grouped ? Format.GroupLabel(r.Group) : r.Period.Label;
                    return e is null
                        ? new NpsCompositionBar(label, 0, 0, 0, null, null, null, false)
                        : new NpsCompositionBar(label, e.Promoters.Successes, e.Passives.Successes, e.Detractors.Successes, e.Score, e.Interval95?.Lower, e.Interval95?.Upper, e.N < min);
                }).ToArray();
                figures.Add(SurveyCharts.NpsCompositionChart(
                    $"NPS composition by {(grouped ? "group" : "period")}: {InstrumentName(id, options)} · {nps.QuestionId}",
                    bars,
                    $"Share of answers; NPS with 95% {SurveyFormat.NpsMethod(nps.Estimate.Method)} interval"));
            }
        }

        // SERVQUAL: each difference scale per dimension (plus overall and weighted) over everything; per group when grouped.
        foreach (var id in instruments)
        {
            if (SurveyReportRows.Find(report.Overall, id)?.Servqual is not { } sq)
            {
                continue;
            }

            foreach (var scale in sq.Overall.Select(s => s.Scale).Where(SurveyFormat.IsDifference))
            {
                var bars = new List<SignedIntervalBar>();
                foreach (var d in sq.Dimensions)
                {
                    if (d.Scales.FirstOrDefault(s => s.Scale == scale) is { } m)
                    {
                        bars.Add(Bar(SurveyFormat.Name(d.Dimension), m.Mean, min));
                    }
                }

                if (sq.Overall.FirstOrDefault(s => s.Scale == scale) is { } overall)
                {
                    bars.Add(Bar("overall", overall.Mean, min));
                }

                if (sq.Weighted.FirstOrDefault(s => s.Scale == scale) is { } weighted)
                {
                    bars.Add(Bar("weighted by importance", weighted.Mean, min));
                }

                figures.Add(SurveyCharts.SignedIntervalChart(
                    $"SERVQUAL {SurveyFormat.ScaleLabel(scale)} per dimension: {InstrumentName(id, options)}, with 95% t intervals",
                    bars,
                    $"Mean {SurveyFormat.ScaleLabel(scale)} (below 0: service falls short)"));

                if (grouped)
                {
                    var groupBars = report.ByGroup.Select(r =>
                        Bar(Format.GroupLabel(r.Group), SurveyReportRows.Find(r, id)?.Servqual?.Overall.FirstOrDefault(s => s.Scale == scale)?.Mean ?? MeanEstimate.Empty, min)).ToArray();
                    figures.Add(SurveyCharts.SignedIntervalChart(
                        $"SERVQUAL {SurveyFormat.ScaleLabel(scale)} overall by group: {InstrumentName(id, options)}, with 95% t intervals",
                        groupBars,
                        $"Mean {SurveyFormat.ScaleLabel(scale)} (below 0: service falls short)"));
                }
            }
        }

        if (figures.Count == 0)
        {
            return;
        }

        writer.Write("<section>\n<h2>Charts</h2>\n<div class=\"charts\">\n");
        foreach (var svg in figures)
        {
            writer.Write($"<figure>{svg}</figure>\n");
        }

        writer.Write("</div>\n</section>\n");
    }

    private static SignedIntervalBar Bar(string label, MeanEstimate m, int min) =>
        new(label, m.Mean, m.Interval95?.Lower, m.Interval95?.Upper, m.N, m.N > 0 && m.N < min);

    private static void Instrument(TextWriter writer, SurveyReport report, IReadOnlyList<SurveyScopedRow> rows, string id, SurveyHtmlOptions options)
    {
        var min = report.Options.MinimumN;
        var mine = rows.Select(r => (Row: r, Figures: SurveyReportRows.Find(r.Row, id))).Where(x => x.Figures is not null).Select(x => (x.Row, Figures: x.Figures!)).ToList();
        var sample = SurveyReportRows.Find(report.Overall, id) ?? mine[0].Figures;
        writer.Write($"<section>\n<h2><bdi>{Markup.Escape(InstrumentName(id, options))}</bdi> <span class=\"meta\">{Markup.Escape(SurveyFormat.Name(sample.Kind))}</span></h2>\n");

        // Headline figures per row.
        var headers = new List<string> { "responses", "response rate" };
        headers.AddRange(sample.Csat.Select(c => $"CSAT {c.QuestionId} (≥ {c.SatisfiedMinimum})"));
        foreach (var n in sample.Nps)
        {
            headers.AddRange([$"NPS {n.QuestionId}", "promoters", "passives", "detractors"]);
        }

        foreach (var c in sample.Ces)
        {
            headers.AddRange([$"CES {c.QuestionId} mean", $"agreeing (≥ {c.AgreeMinimum})"]);
        }

        TableStart(writer, report, "Figures", headers);
        foreach (var (row, f) in mine)
        {
            RowStart(writer, report, row, f.SmallGroup);
            writer.Write($"<td>{Format.Number(f.Responses)}</td>");
            if (f.ResponseRate is { } rr)
            {
                RateCell(writer, rr, min);
            }
            else
            {
                writer.Write($"<td>{Format.Dash}</td>");
            }

            for (var q = 0; q < sample.Csat.Count; q++)
            {
                RateCell(writer, q < f.Csat.Count ? f.Csat[q].Satisfied : default, min);
            }

            for (var q = 0; q < sample.Nps.Count; q++)
            {
                var e = q < f.Nps.Count ? f.Nps[q].Estimate : NpsEstimate.From(default);
                NpsCell(writer, e, min);
                RateCell(writer, e.Promoters, min);
                RateCell(writer, e.Passives, min);
                RateCell(writer, e.Detractors, min);
            }

            for (var q = 0; q < sample.Ces.Count; q++)
            {
                MeanCell(writer, q < f.Ces.Count ? f.Ces[q].Mean : MeanEstimate.Empty, min, signed: false);
                RateCell(writer, q < f.Ces.Count ? f.Ces[q].Agreeing : default, min);
            }

            writer.Write("</tr>\n");
        }

        TableEnd(writer);

        if (sample.Servqual is { } sq)
        {
            Servqual(writer, report, mine, sq);
        }

        for (var q = 0; q < sample.Answers.Count; q++)
        {
            Answers(writer, report, mine, q, sample.Answers[q]);
        }

        writer.Write("</section>\n");
    }

    private static void Answers(TextWriter writer, SurveyReport report, List<(SurveyScopedRow Row, InstrumentFigures Figures)> mine, int q, AnswerDistribution sample)
    {
        var values = sample.Type is QuestionType.Allocation or QuestionType.FreeText ? [] : sample.Counts.Select(c => c.Value).ToArray();
        var numeric = sample.Mean is not null;
        TableStart(writer, report, "Answers — " + SurveyFormat.QuestionHeading(sample), ["answered", .. values, .. numeric ? new[] { "mean" } : [], "invalid"]);
        foreach (var (row, f) in mine)
        {
            RowStart(writer, report, row, f.SmallGroup);
            var a = q < f.Answers.Count ? f.Answers[q] : null;
            writer.Write($"<td>{(a is null ? Format.Dash : Format.Number(a.Answered))}</td>");
            foreach (var value in values)
            {
                var count = a?.Counts.FirstOrDefault(c => string.Equals(c.Value, value, StringComparison.Ordinal)) ?? default;
                if (count.Value is null)
                {
                    writer.Write($"<td>{Format.Dash}</td>");
                }
                else
                {
                    writer.Write(count.Share is { } share
                        ? string.Create(CultureInfo.InvariantCulture, $"<td>{count.Count}<span class=\"ci\">{Format.Percent(share)}%</span></td>")
                        : $"<td>{Format.Number(count.Count)}</td>");
                }
            }

            if (numeric)
            {
                MeanCell(writer, a?.Mean ?? MeanEstimate.Empty, report.Options.MinimumN, signed: false);
            }

            writer.Write($"<td>{(a is null ? Format.Dash : Format.Number(a.Invalid))}</td></tr>\n");
        }

        TableEnd(writer);
    }

    private static void Servqual(TextWriter writer, SurveyReport report, List<(SurveyScopedRow Row, InstrumentFigures Figures)> mine, ServqualFigures sample)
    {
        var min = report.Options.MinimumN;
        var scales = sample.Dimensions.SelectMany(d => d.Scales.Select(s => s.Scale)).Concat(sample.Overall.Select(s => s.Scale)).Distinct().Order().ToArray();
        var hasImportance = sample.Dimensions.Any(d => d.Importance is not null);
        TableStart(writer, report, "SERVQUAL by dimension", ["dimension", .. scales.Select(SurveyFormat.ScaleLabel), .. hasImportance ? new[] { "importance (points)" } : []]);
        foreach (var (row, f) in mine)
        {
            if (f.Servqual is not { } s)
            {
                continue;
            }

            foreach (var d in s.Dimensions)
            {
                RowStart(writer, report, row, f.SmallGroup);
                writer.Write($"<td class=\"g\">{Markup.Escape(SurveyFormat.Name(d.Dimension))}</td>");
                ScaleCells(writer, d.Scales, scales, min, _ => true);
                if (hasImportance)
                {
                    MeanCell(writer, d.Importance ?? MeanEstimate.Empty, min, signed: false);
                }

                writer.Write("</tr>\n");
            }

            RowStart(writer, report, row, f.SmallGroup, total: true);
            writer.Write("<td class=\"g\">overall</td>");
            ScaleCells(writer, s.Overall, scales, min, _ => true);
            writer.Write(hasImportance ? "<td></td></tr>\n" : "</tr>\n");
            if (s.Weighted.Count > 0)
            {
                RowStart(writer, report, row, f.SmallGroup, total: true);
                writer.Write("<td class=\"g\">weighted by importance</td>");
                ScaleCells(writer, s.Weighted, scales, min, SurveyFormat.IsDifference);
                writer.Write(hasImportance ? "<td></td></tr>\n" : "</tr>\n");
            }
        }

        TableEnd(writer);

        TableStart(writer, report, "SERVQUAL by item", ["item", "dimension", .. scales.Select(SurveyFormat.ScaleLabel)]);
        foreach (var (row, f) in mine)
        {
            foreach (var item in f.Servqual?.Items ?? [])
            {
                RowStart(writer, report, row, f.SmallGroup);
                writer.Write($"<td>{Format.Number(item.Item)}</td><td class=\"g\">{Markup.Escape(SurveyFormat.Name(item.Dimension))}</td>");
                ScaleCells(writer, item.Scales, scales, min, _ => true);
                writer.Write("</tr>\n");
            }
        }

        TableEnd(writer);

        TableStart(writer, report, $"Cronbach's alpha per dimension — missing data {SurveyFormat.RuleText(report.Options.AlphaMissingData)}",
            ["dimension", "scale", "alpha", "items", "respondents used", "min pair n", "missing data"]);
        foreach (var (row, f) in mine)
        {
            foreach (var d in f.Servqual?.Dimensions ?? [])
            {
                foreach (var r in d.Reliability)
                {
                    RowStart(writer, report, row, f.SmallGroup);
                    writer.Write($"<td class=\"g\">{Markup.Escape(SurveyFormat.Name(d.Dimension))}</td><td class=\"g\">{Markup.Escape(SurveyFormat.ScaleLabel(r.Scale))}</td>");
                    writer.Write($"<td>{(r.Alpha.Alpha is { } a ? SurveyFormat.Signed(a, "0.000", signed: false) : Format.Dash)}</td>");
                    writer.Write($"<td>{Format.Number(r.Alpha.Items)}</td><td>{Format.Number(r.Alpha.RespondentsUsed)}</td><td>{Format.Number(r.Alpha.MinimumPairN)}</td>");
                    writer.Write($"<td class=\"g\">{SurveyFormat.Name(r.Alpha.Rule)}</td></tr>\n");
                }
            }
        }

        TableEnd(writer);
    }

    private static void ScaleCells(TextWriter writer, IReadOnlyList<ServqualScaleMean> means, ServqualScale[] scales, int min, Func<ServqualScale, bool> show)
    {
        foreach (var scale in scales)
        {
            var m = means.FirstOrDefault(x => x.Scale == scale);
            if (m is null || !show(scale))
            {
                writer.Write("<td></td>");
                continue;
            }

            MeanCell(writer, m.Mean, min, SurveyFormat.IsDifference(scale));
        }
    }

    private static void Comparison(TextWriter writer, SurveyReport report, SurveyHtmlOptions options)
    {
        if (report.Comparison is not { } c)
        {
            return;
        }

        var dims = report.Options.GroupBy;
        writer.Write("<section>\n<h2>Change between two periods</h2>\n");
        writer.Write($"<p class=\"meta\">{Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Baseline {SurveyFormat.Range(c.Baseline)}; current {SurveyFormat.Range(c.Current)}. Two-sided tests; significant when p < {c.SignificanceLevel}. Rate differences in percentage points (pp)."))}</p>\n");
        writer.Write("<div class=\"table-wrap\">\n<table>\n<thead><tr>");
        foreach (var d in dims)
        {
            writer.Write($"<th class=\"g\" scope=\"col\">{Markup.Escape(SurveyFormat.DimensionName(d))}</th>");
        }

        foreach (var header in new[] { "instrument", "figure", "baseline", "current", "difference", "test", "p-value", "verdict" })
        {
            writer.Write($"<th scope=\"col\"{(header is "instrument" or "figure" or "verdict" ? " class=\"g\"" : string.Empty)}>{Markup.Escape(header)}</th>");
        }

        writer.Write("</tr></thead>\n<tbody>\n");
        foreach (var group in c.Groups)
        {
            var cells = group.Group.Values.Count == dims.Count ? group.Group.Values.Select(Format.Value).ToArray() : dims.Select(_ => "(all)").ToArray();
            foreach (var instrument in group.Instruments)
            {
                foreach (var change in instrument.Changes)
                {
                    writer.Write(cells.Length > 0 && group.Group.Values.Count == 0 ? "<tr class=\"total\">" : "<tr>");
                    foreach (var cell in cells)
                    {
                        writer.Write($"<td class=\"g\"><bdi>{Markup.Escape(cell)}</bdi></td>");
                    }

                    writer.Write($"<td class=\"g\"><bdi>{Markup.Escape(InstrumentName(instrument.InstrumentId, options))}</bdi></td><td class=\"g\">{Markup.Escape(SurveyFormat.FigureLabel(change))}</td>");
                    writer.Write($"<td>{Markup.Escape(SurveyFormat.ChangeValue(change.Figure, change.Baseline))}<span class=\"ci\">n={Format.Number(change.BaselineN)}</span></td>");
                    writer.Write($"<td>{Markup.Escape(SurveyFormat.ChangeValue(change.Figure, change.Current))}<span class=\"ci\">n={Format.Number(change.CurrentN)}</span></td>");
                    writer.Write($"<td>{Markup.Escape(SurveyFormat.Difference(change.Figure, change.Difference))}</td>");
                    writer.Write($"<td>{Markup.Escape(SurveyFormat.Test(change.Test))}</td><td>{Markup.Escape(SurveyFormat.PValue(change.Test?.PValue))}</td>");
                    writer.Write($"<td class=\"g {(change.Significant ? "verdict-yes" : "verdict-no")}\">{Markup.Escape(SurveyFormat.Verdict(change))}</td></tr>\n");
                }
            }
        }

        writer.Write("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void Comments(TextWriter writer, SurveyHtmlOptions options)
    {
        if (options.Comments.Count == 0)
        {
            return;
        }

        writer.Write("<section>\n<h2>Comments</h2>\n<ul class=\"comments\">\n");
        foreach (var c in options.Comments)
        {
            // Each comment carries its own language and direction, so an Urdu comment reads right to left on an English page.
            var lang = string.IsNullOrWhiteSpace(c.Language) ? string.Empty : $" lang=\"{Markup.Escape(c.Language)}\" dir=\"{KpiHtmlRenderer.Direction(c.Language)}\"";
            var who = string.Join(" · ", new[] { InstrumentName(c.InstrumentId, options) + " · " + c.QuestionId, c.Group, c.SubmittedAt is { } at ? Format.Instant(at) : null }.Where(s => !string.IsNullOrEmpty(s)));
            writer.Write($"<li><span class=\"who\"><bdi>{Markup.Escape(who)}</bdi></span><p{(lang.Length > 0 ? lang : " dir=\"auto\"")}>{Markup.Escape(c.Text)}</p></li>\n");
        }

        writer.Write("</ul>\n</section>\n");
    }

    private static void Review(TextWriter writer, SurveyHtmlOptions options)
    {
        if (options.NeedsReview.Count == 0)
        {
            return;
        }

        writer.Write($"<section>\n<h2>Survey texts that need review</h2>\n<p class=\"meta\">{Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{options.NeedsReview.Count} texts are not yet confirmed by a native speaker; respondents saw these wordings."))}</p>\n<ul class=\"review\">\n");
        foreach (var r in options.NeedsReview.OrderBy(r => r.Language, StringComparer.Ordinal).ThenBy(r => r.InstrumentId, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            var file = r.File is null ? string.Empty : $" — {r.File}";
            var untranslated = r.Untranslated ? " (untranslated: English shown)" : string.Empty;
            writer.Write($"<li>{Markup.Escape($"{r.Language} · {r.InstrumentId} · {r.Key}{untranslated}{file}")}</li>\n");
        }

        writer.Write("</ul>\n</section>\n");
    }

    private static void Definitions(TextWriter writer, SurveyReport report)
    {
        var o = report.Options;
        writer.Write("<section>\n<h2>How these figures are defined</h2>\n<dl>\n");
        Definition(writer, "Periods", $"A response counts in the period of its submission instant, a send in that of its send instant, in the {o.TimeZone.Id} time zone; weeks are ISO weeks starting Monday.");
        Definition(writer, "CSAT", "Satisfied ratings ÷ ratings, with n and the 95% Wilson score interval. Satisfied = the threshold shown beside each CSAT figure (top two boxes by default).");
        Definition(writer, "NPS", $"100 × (promoters 9–10 − detractors 0–6) ÷ answers, from −100 to +100, with a 95% {SurveyFormat.NpsMethod(o.NpsInterval)} interval; each share with its Wilson interval.");
        Definition(writer, "CES", "Mean answer on the agreement scale with its 95% Student t interval, and the share agreeing (the points above the midpoint).");
        Definition(writer, "SERVQUAL", "Gap = perception − expectation (P − E) per respondent; below 0 service falls short. Dimension scores average the items a respondent answered, overall scores average the dimensions; the weighted score weights dimensions by each respondent's importance points. MSA = P − minimum, MSS = P − desired. Means with 95% t intervals.");
        Definition(writer, "Cronbach's alpha", $"Per dimension and scale, with the number of items, the respondents used and the missing-data rule: {SurveyFormat.RuleText(o.AlphaMissingData)}.");
        Definition(writer, "Small groups", $"Instrument figures with fewer than {o.MinimumN} responses are marked small, and figures with n below it carry *. They are shown, not hidden: read them as indicative.");
        if (report.Comparison is not null)
        {
            Definition(writer, "Change", "Two-proportion z-test for rates, a z-test of the NPS difference, Welch's t-test for means. A change whose p-value is not below the significance level is reported as noise, not as a trend.");
        }

        writer.Write("</dl>\n</section>\n");
    }

    private static void Definition(TextWriter writer, string term, string text) =>
        writer.Write($"<dt>{Markup.Escape(term)}</dt><dd>{Markup.Escape(text)}</dd>\n");

    private static void TableStart(TextWriter writer, SurveyReport report, string title, IReadOnlyList<string> headers)
    {
        writer.Write($"<h3><bdi>{Markup.Escape(title)}</bdi></h3>\n<div class=\"table-wrap\">\n<table>\n<thead><tr>");
        foreach (var d in report.Options.GroupBy)
        {
            writer.Write($"<th class=\"g\" scope=\"col\">{Markup.Escape(SurveyFormat.DimensionName(d))}</th>");
        }

        writer.Write("<th class=\"g\" scope=\"col\">period</th>");
        foreach (var header in headers)
        {
            writer.Write($"<th scope=\"col\"><bdi>{Markup.Escape(header)}</bdi></th>");
        }

        writer.Write("</tr></thead>\n<tbody>\n");
    }

    private static void TableEnd(TextWriter writer) => writer.Write("</tbody>\n</table>\n</div>\n");

    private static void RowStart(TextWriter writer, SurveyReport report, SurveyScopedRow row, bool small, bool total = false)
    {
        writer.Write(total || row.Scope is not RowScope.Group ? "<tr class=\"total\">" : "<tr>");
        foreach (var cell in SurveyReportRows.GroupCells(row, report.Options.GroupBy.Count))
        {
            writer.Write($"<td class=\"g\"><bdi>{Markup.Escape(cell)}</bdi></td>");
        }

        writer.Write($"<td class=\"g\">{Markup.Escape(row.Row.Period.Label)}{(small ? " <span class=\"flag\" title=\"fewer responses than the minimum n\">small</span>" : string.Empty)}</td>");
    }

    private static void RateCell(TextWriter writer, Proportion p, int min)
    {
        if (p.Rate is not { } rate || p.Wilson95 is not { } ci)
        {
            writer.Write($"<td>{Format.Dash}<span class=\"ci\">n=0</span></td>");
            return;
        }

        var small = p.Trials < min;
        writer.Write(small ? "<td class=\"small\">" : "<td>");
        writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"{Format.Percent(rate)}%<span class=\"ci\">n={p.Trials}{(small ? " *" : string.Empty)} · {Format.Percent(ci.Lower)}–{Format.Percent(ci.Upper)}</span></td>"));
    }

    private static void NpsCell(TextWriter writer, NpsEstimate e, int min)
    {
        if (e.Score is not { } score)
        {
            writer.Write($"<td>{Format.Dash}<span class=\"ci\">n=0</span></td>");
            return;
        }

        var small = e.N < min;
        var ci = e.Interval95 is { } i ? $" · {SurveyFormat.Signed(i.Lower, "0.0")} to {SurveyFormat.Signed(i.Upper, "0.0")}" : string.Empty;
        writer.Write(small ? "<td class=\"small\">" : "<td>");
        writer.Write($"{Markup.Escape(SurveyFormat.Signed(score, "0.0"))}<span class=\"ci\">{Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"n={e.N}{(small ? " *" : string.Empty)}{ci}"))}</span></td>");
    }

    private static void MeanCell(TextWriter writer, MeanEstimate m, int min, bool signed)
    {
        if (m.Mean is not { } mean)
        {
            writer.Write($"<td>{Format.Dash}<span class=\"ci\">n=0</span></td>");
            return;
        }

        var small = m.N < min;
        var value = signed ? SurveyFormat.Signed(mean, "0.00") : mean.ToString("0.00", CultureInfo.InvariantCulture);
        var ci = m.Interval95 is { } i ? $" · {SurveyFormat.Signed(i.Lower, "0.00", signed)} to {SurveyFormat.Signed(i.Upper, "0.00", signed)}" : string.Empty;
        writer.Write(small ? "<td class=\"small\">" : "<td>");
        writer.Write($"{Markup.Escape(value)}<span class=\"ci\">{Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"n={m.N}{(small ? " *" : string.Empty)}{ci}"))}</span></td>");
    }
}
