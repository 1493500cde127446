using Npgsql;

namespace Utendaji.Storage.Tests.Jobs;

/// <summary>
/// A database of its own on the PostgreSQL server named by <c>UTENDAJI_TEST_POSTGRES</c> (a superuser connection
/// string), migrated by the store's own runner (the jobs table exactly as a server creates it); dropped on dispose.
/// </summary>
internal sealed class PostgresJobDatabase : IAsyncDisposable
{
    public const string Variable = "UTENDAJI_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name;
    private readonly List<NpgsqlDataSource> _sources = [];

    private PostgresJobDatabase(string server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresJobDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Fail($"{Variable} is not set: PostgreSQL tests need a superuser connection string, e.g. " +
                "\"Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres\" (scripts/postgres.sh starts a private server).");
        }

        var name = "utd_jobs_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var database = new PostgresJobDatabase(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString());
        // The real migrations, 0001 onwards: what a server node applies when it opens the database.
        await using (await Storage.Postgres.PostgresDatabase.OpenAsync(database.ConnectionString))
        {
        }

        return database;
    }

    /// <summary>A data source of its own: separate pooled connections from every other one.</summary>
    public NpgsqlDataSource DataSource()
    {
        var source = NpgsqlDataSource.Create(ConnectionString);
        _sources.Add(source);
        return source;
    }

    public static string Migration(string file)
    {
        var assembly = typeof(Storage.Jobs.PostgresJobQueue).Assembly;
        using var stream = assembly.GetManifestResourceStream("Utendaji.Storage.Postgres.Migrations." + file)
            ?? throw new InvalidOperationException($"Postgres/Migrations/{file} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
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
