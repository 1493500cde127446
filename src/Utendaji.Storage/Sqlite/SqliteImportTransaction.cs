using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Utendaji.Core;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// One import as one SQLite write transaction (BEGIN IMMEDIATE) on the store's writer connection. The
/// tickets it touches are remembered in a connection-private temp table so deriving facts reads only them.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite's async methods complete synchronously; the hot loops call the synchronous ones
/// directly to avoid a Task per row.
/// </remarks>
internal sealed class SqliteImportTransaction : IImportTransaction
{
    private static readonly string ChangedEventsSql =
        $"SELECT {TicketSources.Qualified(EventRow.Select, "e")} FROM temp.changed_tickets c " +
        // CROSS JOIN fixes the loop order: changed tickets outside, so rows come out in index order, unsorted.
        "CROSS JOIN events e ON e.org = $org AND e.ticket_id = c.ticket_id ORDER BY c.ticket_id, e.at, e.event_id";

    private static readonly string ChangedSummariesSql =
        $"SELECT {TicketSources.Qualified(SummaryRow.Select, "s")} FROM temp.changed_tickets c " +
        "CROSS JOIN summaries s ON s.org = $org AND s.ticket_id = c.ticket_id ORDER BY c.ticket_id";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly long _org;
    private readonly Action _ended;
    private readonly PreparedCommand _insertEvent;
    private readonly PreparedCommand _storedHash;
    private readonly PreparedCommand _markChanged;
    private readonly PreparedCommand _upsertSummary;
    private readonly PreparedCommand _upsertFacts;
    private readonly EventContentHash _hash = new();
    private string? _lastMarked;
    private bool _finished;

    public SqliteImportTransaction(SqliteConnection connection, long org, Action ended)
    {
        _connection = connection;
        _org = org;
        _ended = ended;
        _transaction = connection.BeginTransaction(deferred: false);
        try
        {
            using (var create = connection.CreateCommand())
            {
                create.Transaction = _transaction;
                create.CommandText =
                    "CREATE TEMP TABLE IF NOT EXISTS changed_tickets (ticket_id TEXT PRIMARY KEY) WITHOUT ROWID; " +
                    "DELETE FROM temp.changed_tickets;";
                create.ExecuteNonQuery();
            }

            _insertEvent = new PreparedCommand(connection, _transaction, EventRow.Insert, EventRow.InsertParameters);
            _storedHash = new PreparedCommand(connection, _transaction,
                "SELECT content_hash FROM events WHERE org = $org AND event_id = $event_id", ["$org", "$event_id"]);
            _markChanged = new PreparedCommand(connection, _transaction,
                "INSERT OR IGNORE INTO temp.changed_tickets (ticket_id) VALUES ($ticket_id)", ["$ticket_id"]);
            _upsertSummary = new PreparedCommand(connection, _transaction, SummaryRow.Upsert, SummaryRow.UpsertParameters);
            _upsertFacts = new PreparedCommand(connection, _transaction, FactsRow.Upsert, FactsRow.UpsertParameters);
        }
        catch
        {
            DisposeCommands();
            _transaction.Dispose();
            throw;
        }
    }

    public Task<AddResult> AddEventsAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(events);
        EnsureOpen();
        int added = 0, unchanged = 0;
        List<int>? conflicts = null;
        for (var i = 0; i < events.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var e = events[i];
            var at = e.At.ToUnixTimeTicks();
            var attributes = StoredJson.Attributes(e.Attributes);
            var hash = _hash.Of(e, at, attributes);
            var p = 0;
            _insertEvent.Set(p++, _org);
            _insertEvent.Set(p++, e.Id);
            _insertEvent.Set(p++, e.TicketId);
            _insertEvent.Set(p++, at);
            _insertEvent.Set(p++, SqliteCodes.Of(e.Type));
            _insertEvent.Set(p++, SqliteCodes.Of(e.ActorKind));
            _insertEvent.Set(p++, e.ActorId);
            _insertEvent.Set(p++, e.Public ? 1L : 0L);
            _insertEvent.Set(p++, e.Channel);
            _insertEvent.Set(p++, e.Team);
            _insertEvent.Set(p++, e.Priority);
            _insertEvent.Set(p++, e.Status is { } status ? SqliteCodes.Of(status) : null);
            _insertEvent.Set(p++, attributes);
            _insertEvent.Set(p, hash);
            if (_insertEvent.Command.ExecuteNonQuery() == 1)
            {
                added++;
                MarkChanged(e.TicketId);
                continue;
            }

            // The id is stored already (by an earlier import or earlier in this one): same content or not?
            _storedHash.Set(0, _org);
            _storedHash.Set(1, e.Id);
            if ((long)_storedHash.Command.ExecuteScalar()! == hash)
            {
                unchanged++;
            }
            else
            {
                (conflicts ??= []).Add(i);
            }
        }

        return Task.FromResult(new AddResult(added, unchanged, conflicts ?? []));
    }

    public Task<AddResult> AddSummariesAsync(IReadOnlyList<TicketSummary> rows, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(rows);
        EnsureOpen();
        int added = 0, unchanged = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            SummaryRow.Bind(_upsertSummary, _org, rows[i]);
            if (_upsertSummary.Command.ExecuteNonQuery() == 1)
            {
                added++;
                MarkChanged(rows[i].TicketId);
            }
            else
            {
                unchanged++;
            }
        }

        return Task.FromResult(new AddResult(added, unchanged, []));
    }

    public async IAsyncEnumerable<TicketSource> ReadChangedTicketsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        using var events = Query(ChangedEventsSql);
        using var summaries = Query(ChangedSummariesSql);
        await using var eventRows = await events.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var summaryRows = await summaries.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        foreach (var source in TicketSources.Merge(eventRows, summaryRows, cancellationToken))
        {
            yield return source;
        }
    }

    public Task PutFactsAsync(IReadOnlyList<TicketFacts> facts, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(facts);
        EnsureOpen();
        PutFacts(_upsertFacts, _org, facts, cancellationToken);
        return Task.CompletedTask;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        DisposeCommands();
        using (var clear = _connection.CreateCommand())
        {
            clear.Transaction = _transaction;
            clear.CommandText = "DELETE FROM temp.changed_tickets";
            clear.ExecuteNonQuery();
        }

        _transaction.Commit();
        Finish();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            DisposeCommands();
            _transaction.Rollback();
            Finish();
        }

        return ValueTask.CompletedTask;
    }

    internal static void PutFacts(PreparedCommand upsert, long org, IReadOnlyList<TicketFacts> facts, CancellationToken cancellationToken)
    {
        for (var i = 0; i < facts.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            FactsRow.Bind(upsert, org, facts[i]);
            upsert.Command.ExecuteNonQuery();
        }
    }

    private void MarkChanged(string ticketId)
    {
        // Events usually arrive grouped by ticket: skip the temp-table insert for a repeat of the last one.
        if (string.Equals(ticketId, _lastMarked, StringComparison.Ordinal))
        {
            return;
        }

        _markChanged.Set(0, ticketId);
        _markChanged.Command.ExecuteNonQuery();
        _lastMarked = ticketId;
    }

    private SqliteCommand Query(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$org", _org);
        return command;
    }

    private void EnsureOpen() =>
        ObjectDisposedException.ThrowIf(_finished, this);

    private void Finish()
    {
        _finished = true;
        _transaction.Dispose();
        _ended();
    }

    private void DisposeCommands()
    {
        _insertEvent?.Dispose();
        _storedHash?.Dispose();
        _markChanged?.Dispose();
        _upsertSummary?.Dispose();
        _upsertFacts?.Dispose();
    }
}
