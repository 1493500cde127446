using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Utendaji.Core;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Postgres;

/// <summary>
/// One import as one PostgreSQL transaction on a connection of its own. The tickets it touches are remembered in
/// a temporary table dropped at commit or rollback, so deriving facts reads only them.
/// </summary>
/// <remarks>
/// Rows are written in runs of up to 2,000 (array parameters unnested on the server, one round trip per run); a
/// run never holds the same id twice, so a repeated id is compared with the row the run before stored, exactly as
/// the SQLite store's row-by-row loop does.
/// </remarks>
internal sealed class PostgresImportTransaction : IImportTransaction
{
    private static readonly string ChangedEventsSql =
        $"SELECT {TicketSources.Qualified(EventRow.Select, "e")} FROM changed_tickets c " +
        "JOIN events e ON e.org = @org AND e.ticket_id = c.ticket_id ORDER BY c.ticket_id, e.at, e.event_id";

    private static readonly string ChangedSummariesSql =
        $"SELECT {TicketSources.Qualified(SummaryRow.Select, "s")} FROM changed_tickets c " +
        "JOIN summaries s ON s.org = @org AND s.ticket_id = c.ticket_id ORDER BY c.ticket_id";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly long _org;
    private readonly Action _ended;
    private readonly StoredJson _json = new();
    private readonly EventContentHash _hash = new();
    private readonly SurveyContentHash _surveyHash = new();
    private StoredAnswers? _answers;
    private int _cursors;
    private bool _finished;

