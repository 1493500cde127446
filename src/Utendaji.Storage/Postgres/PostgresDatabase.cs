using Npgsql;
using Utendaji.Core;

namespace Utendaji.Storage.Postgres;

/// <summary>
/// One PostgreSQL database as a server process uses it: one connection pool (<see cref="DataSource"/>), migrated once
/// when opened, shared by every organisation's <see cref="PostgresStore"/>, the account store and the job queue.
/// Open it once at start-up and dispose it at shutdown, after everything opened on it.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(NpgsqlDataSource dataSource, string location, int schemaVersion)
    {
        DataSource = dataSource;
        Location = location;
        SchemaVersion = schemaVersion;
    }

    /// <summary>The connection pool; thread-safe.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary><c>postgresql://host:port/database</c>: never the password.</summary>
    public string Location { get; }

    /// <summary>The schema version the database is at.</summary>
    public int SchemaVersion { get; }

    /// <summary>
    /// Connects to the database <paramref name="connectionString"/> names and applies pending migrations (under an
    /// advisory lock, so several processes starting at once migrate it once).
    /// </summary>
    /// <exception cref="StoreSchemaException">The database was written by a newer Utendaji, or a migration failed.</exception>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refused the login.</exception>
    public static async Task<PostgresDatabase> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(connectionString);
        var builder = PostgresConnectionString.Parse(connectionString);
        var location = PostgresConnectionString.Describe(builder);
        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var version = await PostgresMigrations.ApplyAsync(connection, location, cancellationToken).ConfigureAwait(false);
            return new PostgresDatabase(dataSource, location, version);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The store of <paramref name="organisation"/> on this database's pool (created on first use). The store does not
    /// dispose the pool: this object does.
    /// </summary>
    public Task<PostgresStore> OpenStoreAsync(string organisation, CancellationToken cancellationToken = default) =>
        PostgresStore.OpenSharedAsync(DataSource, Location, SchemaVersion, organisation, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
