using System.Text.Json;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Surveys;

/// <summary>
/// Renders the survey report as JSON with a stable, documented schema (docs/surveys.md): snake_case names,
/// numbers as numbers (rates as fractions 0–1, NPS on −100..100, means on the answer scale), instants as ISO-8601
/// UTC strings, null for "no data" — never NaN.
/// </summary>
public static class SurveyJsonRenderer
{
    /// <summary>The value of the top-level <c>schema</c> field; changes only with an incompatible schema change.</summary>
    public const string Schema = "utendaji.survey_report.v1";

    /// <summary>Writes the report as UTF-8 JSON to <paramref name="stream"/>.</summary>
    public static void Write(SurveyReport report, Stream stream, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, KpiJsonRenderer.WriterOptions(indented));
        var o = report.Options;

        json.WriteStartObject();
        json.WriteString("schema", Schema);
        json.WriteStartObject("options");
        json.WriteStartArray("instruments");
        foreach (var id in o.Instruments)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
        json.WriteStartArray("group_by");
        foreach (var dimension in o.GroupBy)
        {
            json.WriteStringValue(SurveyFormat.DimensionName(dimension));
        }

        json.WriteEndArray();
        json.WriteString("period", Format.PeriodName(o.Period));
        json.WriteString("time_zone", o.TimeZone.Id);
        KpiJsonRenderer.WriteInstant(json, "from", o.From);
        KpiJsonRenderer.WriteInstant(json, "to", o.To);
        json.WriteNumber("minimum_n", o.MinimumN);
        json.WriteString("alpha_missing_data", SurveyFormat.Name(o.AlphaMissingData));
        if (o.CsatSatisfiedMinimum is { } csat)
        {
            json.WriteNumber("csat_satisfied_minimum", csat);
        }
        else
        {
            json.WriteNull("csat_satisfied_minimum");
        }

        json.WriteString("rate_interval", "wilson_score");
        json.WriteString("nps_interval", SurveyFormat.Name(o.NpsInterval));
        json.WriteString("mean_interval", "student_t");
        json.WriteNumber("confidence_level", 0.95);
        json.WriteNumber("significance_level", o.SignificanceLevel);
        json.WriteEndObject();

        json.WriteStartArray("periods");
        foreach (var period in report.Periods)
        {
            WritePeriod(json, null, period);
        }

