using NodaTime;

namespace Utendaji.Storage;

/// <summary>Filters for reading survey responses; null means no filter. Instants are inclusive start, exclusive end.</summary>
public sealed record SurveyResponseQuery
{
    /// <summary>No filter at all.</summary>
    public static SurveyResponseQuery All { get; } = new();
    /// <summary>Only responses to this instrument.</summary>
    public string? Instrument { get; init; }
    /// <summary>Submitted at or after.</summary>
    public Instant? SubmittedFrom { get; init; }
    /// <summary>Submitted before.</summary>
    public Instant? SubmittedTo { get; init; }
    /// <summary>Only this team (as the response names it).</summary>
    public string? Team { get; init; }
    /// <summary>Only this agent (as the response names it; the credited agent may differ, see docs/surveys-responses.md).</summary>
    public string? Agent { get; init; }
    /// <summary>Only this channel.</summary>
    public string? Channel { get; init; }
    /// <summary>Only this language.</summary>
    public string? Language { get; init; }
    /// <summary>Only responses following this ticket.</summary>
    public string? TicketId { get; init; }
}

/// <summary>Filters for reading survey sends; null means no filter. Instants are inclusive start, exclusive end.</summary>
public sealed record SurveySendQuery
{
    /// <summary>No filter at all.</summary>
    public static SurveySendQuery All { get; } = new();
    /// <summary>Only sends of this instrument.</summary>
    public string? Instrument { get; init; }
    /// <summary>Sent at or after.</summary>
    public Instant? SentFrom { get; init; }
    /// <summary>Sent before.</summary>
    public Instant? SentTo { get; init; }
    /// <summary>Only this channel.</summary>
    public string? Channel { get; init; }
    /// <summary>Only this language.</summary>
    public string? Language { get; init; }
    /// <summary>Only sends following this ticket.</summary>
    public string? TicketId { get; init; }
    /// <summary>Only the send with this id (at most one: ids are unique per organisation); a survey page finds its send so.</summary>
    public string? SendId { get; init; }
    /// <summary>
    /// True: only sends a stored response answers (a response whose <c>SendId</c> is the send's id); false: only sends
    /// nobody answered. The response rate of a set of sends is the count with <c>Answered = true</c> over the count without.
    /// </summary>
    public bool? Answered { get; init; }
}

/// <summary>Survey row counts of the store, for <c>utendaji info</c>.</summary>
/// <param name="Sends">Survey sends stored.</param>
/// <param name="Responses">Survey responses stored.</param>
public sealed record SurveyCounts(long Sends, long Responses);
