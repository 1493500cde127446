using System.CommandLine;
using Utendaji.Cli.Commands;
using Microsoft.Data.Sqlite;
using Npgsql;
using Utendaji.Storage;

namespace Utendaji.Cli;

/// <summary>
/// Opens the store a command asked for (--db, $UTENDAJI_DB, or the per-user default): a SQLite file path, or a
/// PostgreSQL connection string (<c>postgresql://…</c> or <c>Host=…;Database=…</c>; see docs/storage.md).
/// </summary>
internal static class StoreSession
{
    /// <summary>What to show for the store: the SQLite file's full path, or <c>postgresql://host:port/database</c> (never a password).</summary>
    public static string DatabasePath(ParseResult parseResult, CliEnvironment environment) =>
        StoreConnector.Describe(Target(parseResult, environment));

    public static async Task<IUtendajiStore> OpenAsync(ParseResult parseResult, CliEnvironment environment, CancellationToken cancellationToken) =>
        await OpenAsync(Target(parseResult, environment), cancellationToken);

    /// <summary>Opens <paramref name="db"/>: a SQLite file path, or a PostgreSQL connection string.</summary>
    public static async Task<IUtendajiStore> OpenAsync(string db, CancellationToken cancellationToken)
    {
        // Messages name the store by its description: a connection string may hold a password.
        var shown = StoreConnector.Describe(db);
        try
        {
            return await StoreConnector.OpenAsync(db, cancellationToken: cancellationToken);
        }
        catch (StoreSchemaException e)
        {
            throw new CliException($"{shown}: {e.Message}");
        }
        catch (SqliteException e)
        {
            throw new CliException($"{shown}: cannot open the database: {e.Message}");
        }
        catch (PostgresException e)
        {
            throw new CliException($"{shown}: cannot open the database: {e.MessageText} ({e.SqlState})");
        }
        catch (NpgsqlException e)
        {
            throw new CliException($"{shown}: cannot connect to the server: {e.Message}");
        }
        catch (ArgumentException e) when (StoreConnector.IsPostgres(db))
        {
            throw new CliException($"--db: {e.Message}", ExitCodes.Usage);
        }
    }

    /// <summary>The --db value (or default) to open: a connection string as given, a file path made absolute.</summary>
    private static string Target(ParseResult parseResult, CliEnvironment environment)
    {
        var given = parseResult.GetValue(CommonOptions.Database);
        var db = string.IsNullOrWhiteSpace(given) ? environment.DefaultDatabasePath : given;
        return StoreConnector.IsPostgres(db) ? db : environment.Resolve(db);
    }
}