        json.WriteEndArray();
        WritePeriod(json, "range", report.Range);
        json.WriteNumber("unknown_instrument_responses", report.UnknownInstrumentResponses);
        WriteRows(json, "rows", report.Rows, report);
        WriteRows(json, "by_period", report.ByPeriod, report);
        WriteRows(json, "by_group", report.ByGroup, report);
        json.WritePropertyName("overall");
        WriteRow(json, report.Overall, report);
        WriteComparison(json, report);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The report as a JSON string.</summary>
    public static string Render(SurveyReport report, bool indented = true)
    {
        using var stream = new MemoryStream();
        Write(report, stream, indented);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteRows(Utf8JsonWriter json, string name, IReadOnlyList<SurveyRow> rows, SurveyReport report)
    {
        json.WriteStartArray(name);
        foreach (var row in rows)
        {
            WriteRow(json, row, report);
        }

        json.WriteEndArray();
    }

    private static void WriteGroup(Utf8JsonWriter json, GroupKey group, SurveyReport report)
    {
        json.WriteStartObject("group");
        for (var i = 0; i < group.Values.Count && i < report.Options.GroupBy.Count; i++)
        {
            json.WriteString(SurveyFormat.DimensionName(report.Options.GroupBy[i]), group.Values[i]);
        }

        json.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter json, SurveyRow row, SurveyReport report)
    {
        json.WriteStartObject();
        WriteGroup(json, row.Group, report);
        WritePeriod(json, "period", row.Period);
        json.WriteStartArray("instruments");
        foreach (var figures in row.Instruments)
        {
            WriteInstrument(json, figures);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteInstrument(Utf8JsonWriter json, InstrumentFigures f)
    {
        json.WriteStartObject();
        json.WriteString("instrument", f.InstrumentId);
        json.WriteString("kind", SurveyFormat.Name(f.Kind));
        json.WriteNumber("responses", f.Responses);
        json.WriteBoolean("small_group", f.SmallGroup);
        if (f.ResponseRate is { } rate)
        {
            WriteRate(json, "response_rate", rate);
        }
        else
        {
            json.WriteNull("response_rate");
        }

        json.WriteStartArray("csat");
        foreach (var csat in f.Csat)
        {
            json.WriteStartObject();
            json.WriteString("question", csat.QuestionId);
            json.WriteNumber("satisfied_minimum", csat.SatisfiedMinimum);
            WriteRateFields(json, csat.Satisfied);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("nps");
        foreach (var nps in f.Nps)
        {
            var e = nps.Estimate;
            json.WriteStartObject();
            json.WriteString("question", nps.QuestionId);
            json.WriteNumber("n", e.N);
            KpiJsonRenderer.WriteNumber(json, "score", e.Score);
            KpiJsonRenderer.WriteNumber(json, "ci_lower", e.Interval95?.Lower);
            KpiJsonRenderer.WriteNumber(json, "ci_upper", e.Interval95?.Upper);
            json.WriteString("interval_method", SurveyFormat.Name(e.Method));
            WriteRate(json, "promoters", e.Promoters);
            WriteRate(json, "passives", e.Passives);
            WriteRate(json, "detractors", e.Detractors);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("ces");
        foreach (var ces in f.Ces)
        {
            json.WriteStartObject();
            json.WriteString("question", ces.QuestionId);
            WriteMean(json, "mean", ces.Mean);
            json.WriteNumber("agree_minimum", ces.AgreeMinimum);
            WriteRate(json, "agreeing", ces.Agreeing);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("answers");
        foreach (var a in f.Answers)
        {
            json.WriteStartObject();
            json.WriteString("question", a.QuestionId);
            json.WriteString("type", SurveyFormat.Name(a.Type));
            json.WriteNumber("answered", a.Answered);
            json.WriteNumber("invalid", a.Invalid);
            if (a.Mean is { } mean)
            {
                WriteMean(json, "mean", mean);
            }
            else
            {
                json.WriteNull("mean");
            }

            json.WriteStartArray("counts");
            foreach (var c in a.Counts)
            {
                json.WriteStartObject();
                json.WriteString("value", c.Value);
                json.WriteNumber("count", c.Count);
                KpiJsonRenderer.WriteNumber(json, "share", c.Share);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (f.Servqual is { } s)
        {
            WriteServqual(json, s);
        }
        else
        {
            json.WriteNull("servqual");
        }

        json.WriteEndObject();
    }

    private static void WriteServqual(Utf8JsonWriter json, ServqualFigures s)
    {
        json.WriteStartObject("servqual");
        json.WriteStartArray("items");
        foreach (var item in s.Items)
        {
            json.WriteStartObject();
            json.WriteNumber("item", item.Item);
            json.WriteString("dimension", SurveyFormat.Name(item.Dimension));
            WriteScales(json, "scales", item.Scales);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("dimensions");
        foreach (var d in s.Dimensions)
        {
            json.WriteStartObject();
            json.WriteString("dimension", SurveyFormat.Name(d.Dimension));
            json.WriteStartArray("items");
            foreach (var item in d.Items)
            {
                json.WriteNumberValue(item);
            }

            json.WriteEndArray();
            WriteScales(json, "scales", d.Scales);
            if (d.Importance is { } importance)
            {
                WriteMean(json, "importance", importance);
            }
            else
            {
                json.WriteNull("importance");
            }

            json.WriteStartObject("reliability");
            foreach (var r in d.Reliability)
            {
                json.WriteStartObject(SurveyFormat.ScaleName(r.Scale));
                KpiJsonRenderer.WriteNumber(json, "alpha", r.Alpha.Alpha);
                json.WriteNumber("items", r.Alpha.Items);
                json.WriteNumber("respondents_used", r.Alpha.RespondentsUsed);
                json.WriteNumber("minimum_pair_n", r.Alpha.MinimumPairN);
                json.WriteString("missing_data", SurveyFormat.Name(r.Alpha.Rule));
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteScales(json, "overall", s.Overall);
        WriteScales(json, "weighted", s.Weighted);
        json.WriteEndObject();
    }

    private static void WriteScales(Utf8JsonWriter json, string name, IReadOnlyList<ServqualScaleMean> scales)
    {
        json.WriteStartObject(name);
        foreach (var scale in scales)
        {
            WriteMean(json, SurveyFormat.ScaleName(scale.Scale), scale.Mean);
        }

        json.WriteEndObject();
    }

    private static void WriteComparison(Utf8JsonWriter json, SurveyReport report)
    {
        if (report.Comparison is not { } c)
        {
            json.WriteNull("comparison");
            return;
        }

        json.WriteStartObject("comparison");
        WritePeriod(json, "baseline", c.Baseline);
        WritePeriod(json, "current", c.Current);
        json.WriteNumber("significance_level", c.SignificanceLevel);
        json.WriteStartArray("groups");
        foreach (var group in c.Groups)
        {
            json.WriteStartObject();
            WriteGroup(json, group.Group, report);
            json.WriteStartArray("instruments");
            foreach (var instrument in group.Instruments)
            {
                json.WriteStartObject();
                json.WriteString("instrument", instrument.InstrumentId);
                json.WriteNumber("baseline_responses", instrument.Baseline.Responses);
                json.WriteNumber("current_responses", instrument.Current.Responses);
                json.WriteStartArray("changes");
                foreach (var change in instrument.Changes)
                {
                    WriteChange(json, change);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteChange(Utf8JsonWriter json, FigureChange change)
    {
        json.WriteStartObject();
        json.WriteString("figure", SurveyFormat.Name(change.Figure));
        WriteOptionalString(json, "question", change.QuestionId);
        WriteOptionalString(json, "dimension", change.Dimension is { } d ? SurveyFormat.Name(d) : null);
        WriteOptionalString(json, "scale", change.Scale is { } s ? SurveyFormat.ScaleName(s) : null);
        json.WriteNumber("baseline_n", change.BaselineN);
        KpiJsonRenderer.WriteNumber(json, "baseline", change.Baseline);
        json.WriteNumber("current_n", change.CurrentN);
        KpiJsonRenderer.WriteNumber(json, "current", change.Current);
        KpiJsonRenderer.WriteNumber(json, "difference", change.Difference);
        if (change.Test is { } test)
        {
            json.WriteStartObject("test");
            json.WriteString("method", SurveyFormat.Name(test.Method));
            json.WriteNumber("statistic", test.Statistic);
            KpiJsonRenderer.WriteNumber(json, "degrees_of_freedom", test.DegreesOfFreedom);
            json.WriteNumber("p_value", test.PValue);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("test");
        }

        json.WriteBoolean("significant", change.Significant);
        json.WriteEndObject();
    }

    private static void WriteOptionalString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    internal static void WriteRate(Utf8JsonWriter json, string name, Proportion p)
    {
        json.WriteStartObject(name);
        WriteRateFields(json, p);
        json.WriteEndObject();
    }

    private static void WriteRateFields(Utf8JsonWriter json, Proportion p)
    {
        var ci = p.Wilson95;
        json.WriteNumber("n", p.Trials);
        json.WriteNumber("successes", p.Successes);
        KpiJsonRenderer.WriteNumber(json, "rate", p.Rate);
        KpiJsonRenderer.WriteNumber(json, "ci_lower", ci?.Lower);
        KpiJsonRenderer.WriteNumber(json, "ci_upper", ci?.Upper);
    }

    private static void WriteMean(Utf8JsonWriter json, string name, MeanEstimate mean)
    {
        json.WriteStartObject(name);
        json.WriteNumber("n", mean.N);
        KpiJsonRenderer.WriteNumber(json, "mean", mean.Mean);
        KpiJsonRenderer.WriteNumber(json, "sd", mean.StandardDeviation);
        KpiJsonRenderer.WriteNumber(json, "ci_lower", mean.Interval95?.Lower);
        KpiJsonRenderer.WriteNumber(json, "ci_upper", mean.Interval95?.Upper);
        json.WriteEndObject();
    }

    private static void WritePeriod(Utf8JsonWriter json, string? name, ReportPeriod period)
    {
        if (name is null)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(name);
        }

        json.WriteString("label", period.Label);
        KpiJsonRenderer.WriteInstant(json, "start", period.Start);
        KpiJsonRenderer.WriteInstant(json, "end", period.End);
        json.WriteEndObject();
    }
}
