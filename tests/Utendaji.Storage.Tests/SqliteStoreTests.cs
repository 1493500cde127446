using System.Text;
using Microsoft.Data.Sqlite;
using Utendaji.Core.Tickets;
using Utendaji.Storage.Sqlite;
using static Utendaji.Storage.Tests.TestData;

namespace Utendaji.Storage.Tests;

/// <summary>The store contract on SQLite, plus what only SQLite has: the file, migrations, pragmas, crash safety.</summary>
public sealed partial class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "utendaji-storage-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "nested", "utendaji.db");

    protected override async Task<IUtendajiStore> CreateStoreAsync(string organisation) =>
        await SqliteStore.OpenAsync(DatabasePath, organisation);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private SqliteConnection Raw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task OpenAsync_MissingFileAndDirectories_CreatedAtLatestSchema()
    {
        var store = await OpenAsync();

        Assert.True(File.Exists(DatabasePath));
        Assert.Equal(Path.GetFullPath(DatabasePath), store.Location);
        Assert.Equal(SqliteStore.LatestSchemaVersion, store.SchemaVersion);
        using var raw = Raw();
        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(raw, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal((long)SqliteStore.LatestSchemaVersion, Scalar(raw, "PRAGMA user_version"));
        Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task OpenAsync_Reopened_MigrationsNotReappliedAndDataKept()
    {
        var store = await OpenAsync();
        await ImportAsync(store, Ticket("T-1"));
        await store.DisposeAsync();

        var reopened = await OpenAsync();

        Assert.Equal(SqliteStore.LatestSchemaVersion, reopened.SchemaVersion);
        Assert.Equal(3, (await reopened.CountAsync()).Events);
        using var raw = Raw();
        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(raw, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_RefusedWithClearMessage()
    {
        await (await OpenAsync()).DisposeAsync();
        using (var raw = Raw())
        {
            Scalar(raw, "INSERT INTO schema_migrations (version, name, sha256) VALUES (999, 'from_the_future', '')");
        }

        var error = await Assert.ThrowsAsync<StoreSchemaException>(() => SqliteStore.OpenAsync(DatabasePath, "acme"));

        Assert.Contains("schema version 999", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade Utendaji", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrations_NumberedFromOneAscendingWithoutRepeats()
    {
        // Gaps are allowed: a number is reserved by a change developed in parallel and may arrive later.
        var versions = SqliteMigrations.All.Select(m => m.Version).ToList();
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Order().Distinct(), versions);
        Assert.Equal("initial", SqliteMigrations.All[0].Name);
    }

    [Fact]
    public async Task OpenAsync_LaterMigrationAppliedBeforeAnEarlierOne_EarlierOneStillApplied()
    {
        // Migration numbers are reserved by changes developed in parallel: a database may meet 0004 before 0002
        // (here: a file that has 0001 and the newest migration only). The missing one must still run.
        // The newest migration that only adds tables (one that alters an earlier table, as 0007_passwords alters
        // 0004's users, can only follow it; numbers are reserved so that the independent ones may arrive in any order).
        var newest = SqliteMigrations.All.Last(m => !m.Sql.Contains("ALTER TABLE", StringComparison.OrdinalIgnoreCase));
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using (var raw = Raw())
        {
            Scalar(raw, SqliteMigrations.All[0].Sql);
            Scalar(raw, newest.Sql);
            Scalar(raw, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT 'then')");
            Scalar(raw, $"INSERT INTO schema_migrations (version, name, sha256) VALUES (1, 'initial', ''), ({newest.Version}, '{newest.Name}', '')");
        }

        var store = await OpenAsync();

        Assert.Equal(SqliteStore.LatestSchemaVersion, store.SchemaVersion);
        using var check = Raw();
        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(check, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(1L, Scalar(check, "SELECT count(*) FROM sqlite_schema WHERE name = 'survey_responses'"));
    }

    [Fact]
    public async Task Schema_EveryTableKeyedByOrganisationFirst()
    {
        await OpenAsync();
        using var raw = Raw();
        var tables = new List<string>();
        using (var command = raw.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["api_tokens", "config_documents", "events", "jobs", "organisations", "report_blocks", "report_convert", "report_facts", "report_labels", "report_rebuild", "report_transpose", "summaries", "survey_responses", "survey_sends", "ticket_facts", "users"], tables.Order(StringComparer.Ordinal));
        foreach (var table in tables)
        {
            // pk = 1 marks the first column of the primary key.
            Assert.Equal("org", Scalar(raw, $"SELECT name FROM pragma_table_info('{table}') WHERE pk = 1"));
        }
    }

    [Fact]
    public async Task Text_StoredAsExactUtf8Bytes()
    {
        var store = await OpenAsync();
        var ticket = "T-" + Gujarati + Urdu + Finnish + Astral;
        await ImportAsync(store, summaries: [Summary(ticket)]);

        using var raw = Raw();
        Assert.Equal(Convert.ToHexString(Encoding.UTF8.GetBytes(ticket)), Scalar(raw, "SELECT hex(ticket_id) FROM summaries"));
        Assert.Equal(Convert.ToHexString(Encoding.UTF8.GetBytes(Swahili)), Scalar(raw, "SELECT hex(team) FROM summaries"));
        Assert.Equal(ticket, (await store.GetSummaryAsync(ticket))!.TicketId);
    }

    [Fact]
    public async Task Attributes_StoredAsReadableSortedJson()
    {
        var store = await OpenAsync();
        await ImportAsync(store, [Event("E-1", "T-1", 0, attributes: new Dictionary<string, string> { ["z"] = Urdu, ["a"] = "\"q\"" })]);

        using var raw = Raw();
        Assert.Equal($$"""{"a":"\"q\"","z":"{{Urdu}}"}""", Scalar(raw, "SELECT attributes FROM events"));
    }

    [Fact]
    public async Task Import_LargeUncommitted_InvisibleToSecondConnectionAndRolledBackOnDispose()
    {
        var store = await OpenAsync();
        await ImportAsync(store, Ticket("T-0"));
        var events = Enumerable.Range(0, 20_000).SelectMany(i => Ticket($"T-{i:D5}", prefix: "big-")).ToList();

        var import = await store.BeginImportAsync();
        await import.AddEventsAsync(events);

        using (var raw = Raw())
        {
            Assert.Equal(3L, Scalar(raw, "SELECT count(*) FROM events"));
        }

        var second = await OpenAsync();
        Assert.Equal(3, (await second.CountAsync()).Events);

        await import.DisposeAsync();
        Assert.Equal(3, (await store.CountAsync()).Events);
    }

    [Fact]
    public async Task Import_FilesCopiedMidImport_LikeAKilledProcess_OpenAsBefore()
    {
        // Copying the database and its WAL while a big import is uncommitted captures what a crash would leave
        // on disk: uncommitted pages may already be in the WAL, but without a commit frame they are ignored.
        var store = await OpenAsync();
        await ImportAsync(store, Ticket("T-0"), facts: [FullFacts("T-0")]);
        await using var import = await store.BeginImportAsync();
        await import.AddEventsAsync([.. Enumerable.Range(0, 30_000).SelectMany(i => Ticket($"T-{i:D5}", prefix: "big-"))]);
        await import.PutFactsAsync([.. Enumerable.Range(0, 30_000).Select(i => FullFacts($"T-{i:D5}"))]);

        var crashed = Path.Combine(_directory, "crashed", "utendaji.db");
        Directory.CreateDirectory(Path.GetDirectoryName(crashed)!);
        File.Copy(DatabasePath, crashed);
        if (File.Exists(DatabasePath + "-wal"))
        {
            File.Copy(DatabasePath + "-wal", crashed + "-wal");
        }

        await using var recovered = await SqliteStore.OpenAsync(crashed, "acme");
        Assert.Equal(new StoreCounts(3, 1, 0, 1), await recovered.CountAsync());
        AssertSameFacts(FullFacts("T-0"), await recovered.GetFactsAsync("T-0"));
    }

    [Fact]
    public async Task Writes_DuringImport_RefusedClearly()
    {
        var store = await OpenAsync();
        await using var import = await store.BeginImportAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.PutConfigAsync(ConfigKind.Calendar, "x", "{}"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.BeginImportAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RederiveAllAsync(_ => MinimalFacts("x")));
        Assert.Empty(await store.GetConfigAsync(ConfigKind.Calendar));
    }

    [Fact]
    public async Task DisposeAsync_WithOpenImport_RollsBack()
    {
        var store = await OpenAsync();
        var import = await store.BeginImportAsync();
        await import.AddEventsAsync(Ticket("T-1"));

        await store.DisposeAsync();

        Assert.Equal(0, (await (await OpenAsync()).CountAsync()).Events);
    }

    [Fact]
    public async Task Events_EnumCodesStoredAsDocumentedIntegers()
    {
        var store = await OpenAsync();
        await ImportAsync(store, [Event("E-1", "T-1", 0, TicketEventType.StatusChanged, ActorKind.Bot, status: TicketStatus.OnHold)]);

        using var raw = Raw();
        Assert.Equal("4|3|4", Scalar(raw, "SELECT type || '|' || actor_kind || '|' || status FROM events"));
        Assert.Equal(TestData.At(0).ToUnixTimeTicks(), Scalar(raw, "SELECT at FROM events"));
    }
}
