using Microsoft.Data.Sqlite;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Sqlite;

/// <summary>A command prepared once and executed many times with new parameter values (the bulk-insert path).</summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly SqliteParameter[] _parameters;

    public PreparedCommand(SqliteConnection connection, SqliteTransaction? transaction, string sql, IReadOnlyList<string> parameterNames)
    {
        Command = connection.CreateCommand();
        Command.Transaction = transaction;
        Command.CommandText = sql;
        _parameters = new SqliteParameter[parameterNames.Count];
        for (var i = 0; i < parameterNames.Count; i++)
        {
            _parameters[i] = Command.Parameters.Add(new SqliteParameter(parameterNames[i], DBNull.Value));
        }

        Command.Prepare();
    }

    public SqliteCommand Command { get; }

    public void Set(int index, object? value) => _parameters[index].Value = value ?? DBNull.Value;

    public void Dispose() => Command.Dispose();
}

/// <summary>Column lists and mapping of the <c>events</c> table.</summary>
internal static class EventRow
{
    /// <summary>Selected columns, in the order <see cref="Read"/> expects.</summary>
    public const string Select = "event_id, ticket_id, at, type, actor_kind, actor_id, public, channel, team, priority, status, attributes";

    public static readonly string[] InsertParameters =
        ["$org", "$event_id", "$ticket_id", "$at", "$type", "$actor_kind", "$actor_id", "$public", "$channel", "$team", "$priority", "$status", "$attributes", "$content_hash"];

    public const string Insert =
        "INSERT INTO events (org, event_id, ticket_id, at, type, actor_kind, actor_id, public, channel, team, priority, status, attributes, content_hash) " +
        "VALUES ($org, $event_id, $ticket_id, $at, $type, $actor_kind, $actor_id, $public, $channel, $team, $priority, $status, $attributes, $content_hash) " +
        "ON CONFLICT (org, event_id) DO NOTHING";

    public static TicketEvent Read(SqliteDataReader r, int o = 0) => new(
        r.GetString(o),
        r.GetString(o + 1),
        Instant.FromUnixTimeTicks(r.GetInt64(o + 2)),
        SqliteCodes.EventType(r.GetInt64(o + 3)),
        SqliteCodes.Actor(r.GetInt64(o + 4)),
        Text(r, o + 5),
        r.GetInt64(o + 6) != 0,
        Text(r, o + 7),
        Text(r, o + 8),
        Text(r, o + 9),
        r.IsDBNull(o + 10) ? null : SqliteCodes.Status(r.GetInt64(o + 10)),
        StoredJson.ReadAttributes(Text(r, o + 11)));

