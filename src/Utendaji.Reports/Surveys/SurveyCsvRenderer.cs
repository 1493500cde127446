using System.Globalization;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Surveys;

/// <summary>
/// Renders the survey report as CSV (RFC 4180, UTF-8, invariant culture) in a long layout: one line per displayed
/// row (group × period and the roll-ups, told apart by <c>scope</c>) × instrument × figure, then one line per tested
/// change (<c>scope</c> = <c>change</c>). Columns a figure does not use are empty. Columns are documented in
/// docs/surveys.md.
/// </summary>
public static class SurveyCsvRenderer
{
    private static readonly string[] FigureColumns =
    [
        "instrument", "kind", "responses", "small_group", "figure", "question", "dimension", "item", "scale", "answer",
        "n", "successes", "value", "sd", "ci_lower", "ci_upper", "interval", "threshold", "items", "minimum_pair_n", "missing_data",
        "baseline_start", "baseline_end", "baseline_n", "baseline", "current_n", "current", "difference",
        "test", "statistic", "degrees_of_freedom", "p_value", "significant",
    ];

    /// <summary>The column names for a report grouped by <paramref name="groupBy"/>, in order.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<SurveyGroupDimension> groupBy)
    {
        ArgumentNullException.ThrowIfNull(groupBy);
        return ["scope", .. groupBy.Select(SurveyFormat.DimensionName), "period", "period_start", "period_end", .. FigureColumns];
    }

    /// <summary>Writes the header and the lines.</summary>
    public static void Write(SurveyReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var dims = report.Options.GroupBy;
        var columns = Columns(dims);
        var index = columns.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        Csv.WriteRow(writer, columns);

        foreach (var scoped in SurveyReportRows.Display(report))
        {
            var row = scoped.Row;
            var lead = new string?[columns.Count];
            lead[0] = Format.Snake(scoped.Scope.ToString());
            for (var i = 0; i < dims.Count; i++)
            {
                lead[1 + i] = row.Group.Values.Count == dims.Count ? row.Group.Values[i] : null;
            }

            lead[index["period"]] = row.Period.Label;
            lead[index["period_start"]] = Format.Instant(row.Period.Start);
            lead[index["period_end"]] = Format.Instant(row.Period.End);
            foreach (var f in row.Instruments)
            {
                var line = new Line(writer, index, lead);
                line.Set("instrument", f.InstrumentId).Set("kind", SurveyFormat.Name(f.Kind)).Set("responses", Format.Number(f.Responses)).Set("small_group", Csv.Bool(f.SmallGroup));
                Figures(line, f);
            }
        }

        if (report.Comparison is { } c)
        {
            foreach (var group in c.Groups)
            {
                var lead = new string?[columns.Count];
                lead[0] = "change";
                for (var i = 0; i < dims.Count; i++)
                {
                    lead[1 + i] = group.Group.Values.Count == dims.Count ? group.Group.Values[i] : null;
                }

                lead[index["period"]] = c.Current.Label;
                lead[index["period_start"]] = Format.Instant(c.Current.Start);
                lead[index["period_end"]] = Format.Instant(c.Current.End);
                lead[index["baseline_start"]] = Format.Instant(c.Baseline.Start);
                lead[index["baseline_end"]] = Format.Instant(c.Baseline.End);
                foreach (var instrument in group.Instruments)
                {
                    var line = new Line(writer, index, lead).Set("instrument", instrument.InstrumentId).Set("kind", SurveyFormat.Name(instrument.Current.Kind));
                    foreach (var change in instrument.Changes)
                    {
                        line.Set("figure", SurveyFormat.Name(change.Figure))
                            .Set("question", change.QuestionId)
                            .Set("dimension", change.Dimension is { } d ? SurveyFormat.Name(d) : null)
                            .Set("scale", change.Scale is { } s ? SurveyFormat.ScaleName(s) : null)
                            .Set("baseline_n", Format.Number(change.BaselineN))
                            .Set("baseline", Csv.Number(change.Baseline))
                            .Set("current_n", Format.Number(change.CurrentN))
                            .Set("current", Csv.Number(change.Current))
                            .Set("difference", Csv.Number(change.Difference))
                            .Set("test", change.Test is { } t ? SurveyFormat.Name(t.Method) : null)
                            .Set("statistic", Csv.Number(change.Test?.Statistic))
                            .Set("degrees_of_freedom", Csv.Number(change.Test?.DegreesOfFreedom))
                            .Set("p_value", Csv.Number(change.Test?.PValue))
                            .Set("significant", Csv.Bool(change.Significant))
                            .Emit();
                    }
                }
            }
        }
    }

