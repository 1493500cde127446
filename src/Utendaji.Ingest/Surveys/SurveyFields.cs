namespace Utendaji.Ingest.Surveys;

/// <summary>The canonical field names of survey files (CSV columns and NDJSON properties).</summary>
internal static class SurveyFields
{
    public const string ResponseId = "response_id";
    public const string SendId = "send_id";
    public const string Instrument = "instrument";
    public const string TicketId = "ticket_id";
    public const string Customer = "customer";
    public const string Agent = "agent";
    public const string Team = "team";
    public const string Channel = "channel";
    public const string Language = "language";
    public const string SentAt = "sent_at";
    public const string SubmittedAt = "submitted_at";
    public const string Answers = "answers";

    /// <summary>Response columns that are not items, in the order documented.</summary>
    public static readonly string[] ResponseMeta =
        [ResponseId, Instrument, TicketId, Customer, Agent, Team, Channel, Language, SentAt, SubmittedAt, SendId];

    /// <summary>Send columns, in the order documented.</summary>
    public static readonly string[] SendColumns = [SendId, Instrument, TicketId, Customer, Channel, Language, SentAt];
}