    private PostgresImportTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, long org, Action ended)
    {
        _connection = connection;
        _transaction = transaction;
        _org = org;
        _ended = ended;
    }

    public static async Task<PostgresImportTransaction> BeginAsync(NpgsqlDataSource dataSource, long org, Action ended, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(
                "CREATE TEMP TABLE changed_tickets (ticket_id text COLLATE \"C\" PRIMARY KEY) ON COMMIT DROP", connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new PostgresImportTransaction(connection, transaction, org, ended);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<AddResult> AddEventsAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(events);
        EnsureOpen();
        var hashes = new long[events.Count];
        var attributes = new string?[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var json = _json.Attributes(e.Attributes);
            hashes[i] = _hash.Of(e, e.At.ToUnixTimeTicks(), json);
            attributes[i] = PgRead.Json(json);
        }

        return await AddAsync(events.Count, i => events[i].Id, hashes, "events", "event_id",
            (command, start, end) =>
            {
                var n = end - start;
                var ids = new string[n];
                var tickets = new string[n];
                var at = new long[n];
                var type = new short[n];
                var actor = new short[n];
                var actorId = new string?[n];
                var isPublic = new bool[n];
                var channel = new string?[n];
                var team = new string?[n];
                var priority = new string?[n];
                var status = new short?[n];
                for (var i = 0; i < n; i++)
                {
                    var e = events[start + i];
                    ids[i] = e.Id;
                    tickets[i] = e.TicketId;
                    at[i] = e.At.ToUnixTimeTicks();
                    type[i] = (short)SqliteCodes.Of(e.Type);
                    actor[i] = (short)SqliteCodes.Of(e.ActorKind);
                    actorId[i] = e.ActorId;
                    isPublic[i] = e.Public;
                    channel[i] = e.Channel;
                    team[i] = e.Team;
                    priority[i] = e.Priority;
                    status[i] = e.Status is { } s ? (short)SqliteCodes.Of(s) : null;
                }

                command.CommandText =
                    $"INSERT INTO events (org, {EventRow.Select}, content_hash) SELECT @org, * FROM unnest(" +
                    "@event_id, @ticket_id, @at, @type, @actor_kind, @actor_id, @public, @channel, @team, @priority, @status, @attributes, @content_hash) " +
                    "ON CONFLICT (org, event_id) DO NOTHING RETURNING event_id, ticket_id";
                command.Parameters.Add(PgArray.Of("event_id", NpgsqlDbType.Text, ids));
                command.Parameters.Add(PgArray.Of("ticket_id", NpgsqlDbType.Text, tickets));
                command.Parameters.Add(PgArray.Of("at", NpgsqlDbType.Bigint, at));
                command.Parameters.Add(PgArray.Of("type", NpgsqlDbType.Smallint, type));
                command.Parameters.Add(PgArray.Of("actor_kind", NpgsqlDbType.Smallint, actor));
                command.Parameters.Add(PgArray.Of("actor_id", NpgsqlDbType.Text, actorId));
                command.Parameters.Add(PgArray.Of("public", NpgsqlDbType.Boolean, isPublic));
                command.Parameters.Add(PgArray.Of("channel", NpgsqlDbType.Text, channel));
                command.Parameters.Add(PgArray.Of("team", NpgsqlDbType.Text, team));
                command.Parameters.Add(PgArray.Of("priority", NpgsqlDbType.Text, priority));
                command.Parameters.Add(PgArray.Of("status", NpgsqlDbType.Smallint, status));
                command.Parameters.Add(PgArray.Of("attributes", NpgsqlDbType.Text, attributes[start..end]));
                command.Parameters.Add(PgArray.Of("content_hash", NpgsqlDbType.Bigint, hashes[start..end]));
            }, markChanged: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AddResult> AddSummariesAsync(IReadOnlyList<TicketSummary> rows, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(rows);
        EnsureOpen();
        var columns = SummaryRow.Select.Split(", ");
        var sql =
            $"INSERT INTO summaries (org, {SummaryRow.Select}) SELECT @org, * FROM unnest({string.Join(", ", columns.Select(c => "@" + c))}) " +
            "ON CONFLICT (org, ticket_id) DO UPDATE SET " +
            string.Join(", ", columns.Skip(1).Select(c => $"{c} = excluded.{c}")) +
            // An identical row is left alone and not returned: it counts as unchanged.
            $" WHERE ({string.Join(", ", columns.Skip(1).Select(c => "summaries." + c))}) IS DISTINCT FROM " +
            $"({string.Join(", ", columns.Skip(1).Select(c => "excluded." + c))}) RETURNING ticket_id";
        int added = 0, unchanged = 0;
        foreach (var (start, end) in PgArray.Runs(rows.Count, i => rows[i].TicketId))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = end - start;
            var ticket = new string[n];
            var created = new long[n];
            var firstReply = new long?[n];
            var solved = new long?[n];
            var reopens = new int[n];
            var replies = new int[n];
            var priority = new string?[n];
            var channel = new string?[n];
            var team = new string?[n];
            var agent = new string?[n];
            var customer = new string?[n];
            var language = new string?[n];
            var satisfaction = new int?[n];
            for (var i = 0; i < n; i++)
            {
                var row = Guard.NotNull(rows[start + i]);
                ticket[i] = row.TicketId;
                created[i] = row.CreatedAt.ToUnixTimeTicks();
                firstReply[i] = row.FirstReplyAt?.ToUnixTimeTicks();
                solved[i] = row.SolvedAt?.ToUnixTimeTicks();
                reopens[i] = row.Reopens;
                replies[i] = row.AgentReplies;
                priority[i] = row.Priority;
                channel[i] = row.Channel;
                team[i] = row.Team;
                agent[i] = row.Agent;
                customer[i] = row.Customer;
                language[i] = row.Language;
                satisfaction[i] = row.Satisfaction;
            }

            await using var command = Command(sql);
            command.Parameters.Add(PgArray.Of("ticket_id", NpgsqlDbType.Text, ticket));
            command.Parameters.Add(PgArray.Of("created_at", NpgsqlDbType.Bigint, created));
            command.Parameters.Add(PgArray.Of("first_reply_at", NpgsqlDbType.Bigint, firstReply));
            command.Parameters.Add(PgArray.Of("solved_at", NpgsqlDbType.Bigint, solved));
            command.Parameters.Add(PgArray.Of("reopens", NpgsqlDbType.Integer, reopens));
            command.Parameters.Add(PgArray.Of("agent_replies", NpgsqlDbType.Integer, replies));
            command.Parameters.Add(PgArray.Of("priority", NpgsqlDbType.Text, priority));
            command.Parameters.Add(PgArray.Of("channel", NpgsqlDbType.Text, channel));
            command.Parameters.Add(PgArray.Of("team", NpgsqlDbType.Text, team));
            command.Parameters.Add(PgArray.Of("agent", NpgsqlDbType.Text, agent));
            command.Parameters.Add(PgArray.Of("customer", NpgsqlDbType.Text, customer));
            command.Parameters.Add(PgArray.Of("language", NpgsqlDbType.Text, language));
            command.Parameters.Add(PgArray.Of("satisfaction", NpgsqlDbType.Integer, satisfaction));
            var changed = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    changed.Add(reader.GetString(0));
                }
            }

            added += changed.Count;
            unchanged += n - changed.Count;
            await MarkChangedAsync(changed, cancellationToken).ConfigureAwait(false);
        }

        return new AddResult(added, unchanged, []);
    }

    public async Task<AddResult> AddSurveySendsAsync(IReadOnlyList<SurveySend> sends, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(sends);
        EnsureOpen();
        var hashes = new long[sends.Count];
        for (var i = 0; i < sends.Count; i++)
        {
            var send = Guard.NotNull(sends[i]);
            hashes[i] = _surveyHash.Of(send, send.SentAt.ToUnixTimeTicks());
        }

        return await AddAsync(sends.Count, i => sends[i].SendId, hashes, "survey_sends", "send_id",
            (command, start, end) =>
            {
                var part = sends.Skip(start).Take(end - start).ToArray();
                command.CommandText =
                    $"INSERT INTO survey_sends (org, {SurveySendRow.Select}, content_hash) SELECT @org, * FROM unnest(" +
                    "@send_id, @instrument, @sent_at, @ticket_id, @customer, @channel, @language, @content_hash) " +
                    "ON CONFLICT (org, send_id) DO NOTHING RETURNING send_id, NULL::text";
                command.Parameters.Add(PgArray.Of("send_id", NpgsqlDbType.Text, part.Select(s => s.SendId).ToArray()));
                command.Parameters.Add(PgArray.Of("instrument", NpgsqlDbType.Text, part.Select(s => s.InstrumentId).ToArray()));
                command.Parameters.Add(PgArray.Of("sent_at", NpgsqlDbType.Bigint, part.Select(s => s.SentAt.ToUnixTimeTicks()).ToArray()));
                command.Parameters.Add(PgArray.Of("ticket_id", NpgsqlDbType.Text, part.Select(s => s.TicketId).ToArray()));
                command.Parameters.Add(PgArray.Of("customer", NpgsqlDbType.Text, part.Select(s => s.Customer).ToArray()));
                command.Parameters.Add(PgArray.Of("channel", NpgsqlDbType.Text, part.Select(s => s.Channel).ToArray()));
                command.Parameters.Add(PgArray.Of("language", NpgsqlDbType.Text, part.Select(s => s.Language).ToArray()));
                command.Parameters.Add(PgArray.Of("content_hash", NpgsqlDbType.Bigint, hashes[start..end]));
            }, markChanged: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AddResult> AddSurveyResponsesAsync(IReadOnlyList<SurveyResponse> responses, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(responses);
        EnsureOpen();
        _answers ??= new StoredAnswers();
        var hashes = new long[responses.Count];
        var answers = new string[responses.Count];
        for (var i = 0; i < responses.Count; i++)
        {
            var response = Guard.NotNull(responses[i]);
            var json = _answers.Write(response.ResponseId, Guard.NotNull(response.Answers));
            hashes[i] = _surveyHash.Of(response, response.SubmittedAt.ToUnixTimeTicks(), response.SentAt?.ToUnixTimeTicks(), json);
            answers[i] = System.Text.Encoding.UTF8.GetString(json);
        }

        return await AddAsync(responses.Count, i => responses[i].ResponseId, hashes, "survey_responses", "response_id",
            (command, start, end) =>
            {
                var part = responses.Skip(start).Take(end - start).ToArray();
                command.CommandText =
                    $"INSERT INTO survey_responses (org, {SurveyResponseRow.Select}, content_hash) SELECT @org, * FROM unnest(" +
                    "@response_id, @instrument, @submitted_at, @send_id, @sent_at, @ticket_id, @customer, @agent, @team, @channel, @language, @answers, @content_hash) " +
                    "ON CONFLICT (org, response_id) DO NOTHING RETURNING response_id, NULL::text";
                command.Parameters.Add(PgArray.Of("response_id", NpgsqlDbType.Text, part.Select(r => r.ResponseId).ToArray()));
                command.Parameters.Add(PgArray.Of("instrument", NpgsqlDbType.Text, part.Select(r => r.InstrumentId).ToArray()));
                command.Parameters.Add(PgArray.Of("submitted_at", NpgsqlDbType.Bigint, part.Select(r => r.SubmittedAt.ToUnixTimeTicks()).ToArray()));
                command.Parameters.Add(PgArray.Of("send_id", NpgsqlDbType.Text, part.Select(r => r.SendId).ToArray()));
                command.Parameters.Add(PgArray.Of("sent_at", NpgsqlDbType.Bigint, part.Select(r => r.SentAt?.ToUnixTimeTicks()).ToArray()));
                command.Parameters.Add(PgArray.Of("ticket_id", NpgsqlDbType.Text, part.Select(r => r.TicketId).ToArray()));
                command.Parameters.Add(PgArray.Of("customer", NpgsqlDbType.Text, part.Select(r => r.Customer).ToArray()));
                command.Parameters.Add(PgArray.Of("agent", NpgsqlDbType.Text, part.Select(r => r.Agent).ToArray()));
                command.Parameters.Add(PgArray.Of("team", NpgsqlDbType.Text, part.Select(r => r.Team).ToArray()));
                command.Parameters.Add(PgArray.Of("channel", NpgsqlDbType.Text, part.Select(r => r.Channel).ToArray()));
                command.Parameters.Add(PgArray.Of("language", NpgsqlDbType.Text, part.Select(r => r.Language).ToArray()));
                command.Parameters.Add(PgArray.Of("answers", NpgsqlDbType.Text, answers[start..end]));
                command.Parameters.Add(PgArray.Of("content_hash", NpgsqlDbType.Bigint, hashes[start..end]));
            }, markChanged: false, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TicketSource> ReadChangedTicketsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        var n = ++_cursors;
        await using var events = await PostgresCursor<TicketEvent>.DeclareAsync(_connection, $"changed_events_{n}", ChangedEventsSql, _org, PgRead.Event, cancellationToken).ConfigureAwait(false);
        await using var summaries = await PostgresCursor<TicketSummary>.DeclareAsync(_connection, $"changed_summaries_{n}", ChangedSummariesSql, _org, PgRead.Summary, cancellationToken).ConfigureAwait(false);
        await foreach (var source in PostgresTicketSources.MergeAsync(events, summaries, cancellationToken).ConfigureAwait(false))
        {
            yield return source;
        }
    }

    public async Task PutFactsAsync(IReadOnlyList<TicketFacts> facts, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(facts);
        EnsureOpen();
        await PostgresFactsWriter.PutAsync(_connection, _org, _json, facts, cancellationToken).ConfigureAwait(false);
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await FinishAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            try
            {
                await _transaction.RollbackAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection broke (or a failed commit ended the transaction): the server has rolled back already.
            }

            await FinishAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Inserts rows that are new by id (in runs without a repeated id), then compares the content hash of every row
    /// not inserted with the one stored: equal is unchanged, different is a conflict.
    /// </summary>
    private async Task<AddResult> AddAsync(int count, Func<int, string> id, long[] hashes, string table, string idColumn,
        Action<NpgsqlCommand, int, int> bindInsert, bool markChanged, CancellationToken cancellationToken)
    {
        int added = 0, unchanged = 0;
        List<int>? conflicts = null;
        foreach (var (start, end) in PgArray.Runs(count, id))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var inserted = new HashSet<string>(StringComparer.Ordinal);
            var tickets = new List<string>();
            await using (var command = Command(""))
            {
                bindInsert(command, start, end);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    inserted.Add(reader.GetString(0));
                    if (!reader.IsDBNull(1))
                    {
                        tickets.Add(reader.GetString(1));
                    }
                }
            }

            added += inserted.Count;
            if (markChanged)
            {
                await MarkChangedAsync(tickets, cancellationToken).ConfigureAwait(false);
            }

            if (inserted.Count == end - start)
            {
                continue;
            }

            var taken = Enumerable.Range(start, end - start).Where(i => !inserted.Contains(id(i))).ToList();
            var stored = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var command = Command($"SELECT {idColumn}, content_hash FROM {table} WHERE org = @org AND {idColumn} = ANY(@ids)"))
            {
                command.Parameters.Add(PgArray.Of("ids", NpgsqlDbType.Text, taken.Select(id).ToArray()));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    stored[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            foreach (var i in taken)
            {
                if (stored[id(i)] == hashes[i])
                {
                    unchanged++;
                }
                else
                {
                    (conflicts ??= []).Add(i);
                }
            }
        }

        return new AddResult(added, unchanged, conflicts ?? []);
    }

    private async Task MarkChangedAsync(List<string> tickets, CancellationToken cancellationToken)
    {
        if (tickets.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            "INSERT INTO changed_tickets (ticket_id) SELECT DISTINCT unnest(@tickets) ON CONFLICT DO NOTHING", _connection, _transaction);
        command.Parameters.Add(PgArray.Of("tickets", NpgsqlDbType.Text, tickets.ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("org", NpgsqlDbType.Bigint) { TypedValue = _org });
        return command;
    }

    private void EnsureOpen() =>
        ObjectDisposedException.ThrowIf(_finished, this);

    private async ValueTask FinishAsync()
    {
        _finished = true;
        try
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection has nothing left to release on the server.
        }
        finally
        {
            _json.Dispose();
            _answers?.Dispose();
            _ended();
        }
    }
}
