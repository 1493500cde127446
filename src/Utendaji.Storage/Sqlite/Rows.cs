using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Sqlite;

/// <summary>Column lists and mapping of the <c>events</c> table.</summary>
internal static class EventRow
{
    /// <summary>Selected columns, in the order <see cref="Read"/> expects.</summary>
    public const string Select = "event_id, ticket_id, at, type, actor_kind, actor_id, public, channel, team, priority, status, attributes";

    /// <summary>Parameters bind by position: $org is 1, then the columns in order, content_hash last.</summary>
    public const string Insert =
        "INSERT INTO events (org, event_id, ticket_id, at, type, actor_kind, actor_id, public, channel, team, priority, status, attributes, content_hash) " +
        "VALUES ($org, $event_id, $ticket_id, $at, $type, $actor_kind, $actor_id, $public, $channel, $team, $priority, $status, $attributes, $content_hash) " +
        "ON CONFLICT (org, event_id) DO NOTHING";

    public static void Bind(RawStatement s, long org, TicketEvent e, long at, ReadOnlySpan<byte> attributes, long hash)
    {
        var i = 1;
        s.Bind(i++, org);
        s.Bind(i++, e.Id);
        s.Bind(i++, e.TicketId);
        s.Bind(i++, at);
        s.Bind(i++, SqliteCodes.Of(e.Type));
        s.Bind(i++, SqliteCodes.Of(e.ActorKind));
        s.Bind(i++, e.ActorId);
        s.Bind(i++, e.Public ? 1L : 0L);
        s.Bind(i++, e.Channel);
        s.Bind(i++, e.Team);
        s.Bind(i++, e.Priority);
        s.Bind(i++, e.Status is { } status ? SqliteCodes.Of(status) : null);
        s.Bind(i++, attributes);
        s.Bind(i, hash);
    }

    public static TicketEvent Read(RawStatement r) => new(
        r.Text(0),
        r.Text(1),
        Instant.FromUnixTimeTicks(r.Int64(2)),
        SqliteCodes.EventType(r.Int64(3)),
        SqliteCodes.Actor(r.Int64(4)),
        r.NullableText(5),
        r.Int64(6) != 0,
        r.NullableText(7),
        r.NullableText(8),
        r.NullableText(9),
        r.IsNull(10) ? null : SqliteCodes.Status(r.Int64(10)),
        r.IsNull(11) ? null : StoredJson.ReadAttributes(r.Utf8(11)));

    internal static Instant? At(RawStatement r, int column) => r.IsNull(column) ? null : Instant.FromUnixTimeTicks(r.Int64(column));
}

/// <summary>Column lists and mapping of the <c>summaries</c> table.</summary>
internal static class SummaryRow
{
    public const string Select =
        "ticket_id, created_at, first_reply_at, solved_at, reopens, agent_replies, priority, channel, team, agent, customer, language, satisfaction";

    private static readonly string[] Columns = Select.Split(", ");

    /// <summary>Inserts, or replaces a row whose content differs; an identical row is left alone (0 changes).</summary>
    public static readonly string Upsert =
        $"INSERT INTO summaries (org, {Select}) VALUES ($org, {string.Join(", ", Columns.Select(c => "$" + c))}) " +
        "ON CONFLICT (org, ticket_id) DO UPDATE SET " +
        string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}")) +
        " WHERE " + string.Join(" OR ", Columns.Skip(1).Select(c => $"summaries.{c} IS NOT excluded.{c}"));

    public static void Bind(RawStatement s, long org, TicketSummary row)
    {
        var i = 1;
        s.Bind(i++, org);
        s.Bind(i++, row.TicketId);
        s.Bind(i++, row.CreatedAt.ToUnixTimeTicks());
        s.Bind(i++, row.FirstReplyAt?.ToUnixTimeTicks());
        s.Bind(i++, row.SolvedAt?.ToUnixTimeTicks());
        s.Bind(i++, row.Reopens);
        s.Bind(i++, row.AgentReplies);
        s.Bind(i++, row.Priority);
        s.Bind(i++, row.Channel);
        s.Bind(i++, row.Team);
        s.Bind(i++, row.Agent);
        s.Bind(i++, row.Customer);
        s.Bind(i++, row.Language);
        s.Bind(i, row.Satisfaction);
    }

    public static TicketSummary Read(RawStatement r) => new(
        r.Text(0),
        Instant.FromUnixTimeTicks(r.Int64(1)),
        EventRow.At(r, 2),
        EventRow.At(r, 3),
        r.Int32(4),
        r.Int32(5),
        r.NullableText(6),
        r.NullableText(7),
        r.NullableText(8),
        r.NullableText(9),
        r.NullableText(10),
        r.NullableText(11),
        r.IsNull(12) ? null : r.Int32(12));
}

