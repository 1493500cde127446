using System.CommandLine;
using Utendaji.Cli.Commands;
using Microsoft.Data.Sqlite;
using Utendaji.Storage;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Cli;

/// <summary>Opens the store a command asked for (--db, $UTENDAJI_DB, or the per-user default).</summary>
internal static class StoreSession
{
    public static string DatabasePath(ParseResult parseResult, CliEnvironment environment)
    {
        var given = parseResult.GetValue(CommonOptions.Database);
        return string.IsNullOrWhiteSpace(given) ? environment.DefaultDatabasePath : environment.Resolve(given);
    }

    public static async Task<IUtendajiStore> OpenAsync(ParseResult parseResult, CliEnvironment environment, CancellationToken cancellationToken) =>
        await OpenAsync(DatabasePath(parseResult, environment), cancellationToken);

    public static async Task<IUtendajiStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await SqliteStore.OpenAsync(path, cancellationToken: cancellationToken);
        }
        catch (StoreSchemaException e)
        {
            throw new CliException($"{path}: {e.Message}");
        }
        catch (SqliteException e)
        {
            throw new CliException($"{path}: cannot open the database: {e.Message}");
        }
    }
}
