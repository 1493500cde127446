using Utendaji.Core;
using Utendaji.Storage.Postgres;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage;

/// <summary>
/// Opens the store a <c>--db</c> value names: a PostgreSQL connection string (<c>postgres://…</c>,
/// <c>postgresql://…</c>, or keywords containing <c>Host=</c>) opens a <see cref="PostgresStore"/>; anything else is a
/// SQLite file path and opens a <see cref="SqliteStore"/>.
/// </summary>
public static class StoreConnector
{
    /// <summary>True when <paramref name="db"/> is a PostgreSQL connection string rather than a SQLite file path.</summary>
    public static bool IsPostgres(string db) => PostgresConnectionString.Recognises(Guard.NotNull(db));

    /// <summary>
    /// What to show a person for <paramref name="db"/>: the path of a SQLite file, or <c>postgresql://host:port/database</c>
    /// for a server (never the password or other keywords of the connection string).
    /// </summary>
    public static string Describe(string db)
    {
        Guard.NotNull(db);
        if (!IsPostgres(db))
        {
            return db;
        }

        try
        {
            return PostgresConnectionString.Describe(PostgresConnectionString.Parse(db));
        }
        catch (ArgumentException)
        {
            return "postgresql://(invalid connection string)";
        }
    }

    /// <summary>Opens (creating and migrating when needed) the store <paramref name="db"/> names, for <paramref name="organisation"/>.</summary>
    /// <exception cref="StoreSchemaException">The database was written by a newer Utendaji, or a migration failed.</exception>
    /// <exception cref="ArgumentException">A PostgreSQL connection string that cannot be parsed.</exception>
    public static async Task<IUtendajiStore> OpenAsync(string db, string organisation = SqliteStore.DefaultOrganisation, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(db);
        return IsPostgres(db)
            ? await PostgresStore.OpenAsync(db, organisation, cancellationToken).ConfigureAwait(false)
            : await SqliteStore.OpenAsync(db, organisation, cancellationToken).ConfigureAwait(false);
    }
}
