using System.Globalization;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Surveys;

/// <summary>
/// Renders the survey report as aligned plain-text tables for a terminal: per instrument, responses and response
/// rate, CSAT, NPS, CES, the distribution of every answer, SERVQUAL dimensions, items and Cronbach's alpha; then the
/// comparison of two periods. Every rate is shown with n and its 95% interval; figures with n below the minimum carry
/// " *" and small groups are flagged, never hidden.
/// </summary>
public static class SurveyTableRenderer
{
    /// <summary>Writes the report.</summary>
    public static void Write(SurveyReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var o = report.Options;
        var rows = SurveyReportRows.Display(report);

        writer.WriteLine("Utendaji survey report");
        writer.WriteLine($"Range: {SurveyFormat.Range(report.Range)}  ·  time zone {o.TimeZone.Id}  ·  period {Format.PeriodName(o.Period)}  ·  {SurveyFormat.Grouping(o)}");
        writer.WriteLine($"Intervals: rates 95% Wilson score; NPS 95% {SurveyFormat.NpsMethod(o.NpsInterval)}; means 95% Student t."
            + $" * = n below {o.MinimumN}; small groups are flagged, not hidden.");
        writer.WriteLine($"Cronbach's alpha: missing data {SurveyFormat.RuleText(o.AlphaMissingData)}; n = respondents used.");
        if (report.UnknownInstrumentResponses > 0)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Responses to instruments not in this report (ignored): {report.UnknownInstrumentResponses}"));
        }

        writer.WriteLine();
        var instruments = SurveyReportRows.Instruments(report);
        if (instruments.Count == 0)
        {
            writer.WriteLine("No survey responses or sends in the range.");
            writer.WriteLine();
        }

        foreach (var id in instruments)
        {
            Instrument(writer, report, rows, id);
        }

