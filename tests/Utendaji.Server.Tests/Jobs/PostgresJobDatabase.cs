using Npgsql;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>
/// A database of its own on the PostgreSQL server named by <c>UTENDAJI_TEST_POSTGRES</c> (a superuser connection
/// string), migrated by the store's own runner (the jobs table exactly as a server creates it); dropped on dispose.
/// (Storage.Tests has the same helper.)
/// </summary>
internal sealed class PostgresJobDatabase : IAsyncDisposable
{
    public const string Variable = "UTENDAJI_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name;
    private readonly string _connectionString;
    private readonly List<NpgsqlDataSource> _sources = [];

    private PostgresJobDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    public static async Task<PostgresJobDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Fail($"{Variable} is not set: PostgreSQL tests need a superuser connection string, e.g. " +
                "\"Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres\".");
        }

        var database = new PostgresJobDatabase(server, "utd_jobs_" + Guid.NewGuid().ToString("N"));
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database._name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        // The real migrations, 0001 onwards: what a server node applies when it opens the database.
        await using (await Storage.Postgres.PostgresDatabase.OpenAsync(database._connectionString))
        {
        }

        return database;
    }

    /// <summary>A data source of its own: a node's separate pooled connections.</summary>
    public NpgsqlDataSource DataSource()
    {
        var source = NpgsqlDataSource.Create(_connectionString);
        _sources.Add(source);
        return source;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }

        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