    internal static string? Text(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    internal static long? Number(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt64(ordinal);

    internal static Instant? At(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Instant.FromUnixTimeTicks(r.GetInt64(ordinal));
}

/// <summary>Column lists and mapping of the <c>summaries</c> table.</summary>
internal static class SummaryRow
{
    public const string Select =
        "ticket_id, created_at, first_reply_at, solved_at, reopens, agent_replies, priority, channel, team, agent, customer, language, satisfaction";

    private static readonly string[] Columns = Select.Split(", ");

    public static readonly string[] UpsertParameters = ["$org", .. Columns.Select(c => "$" + c)];

    /// <summary>Inserts, or replaces a row whose content differs; an identical row is left alone (0 changes).</summary>
    public static readonly string Upsert =
        $"INSERT INTO summaries (org, {Select}) VALUES ({string.Join(", ", UpsertParameters)}) " +
        "ON CONFLICT (org, ticket_id) DO UPDATE SET " +
        string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}")) +
        " WHERE " + string.Join(" OR ", Columns.Skip(1).Select(c => $"summaries.{c} IS NOT excluded.{c}"));

    public static void Bind(PreparedCommand command, long org, TicketSummary s)
    {
        var i = 0;
        command.Set(i++, org);
        command.Set(i++, s.TicketId);
        command.Set(i++, s.CreatedAt.ToUnixTimeTicks());
        command.Set(i++, s.FirstReplyAt?.ToUnixTimeTicks());
        command.Set(i++, s.SolvedAt?.ToUnixTimeTicks());
        command.Set(i++, s.Reopens);
        command.Set(i++, s.AgentReplies);
        command.Set(i++, s.Priority);
        command.Set(i++, s.Channel);
        command.Set(i++, s.Team);
        command.Set(i++, s.Agent);
        command.Set(i++, s.Customer);
        command.Set(i++, s.Language);
        command.Set(i, s.Satisfaction);
    }

    public static TicketSummary Read(SqliteDataReader r, int o = 0) => new(
        r.GetString(o),
        Instant.FromUnixTimeTicks(r.GetInt64(o + 1)),
        EventRow.At(r, o + 2),
        EventRow.At(r, o + 3),
        r.GetInt32(o + 4),
        r.GetInt32(o + 5),
        EventRow.Text(r, o + 6),
        EventRow.Text(r, o + 7),
        EventRow.Text(r, o + 8),
        EventRow.Text(r, o + 9),
        EventRow.Text(r, o + 10),
        EventRow.Text(r, o + 11),
        r.IsDBNull(o + 12) ? null : r.GetInt32(o + 12));
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

    public static readonly string[] UpsertParameters = ["$org", .. Columns.Select(c => "$" + c)];

    public static readonly string Upsert =
        $"INSERT INTO ticket_facts (org, {string.Join(", ", Columns)}) VALUES ({string.Join(", ", UpsertParameters)}) " +
        "ON CONFLICT (org, ticket_id) DO UPDATE SET " +
        string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}"));

    public static void Bind(PreparedCommand command, long org, TicketFacts f)
    {
        var i = 0;
        command.Set(i++, org);
        command.Set(i++, f.TicketId);
        command.Set(i++, SqliteCodes.Of(f.Source));
        command.Set(i++, f.CreatedAt.ToUnixTimeTicks());
        command.Set(i++, SqliteCodes.Of(f.Status));
        command.Set(i++, f.Channel);
        command.Set(i++, f.Team);
        command.Set(i++, f.Priority);
        command.Set(i++, f.Agent);
        command.Set(i++, f.Customer);
        command.Set(i++, f.Language);
        command.Set(i++, f.Calendar);
        command.Set(i++, f.FirstReplyAt?.ToUnixTimeTicks());
        Dual(command, ref i, f.FirstReply);
        command.Set(i++, StoredJson.NextReplies(f.NextReplies));
        command.Set(i++, f.FirstSolvedAt?.ToUnixTimeTicks());
        Dual(command, ref i, f.FirstResolution);
        command.Set(i++, f.SolvedAt?.ToUnixTimeTicks());
        Dual(command, ref i, f.FullResolution);
        Dual(command, ref i, f.RequesterWait);
        command.Set(i++, f.AgentReplies);
        command.Set(i++, f.Reopens);
        command.Set(i++, f.OneTouch is { } oneTouch ? (oneTouch ? 1L : 0L) : null);
        command.Set(i++, f.FirstContactResolved is { } fcr ? (fcr ? 1L : 0L) : null);
        command.Set(i++, f.Satisfaction);
        command.Set(i++, StoredJson.Sla(f.Sla));
        foreach (var metric in (ReadOnlySpan<SlaMetric>)[SlaMetric.FirstReply, SlaMetric.NextReply, SlaMetric.Resolution])
        {
            long met = 0, breached = 0;
            foreach (var outcome in f.Sla)
            {
                if (outcome.Metric == metric)
                {
                    met += outcome.State == SlaState.Met ? 1 : 0;
                    breached += outcome.State == SlaState.Breached ? 1 : 0;
                }
            }

            command.Set(i++, met);
            command.Set(i++, breached);
        }
    }

    public static TicketFacts Read(SqliteDataReader r) => new()
    {
        TicketId = r.GetString(0),
        Source = SqliteCodes.Source(r.GetInt64(1)),
        CreatedAt = Instant.FromUnixTimeTicks(r.GetInt64(2)),
        Status = SqliteCodes.Status(r.GetInt64(3)),
        Channel = EventRow.Text(r, 4),
        Team = EventRow.Text(r, 5),
        Priority = EventRow.Text(r, 6),
        Agent = EventRow.Text(r, 7),
        Customer = EventRow.Text(r, 8),
        Language = EventRow.Text(r, 9),
        Calendar = r.GetString(10),
        FirstReplyAt = EventRow.At(r, 11),
        FirstReply = Dual(r, 12),
        NextReplies = StoredJson.ReadNextReplies(EventRow.Text(r, 14)),
        FirstSolvedAt = EventRow.At(r, 15),
        FirstResolution = Dual(r, 16),
        SolvedAt = EventRow.At(r, 18),
        FullResolution = Dual(r, 19),
        RequesterWait = Dual(r, 21),
        AgentReplies = r.GetInt32(23),
        Reopens = r.GetInt32(24),
        OneTouch = EventRow.Number(r, 25) is { } oneTouch ? oneTouch != 0 : null,
        FirstContactResolved = EventRow.Number(r, 26) is { } fcr ? fcr != 0 : null,
        Satisfaction = r.IsDBNull(27) ? null : r.GetInt32(27),
        Sla = StoredJson.ReadSla(EventRow.Text(r, 28)),
    };

    private static void Dual(PreparedCommand command, ref int i, DualDuration? value)
    {
        command.Set(i++, value?.Calendar.BclCompatibleTicks);
        command.Set(i++, value?.Business.BclCompatibleTicks);
    }

    private static DualDuration? Dual(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : new DualDuration(Duration.FromTicks(r.GetInt64(ordinal)), Duration.FromTicks(r.GetInt64(ordinal + 1)));
}
