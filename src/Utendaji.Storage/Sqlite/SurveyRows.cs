using NodaTime;
using Utendaji.Core.Surveys;

namespace Utendaji.Storage.Sqlite;

/// <summary>Column lists and mapping of the <c>survey_sends</c> table.</summary>
internal static class SurveySendRow
{
    /// <summary>Selected columns, in the order <see cref="Read"/> expects.</summary>
    public const string Select = "send_id, instrument, sent_at, ticket_id, customer, channel, language";

    /// <summary>Parameters bind by position: $org is 1, then the columns in order, content_hash last.</summary>
    public const string Insert =
        "INSERT INTO survey_sends (org, send_id, instrument, sent_at, ticket_id, customer, channel, language, content_hash) " +
        "VALUES ($org, $send_id, $instrument, $sent_at, $ticket_id, $customer, $channel, $language, $content_hash) " +
        "ON CONFLICT (org, send_id) DO NOTHING";

    public const string StoredHash = "SELECT content_hash FROM survey_sends WHERE org = $org AND send_id = $send_id";

    public static void Bind(RawStatement s, long org, SurveySend send, long sentAt, long hash)
    {
        var i = 1;
        s.Bind(i++, org);
        s.Bind(i++, send.SendId);
        s.Bind(i++, send.InstrumentId);
        s.Bind(i++, sentAt);
        s.Bind(i++, send.TicketId);
        s.Bind(i++, send.Customer);
        s.Bind(i++, send.Channel);
        s.Bind(i++, send.Language);
        s.Bind(i, hash);
    }

    public static SurveySend Read(RawStatement r) => new()
    {
        SendId = r.Text(0),
        InstrumentId = r.Text(1),
        SentAt = Instant.FromUnixTimeTicks(r.Int64(2)),
        TicketId = r.NullableText(3),
        Customer = r.NullableText(4),
        Channel = r.NullableText(5),
        Language = r.NullableText(6),
    };
}

/// <summary>Column lists and mapping of the <c>survey_responses</c> table.</summary>
internal static class SurveyResponseRow
{
    /// <summary>Selected columns, in the order <see cref="Read"/> expects.</summary>
    public const string Select = "response_id, instrument, submitted_at, send_id, sent_at, ticket_id, customer, agent, team, channel, language, answers";

    /// <summary>Parameters bind by position: $org is 1, then the columns in order, content_hash last.</summary>
    public const string Insert =
        "INSERT INTO survey_responses (org, response_id, instrument, submitted_at, send_id, sent_at, ticket_id, customer, agent, team, channel, language, answers, content_hash) " +
        "VALUES ($org, $response_id, $instrument, $submitted_at, $send_id, $sent_at, $ticket_id, $customer, $agent, $team, $channel, $language, $answers, $content_hash) " +
        "ON CONFLICT (org, response_id) DO NOTHING";

    public const string StoredHash = "SELECT content_hash FROM survey_responses WHERE org = $org AND response_id = $response_id";

    public static void Bind(RawStatement s, long org, SurveyResponse response, long submittedAt, long? sentAt, ReadOnlySpan<byte> answers, long hash)
    {
        var i = 1;
        s.Bind(i++, org);
        s.Bind(i++, response.ResponseId);
        s.Bind(i++, response.InstrumentId);
        s.Bind(i++, submittedAt);
        s.Bind(i++, response.SendId);
        s.Bind(i++, sentAt);
        s.Bind(i++, response.TicketId);
        s.Bind(i++, response.Customer);
        s.Bind(i++, response.Agent);
        s.Bind(i++, response.Team);
        s.Bind(i++, response.Channel);
        s.Bind(i++, response.Language);
        s.Bind(i++, answers);
        s.Bind(i, hash);
    }

    public static SurveyResponse Read(RawStatement r) => new()
    {
        ResponseId = r.Text(0),
        InstrumentId = r.Text(1),
        SubmittedAt = Instant.FromUnixTimeTicks(r.Int64(2)),
        SendId = r.NullableText(3),
        SentAt = EventRow.At(r, 4),
        TicketId = r.NullableText(5),
        Customer = r.NullableText(6),
        Agent = r.NullableText(7),
        Team = r.NullableText(8),
        Channel = r.NullableText(9),
        Language = r.NullableText(10),
        Answers = StoredAnswers.Read(r.Utf8(11)),
    };
}
