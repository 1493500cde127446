using System.Text.Encodings.Web;
using System.Text.Json;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports;

/// <summary>
/// Renders the KPI report as JSON with a stable, documented schema (docs/metrics.md): snake_case names,
/// numbers as numbers, durations in seconds, instants as ISO-8601 UTC strings, null for "no data".
/// </summary>
public static class KpiJsonRenderer
{
    /// <summary>The value of the top-level <c>schema</c> field; changes only with an incompatible schema change.</summary>
    public const string Schema = "utendaji.kpi_report.v1";

    internal static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Indented = indented,
        // Keep every script readable as itself (Gujarati, Urdu…) instead of \u escapes; the output is a JSON file, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the report as UTF-8 JSON to <paramref name="stream"/>.</summary>
    /// <param name="report">The KPI report.</param>
    /// <param name="stream">Where to write; not closed.</param>
    /// <param name="indented">Pretty-print.</param>
    /// <param name="survey">When given, <c>options.survey_columns</c> and a <c>survey</c> object on every row (same group and period).</param>
    public static void Write(KpiReport report, Stream stream, bool indented = true, SurveyColumns? survey = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, WriterOptions(indented));
        var options = report.Options;

        json.WriteStartObject();
        json.WriteString("schema", Schema);
        json.WriteStartObject("options");
        json.WriteStartArray("group_by");
        foreach (var dimension in options.GroupBy)
        {
            json.WriteStringValue(Format.DimensionName(dimension));
        }

        json.WriteEndArray();
        json.WriteString("period", Format.PeriodName(options.Period));
        json.WriteString("time_zone", options.TimeZone.Id);
        WriteInstant(json, "from", options.From);
        WriteInstant(json, "to", options.To);
        json.WriteNumber("minimum_n", options.MinimumN);
        json.WriteNumber("csat_satisfied_minimum", options.SatisfiedMinimum);
        json.WriteString("quantile_definition", Format.QuantileName(options.Quantile));
        json.WriteString("interval", "wilson_score");
        json.WriteNumber("confidence_level", 0.95);
        json.WriteNumber("z", WilsonScore.Z95);
        if (survey is not null)
        {
            json.WriteStartObject("survey_columns");
            WriteNullableString(json, "csat_instrument", survey.CsatInstrumentId);
            WriteNullableString(json, "csat_question", survey.CsatQuestionId);
            if (survey.CsatSatisfiedMinimum is { } threshold)
            {
                json.WriteNumber("csat_satisfied_minimum", threshold);
            }
            else
            {
                json.WriteNull("csat_satisfied_minimum");
            }

            WriteNullableString(json, "nps_instrument", survey.NpsInstrumentId);
            WriteNullableString(json, "nps_question", survey.NpsQuestionId);
            json.WriteString("nps_interval", Format.Snake(survey.NpsInterval.ToString()));
            json.WriteNumber("minimum_n", survey.MinimumN);
            json.WriteEndObject();
        }

        json.WriteEndObject();

        json.WriteStartArray("periods");
        foreach (var period in report.Periods)
        {
            WritePeriod(json, null, period);
        }

        json.WriteEndArray();
        WritePeriod(json, "range", report.Range);
        WriteRows(json, "rows", report.Rows, report, survey);
        WriteRows(json, "by_period", report.ByPeriod, report, survey);
        WriteRows(json, "by_group", report.ByGroup, report, survey);
        json.WritePropertyName("overall");
        WriteRow(json, report.Overall, report, survey);

