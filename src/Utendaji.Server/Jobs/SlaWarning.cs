using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Metrics;

namespace Utendaji.Server.Jobs;

/// <summary>
/// What the scanner stores in an <c>sla-warning</c> job: the SLA target that will soon fall due. Ticket id, team
/// and priority are routing data, not customer text; nothing the customer wrote is included.
/// </summary>
/// <param name="TicketId">The helpdesk's ticket id.</param>
/// <param name="Metric"><c>first_reply</c>, <c>next_reply</c> or <c>resolution</c>.</param>
/// <param name="Policy">The SLA policy's name.</param>
/// <param name="Due">When the target falls due, ISO-8601 UTC.</param>
/// <param name="Team">The ticket's team, when known.</param>
/// <param name="Priority">The ticket's priority, when known.</param>
internal sealed record SlaWarningJob(
    [property: JsonPropertyName("ticket_id")] string TicketId,
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("due")] string Due,
    [property: JsonPropertyName("team")] string? Team,
    [property: JsonPropertyName("priority")] string? Priority);

/// <summary>The JSON body POSTed to the organisation's webhook (docs/jobs.md).</summary>
internal sealed record SlaWarningBody(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("warning_id")] string WarningId,
    [property: JsonPropertyName("organisation")] string Organisation,
    [property: JsonPropertyName("ticket_id")] string TicketId,
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("due")] string Due,
    [property: JsonPropertyName("minutes_left")] long MinutesLeft,
    [property: JsonPropertyName("team")] string? Team,
    [property: JsonPropertyName("priority")] string? Priority,
    [property: JsonPropertyName("sent_at")] string SentAt);

/// <summary>Names and keys of SLA warnings.</summary>
public static class SlaWarning
{
    /// <summary>The job kind.</summary>
    public const string Kind = "sla-warning";

    /// <summary>The <c>type</c> field of the webhook body.</summary>
    public const string EventType = "sla.breach_warning";

    internal static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>
    /// The dedupe key (and <c>Idempotency-Key</c>) of the warning for one (organisation, ticket, metric, due): <c>sla-</c>
    /// and 40 hex digits of SHA-256 over the four, so it is the same on every node and every scan, header-safe
    /// whatever characters the ticket id has, and changes when a target's due instant moves.
    /// </summary>
    public static string Key(string organisation, string ticketId, SlaMetric metric, Instant due)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(ticketId);
        var text = string.Join('\0', organisation, ticketId, MetricName(metric), due.ToUnixTimeTicks().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "sla-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }

    /// <summary>The metric's name in payloads: <c>first_reply</c>, <c>next_reply</c>, <c>resolution</c>.</summary>
    public static string MetricName(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstReply => "first_reply",
        SlaMetric.NextReply => "next_reply",
        SlaMetric.Resolution => "resolution",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown SLA metric"),
    };

    internal static string Format(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    internal static Instant? Parse(string text) => InstantPattern.ExtendedIso.Parse(text) is { Success: true } result ? result.Value : null;
}