    /// <summary>The report as one CSV string.</summary>
    public static string Render(SurveyReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer);
        return writer.ToString();
    }

    private static void Figures(Line line, InstrumentFigures f)
    {
        if (f.ResponseRate is { } rate)
        {
            Rate(line.Set("figure", "response_rate"), rate).Emit();
        }

        foreach (var csat in f.Csat)
        {
            Rate(line.Set("figure", "csat").Set("question", csat.QuestionId).Set("threshold", Format.Number(csat.SatisfiedMinimum)), csat.Satisfied).Emit();
        }

        foreach (var nps in f.Nps)
        {
            var e = nps.Estimate;
            line.Set("figure", "nps").Set("question", nps.QuestionId).Set("n", Format.Number(e.N)).Set("value", Csv.Number(e.Score))
                .Set("ci_lower", Csv.Number(e.Interval95?.Lower)).Set("ci_upper", Csv.Number(e.Interval95?.Upper)).Set("interval", SurveyFormat.Name(e.Method)).Emit();
            Rate(line.Set("figure", "nps_promoters").Set("question", nps.QuestionId), e.Promoters).Emit();
            Rate(line.Set("figure", "nps_passives").Set("question", nps.QuestionId), e.Passives).Emit();
            Rate(line.Set("figure", "nps_detractors").Set("question", nps.QuestionId), e.Detractors).Emit();
        }

        foreach (var ces in f.Ces)
        {
            Mean(line.Set("figure", "ces_mean").Set("question", ces.QuestionId), ces.Mean).Emit();
            Rate(line.Set("figure", "ces_agreeing").Set("question", ces.QuestionId).Set("threshold", Format.Number(ces.AgreeMinimum)), ces.Agreeing).Emit();
        }

        foreach (var a in f.Answers)
        {
            line.Set("figure", "answered").Set("question", a.QuestionId).Set("value", Format.Number(a.Answered)).Emit();
            line.Set("figure", "invalid_answers").Set("question", a.QuestionId).Set("value", Format.Number(a.Invalid)).Emit();
            if (a.Mean is { } mean)
            {
                Mean(line.Set("figure", "answer_mean").Set("question", a.QuestionId), mean).Emit();
            }

            foreach (var c in a.Counts)
            {
                line.Set("figure", "answer_count").Set("question", a.QuestionId).Set("answer", c.Value).Set("n", Format.Number(a.Answered))
                    .Set("successes", Format.Number(c.Count)).Set("value", Csv.Number(c.Share)).Emit();
            }
        }

        if (f.Servqual is not { } s)
        {
            return;
        }

        foreach (var item in s.Items)
        {
            foreach (var m in item.Scales)
            {
                Mean(line.Set("figure", "servqual_item").Set("item", Format.Number(item.Item)).Set("dimension", SurveyFormat.Name(item.Dimension)).Set("scale", SurveyFormat.ScaleName(m.Scale)), m.Mean).Emit();
            }
        }

        foreach (var d in s.Dimensions)
        {
            var dimension = SurveyFormat.Name(d.Dimension);
            foreach (var m in d.Scales)
            {
                Mean(line.Set("figure", "servqual_dimension").Set("dimension", dimension).Set("scale", SurveyFormat.ScaleName(m.Scale)), m.Mean).Emit();
            }

            if (d.Importance is { } importance)
            {
                Mean(line.Set("figure", "servqual_importance").Set("dimension", dimension), importance).Emit();
            }

            foreach (var r in d.Reliability)
            {
                line.Set("figure", "servqual_alpha").Set("dimension", dimension).Set("scale", SurveyFormat.ScaleName(r.Scale))
                    .Set("value", Csv.Number(r.Alpha.Alpha)).Set("n", Format.Number(r.Alpha.RespondentsUsed)).Set("items", Format.Number(r.Alpha.Items))
                    .Set("minimum_pair_n", Format.Number(r.Alpha.MinimumPairN)).Set("missing_data", SurveyFormat.Name(r.Alpha.Rule)).Emit();
            }
        }

        foreach (var m in s.Overall)
        {
            Mean(line.Set("figure", "servqual_overall").Set("scale", SurveyFormat.ScaleName(m.Scale)), m.Mean).Emit();
        }

        foreach (var m in s.Weighted)
        {
            Mean(line.Set("figure", "servqual_weighted").Set("scale", SurveyFormat.ScaleName(m.Scale)), m.Mean).Emit();
        }
    }

    private static Line Rate(Line line, Proportion p)
    {
        var ci = p.Wilson95;
        return line.Set("n", Format.Number(p.Trials)).Set("successes", Format.Number(p.Successes)).Set("value", Csv.Number(p.Rate))
            .Set("ci_lower", Csv.Number(ci?.Lower)).Set("ci_upper", Csv.Number(ci?.Upper)).Set("interval", "wilson_score");
    }

    private static Line Mean(Line line, MeanEstimate m) =>
        line.Set("n", Format.Number(m.N)).Set("value", Csv.Number(m.Mean)).Set("sd", Csv.Number(m.StandardDeviation))
            .Set("ci_lower", Csv.Number(m.Interval95?.Lower)).Set("ci_upper", Csv.Number(m.Interval95?.Upper)).Set("interval", "student_t");

    /// <summary>One output line under construction: the fixed leading fields plus the figure's own; cleared after each emit.</summary>
    private sealed class Line(TextWriter writer, Dictionary<string, int> index, string?[] lead)
    {
        private readonly string?[] _fields = (string?[])lead.Clone();
        private readonly string?[] _base = (string?[])lead.Clone();

        public Line Set(string column, string? value)
        {
            _fields[index[column]] = value;
            return this;
        }

        /// <summary>Writes the line and resets it to the leading fields plus whatever was set before the first figure.</summary>
        public void Emit()
        {
            Csv.WriteRow(writer, _fields);
            var figure = index["figure"];
            Array.Copy(_fields, _base, figure);
            Array.Copy(_base, _fields, _fields.Length);
        }
    }
}
