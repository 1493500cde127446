using Microsoft.Data.Sqlite;
using Npgsql;
using Utendaji.Storage.Postgres;
using Utendaji.Storage.Sqlite;
using static Utendaji.Storage.Tests.SurveyTestData;
using static Utendaji.Storage.Tests.TestData;

namespace Utendaji.Storage.Tests;

/// <summary>
/// The store contract on PostgreSQL (one new database per test, dropped afterwards), plus what only the server store
/// has: concurrent migration, connection strings, the schema in the catalogue, agreement with SQLite's hashes.
/// </summary>
public sealed class PostgresStoreTests : StoreContractTests, IDisposable
{
    private readonly string _database = PostgresTestServer.NewDatabaseName();
    private string? _connectionString;

    protected override async Task<IUtendajiStore> CreateStoreAsync(string organisation) =>
        await PostgresStore.OpenAsync(await ConnectionStringAsync(), organisation);

    private async Task<string> ConnectionStringAsync() =>
        _connectionString ??= await PostgresTestServer.CreateDatabaseAsync(_database);

    public void Dispose()
    {
        if (_connectionString is not null)
        {
            PostgresTestServer.DropDatabase(_database);
        }
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0).ToString()!);
        }

        return values;
    }

    [Fact]
    public async Task OpenAsync_NewDatabase_MigratedToLatestSchema()
    {
        var store = await OpenAsync();

        Assert.Equal(PostgresStore.LatestSchemaVersion, store.SchemaVersion);
        Assert.Equal((long)PostgresMigrations.All.Count, await ScalarAsync("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task OpenAsync_SeveralProcessesAtOnceOnNewDatabase_AllSucceedAndMigrationsRunOnce()
    {
        var connectionString = await ConnectionStringAsync();

        // Separate stores (separate pools, separate sessions) racing on an empty database, as server processes would.
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => PostgresStore.OpenAsync(connectionString, i % 2 == 0 ? "acme" : "globex"))));
        try
        {
            Assert.All(stores, s => Assert.Equal(PostgresStore.LatestSchemaVersion, s.SchemaVersion));
            Assert.Equal(
                PostgresMigrations.All.Select(m => m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                await ColumnAsync("SELECT version FROM schema_migrations ORDER BY version"));
            Assert.Equal(["acme", "globex"], await ColumnAsync("SELECT name FROM organisations ORDER BY name"));
            await ImportAsync(stores[0], Ticket("T-1"));
            Assert.Equal(3, (await stores[2].CountAsync()).Events);
            Assert.Equal(0, (await stores[1].CountAsync()).Events);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_RefusedWithClearMessage()
    {
        await (await OpenAsync()).DisposeAsync();
        await ScalarAsync("INSERT INTO schema_migrations (version, name, sha256) VALUES (999, 'from_the_future', '')");

        var error = await Assert.ThrowsAsync<StoreSchemaException>(async () => await PostgresStore.OpenAsync(await ConnectionStringAsync(), "acme"));

        Assert.Contains("schema version 999", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade Utendaji", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UriWithPassword_OpensAndLocationOmitsThePassword()
    {
        var keywords = new NpgsqlConnectionStringBuilder(await ConnectionStringAsync());
        // Trust authentication on the test server ignores the password, which lets the test show it is never echoed.
        var uri = $"postgresql://{Uri.EscapeDataString(keywords.Username!)}:s%40cret-pw@{keywords.Host}:{keywords.Port}/{keywords.Database}?sslmode=disable";

        await using var store = await StoreConnector.OpenAsync(uri, "acme");

        Assert.IsType<PostgresStore>(store);
        Assert.Equal($"postgresql://{keywords.Host}:{keywords.Port}/{keywords.Database}", store.Location);
        Assert.DoesNotContain("cret", store.Location, StringComparison.Ordinal);
        Assert.Equal(PostgresStore.LatestSchemaVersion, store.SchemaVersion);
    }

    [Fact]
    public async Task OpenAsync_KeywordsWithPassword_LocationOmitsThePassword()
    {
        var keywords = new NpgsqlConnectionStringBuilder(await ConnectionStringAsync()) { Password = "s3cret-pw" };

        await using var store = await StoreConnector.OpenAsync(keywords.ToString(), "acme");

        Assert.DoesNotContain("s3cret", store.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", StoreConnector.Describe(keywords.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public void Migrations_NumberedInOrderAndMirrorSqlite()
    {
        // Gaps are allowed while a reserved number's change is not merged yet; the two engines keep the same numbers.
        Assert.Equal(1, PostgresMigrations.All[0].Version);
        Assert.Equal(SqliteMigrations.All.Select(m => m.Version), PostgresMigrations.All.Select(m => m.Version));
        Assert.Equal(SqliteMigrations.All.Select(m => m.Name), PostgresMigrations.All.Select(m => m.Name));
    }

    [Fact]
    public async Task Schema_EveryTableKeyedByOrganisationFirstAndIdsSortedByBytes()
    {
        await OpenAsync();

        var tables = await ColumnAsync(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename");
        Assert.Equal(["api_tokens", "config_documents", "events", "jobs", "organisations", "summaries", "survey_responses", "survey_sends", "ticket_facts", "users"], tables);
        foreach (var table in tables)
        {
            var first = await ScalarAsync(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] " +
                $"WHERE i.indisprimary AND i.indrelid = '{table}'::regclass");
            Assert.Equal("org", first);
        }

        // Every text column sorts by code point (C collation), as SQLite's BINARY does.
        Assert.Equal(0L, await ScalarAsync(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'text' " +
            "AND table_name <> 'schema_migrations' AND column_name NOT IN ('attributes', 'next_replies', 'sla', 'answers', 'json', 'payload') " +
            "AND coalesce(collation_name, '') <> 'C'"));
    }

    [Fact]
    public async Task ContentHashes_SameAsSqliteStoreForTheSameRows()
    {
        var store = await OpenAsync();
        var folder = Path.Combine(Path.GetTempPath(), "utendaji-storage-tests", Guid.NewGuid().ToString("N"));
        var sqlitePath = Path.Combine(folder, "hashes.db");
        try
        {
            var events = Ticket("T-" + Gujarati + Astral);
            var responses = new[] { Response("R-1") };
            await using (var sqlite = await SqliteStore.OpenAsync(sqlitePath, "acme"))
            {
                await ImportAsync(sqlite, events);
                await ImportSurveysAsync(sqlite, responses: responses);
            }

            await ImportAsync(store, events);
            await ImportSurveysAsync(store, responses: responses);

            using var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlitePath, Pooling = false }.ToString());
            raw.Open();
            foreach (var sql in new[] { "SELECT content_hash FROM events ORDER BY event_id", "SELECT content_hash FROM survey_responses", "SELECT answers FROM survey_responses" })
            {
                using var command = raw.CreateCommand();
                command.CommandText = sql;
                var expected = new List<string>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        expected.Add(reader.GetValue(0).ToString()!);
                    }
                }

                Assert.NotEmpty(expected);
                Assert.Equal(expected, await ColumnAsync(sql));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Writes_DuringImport_RefusedClearly()
    {
        var store = await OpenAsync();
        await using var import = await store.BeginImportAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.BeginImportAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.PutConfigAsync(ConfigKind.Options, "x", "{}"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RederiveAllAsync(_ => MinimalFacts("x")));
    }

    [Fact]
    public async Task Import_ManyRowsInOneCall_AllWrittenInRunsAndRepeatsCompared()
    {
        var store = await OpenAsync();
        // More rows than one run (2,000) holds, with a repeat of the first event at the end.
        var events = Enumerable.Range(0, 1700).SelectMany(i => Ticket($"T-{i:D4}")).ToList();
        events.Add(events[0]);

        var result = await ImportAsync(store, events);

        Assert.Equal(5100, result.Added);
        Assert.Equal(1, result.Unchanged);
        Assert.Equal(new StoreCounts(5100, 1700, 0, 0), await store.CountAsync());
    }

    [Fact]
    public async Task Import_ConnectionKilledMidImport_LikeAKilledProcess_StoreAsBefore()
    {
        var store = await OpenAsync();
        await ImportAsync(store, Ticket("T-0"), facts: [FullFacts("T-0")]);
        var import = await store.BeginImportAsync();
        await import.AddEventsAsync([.. Enumerable.Range(1, 500).SelectMany(i => Ticket($"T-{i:D3}"))]);
        await import.PutFactsAsync([.. Enumerable.Range(1, 500).Select(i => FullFacts($"T-{i:D3}"))]);

        // The server ends every other session on this database, as when the importing process dies.
        Assert.True((bool)(await ScalarAsync(
            "SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))!);
        await Assert.ThrowsAnyAsync<Exception>(() => import.CommitAsync());
        await import.DisposeAsync();

        await using var reopened = await PostgresStore.OpenAsync(await ConnectionStringAsync(), "acme");
        Assert.Equal(new StoreCounts(3, 1, 0, 1), await reopened.CountAsync());
        AssertSameFacts(FullFacts("T-0"), await reopened.GetFactsAsync("T-0"));
    }
}
