using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Utendaji.Server.Jobs;

/// <summary>
/// What the scanner stores in a <c>survey-send</c> job: the ticket and the solve it follows. The customer, language
/// and channel are read from the ticket when the job runs, so no customer data sits in the queue.
/// </summary>
/// <param name="TicketId">The helpdesk's ticket id.</param>
/// <param name="SolvedAt">The ticket's final solve the survey follows, ISO-8601 UTC.</param>
internal sealed record SurveySendJob(
    [property: JsonPropertyName("ticket_id")] string TicketId,
    [property: JsonPropertyName("solved_at")] string SolvedAt);

/// <summary>The JSON body POSTed to the organisation's webhook (docs/jobs.md, "Survey sends after solve").</summary>
internal sealed record SurveySendBody(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("organisation")] string Organisation,
    [property: JsonPropertyName("ticket_id")] string TicketId,
    [property: JsonPropertyName("send_id")] string SendId,
    [property: JsonPropertyName("customer")] string? Customer,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("channel")] string? Channel,
    [property: JsonPropertyName("instrument")] string Instrument,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("sent_at")] string SentAt);

/// <summary>Names, ids and keys of survey sends after solve.</summary>
public static class SurveySendAfterSolve
{
    /// <summary>The job kind.</summary>
    public const string Kind = "survey-send";

    /// <summary>The <c>type</c> field of the webhook body.</summary>
    public const string EventType = "survey.send";

    /// <summary>The prefix of the send ids this feature stores.</summary>
    public const string SendIdPrefix = "solve:";

    internal static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>
    /// The send id of a ticket's survey: <c>solve:</c> and the ticket id. One per ticket, the same on every node and
    /// every attempt, so storing it again is idempotent and a ticket is surveyed after solve at most once.
    /// </summary>
    public static string SendId(string ticketId)
    {
        ArgumentException.ThrowIfNullOrEmpty(ticketId);
        return SendIdPrefix + ticketId;
    }

    /// <summary>
    /// The dedupe key (and <c>Idempotency-Key</c>) of the job for one (organisation, ticket, solve): <c>survey-</c> and
    /// 40 hex digits of SHA-256 over the three, header-safe whatever characters the ticket id has. The solve instant
    /// is in the key so a ticket reopened before its survey went out is enqueued again when it is solved again.
    /// </summary>
    public static string Key(string organisation, string ticketId, Instant solvedAt)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(ticketId);
        var text = string.Join('\0', organisation, ticketId, solvedAt.ToUnixTimeTicks().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "survey-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }
}

/// <summary>Log messages of survey sends after solve; stable event ids 4150–4159. Never customer text, customer ids or secrets.</summary>
internal static partial class SurveySendLog
{
    [LoggerMessage(4150, LogLevel.Information, "Survey scan of {Organisation}: {Found} solved ticket(s) due for a survey, {Enqueued} new")]
    public static partial void Scanned(ILogger logger, string organisation, int found, int enqueued);

    [LoggerMessage(4151, LogLevel.Error, "Survey scan of {Organisation} failed ({ExceptionType})")]
    public static partial void ScanFailed(ILogger logger, string organisation, string exceptionType);

    [LoggerMessage(4152, LogLevel.Information, "Survey send job {JobId} of {Organisation} not sent: {Reason}")]
    public static partial void Obsolete(ILogger logger, long jobId, string organisation, string reason);

    [LoggerMessage(4153, LogLevel.Information, "Survey send job {JobId} of {Organisation} delivered to the webhook")]
    public static partial void Delivered(ILogger logger, long jobId, string organisation);
}