/// <summary>Column lists and mapping of the <c>ticket_facts</c> table: one flat column per scalar of <see cref="TicketFacts"/>.</summary>
internal static class FactsRow
{
    public const string Select =
        "ticket_id, source, created_at, status, channel, team, priority, agent, customer, language, calendar, " +
        "first_reply_at, first_reply_cal, first_reply_bus, next_replies, first_solved_at, first_resolution_cal, first_resolution_bus, " +
        "solved_at, full_resolution_cal, full_resolution_bus, requester_wait_cal, requester_wait_bus, " +
        "agent_replies, reopens, one_touch, first_contact_resolved, satisfaction, sla";

    private const string SlaCounts =
        "sla_first_reply_met, sla_first_reply_breached, sla_next_reply_met, sla_next_reply_breached, sla_resolution_met, sla_resolution_breached";

    private static readonly string[] Columns = (Select + ", " + SlaCounts).Split(", ");

    public static readonly string Upsert =
        $"INSERT INTO ticket_facts (org, {string.Join(", ", Columns)}) VALUES ($org, {string.Join(", ", Columns.Select(c => "$" + c))}) " +
        "ON CONFLICT (org, ticket_id) DO UPDATE SET " +
        string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}"));

    public static void Bind(RawStatement s, StoredJson json, long org, TicketFacts f)
    {
        var i = 1;
        s.Bind(i++, org);
        s.Bind(i++, f.TicketId);
        s.Bind(i++, SqliteCodes.Of(f.Source));
        s.Bind(i++, f.CreatedAt.ToUnixTimeTicks());
        s.Bind(i++, SqliteCodes.Of(f.Status));
        s.Bind(i++, f.Channel);
        s.Bind(i++, f.Team);
        s.Bind(i++, f.Priority);
        s.Bind(i++, f.Agent);
        s.Bind(i++, f.Customer);
        s.Bind(i++, f.Language);
        s.Bind(i++, f.Calendar);
        s.Bind(i++, f.FirstReplyAt?.ToUnixTimeTicks());
        Dual(s, ref i, f.FirstReply);
        s.Bind(i++, json.NextReplies(f.NextReplies));
        s.Bind(i++, f.FirstSolvedAt?.ToUnixTimeTicks());
        Dual(s, ref i, f.FirstResolution);
        s.Bind(i++, f.SolvedAt?.ToUnixTimeTicks());
        Dual(s, ref i, f.FullResolution);
        Dual(s, ref i, f.RequesterWait);
        s.Bind(i++, f.AgentReplies);
        s.Bind(i++, f.Reopens);
        s.Bind(i++, f.OneTouch is { } oneTouch ? (oneTouch ? 1L : 0L) : null);
        s.Bind(i++, f.FirstContactResolved is { } fcr ? (fcr ? 1L : 0L) : null);
        s.Bind(i++, f.Satisfaction);
        s.Bind(i++, json.Sla(f.Sla));
        Span<long> counts = stackalloc long[6];
        foreach (var outcome in f.Sla)
        {
            if (outcome.State != SlaState.Running)
            {
                counts[(FactsBatch.SlaIndex(outcome.Metric) * 2) + (outcome.State == SlaState.Met ? 0 : 1)]++;
            }
        }

        foreach (var count in counts)
        {
            s.Bind(i++, count);
        }
    }

    public static TicketFacts Read(RawStatement r) => new()
    {
        TicketId = r.Text(0),
        Source = SqliteCodes.Source(r.Int64(1)),
        CreatedAt = Instant.FromUnixTimeTicks(r.Int64(2)),
        Status = SqliteCodes.Status(r.Int64(3)),
        Channel = r.NullableText(4),
        Team = r.NullableText(5),
        Priority = r.NullableText(6),
        Agent = r.NullableText(7),
        Customer = r.NullableText(8),
        Language = r.NullableText(9),
        Calendar = r.Text(10),
        FirstReplyAt = EventRow.At(r, 11),
        FirstReply = Dual(r, 12),
        NextReplies = r.IsNull(14) ? [] : StoredJson.ReadNextReplies(r.Utf8(14)),
        FirstSolvedAt = EventRow.At(r, 15),
        FirstResolution = Dual(r, 16),
        SolvedAt = EventRow.At(r, 18),
        FullResolution = Dual(r, 19),
        RequesterWait = Dual(r, 21),
        AgentReplies = r.Int32(23),
        Reopens = r.Int32(24),
        OneTouch = r.IsNull(25) ? null : r.Int64(25) != 0,
        FirstContactResolved = r.IsNull(26) ? null : r.Int64(26) != 0,
        Satisfaction = r.IsNull(27) ? null : r.Int32(27),
        Sla = r.IsNull(28) ? [] : StoredJson.ReadSla(r.Utf8(28)),
    };

    private static void Dual(RawStatement s, ref int i, DualDuration? value)
    {
        s.Bind(i++, value?.Calendar.BclCompatibleTicks);
        s.Bind(i++, value?.Business.BclCompatibleTicks);
    }

    private static DualDuration? Dual(RawStatement r, int column) =>
        r.IsNull(column) ? null : new DualDuration(Duration.FromTicks(r.Int64(column)), Duration.FromTicks(r.Int64(column + 1)));
}
