using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Utendaji.Core;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Open it once with <see cref="OpenAsync"/> and keep it for
/// the life of the process.
/// </summary>
/// <remarks>
/// <para>Two connections: a writer (imports, configuration changes, re-derivation; one write transaction at a
/// time) and a query-only reader, so reads through this object see only committed data, even while an import
/// is in progress on the same object.</para>
/// <para>Not thread-safe: use one store object from one logical flow at a time (the CLI's sequential use).
/// Several processes may open the same file: WAL lets readers run during a write; a second writer waits up to
/// the busy timeout (30 s) for the first to finish.</para>
/// </remarks>
public sealed class SqliteStore : IUtendajiStore
{
    /// <summary>The organisation a store is opened for when none is given.</summary>
    public const string DefaultOrganisation = "default";

    private const int BusyTimeoutSeconds = 30;

    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly long _org;
    private SqliteImportTransaction? _import;
    private bool _disposed;

    private SqliteStore(string location, string organisation, int schemaVersion, SqliteConnection writer, SqliteConnection reader, long org)
    {
        Location = location;
        Organisation = organisation;
        SchemaVersion = schemaVersion;
        _writer = writer;
        _reader = reader;
        _org = org;
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public string Organisation { get; }

    /// <inheritdoc />
    public int SchemaVersion { get; }

    /// <summary>The newest schema version this code knows (the version a fresh database is created at).</summary>
    public static int LatestSchemaVersion => SqliteMigrations.Latest;

    /// <summary>
    /// Opens (creating the file and its directories when missing) the database at <paramref name="path"/> for
    /// <paramref name="organisation"/>, applying any pending migrations.
    /// </summary>
    /// <exception cref="StoreSchemaException">The database was written by a newer Utendaji, or a migration failed.</exception>
    public static async Task<SqliteStore> OpenAsync(string path, string organisation = DefaultOrganisation, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(path);
        Guard.NotBlank(organisation);
        var location = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(location)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = location,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // One long-lived object: pooling would only keep the file open after DisposeAsync.
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        SqliteConnection? reader = null;
        try
        {
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            Execute(writer, "PRAGMA journal_mode = WAL");
            Execute(writer, Pragmas(queryOnly: false));
            var version = SqliteMigrations.Apply(writer, location);
            var org = OrganisationKey(writer, organisation);
            ReportBlocks.RebuildIfStale(writer, org);

            reader = new SqliteConnection(connectionString);
            await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
            Execute(reader, Pragmas(queryOnly: true));
            // Reports step every block of report_blocks: read through a memory map, SQLite copies no page into its
            // cache and makes no read call per 4 KB overflow page (the KPI report's read of 10M tickets: 0.62 s
            // instead of 0.72 s warm, 1.0 s instead of 1.7 s cold; docs/performance.md). Reads only: writes keep
            // SQLite's ordinary path. The size is an upper bound; SQLite caps it at its compile-time limit.
            Execute(reader, "PRAGMA mmap_size = 68719476736");
            return new SqliteStore(location, organisation, version, writer, reader, org);
        }
        catch
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public Task PutConfigAsync(ConfigKind kind, string name, string json, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(name);
        Guard.NotNull(json);
        EnsureWritable();
        using var command = Command(_writer,
            "INSERT INTO config_documents (org, kind, name, json) VALUES ($org, $kind, $name, $json) " +
            "ON CONFLICT (org, kind, name) DO UPDATE SET json = excluded.json");
        command.Parameters.AddWithValue("$kind", SqliteCodes.Of(kind));
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$json", json);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteConfigAsync(ConfigKind kind, string name, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(name);
        EnsureWritable();
        using var command = Command(_writer, "DELETE FROM config_documents WHERE org = $org AND kind = $kind AND name = $name");
        command.Parameters.AddWithValue("$kind", SqliteCodes.Of(kind));
        command.Parameters.AddWithValue("$name", name);
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConfigDocument>> GetConfigAsync(ConfigKind kind, CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        using var command = Command(_reader, "SELECT name, json FROM config_documents WHERE org = $org AND kind = $kind ORDER BY name");
        command.Parameters.AddWithValue("$kind", SqliteCodes.Of(kind));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var documents = new List<ConfigDocument>();
        while (reader.Read())
        {
            documents.Add(new ConfigDocument(kind, reader.GetString(0), reader.GetString(1)));
        }

        return documents;
    }

    /// <inheritdoc />
    public Task<IImportTransaction> BeginImportAsync(CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        cancellationToken.ThrowIfCancellationRequested();
        _import = new SqliteImportTransaction(_writer, _org, () => _import = null);
        return Task.FromResult<IImportTransaction>(_import);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TicketFacts> ReadFactsAsync(FactsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        using var statement = FactsStatement(FactsRow.Select, query, " ORDER BY created_at, ticket_id");
        var rows = 0;
        while (statement.Step())
        {
            if ((++rows & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            yield return FactsRow.Read(statement);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FactsBatch> ReadFactBatchesAsync(FactsQuery query, int batchSize = 65536, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        Guard.InRange(batchSize > 0, "must be positive");
        EnsureNotDisposed();
        // From the compact report_facts copy, in creation order like ReadFactsAsync (see ReportFacts). Two batches
        // take turns: the next is read and decoded on another thread while the caller works on this one, so a report
        // uses both cores without changing the order of the rows. The caller has moved on from a batch before it is
        // refilled, as the contract allows.
        using var scan = new ReportFactsScan(_reader, _org, query);
        var labels = new FactsBatch.LabelTable();
        FactsBatch[] batches = [new FactsBatch(batchSize, labels), new FactsBatch(batchSize, labels)];
        var turn = 0;
        var filling = Task.Run(() => scan.Fill(batches[0]), cancellationToken);
        try
        {
            while (await filling.ConfigureAwait(false))
            {
                var ready = batches[turn];
                var next = batches[turn ^= 1];
                cancellationToken.ThrowIfCancellationRequested();
                filling = Task.Run(() => scan.Fill(next), cancellationToken);
                yield return ready;
            }
        }
        finally
        {
            // The statement must not be disposed under a fill still running (the caller stopped early or failed).
            await filling.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<TicketFacts?> GetFactsAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(ticketId);
        EnsureNotDisposed();
        using var statement = ByTicket($"SELECT {FactsRow.Select} FROM ticket_facts WHERE org = $org AND ticket_id = $ticket_id", ticketId);
        var facts = statement.Step() ? FactsRow.Read(statement) : null;
        statement.Reset();
        return Task.FromResult(facts);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TicketEvent>> ReadEventsAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(ticketId);
        EnsureNotDisposed();
        using var statement = ByTicket(
            $"SELECT {EventRow.Select} FROM events WHERE org = $org AND ticket_id = $ticket_id ORDER BY at, event_id", ticketId);
        var events = new List<TicketEvent>();
        while (statement.Step())
        {
            events.Add(EventRow.Read(statement));
        }

        return Task.FromResult<IReadOnlyList<TicketEvent>>(events);
    }

    /// <inheritdoc />
    public Task<TicketSummary?> GetSummaryAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(ticketId);
        EnsureNotDisposed();
        using var statement = ByTicket($"SELECT {SummaryRow.Select} FROM summaries WHERE org = $org AND ticket_id = $ticket_id", ticketId);
        var summary = statement.Step() ? SummaryRow.Read(statement) : null;
        statement.Reset();
        return Task.FromResult(summary);
    }

    /// <inheritdoc />
    public async Task<StoreCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        using var command = Command(_reader,
            "SELECT (SELECT count(*) FROM events WHERE org = $org), " +
            "(SELECT count(*) FROM (SELECT ticket_id FROM events WHERE org = $org UNION SELECT ticket_id FROM summaries WHERE org = $org)), " +
            "(SELECT count(*) FROM summaries WHERE org = $org), " +
            "(SELECT count(*) FROM ticket_facts WHERE org = $org)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        reader.Read();
        return new StoreCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <inheritdoc />
    /// <remarks>Progress reports the number of tickets re-derived so far, after each batch of 1,000.</remarks>
    public Task<int> RederiveAllAsync(Func<TicketSource, TicketFacts> derive, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(derive);
        EnsureWritable();
        const int BatchSize = 1000;
        cancellationToken.ThrowIfCancellationRequested();
        using var transaction = _writer.BeginTransaction(deferred: false);
        var done = 0;
        using (var facts = new FactsWriter(_writer, _org, report: false))
        using (var events = new RawStatement(_writer, $"SELECT {EventRow.Select} FROM events WHERE org = $org ORDER BY ticket_id, at, event_id"))
        using (var summaries = new RawStatement(_writer, $"SELECT {SummaryRow.Select} FROM summaries WHERE org = $org ORDER BY ticket_id"))
        {
            events.Bind(1, _org);
            summaries.Bind(1, _org);
            var batch = new List<TicketFacts>(BatchSize);
            foreach (var source in TicketSources.Merge(events, summaries, cancellationToken))
            {
                batch.Add(derive(source));
                if (batch.Count == BatchSize)
                {
                    Flush();
                }
            }

            if (batch.Count > 0)
            {
                Flush();
            }

            void Flush()
            {
                facts.Put(batch, cancellationToken);
                done += batch.Count;
                batch.Clear();
                progress?.Report(done);
            }
        }

        // Every ticket was re-derived (in ticket id order, which would touch every block many times): the copy is
        // rebuilt once from the new facts instead, in the same transaction.
        ReportBlocks.RebuildFromTicketFacts(_writer, _org);
        transaction.Commit();
        return Task.FromResult(done);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SurveyResponse> ReadSurveyResponsesAsync(SurveyResponseQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        using var statement = ResponsesStatement($"SELECT {SurveyResponseRow.Select}", query, " ORDER BY submitted_at, response_id");
        var rows = 0;
        while (statement.Step())
        {
            if ((++rows & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            yield return SurveyResponseRow.Read(statement);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SurveySend> ReadSurveySendsAsync(SurveySendQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        using var statement = SendsStatement($"SELECT {SurveySendRow.Select}", query, " ORDER BY sent_at, send_id");
        var rows = 0;
        while (statement.Step())
        {
            if ((++rows & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            yield return SurveySendRow.Read(statement);
        }
    }

    /// <inheritdoc />
    public Task<long> CountSurveyResponsesAsync(SurveyResponseQuery query, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        using var statement = ResponsesStatement("SELECT count(*)", query, "");
        statement.Step();
        var count = statement.Int64(0);
        statement.Reset();
        return Task.FromResult(count);
    }

    /// <inheritdoc />
    public Task<long> CountSurveySendsAsync(SurveySendQuery query, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        using var statement = SendsStatement("SELECT count(*)", query, "");
        statement.Step();
        var count = statement.Int64(0);
        statement.Reset();
        return Task.FromResult(count);
    }

    /// <inheritdoc />
    public async Task<SurveyCounts> CountSurveysAsync(CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        using var command = Command(_reader,
            "SELECT (SELECT count(*) FROM survey_sends WHERE org = $org), (SELECT count(*) FROM survey_responses WHERE org = $org)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        reader.Read();
        return new SurveyCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Rolls back an unfinished import and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_import is not null)
        {
            await _import.DisposeAsync().ConfigureAwait(false);
        }

        await _reader.DisposeAsync().ConfigureAwait(false);
        RawStatement.ReleaseKept(_writer);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="ReadFactBatchesAsync"/> from the <c>ticket_facts</c> rows instead of the <c>report_facts</c> copy:
    /// the reference the copy is tested against, and the mapping a store without such a copy follows.
    /// </summary>
    internal async IAsyncEnumerable<FactsBatch> ReadFactBatchesFromRowsAsync(FactsQuery query, int batchSize = 65536, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        using var statement = FactsStatement(FactsBatchReader.Select, query, " ORDER BY created_at, ticket_id");
        var batch = new FactsBatch(batchSize);
        while (FactsBatchReader.Fill(statement, batch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return batch;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private RawStatement FactsStatement(string select, FactsQuery query, string orderBy)
    {
        var sql = new StringBuilder($"SELECT {select} FROM ticket_facts WHERE org = $org");
        var values = new List<object>();
        void Filter(string condition, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                values.Add(value);
            }
        }

        Filter("created_at >= $from", query.CreatedFrom?.ToUnixTimeTicks());
        Filter("created_at < $to", query.CreatedTo?.ToUnixTimeTicks());
        Filter("team = $team", query.Team);
        Filter("channel = $channel", query.Channel);
        Filter("agent = $agent", query.Agent);
        Filter("priority = $priority", query.Priority);
        Filter("language = $language", query.Language);
        Filter("status = $status", query.Status is { } status ? SqliteCodes.Of(status) : null);
        Filter("solved_at >= $solved_from", query.SolvedFrom?.ToUnixTimeTicks());
        Filter("solved_at < $solved_to", query.SolvedTo?.ToUnixTimeTicks());
        var statement = new RawStatement(_reader, sql.Append(orderBy).ToString());
        statement.Bind(1, _org);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is long number)
            {
                statement.Bind(i + 2, number);
            }
            else
            {
                statement.Bind(i + 2, (string)values[i]);
            }
        }

        return statement;
    }

    private RawStatement ResponsesStatement(string select, SurveyResponseQuery query, string orderBy) =>
        Filtered($"{select} FROM survey_responses WHERE org = $org", orderBy,
        [
            ("instrument = $instrument", query.Instrument),
            ("submitted_at >= $from", query.SubmittedFrom?.ToUnixTimeTicks()),
            ("submitted_at < $to", query.SubmittedTo?.ToUnixTimeTicks()),
            ("team = $team", query.Team),
            ("agent = $agent", query.Agent),
            ("channel = $channel", query.Channel),
            ("language = $language", query.Language),
            ("ticket_id = $ticket_id", query.TicketId),
        ]);

    private RawStatement SendsStatement(string select, SurveySendQuery query, string orderBy)
    {
        var sql = $"{select} FROM survey_sends s WHERE org = $org";
        if (query.Answered is { } answered)
        {
            // The send index of survey_responses makes this one lookup per send.
            sql += $" AND {(answered ? "" : "NOT ")}EXISTS (SELECT 1 FROM survey_responses r WHERE r.org = s.org AND r.send_id = s.send_id)";
        }

        return Filtered(sql, orderBy,
        [
            ("instrument = $instrument", query.Instrument),
            ("sent_at >= $from", query.SentFrom?.ToUnixTimeTicks()),
            ("sent_at < $to", query.SentTo?.ToUnixTimeTicks()),
            ("channel = $channel", query.Channel),
            ("language = $language", query.Language),
            ("ticket_id = $ticket_id", query.TicketId),
            ("send_id = $send_id", query.SendId),
        ]);
    }

    /// <summary>A statement on the reader: <paramref name="head"/> (binding $org first) plus each filter whose value is set.</summary>
    private RawStatement Filtered(string head, string orderBy, (string Condition, object? Value)[] filters)
    {
        var sql = new StringBuilder(head);
        var values = new List<object>();
        foreach (var (condition, value) in filters)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                values.Add(value);
            }
        }

        var statement = new RawStatement(_reader, sql.Append(orderBy).ToString());
        statement.Bind(1, _org);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is long number)
            {
                statement.Bind(i + 2, number);
            }
            else
            {
                statement.Bind(i + 2, (string)values[i]);
            }
        }

        return statement;
    }

    private RawStatement ByTicket(string sql, string ticketId)
    {
        var statement = new RawStatement(_reader, sql);
        statement.Bind(1, _org);
        statement.Bind(2, ticketId);
        return statement;
    }

    private SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$org", _org);
        return command;
    }

    private void EnsureNotDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void EnsureWritable()
    {
        EnsureNotDisposed();
        if (_import is not null)
        {
            throw new InvalidOperationException(
                "An import is in progress on this store; commit or dispose it before starting another write.");
        }
    }

    private static string Pragmas(bool queryOnly) =>
        "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +
        string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; ") +
        // 64 MiB page cache per connection: keeps index pages of a million-row import in memory, a fixed cost.
        "PRAGMA cache_size = -65536;" +
        (queryOnly ? " PRAGMA query_only = ON;" : "");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long OrganisationKey(SqliteConnection connection, string organisation)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT org FROM organisations WHERE name = $name";
        command.Parameters.AddWithValue("$name", organisation);
        if (command.ExecuteScalar() is long known)
        {
            return known;
        }

        // Only a new organisation needs the write lock.
        command.CommandText =
            "INSERT INTO organisations (name) VALUES ($name) ON CONFLICT (name) DO NOTHING; " +
            "SELECT org FROM organisations WHERE name = $name;";
        return (long)command.ExecuteScalar()!;
    }
}
