using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Utendaji.Core;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Storage.Sqlite;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Postgres;

/// <summary>
/// The server store: one PostgreSQL database, shared by any number of organisations and processes. Open it once with
/// <see cref="OpenAsync"/> and keep it for the life of the process.
/// </summary>
/// <remarks>
/// <para>Holds a connection pool; each read takes a connection for its duration and an import holds one for its
/// transaction, so reads through this object see only committed data, even while an import is in progress on it.</para>
/// <para>Semantics are the SQLite store's, checked by the same test suite: same stored codes, JSON and content hashes,
/// ids ordered by UTF-8 bytes (every text column is <c>COLLATE "C"</c>). Like <see cref="SqliteStore"/>, one store
/// object serves one logical flow at a time; several processes may share the database, and two imports into the same
/// organisation wait for each other's rows rather than fail.</para>
/// </remarks>
public sealed class PostgresStore : IUtendajiStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly long _org;
    private readonly bool _ownsDataSource;
    private PostgresImportTransaction? _import;
    private bool _disposed;

    private PostgresStore(string location, string organisation, int schemaVersion, NpgsqlDataSource dataSource, long org, bool ownsDataSource = true)
    {
        _ownsDataSource = ownsDataSource;
        Location = location;
        Organisation = organisation;
        SchemaVersion = schemaVersion;
        _dataSource = dataSource;
        _org = org;
    }

    /// <inheritdoc />
    /// <remarks><c>postgresql://host:port/database</c>: never the password.</remarks>
    public string Location { get; }

    /// <inheritdoc />
    public string Organisation { get; }

    /// <inheritdoc />
    public int SchemaVersion { get; }

    /// <summary>The newest schema version this code knows (the version a fresh database is created at).</summary>
    public static int LatestSchemaVersion => PostgresMigrations.Latest;

    /// <summary>
    /// Connects to the database <paramref name="connectionString"/> names (keywords such as <c>Host=…;Database=…</c>, or a
    /// <c>postgresql://user:password@host:port/database</c> URI) for <paramref name="organisation"/>, applying any
    /// pending migrations. The database must exist; its tables are created on first use.
    /// </summary>
    /// <exception cref="StoreSchemaException">The database was written by a newer Utendaji, or a migration failed.</exception>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refused the login.</exception>
    public static async Task<PostgresStore> OpenAsync(string connectionString, string organisation = SqliteStore.DefaultOrganisation, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(connectionString);
        Guard.NotBlank(organisation);
        var builder = PostgresConnectionString.Parse(connectionString);
        var location = PostgresConnectionString.Describe(builder);
        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var version = await PostgresMigrations.ApplyAsync(connection, location, cancellationToken).ConfigureAwait(false);
            var org = await OrganisationKeyAsync(connection, organisation, cancellationToken).ConfigureAwait(false);
            return new PostgresStore(location, organisation, version, dataSource, org);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A store on a pool <see cref="PostgresDatabase"/> owns (and has migrated); see <see cref="PostgresDatabase.OpenStoreAsync"/>.</summary>
    internal static async Task<PostgresStore> OpenSharedAsync(NpgsqlDataSource dataSource, string location, int schemaVersion, string organisation, CancellationToken cancellationToken)
    {
        Guard.NotBlank(organisation);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var org = await OrganisationKeyAsync(connection, organisation, cancellationToken).ConfigureAwait(false);
        return new PostgresStore(location, organisation, schemaVersion, dataSource, org, ownsDataSource: false);
    }

    /// <inheritdoc />
    public async Task PutConfigAsync(ConfigKind kind, string name, string json, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(name);
        Guard.NotNull(json);
        EnsureWritable();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "INSERT INTO config_documents (org, kind, name, json) VALUES (@org, @kind, @name, @json) " +
            "ON CONFLICT (org, kind, name) DO UPDATE SET json = excluded.json");
        command.Parameters.AddWithValue("kind", SqliteCodes.Of(kind));
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("json", json);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteConfigAsync(ConfigKind kind, string name, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(name);
        EnsureWritable();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "DELETE FROM config_documents WHERE org = @org AND kind = @kind AND name = @name");
        command.Parameters.AddWithValue("kind", SqliteCodes.Of(kind));
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConfigDocument>> GetConfigAsync(ConfigKind kind, CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT name, json FROM config_documents WHERE org = @org AND kind = @kind ORDER BY name");
        command.Parameters.AddWithValue("kind", SqliteCodes.Of(kind));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var documents = new List<ConfigDocument>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            documents.Add(new ConfigDocument(kind, reader.GetString(0), reader.GetString(1)));
        }

        return documents;
    }

    /// <inheritdoc />
    public async Task<IImportTransaction> BeginImportAsync(CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        cancellationToken.ThrowIfCancellationRequested();
        _import = await PostgresImportTransaction.BeginAsync(_dataSource, _org, () => _import = null, cancellationToken).ConfigureAwait(false);
        return _import;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TicketFacts> ReadFactsAsync(FactsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = FactsCommand(connection, FactsRow.Select, query, " ORDER BY created_at, ticket_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return PgRead.Facts(reader);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FactsBatch> ReadFactBatchesAsync(FactsQuery query, int batchSize = 65536, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        Guard.InRange(batchSize > 0, "must be positive");
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Creation order, like ReadFactsAsync, so reports from batches and from records agree to the last bit.
        await using var command = FactsCommand(connection, FactsBatchReader.Select, query, " ORDER BY created_at, ticket_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var batch = new FactsBatch(batchSize);
        while (await PostgresFactsBatchReader.FillAsync(reader, batch, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <inheritdoc />
    public async Task<TicketFacts?> GetFactsAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(ticketId);
        EnsureNotDisposed();
        var rows = await ByTicketAsync($"SELECT {FactsRow.Select} FROM ticket_facts WHERE org = @org AND ticket_id = @ticket_id", ticketId, PgRead.Facts, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TicketEvent>> ReadEventsAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(ticketId);
        EnsureNotDisposed();
        return await ByTicketAsync($"SELECT {EventRow.Select} FROM events WHERE org = @org AND ticket_id = @ticket_id ORDER BY at, event_id",
            ticketId, PgRead.Event, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<TicketSummary?> GetSummaryAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(ticketId);
        EnsureNotDisposed();
        var rows = await ByTicketAsync($"SELECT {SummaryRow.Select} FROM summaries WHERE org = @org AND ticket_id = @ticket_id", ticketId, PgRead.Summary, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<StoreCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT (SELECT count(*) FROM events WHERE org = @org), " +
            "(SELECT count(*) FROM (SELECT ticket_id FROM events WHERE org = @org UNION SELECT ticket_id FROM summaries WHERE org = @org) t), " +
            "(SELECT count(*) FROM summaries WHERE org = @org), " +
            "(SELECT count(*) FROM ticket_facts WHERE org = @org)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StoreCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <inheritdoc />
    /// <remarks>Progress reports the number of tickets re-derived so far, after each batch of 1,000.</remarks>
    public async Task<int> RederiveAllAsync(Func<TicketSource, TicketFacts> derive, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(derive);
        EnsureWritable();
        const int BatchSize = 1000;
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var json = new StoredJson();
        var done = 0;
        await using (var events = await PostgresCursor<TicketEvent>.DeclareAsync(connection, "rederive_events",
            $"SELECT {EventRow.Select} FROM events WHERE org = @org ORDER BY ticket_id, at, event_id", _org, PgRead.Event, cancellationToken).ConfigureAwait(false))
        await using (var summaries = await PostgresCursor<TicketSummary>.DeclareAsync(connection, "rederive_summaries",
            $"SELECT {SummaryRow.Select} FROM summaries WHERE org = @org ORDER BY ticket_id", _org, PgRead.Summary, cancellationToken).ConfigureAwait(false))
        {
            var batch = new List<TicketFacts>(BatchSize);
            await foreach (var source in PostgresTicketSources.MergeAsync(events, summaries, cancellationToken).ConfigureAwait(false))
            {
                batch.Add(derive(source));
                if (batch.Count == BatchSize)
                {
                    await FlushAsync().ConfigureAwait(false);
                }
            }

            if (batch.Count > 0)
            {
                await FlushAsync().ConfigureAwait(false);
            }

            async Task FlushAsync()
            {
                await PostgresFactsWriter.PutAsync(connection, _org, json, batch, cancellationToken).ConfigureAwait(false);
                done += batch.Count;
                batch.Clear();
                progress?.Report(done);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return done;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SurveyResponse> ReadSurveyResponsesAsync(SurveyResponseQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = ResponsesCommand(connection, $"SELECT {SurveyResponseRow.Select}", query, " ORDER BY submitted_at, response_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return PgRead.Response(reader);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SurveySend> ReadSurveySendsAsync(SurveySendQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SendsCommand(connection, $"SELECT {SurveySendRow.Select}", query, " ORDER BY sent_at, send_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return PgRead.Send(reader);
        }
    }

    /// <inheritdoc />
    public async Task<long> CountSurveyResponsesAsync(SurveyResponseQuery query, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = ResponsesCommand(connection, "SELECT count(*)", query, "");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<long> CountSurveySendsAsync(SurveySendQuery query, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SendsCommand(connection, "SELECT count(*)", query, "");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<SurveyCounts> CountSurveysAsync(CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT (SELECT count(*) FROM survey_sends WHERE org = @org), (SELECT count(*) FROM survey_responses WHERE org = @org)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new SurveyCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Rolls back an unfinished import and closes the pool's connections.</summary>
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

        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private NpgsqlCommand FactsCommand(NpgsqlConnection connection, string select, FactsQuery query, string orderBy) =>
        Filtered(connection, $"SELECT {select} FROM ticket_facts WHERE org = @org", orderBy,
        [
            ("created_at >= @from", query.CreatedFrom?.ToUnixTimeTicks()),
            ("created_at < @to", query.CreatedTo?.ToUnixTimeTicks()),
            ("team = @team", query.Team),
            ("channel = @channel", query.Channel),
            ("agent = @agent", query.Agent),
            ("priority = @priority", query.Priority),
            ("language = @language", query.Language),
            ("status = @status", query.Status is { } status ? (short)SqliteCodes.Of(status) : null),
            ("solved_at >= @solved_from", query.SolvedFrom?.ToUnixTimeTicks()),
            ("solved_at < @solved_to", query.SolvedTo?.ToUnixTimeTicks()),
        ]);

    private NpgsqlCommand ResponsesCommand(NpgsqlConnection connection, string select, SurveyResponseQuery query, string orderBy) =>
        Filtered(connection, $"{select} FROM survey_responses WHERE org = @org", orderBy,
        [
            ("instrument = @instrument", query.Instrument),
            ("submitted_at >= @from", query.SubmittedFrom?.ToUnixTimeTicks()),
            ("submitted_at < @to", query.SubmittedTo?.ToUnixTimeTicks()),
            ("team = @team", query.Team),
            ("agent = @agent", query.Agent),
            ("channel = @channel", query.Channel),
            ("language = @language", query.Language),
            ("ticket_id = @ticket_id", query.TicketId),
        ]);

    private NpgsqlCommand SendsCommand(NpgsqlConnection connection, string select, SurveySendQuery query, string orderBy)
    {
        var sql = $"{select} FROM survey_sends s WHERE org = @org";
        if (query.Answered is { } answered)
        {
            // The send index of survey_responses makes this one lookup per send.
            sql += $" AND {(answered ? "" : "NOT ")}EXISTS (SELECT 1 FROM survey_responses r WHERE r.org = s.org AND r.send_id = s.send_id)";
        }

        return Filtered(connection, sql, orderBy,
        [
            ("instrument = @instrument", query.Instrument),
            ("sent_at >= @from", query.SentFrom?.ToUnixTimeTicks()),
            ("sent_at < @to", query.SentTo?.ToUnixTimeTicks()),
            ("channel = @channel", query.Channel),
            ("language = @language", query.Language),
            ("ticket_id = @ticket_id", query.TicketId),
            ("send_id = @send_id", query.SendId),
        ]);
    }

    /// <summary>
    /// A command of <paramref name="head"/> (which uses <c>@org</c>) plus each filter whose value is set; the condition
    /// names its parameter (the text after '@'), the value is bound, never written into the SQL.
    /// </summary>
    private NpgsqlCommand Filtered(NpgsqlConnection connection, string head, string orderBy, (string Condition, object? Value)[] filters)
    {
        var sql = new StringBuilder(head);
        var command = Command(connection, "");
        foreach (var (condition, value) in filters)
        {
            if (value is null)
            {
                continue;
            }

            sql.Append(" AND ").Append(condition);
            var name = condition[(condition.IndexOf('@', StringComparison.Ordinal) + 1)..];
            command.Parameters.Add(value switch
            {
                long number => new NpgsqlParameter<long>(name, NpgsqlDbType.Bigint) { TypedValue = number },
                short code => new NpgsqlParameter<short>(name, NpgsqlDbType.Smallint) { TypedValue = code },
                _ => new NpgsqlParameter<string>(name, NpgsqlDbType.Text) { TypedValue = (string)value },
            });
        }

        command.CommandText = sql.Append(orderBy).ToString();
        return command;
    }

    private async Task<List<T>> ByTicketAsync<T>(string sql, string ticketId, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql);
        command.Parameters.Add(new NpgsqlParameter<string>("ticket_id", NpgsqlDbType.Text) { TypedValue = ticketId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long>("org", NpgsqlDbType.Bigint) { TypedValue = _org });
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

    private static async Task<long> OrganisationKeyAsync(NpgsqlConnection connection, string organisation, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT org FROM organisations WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", organisation);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long known)
        {
            return known;
        }

        // Two processes adding the same organisation: the second waits for the first's row, then reads it.
        command.CommandText =
            "INSERT INTO organisations (name) VALUES (@name) ON CONFLICT (name) DO NOTHING; " +
            "SELECT org FROM organisations WHERE name = @name;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
