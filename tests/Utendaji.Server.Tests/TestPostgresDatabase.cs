using Npgsql;

namespace Utendaji.Server.Tests;

/// <summary>
/// A fresh database of its own on the server named by <c>UTENDAJI_TEST_POSTGRES</c> (a superuser connection string
/// that <c>bash scripts/test.sh</c> sets), created on first use and dropped on dispose.
/// </summary>
internal sealed class TestPostgresDatabase : IAsyncDisposable
{
    public const string Variable = "UTENDAJI_TEST_POSTGRES";

    private readonly string _name = "utd_test_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    public static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set: PostgreSQL tests need a server. Run `bash scripts/test.sh` (it starts a private one).");

    public async Task<string> ConnectionStringAsync()
    {
        if (_connectionString is null)
        {
            await using var admin = new NpgsqlConnection(Server);
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {_name}", admin); // a generated identifier
            await command.ExecuteNonQueryAsync();
            _connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _name }.ToString();
        }

        return _connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await command.ExecuteNonQueryAsync();
    }
}
