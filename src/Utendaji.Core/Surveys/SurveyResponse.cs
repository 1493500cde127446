using NodaTime;

namespace Utendaji.Core.Surveys;

/// <summary>One answer: a number (rating, NPS, CES, allocation), chosen option ids, or text. Exactly one is set.</summary>
public sealed record SurveyAnswer
{
    /// <summary>Numeric answer.</summary>
    public double? Number { get; init; }
    /// <summary>Chosen option ids (single choice: one).</summary>
    public IReadOnlyList<string>? Choices { get; init; }
    /// <summary>Free text, exactly as the customer wrote it (never logged).</summary>
    public string? Text { get; init; }
}

/// <summary>A survey sent to a customer; response rate = responses ÷ sends.</summary>
public sealed record SurveySend
{
    /// <summary>Send id, unique per organisation; makes imports idempotent.</summary>
    public required string SendId { get; init; }
    /// <summary>Instrument sent.</summary>
    public required string InstrumentId { get; init; }
    /// <summary>When it was sent.</summary>
    public required Instant SentAt { get; init; }
    /// <summary>The ticket the survey follows, when any.</summary>
    public string? TicketId { get; init; }
    /// <summary>Customer id.</summary>
    public string? Customer { get; init; }
    /// <summary>Channel the survey went out on.</summary>
    public string? Channel { get; init; }
    /// <summary>Language the survey was sent in (en, sw, tl, fi, gu, ur).</summary>
    public string? Language { get; init; }
}

/// <summary>One respondent's answers to one instrument. Immutable.</summary>
public sealed record SurveyResponse
{
    /// <summary>Response id, unique per organisation; makes imports idempotent.</summary>
    public required string ResponseId { get; init; }
    /// <summary>Instrument answered.</summary>
    public required string InstrumentId { get; init; }
    /// <summary>When the answers were submitted.</summary>
    public required Instant SubmittedAt { get; init; }
    /// <summary>Answers by question id; a question without an answer is absent.</summary>
    public required IReadOnlyDictionary<string, SurveyAnswer> Answers { get; init; }
    /// <summary>The send this answers, when known.</summary>
    public string? SendId { get; init; }
    /// <summary>When the survey was sent, when known.</summary>
    public Instant? SentAt { get; init; }
    /// <summary>The ticket the survey follows, when any.</summary>
    public string? TicketId { get; init; }
    /// <summary>Customer id.</summary>
    public string? Customer { get; init; }
    /// <summary>Agent named in the response file (the credited agent may differ: see the credit rule).</summary>
    public string? Agent { get; init; }
    /// <summary>Team.</summary>
    public string? Team { get; init; }
    /// <summary>Channel.</summary>
    public string? Channel { get; init; }
    /// <summary>Language answered in.</summary>
    public string? Language { get; init; }
}
