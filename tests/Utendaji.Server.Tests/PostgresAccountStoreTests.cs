using Npgsql;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests;

/// <summary>The account contract on a fresh PostgreSQL database per test (<c>UTENDAJI_TEST_POSTGRES</c>; fails without it).</summary>
public sealed class PostgresAccountStoreTests : AccountStoreContract
{
    private readonly TestPostgresDatabase _database = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override async Task<IAccountStore> OpenAnotherAsync() => await PostgresAccountStore.OpenAsync(await _database.ConnectionStringAsync());

    protected override async Task<string> StoredTextAsync()
    {
        await using var connection = new NpgsqlConnection(await _database.ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM api_tokens t UNION ALL SELECT coalesce(string_agg(u::text, E'\\n'), '') FROM users u", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var text = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
        {
            text.Append(reader.GetString(0));
        }

        Assert.Contains("utd_", text.ToString(), StringComparison.Ordinal); // the prefix is there: the dump is real
        return text.ToString();
    }
}