        Comparison(writer, report);
    }

    /// <summary>The report as one string.</summary>
    public static string Render(SurveyReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer);
        return writer.ToString();
    }

    private static void Instrument(TextWriter writer, SurveyReport report, IReadOnlyList<SurveyScopedRow> rows, string id)
    {
        var min = report.Options.MinimumN;
        var mine = rows.Select(r => (Row: r, Figures: SurveyReportRows.Find(r.Row, id))).Where(x => x.Figures is not null).Select(x => (x.Row, Figures: x.Figures!)).ToList();
        var sample = SurveyReportRows.Find(report.Overall, id) ?? mine[0].Figures;
        writer.WriteLine($"=== Instrument {id} ({SurveyFormat.Name(sample.Kind)}) ===");
        writer.WriteLine();

        Section(writer, "Responses", report, mine, ["responses", "response rate (answered ÷ sent)", "flag"], [true, false, false], f =>
        [
            Format.Number(f.Responses),
            f.ResponseRate is { } rate ? SurveyFormat.Rate(rate, min) : "(no sends)",
            f.SmallGroup ? "small" : string.Empty,
        ]);

        for (var q = 0; q < sample.Csat.Count; q++)
        {
            var index = q;
            var figure = sample.Csat[q];
            Section(writer, $"CSAT — question {figure.QuestionId}: satisfied = rating ≥ {figure.SatisfiedMinimum}", report, mine, ["CSAT"], [false],
                f => [index < f.Csat.Count ? SurveyFormat.Rate(f.Csat[index].Satisfied, min) : Format.Dash]);
        }

        for (var q = 0; q < sample.Nps.Count; q++)
        {
            var index = q;
            Section(writer, $"NPS — question {sample.Nps[q].QuestionId}: promoters 9–10, passives 7–8, detractors 0–6", report, mine, ["NPS", "promoters", "passives", "detractors"], [false, false, false, false], f =>
            {
                if (index >= f.Nps.Count)
                {
                    return [Format.Dash, Format.Dash, Format.Dash, Format.Dash];
                }

                var e = f.Nps[index].Estimate;
                return [SurveyFormat.Nps(e, min), SurveyFormat.Rate(e.Promoters, min), SurveyFormat.Rate(e.Passives, min), SurveyFormat.Rate(e.Detractors, min)];
            });
        }

        for (var q = 0; q < sample.Ces.Count; q++)
        {
            var index = q;
            var figure = sample.Ces[q];
            Section(writer, $"CES — question {figure.QuestionId}: mean, and agreeing = answer ≥ {figure.AgreeMinimum}", report, mine, ["mean", "agreeing"], [false, false], f =>
                index < f.Ces.Count
                    ? [SurveyFormat.Mean(f.Ces[index].Mean, min), SurveyFormat.Rate(f.Ces[index].Agreeing, min)]
                    : [Format.Dash, Format.Dash]);
        }

        // SERVQUAL summaries before the per-question distributions: 44 item tables would bury them.
        if (sample.Servqual is { } servqual)
        {
            Servqual(writer, report, mine, servqual);
        }

        for (var q = 0; q < sample.Answers.Count; q++)
        {
            Answers(writer, report, mine, q, sample.Answers[q]);
        }
    }

    private static void Answers(TextWriter writer, SurveyReport report, List<(SurveyScopedRow Row, InstrumentFigures Figures)> mine, int q, AnswerDistribution sample)
    {
        var min = report.Options.MinimumN;
        AnswerDistribution? Pick(InstrumentFigures f) => q < f.Answers.Count ? f.Answers[q] : null;
        var title = "Answers — " + SurveyFormat.QuestionHeading(sample);
        var numeric = sample.Mean is not null;

        // Allocation points differ between rows, so only their mean is shown here; JSON and CSV list every value.
        var values = sample.Type is QuestionType.Allocation or QuestionType.FreeText ? [] : sample.Counts.Select(c => c.Value).ToArray();
        string[] headers = [.. new[] { "answered" }, .. values, .. numeric ? new[] { "mean" } : [], "invalid"];
        bool[] align = [true, .. values.Select(_ => true), .. numeric ? new[] { false } : [], true];
        Section(writer, title, report, mine, headers, align, f =>
        {
            var a = Pick(f);
            if (a is null)
            {
                return headers.Select(_ => Format.Dash).ToArray();
            }

            var cells = new List<string> { Format.Number(a.Answered) };
            foreach (var value in values)
            {
                var count = a.Counts.FirstOrDefault(c => string.Equals(c.Value, value, StringComparison.Ordinal));
                cells.Add(count.Value is null ? Format.Dash : SurveyFormat.Count(count));
            }

            if (numeric)
            {
                cells.Add(a.Mean is { } mean ? SurveyFormat.Mean(mean, min) : Format.Dash);
            }

            cells.Add(Format.Number(a.Invalid));
            return [.. cells];
        });
    }

    private static void Servqual(TextWriter writer, SurveyReport report, List<(SurveyScopedRow Row, InstrumentFigures Figures)> mine, ServqualFigures sample)
    {
        var min = report.Options.MinimumN;
        var dims = report.Options.GroupBy;
        var scales = sample.Dimensions.SelectMany(d => d.Scales.Select(s => s.Scale)).Concat(sample.Overall.Select(s => s.Scale)).Distinct().Order().ToArray();
        var hasImportance = sample.Dimensions.Any(d => d.Importance is not null);
        var leading = dims.Select(SurveyFormat.DimensionName).Append("period").ToArray();

        var table = new TextTable(
            [.. leading, "dimension", .. scales.Select(SurveyFormat.ScaleLabel), .. hasImportance ? new[] { "importance (points)" } : []],
            [.. leading.Select(_ => false), false, .. scales.Select(_ => false), .. hasImportance ? new[] { false } : []]);
        foreach (var (row, figures) in mine)
        {
            if (figures.Servqual is not { } s)
            {
                continue;
            }

            string[] lead = [.. SurveyReportRows.GroupCells(row, dims.Count), row.Row.Period.Label];
            foreach (var d in s.Dimensions)
            {
                table.Add([.. lead, SurveyFormat.Name(d.Dimension), .. scales.Select(k => Scale(d.Scales, k, min)), .. hasImportance ? new[] { d.Importance is { } imp ? SurveyFormat.Mean(imp, min) : Format.Dash } : []]);
            }

            table.Add([.. lead, "overall", .. scales.Select(k => Scale(s.Overall, k, min)), .. hasImportance ? new[] { string.Empty } : []]);
            if (s.Weighted.Count > 0)
            {
                table.Add([.. lead, "weighted by importance", .. scales.Select(k => SurveyFormat.IsDifference(k) ? Scale(s.Weighted, k, min) : string.Empty), .. hasImportance ? new[] { string.Empty } : []]);
            }
        }

        writer.WriteLine("SERVQUAL by dimension — mean over respondents of their dimension score (mean of the items they answered)");
        table.Write(writer);
        writer.WriteLine();

        var items = new TextTable(
            [.. leading, "item", "dimension", .. scales.Select(SurveyFormat.ScaleLabel)],
            [.. leading.Select(_ => false), true, false, .. scales.Select(_ => false)]);
        foreach (var (row, figures) in mine)
        {
            foreach (var item in figures.Servqual?.Items ?? [])
            {
                items.Add([.. SurveyReportRows.GroupCells(row, dims.Count), row.Row.Period.Label, Format.Number(item.Item), SurveyFormat.Name(item.Dimension), .. scales.Select(k => Scale(item.Scales, k, min))]);
            }
        }

        writer.WriteLine("SERVQUAL by item");
        items.Write(writer);
        writer.WriteLine();

        var alpha = new TextTable(
            [.. leading, "dimension", "scale", "alpha", "items", "respondents used", "min pair n", "missing data"],
            [.. leading.Select(_ => false), false, false, true, true, true, true, false]);
        foreach (var (row, figures) in mine)
        {
            foreach (var d in figures.Servqual?.Dimensions ?? [])
            {
                foreach (var r in d.Reliability)
                {
                    alpha.Add(
                    [
                        .. SurveyReportRows.GroupCells(row, dims.Count), row.Row.Period.Label, SurveyFormat.Name(d.Dimension), SurveyFormat.ScaleLabel(r.Scale),
                        r.Alpha.Alpha is { } a ? SurveyFormat.Signed(a, "0.000", signed: false) : Format.Dash,
                        Format.Number(r.Alpha.Items), Format.Number(r.Alpha.RespondentsUsed), Format.Number(r.Alpha.MinimumPairN), SurveyFormat.Name(r.Alpha.Rule),
                    ]);
                }
            }
        }

        writer.WriteLine($"Cronbach's alpha per dimension — missing data {SurveyFormat.RuleText(report.Options.AlphaMissingData)}; empty when k < 2 or too few respondents");
        alpha.Write(writer);
        writer.WriteLine();
    }

    private static string Scale(IReadOnlyList<ServqualScaleMean> means, Core.Surveys.Analysis.ServqualScale scale, int min)
    {
        foreach (var m in means)
        {
            if (m.Scale == scale)
            {
                return SurveyFormat.Mean(m.Mean, min, SurveyFormat.IsDifference(scale));
            }
        }

        return string.Empty;
    }

    private static void Comparison(TextWriter writer, SurveyReport report)
    {
        if (report.Comparison is not { } c)
        {
            return;
        }

        var dims = report.Options.GroupBy;
        writer.WriteLine($"Change from baseline {SurveyFormat.Range(c.Baseline)} to current {SurveyFormat.Range(c.Current)}");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Two-sided tests; a change is significant when p < {c.SignificanceLevel}. Rates in %, differences in percentage points (pp); NPS −100..100; means on the answer scale."));
        var leading = dims.Select(SurveyFormat.DimensionName).ToArray();
        var table = new TextTable(
            [.. leading, "instrument", "figure", "baseline", "n", "current", "n", "difference", "test", "p-value", "verdict"],
            [.. leading.Select(_ => false), false, false, true, true, true, true, true, false, true, false]);
        foreach (var group in c.Groups)
        {
            var cells = group.Group.Values.Count == dims.Count ? group.Group.Values.Select(Format.Value) : dims.Select(_ => "(all)");
            foreach (var instrument in group.Instruments)
            {
                foreach (var change in instrument.Changes)
                {
                    table.Add(
                    [
                        .. cells, instrument.InstrumentId, SurveyFormat.FigureLabel(change),
                        SurveyFormat.ChangeValue(change.Figure, change.Baseline), Format.Number(change.BaselineN),
                        SurveyFormat.ChangeValue(change.Figure, change.Current), Format.Number(change.CurrentN),
                        SurveyFormat.Difference(change.Figure, change.Difference), SurveyFormat.Test(change.Test),
                        SurveyFormat.PValue(change.Test?.PValue), SurveyFormat.Verdict(change),
                    ]);
                }
            }
        }

        table.Write(writer);
        writer.WriteLine();
    }

    private static void Section(
        TextWriter writer,
        string title,
        SurveyReport report,
        List<(SurveyScopedRow Row, InstrumentFigures Figures)> rows,
        string[] headers,
        bool[] rightAligned,
        Func<InstrumentFigures, string[]> cells)
    {
        var dims = report.Options.GroupBy;
        var leading = dims.Select(SurveyFormat.DimensionName).Append("period").ToArray();
        var table = new TextTable([.. leading, .. headers], [.. leading.Select(_ => false), .. rightAligned]);
        foreach (var (row, figures) in rows)
        {
            table.Add([.. SurveyReportRows.GroupCells(row, dims.Count), row.Row.Period.Label, .. cells(figures)]);
        }

        writer.WriteLine(title);
        table.Write(writer);
        writer.WriteLine();
    }
}
