using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Utendaji.Core;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
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
    private readonly SurveyContentHash _surveyHash = new();
    private StoredAnswers? _answers;
    // Survey statements are prepared on first use, so an event import pays nothing for them.
    private RawStatement? _insertSend;
    private RawStatement? _storedSendHash;
    private RawStatement? _insertResponse;
    private RawStatement? _storedResponseHash;
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

    public Task<AddResult> AddSurveySendsAsync(IReadOnlyList<SurveySend> sends, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(sends);
        EnsureOpen();
        _insertSend ??= Prepare(SurveySendRow.Insert);
        _storedSendHash ??= Prepare(SurveySendRow.StoredHash);
        int added = 0, unchanged = 0;
        List<int>? conflicts = null;
        for (var i = 0; i < sends.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var send = Guard.NotNull(sends[i]);
            var sentAt = send.SentAt.ToUnixTimeTicks();
            var hash = _surveyHash.Of(send, sentAt);
            SurveySendRow.Bind(_insertSend, _org, send, sentAt, hash);
            if (_insertSend.Execute() == 1)
            {
                added++;
            }
            else if (StoredHash(_storedSendHash, send.SendId) == hash)
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

    public Task<AddResult> AddSurveyResponsesAsync(IReadOnlyList<SurveyResponse> responses, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(responses);
        EnsureOpen();
        _insertResponse ??= Prepare(SurveyResponseRow.Insert);
        _storedResponseHash ??= Prepare(SurveyResponseRow.StoredHash);
        _answers ??= new StoredAnswers();
        int added = 0, unchanged = 0;
        List<int>? conflicts = null;
        for (var i = 0; i < responses.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var response = Guard.NotNull(responses[i]);
            var submittedAt = response.SubmittedAt.ToUnixTimeTicks();
            var sentAt = response.SentAt?.ToUnixTimeTicks();
            var answers = _answers.Write(response.ResponseId, Guard.NotNull(response.Answers));
            var hash = _surveyHash.Of(response, submittedAt, sentAt, answers);
            SurveyResponseRow.Bind(_insertResponse, _org, response, submittedAt, sentAt, answers, hash);
            if (_insertResponse.Execute() == 1)
            {
                added++;
            }
            else if (StoredHash(_storedResponseHash, response.ResponseId) == hash)
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

    public async IAsyncEnumerable<TicketSource> ReadChangedTicketsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        using var events = RawStatement.Kept(_connection, ChangedEventsSql);
        using var summaries = RawStatement.Kept(_connection, ChangedSummariesSql);
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
        _facts.Flush();
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

    /// <summary>The content hash stored for an id the insert found taken (by an earlier import or earlier in this one).</summary>
    private long StoredHash(RawStatement statement, string id)
    {
        statement.Bind(1, _org);
        statement.Bind(2, id);
        statement.Step();
        var stored = statement.Int64(0);
        statement.Reset();
        return stored;
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
        var statement = RawStatement.Kept(_connection, sql);
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
        _insertSend = _storedSendHash = _insertResponse = _storedResponseHash = null;
        _facts?.Dispose();
        _json.Dispose();
        _answers?.Dispose();
    }
}

/// <summary>
/// Upserts facts with one prepared statement and keeps the report's copy (<see cref="ReportBlocks"/>) in step, in the
/// caller's transaction; shared by imports and re-derivation. <see cref="Flush"/> must run before the transaction commits.
/// </summary>
internal sealed class FactsWriter : IDisposable
{
    private readonly RawStatement _upsert;
    private readonly RawStatement _storedCreated;
    private readonly ReportFactsWriter? _report;
    private readonly StoredJson _json = new();
    private readonly long _org;

    /// <param name="connection">The writer connection, inside a transaction.</param>
    /// <param name="org">The organisation.</param>
    /// <param name="report">False when the caller rebuilds the whole copy afterwards (re-deriving every ticket).</param>
    public FactsWriter(SqliteConnection connection, long org, bool report = true)
    {
        _upsert = RawStatement.Kept(connection, FactsRow.Upsert);
        _storedCreated = RawStatement.Kept(connection, "SELECT created_at FROM ticket_facts WHERE org = $org AND ticket_id = $ticket_id");
        _report = report ? new ReportFactsWriter(connection, org) : null;
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

            var f = facts[i];
            if (_report is not null)
            {
                SupersedeReportRow(f, _report);
            }

            FactsRow.Bind(_upsert, _json, _org, f);
            _upsert.Execute();
            _report?.Write(f);
        }
    }

    /// <summary>Merges the copy's waiting changes into its blocks.</summary>
    public void Flush() => _report?.Flush();

    public void Dispose()
    {
        _upsert.Dispose();
        _storedCreated.Dispose();
        _report?.Dispose();
        _json.Dispose();
    }

    // The copy is keyed by creation instant: a re-derived ticket whose creation moved leaves its old entry behind
    // unless it is removed here (a ticket must be counted once).
    private void SupersedeReportRow(TicketFacts f, ReportFactsWriter report)
    {
        _storedCreated.Bind(1, _org);
        _storedCreated.Bind(2, f.TicketId);
        var stored = _storedCreated.Step() ? _storedCreated.Int64(0) : (long?)null;
        _storedCreated.Reset();
        if (stored is { } created && created != f.CreatedAt.ToUnixTimeTicks())
        {
            report.Remove(created, f.TicketId);
        }
    }
}
