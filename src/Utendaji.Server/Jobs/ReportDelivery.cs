using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;

namespace Utendaji.Server.Jobs;

/// <summary>
/// What the scanner stores in a <c>report-delivery</c> job: the schedule and the period (its start date in the
/// schedule's zone, the cadence and the zone as they were when it fell due). No destination and no secret: those are
/// read from the options when the job runs.
/// </summary>
internal sealed record ReportDeliveryJob(
    [property: JsonPropertyName("schedule")] string Schedule,
    [property: JsonPropertyName("cadence")] string Cadence,
    [property: JsonPropertyName("time_zone")] string TimeZone,
    [property: JsonPropertyName("period_start")] string PeriodStart,
    [property: JsonPropertyName("group_by")] string? GroupBy);

/// <summary>Names, keys and the JSON summary of scheduled report deliveries (docs/jobs.md, "Scheduled reports").</summary>
public static class ReportDelivery
{
    /// <summary>The job kind.</summary>
    public const string Kind = "report-delivery";

    /// <summary>The <c>type</c> field of the webhook body.</summary>
    public const string EventType = "report.summary";

    internal static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    /// <summary>
    /// The dedupe key (and <c>Idempotency-Key</c>) of one schedule's delivery for one period: <c>&lt;schedule&gt;:&lt;period
    /// start&gt;</c>, e.g. <c>weekly-team:2026-11-16</c>; the same on every node and every scan.
    /// </summary>
    public static string Key(string schedule, CalendarPeriod period)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(period);
        return schedule + ":" + Date.Format(period.StartDate);
    }

    /// <summary>The name of a cadence in payloads and subjects: <c>weekly</c> or <c>monthly</c>.</summary>
    public static string CadenceName(ReportCadence cadence) => cadence == ReportCadence.Weekly ? "weekly" : "monthly";

    /// <summary>The snake_case name of a dimension in payloads: <c>team</c>, <c>channel</c>, …</summary>
    public static string DimensionName(GroupDimension dimension) => dimension.ToString().ToLowerInvariant();

    /// <summary>The snake_case name of a KPI in payloads, e.g. <c>sla_first_reply</c>.</summary>
    public static string FigureName(KpiChangeFigure figure) => figure switch
    {
        KpiChangeFigure.Created => "created",
        KpiChangeFigure.Solved => "solved",
        KpiChangeFigure.BacklogAtEnd => "backlog_at_end",
        KpiChangeFigure.FirstReplyBusiness => "first_reply_business_seconds",
        KpiChangeFigure.FullResolutionBusiness => "full_resolution_business_seconds",
        KpiChangeFigure.SlaFirstReply => "sla_first_reply",
        KpiChangeFigure.SlaNextReply => "sla_next_reply",
        KpiChangeFigure.SlaResolution => "sla_resolution",
        KpiChangeFigure.FirstContactResolution => "first_contact_resolution",
        KpiChangeFigure.Reopened => "reopened",
        KpiChangeFigure.Satisfied => "csat_satisfied",
        _ => throw new ArgumentOutOfRangeException(nameof(figure), figure, "unknown figure"),
    };

    internal static string Payload(ReportSchedule schedule, CalendarPeriod period) => JsonSerializer.Serialize(
        new ReportDeliveryJob(
            schedule.Name,
            CadenceName(schedule.Cadence),
            period.Zone.Id,
            Date.Format(period.StartDate),
            schedule.GroupBy is { } g ? DimensionName(g) : null),
        Json);

    /// <summary>The period and grouping a job's payload names; null when the payload is not one.</summary>
    internal static (CalendarPeriod Period, GroupDimension? GroupBy)? Parse(ReportDeliveryJob job)
    {
        var granularity = job.Cadence switch
        {
            "weekly" => PeriodGranularity.Week,
            "monthly" => PeriodGranularity.Month,
            _ => (PeriodGranularity?)null,
        };
        var zone = job.TimeZone is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(job.TimeZone);
        GroupDimension? groupBy = null;
        if (job.GroupBy is not null)
        {
            if (!Enum.TryParse<GroupDimension>(job.GroupBy, ignoreCase: true, out var g) || !Enum.IsDefined(g))
            {
                return null;
            }

            groupBy = g;
        }

        if (granularity is null || zone is null || job.PeriodStart is null || Date.Parse(job.PeriodStart) is not { Success: true } start)
        {
            return null;
        }

        return (CalendarPeriod.Containing(granularity.Value, start.Value, zone), groupBy);
    }

    /// <summary>
    /// The JSON summary POSTed to a webhook (docs/jobs.md): both periods, and per group each KPI's n, value, interval,
    /// median (durations), difference, test and significance flag. Group values are the ticket attributes as stored.
    /// </summary>
    internal static byte[] Body(string organisation, string deliveryId, ReportSchedule schedule, KpiComparison comparison, Instant sentAt)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", EventType);
            json.WriteString("delivery_id", deliveryId);
            json.WriteString("organisation", organisation);
            json.WriteString("schedule", schedule.Name);
            json.WriteString("cadence", CadenceName(schedule.Cadence));
            json.WriteString("time_zone", schedule.TimeZone);
            json.WriteNumber("significance_level", comparison.SignificanceLevel);
            if (comparison.GroupBy.Count == 0)
            {
                json.WriteNull("group_by");
            }
            else
            {
                json.WriteString("group_by", DimensionName(comparison.GroupBy[0]));
            }

            Period(json, "period", comparison.Current);
            Period(json, "previous_period", comparison.Previous);
            json.WritePropertyName("total");
            Group(json, comparison.Total, comparison.GroupBy);
            json.WriteStartArray("groups");
            foreach (var group in comparison.Groups)
            {
                Group(json, group, comparison.GroupBy);
            }

            json.WriteEndArray();
            json.WriteString("sent_at", InstantPattern.ExtendedIso.Format(sentAt));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Period(Utf8JsonWriter json, string name, ReportPeriod period)
    {
        json.WriteStartObject(name);
        json.WriteString("label", period.Label);
        json.WriteString("start", InstantPattern.ExtendedIso.Format(period.Start!.Value));
        json.WriteString("end", InstantPattern.ExtendedIso.Format(period.End!.Value));
        json.WriteEndObject();
    }

    private static void Group(Utf8JsonWriter json, KpiGroupChange group, IReadOnlyList<GroupDimension> dimensions)
    {
        json.WriteStartObject();
        json.WriteStartObject("group");
        for (var i = 0; i < dimensions.Count && i < group.Group.Values.Count; i++)
        {
            json.WriteString(DimensionName(dimensions[i]), group.Group.Values[i]);
        }

        json.WriteEndObject();
        json.WriteStartArray("figures");
        foreach (var change in group.Changes)
        {
            json.WriteStartObject();
            json.WriteString("figure", FigureName(change.Figure));
            Value(json, "previous", change.Previous);
            Value(json, "current", change.Current);
            Number(json, "difference", change.Difference);
            if (change.Test is { } test)
            {
                json.WriteStartObject("test");
                json.WriteString("method", test.Method switch
                {
                    TestMethod.TwoProportionZ => "two_proportion_z",
                    TestMethod.WelchT => "welch_t",
                    _ => "nps_difference_z",
                });
                json.WriteNumber("statistic", test.Statistic);
                Number(json, "df", test.DegreesOfFreedom);
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

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Value(Utf8JsonWriter json, string name, KpiValue value)
    {
        json.WriteStartObject(name);
        json.WriteNumber("n", value.N);
        Number(json, "value", value.Value);
        Number(json, "ci_low", value.Interval95?.Lower);
        Number(json, "ci_high", value.Interval95?.Upper);
        Number(json, "median", value.Median);
        json.WriteBoolean("small", value.Small);
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    internal static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Log messages of scheduled report deliveries; stable event ids 4120–4129. Never customer text or secrets.</summary>
internal static partial class ReportLog
{
    [LoggerMessage(4120, LogLevel.Information, "Report scan of {Organisation}: {Due} schedule(s) due, {Enqueued} delivery job(s) new")]
    public static partial void Scanned(ILogger logger, string organisation, int due, int enqueued);

    [LoggerMessage(4121, LogLevel.Error, "Report scan of {Organisation} failed ({ExceptionType})")]
    public static partial void ScanFailed(ILogger logger, string organisation, string exceptionType);

    [LoggerMessage(4122, LogLevel.Information, "Report {Schedule} of {Organisation} for {Period} delivered by {Channel}")]
    public static partial void Delivered(ILogger logger, string schedule, string organisation, string period, string channel);
}
