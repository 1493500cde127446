using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports;

/// <summary>
/// Renders the KPI report as CSV (RFC 4180, UTF-8, invariant culture): one row per group × period, plus the
/// roll-up rows <see cref="ReportRows.Display"/> chooses, told apart by the <c>scope</c> column.
/// </summary>
public static class KpiCsvRenderer
{
    private static readonly string[] DurationFigureNames = ["first_reply", "full_resolution"];
    private static readonly string[] RateNames = ["sla_first_reply", "sla_next_reply", "sla_resolution", "first_contact_resolution", "reopened", "csat"];

    private static readonly string[] SurveyColumnNames =
    [
        "survey_csat_n", "survey_csat_successes", "survey_csat_rate", "survey_csat_ci_lower", "survey_csat_ci_upper",
        "survey_nps_n", "survey_nps_score", "survey_nps_ci_lower", "survey_nps_ci_upper", "survey_nps_promoters", "survey_nps_passives", "survey_nps_detractors",
    ];

    /// <summary>The column names for a report grouped by <paramref name="groupBy"/>, in order; the survey columns last when <paramref name="withSurvey"/>.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<GroupDimension> groupBy, bool withSurvey)
    {
        var columns = new List<string>(Columns(groupBy));
        if (withSurvey)
        {
            columns.AddRange(SurveyColumnNames);
        }

        return columns;
    }

    /// <summary>The column names for a report grouped by <paramref name="groupBy"/>, in order.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<GroupDimension> groupBy)
    {
        ArgumentNullException.ThrowIfNull(groupBy);
        var columns = new List<string> { "scope" };
        columns.AddRange(groupBy.Select(Format.DimensionName));
        columns.AddRange(["period", "period_start", "period_end", "small_group", "created", "solved", "backlog_at_end"]);
        foreach (var figure in DurationFigureNames)
        {
            foreach (var clock in new[] { "business", "calendar" })
            {
                columns.AddRange([$"{figure}_{clock}_n", $"{figure}_{clock}_median_seconds", $"{figure}_{clock}_p90_seconds", $"{figure}_{clock}_mean_seconds"]);
            }
        }

        foreach (var rate in RateNames)
        {
            columns.AddRange([$"{rate}_n", $"{rate}_successes", $"{rate}_rate", $"{rate}_ci_lower", $"{rate}_ci_upper"]);
        }

        return columns;
    }

    /// <summary>Writes the header and one line per displayed row.</summary>
    /// <param name="report">The KPI report.</param>
    /// <param name="writer">Where to write.</param>
    /// <param name="survey">When given, the survey CSAT and NPS columns are appended (same group and period).</param>
    public static void Write(KpiReport report, TextWriter writer, SurveyColumns? survey = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        Csv.WriteRow(writer, Columns(report.Options.GroupBy, survey is not null));
        foreach (var scoped in ReportRows.Display(report))
        {
            var row = scoped.Row;
            var f = row.Figures;
            var fields = new List<string?> { Format.Snake(scoped.Scope.ToString()) };
            fields.AddRange(row.Group.Values.Count == report.Options.GroupBy.Count
                ? row.Group.Values
                : report.Options.GroupBy.Select(_ => (string?)null));
            fields.AddRange([row.Period.Label, Format.Instant(row.Period.Start), Format.Instant(row.Period.End), Csv.Bool(row.SmallGroup)]);
            fields.AddRange([Format.Number(f.Created), Format.Number(f.Solved), Format.Number(f.BacklogAtEnd)]);
            foreach (var durations in new[] { f.FirstReply, f.FullResolution })
            {
                foreach (var summary in new[] { durations.Business, durations.Calendar })
                {
                    fields.AddRange([Format.Number(summary.Count), Csv.Number(summary.Median), Csv.Number(summary.P90), Csv.Number(summary.Mean)]);
                }
            }

            foreach (var rate in new[] { f.SlaFirstReply, f.SlaNextReply, f.SlaResolution, f.FirstContactResolution, f.Reopened, f.Satisfied })
            {
                fields.AddRange(Rate(rate));
            }

            if (survey is not null)
            {
                var s = survey.Find(row);
                var nps = s.Nps;
                fields.AddRange(Rate(s.Csat));
                fields.AddRange([Format.Number(nps.N), Csv.Number(nps.Score), Csv.Number(nps.Interval95?.Lower), Csv.Number(nps.Interval95?.Upper),
                    Format.Number(nps.Promoters.Successes), Format.Number(nps.Passives.Successes), Format.Number(nps.Detractors.Successes)]);
            }

            Csv.WriteRow(writer, fields);
        }
    }

    /// <summary>The report as one CSV string.</summary>
    public static string Render(KpiReport report, SurveyColumns? survey = null)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(report, writer, survey);
        return writer.ToString();
    }

    private static string?[] Rate(Proportion p)
    {
        var ci = p.Wilson95;
        return [Format.Number(p.Trials), Format.Number(p.Successes), Csv.Number(p.Rate), Csv.Number(ci?.Lower), Csv.Number(ci?.Upper)];
    }
}
