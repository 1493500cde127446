using NodaTime;
using Utendaji.Core;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;
using Utendaji.Storage.Jobs;
using Utendaji.Storage.Postgres;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Server.Hosting;

/// <summary>
/// The storage a server node runs on, chosen by its <c>--db</c> value: a SQLite file (one node) or a PostgreSQL
/// connection string (one or several nodes sharing the database). Gives the per-organisation store opener, the
/// account store and the job queue of that engine; on PostgreSQL all three share one migrated connection pool.
/// </summary>
/// <remarks>Open once at start-up; dispose after the server has stopped (it disposes what it opened).</remarks>
public sealed class ServerBackend : IAsyncDisposable
{
    private readonly Func<ValueTask> _close;
    private bool _disposed;

    private ServerBackend(string location, bool isPostgres, IAccountStore accounts, IJobQueue jobs, Func<string, ValueTask<IUtendajiStore>> openStore, Func<ValueTask> close)
    {
        Location = location;
        IsPostgres = isPostgres;
        Accounts = accounts;
        Jobs = jobs;
        OpenStore = openStore;
        _close = close;
    }

    /// <summary>What to show for the database: the SQLite file's path, or <c>postgresql://host:port/database</c> (never a password).</summary>
    public string Location { get; }

    /// <summary>True on PostgreSQL (several nodes may share the database).</summary>
    public bool IsPostgres { get; }

    /// <summary>Organisations, people and tokens.</summary>
    public IAccountStore Accounts { get; }

    /// <summary>The background job queue (shared by every node on PostgreSQL).</summary>
    public IJobQueue Jobs { get; }

    /// <summary>Opens one organisation's store (for <see cref="ServerOptions.OpenStore"/>; the server caches and disposes it).</summary>
    public Func<string, ValueTask<IUtendajiStore>> OpenStore { get; }

    /// <summary>
    /// Opens the backend <paramref name="db"/> names (<see cref="StoreConnector.IsPostgres"/> decides), creating and
    /// migrating the database when needed. A SQLite path is used as given (make it absolute first).
    /// </summary>
    /// <exception cref="StoreSchemaException">The database was written by a newer Utendaji, or a migration failed.</exception>
    /// <exception cref="ArgumentException">A PostgreSQL connection string that cannot be parsed.</exception>
    public static async Task<ServerBackend> OpenAsync(string db, IClock clock, JobQueueOptions? jobs = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(db);
        Guard.NotNull(clock);
        var location = StoreConnector.Describe(db);
        if (StoreConnector.IsPostgres(db))
        {
            var database = await PostgresDatabase.OpenAsync(db, cancellationToken).ConfigureAwait(false);
            return new ServerBackend(
                location, isPostgres: true, new PostgresAccountStore(database), new PostgresJobQueue(database.DataSource, clock, jobs),
                async organisation => await database.OpenStoreAsync(organisation).ConfigureAwait(false),
                database.DisposeAsync);
        }

        var accounts = await SqliteAccountStore.OpenAsync(db, cancellationToken).ConfigureAwait(false);
        try
        {
            var queue = await SqliteJobQueue.OpenAsync(db, clock, jobs, cancellationToken).ConfigureAwait(false);
            return new ServerBackend(
                location, isPostgres: false, accounts, queue,
                async organisation => await SqliteStore.OpenAsync(db, organisation).ConfigureAwait(false),
                async () =>
                {
                    await queue.DisposeAsync().ConfigureAwait(false);
                    await accounts.DisposeAsync().ConfigureAwait(false);
                });
        }
        catch
        {
            await accounts.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _close().ConfigureAwait(false);
    }
}
