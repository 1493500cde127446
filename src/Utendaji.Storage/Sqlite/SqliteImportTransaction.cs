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
/// Everything here completes synchronously (SQLite is in-process); the Task-returning signatures are the
/// store contract's, which a server database implements asynchronously.
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
    private readonly List<RawStatement> _statements = [];
    private readonly RawStatement _insertEvent;
    private readonly RawStatement _storedHash;
    private readonly RawStatement _markChanged;
    private readonly RawStatement _upsertSummary;
    private readonly FactsWriter _facts;
    private readonly StoredJson _json = new();
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
            Execute("CREATE TEMP TABLE IF NOT EXISTS changed_tickets (ticket_id TEXT PRIMARY KEY) WITHOUT ROWID");
            Execute("DELETE FROM temp.changed_tickets");
            _insertEvent = Prepare(EventRow.Insert);
            _storedHash = Prepare("SELECT content_hash FROM events WHERE org = $org AND event_id = $event_id");
            _markChanged = Prepare("INSERT OR IGNORE INTO temp.changed_tickets (ticket_id) VALUES ($ticket_id)");
            _upsertSummary = Prepare(SummaryRow.Upsert);
            _facts = new FactsWriter(connection, org);
        }
        catch
        {
            DisposeStatements();
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
            var attributes = _json.Attributes(e.Attributes);
            var hash = _hash.Of(e, at, attributes);
            EventRow.Bind(_insertEvent, _org, e, at, attributes, hash);
            if (_insertEvent.Execute() == 1)
            {
                added++;
                MarkChanged(e.TicketId);
                continue;
            }

            // The id is stored already (by an earlier import or earlier in this one): same content or not?
            _storedHash.Bind(1, _org);
            _storedHash.Bind(2, e.Id);
            _storedHash.Step();
            var stored = _storedHash.Int64(0);
            _storedHash.Reset();
            if (stored == hash)
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
            if (_upsertSummary.Execute() == 1)
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
        using var events = new RawStatement(_connection, ChangedEventsSql);
        using var summaries = new RawStatement(_connection, ChangedSummariesSql);
        events.Bind(1, _org);
        summaries.Bind(1, _org);
        foreach (var source in TicketSources.Merge(events, summaries, cancellationToken))
        {
            yield return source;
        }
    }

    public Task PutFactsAsync(IReadOnlyList<TicketFacts> facts, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(facts);
        EnsureOpen();
        _facts.Put(facts, cancellationToken);
        return Task.CompletedTask;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        DisposeStatements();
        Execute("DELETE FROM temp.changed_tickets");
        _transaction.Commit();
        Finish();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            DisposeStatements();
            _transaction.Rollback();
            Finish();
        }

        return ValueTask.CompletedTask;
    }

    private void MarkChanged(string ticketId)
    {
        // Events usually arrive grouped by ticket: skip the temp-table insert for a repeat of the last one.
        if (string.Equals(ticketId, _lastMarked, StringComparison.Ordinal))
        {
            return;
        }

        _markChanged.Bind(1, ticketId);
        _markChanged.Execute();
        _lastMarked = ticketId;
    }

    private RawStatement Prepare(string sql)
    {
        var statement = new RawStatement(_connection, sql);
        _statements.Add(statement);
        return statement;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void EnsureOpen() =>
        ObjectDisposedException.ThrowIf(_finished, this);

    private void Finish()
    {
        _finished = true;
        _transaction.Dispose();
        _ended();
    }

    private void DisposeStatements()
    {
        // Finalized before COMMIT/ROLLBACK so no statement holds the transaction open.
        foreach (var statement in _statements)
        {
            statement.Dispose();
        }

        _statements.Clear();
        _facts?.Dispose();
        _json.Dispose();
    }
}

/// <summary>Upserts facts with one prepared statement; shared by imports and re-derivation.</summary>
internal sealed class FactsWriter : IDisposable
{
    private readonly RawStatement _upsert;
    private readonly StoredJson _json = new();
    private readonly long _org;

    public FactsWriter(SqliteConnection connection, long org)
    {
        _upsert = new RawStatement(connection, FactsRow.Upsert);
        _org = org;
    }

    public void Put(IReadOnlyList<TicketFacts> facts, CancellationToken cancellationToken)
    {
        for (var i = 0; i < facts.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            FactsRow.Bind(_upsert, _json, _org, facts[i]);
            _upsert.Execute();
        }
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _json.Dispose();
    }
}