        json.WriteStartObject("first_reply_histogram");
        WriteHistogram(json, "business", report.FirstReplyBusinessHistogram);
        WriteHistogram(json, "calendar", report.FirstReplyCalendarHistogram);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The report as a JSON string.</summary>
    public static string Render(KpiReport report, bool indented = true, SurveyColumns? survey = null)
    {
        using var stream = new MemoryStream();
        Write(report, stream, indented, survey);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteRows(Utf8JsonWriter json, string name, IReadOnlyList<KpiRow> rows, KpiReport report, SurveyColumns? survey)
    {
        json.WriteStartArray(name);
        foreach (var row in rows)
        {
            WriteRow(json, row, report, survey);
        }

        json.WriteEndArray();
    }

    private static void WriteRow(Utf8JsonWriter json, KpiRow row, KpiReport report, SurveyColumns? survey)
    {
        var f = row.Figures;
        json.WriteStartObject();
        json.WriteStartObject("group");
        for (var i = 0; i < row.Group.Values.Count; i++)
        {
            json.WriteString(Format.DimensionName(report.Options.GroupBy[i]), row.Group.Values[i]);
        }

        json.WriteEndObject();
        WritePeriod(json, "period", row.Period);
        json.WriteBoolean("small_group", row.SmallGroup);
        json.WriteNumber("created", f.Created);
        json.WriteNumber("solved", f.Solved);
        json.WriteNumber("backlog_at_end", f.BacklogAtEnd);
        WriteDurations(json, "first_reply", f.FirstReply, report);
        WriteDurations(json, "full_resolution", f.FullResolution, report);
        WriteRate(json, "sla_first_reply", f.SlaFirstReply, report);
        WriteRate(json, "sla_next_reply", f.SlaNextReply, report);
        WriteRate(json, "sla_resolution", f.SlaResolution, report);
        WriteRate(json, "first_contact_resolution", f.FirstContactResolution, report);
        WriteRate(json, "reopened", f.Reopened, report);
        WriteRate(json, "csat", f.Satisfied, report);
        if (survey is not null)
        {
            var s = survey.Find(row);
            json.WriteStartObject("survey");
            var ci = s.Csat.Wilson95;
            json.WriteStartObject("csat");
            json.WriteNumber("n", s.Csat.Trials);
            json.WriteNumber("successes", s.Csat.Successes);
            WriteNumber(json, "rate", s.Csat.Rate);
            WriteNumber(json, "ci_lower", ci?.Lower);
            WriteNumber(json, "ci_upper", ci?.Upper);
            json.WriteBoolean("small_n", s.Csat.Trials < survey.MinimumN);
            json.WriteEndObject();
            json.WriteStartObject("nps");
            json.WriteNumber("n", s.Nps.N);
            WriteNumber(json, "score", s.Nps.Score);
            WriteNumber(json, "ci_lower", s.Nps.Interval95?.Lower);
            WriteNumber(json, "ci_upper", s.Nps.Interval95?.Upper);
            json.WriteNumber("promoters", s.Nps.Promoters.Successes);
            json.WriteNumber("passives", s.Nps.Passives.Successes);
            json.WriteNumber("detractors", s.Nps.Detractors.Successes);
            json.WriteBoolean("small_n", s.Nps.N < survey.MinimumN);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter json, string name, string? value)
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
        WriteInstant(json, "start", period.Start);
        WriteInstant(json, "end", period.End);
        json.WriteEndObject();
    }

    private static void WriteDurations(Utf8JsonWriter json, string name, DurationFigures figures, KpiReport report)
    {
        json.WriteStartObject(name);
        WriteSummary(json, "business", figures.Business, report);
        WriteSummary(json, "calendar", figures.Calendar, report);
        json.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter json, string name, SampleSummary summary, KpiReport report)
    {
        json.WriteStartObject(name);
        json.WriteNumber("n", summary.Count);
        WriteNumber(json, "median_seconds", summary.Median);
        WriteNumber(json, "p90_seconds", summary.P90);
        WriteNumber(json, "mean_seconds", summary.Mean);
        json.WriteBoolean("small_n", report.IsSmall(summary.Count));
        json.WriteEndObject();
    }

    private static void WriteRate(Utf8JsonWriter json, string name, Proportion proportion, KpiReport report)
    {
        var interval = proportion.Wilson95;
        json.WriteStartObject(name);
        json.WriteNumber("n", proportion.Trials);
        json.WriteNumber("successes", proportion.Successes);
        WriteNumber(json, "rate", proportion.Rate);
        WriteNumber(json, "ci_lower", interval?.Lower);
        WriteNumber(json, "ci_upper", interval?.Upper);
        json.WriteBoolean("small_n", report.IsSmall(proportion.Trials));
        json.WriteEndObject();
    }

    private static void WriteHistogram(Utf8JsonWriter json, string name, IReadOnlyList<HistogramBin> bins)
    {
        json.WriteStartArray(name);
        foreach (var bin in bins)
        {
            json.WriteStartObject();
            json.WriteNumber("lower_seconds", bin.Lower);
            WriteNumber(json, "upper_seconds", bin.Upper);
            json.WriteNumber("count", bin.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    internal static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    internal static void WriteInstant(Utf8JsonWriter json, string name, NodaTime.Instant? value)
    {
        if (value is not null)
        {
            json.WriteString(name, Format.Instant(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
