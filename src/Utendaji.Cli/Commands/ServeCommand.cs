using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Utendaji.Server;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji serve</c>: the HTTP API (docs/server.md) on the store the other verbs use.</summary>
internal static class ServeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (default http://127.0.0.1:5080)",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var config = new Option<string?>("--config")
        {
            Description = "A JSON configuration file (SLA warnings, webhook secrets, jobs; docs/operations.md), read after ./appsettings.json; UTENDAJI__… environment variables still win",
        };
        var rateLimit = new Option<int>("--rate-limit")
        {
            Description = "Requests one token may make per minute (default 1200; raise it for load tests)",
            DefaultValueFactory = _ => 1200,
        };
        var cache = new Option<bool>("--cache")
        {
            Description = "Cache engine configuration and KPI reports; only when every write goes through this server (no CLI imports into the same file while it runs; not on PostgreSQL, where other nodes write)",
        };
        var command = new Command("serve", "Run the HTTP API and background jobs until stopped (Ctrl+C); create organisations and tokens first with 'utendaji admin'")
        {
            urls, config, rateLimit, cache,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var db = StoreSession.Target(parseResult, environment);
            var addresses = ListenAddresses.Parse(parseResult.GetValue(urls)!);

            var configFile = parseResult.GetValue(config);
            if (configFile is not null && !File.Exists(configFile))
            {
                throw new CliException($"--config: '{configFile}' does not exist", ExitCodes.Usage);
            }

            var permits = parseResult.GetValue(rateLimit);
            if (permits < 1)
            {
                throw new CliException($"--rate-limit: {permits} is not a positive number of requests per minute", ExitCodes.Usage);
            }

            var caching = parseResult.GetValue(cache);
            if (caching && StoreConnector.IsPostgres(db))
            {
                // The caches are per process and only this node's writes invalidate them.
                throw new CliException("--cache: not with a PostgreSQL store, where other nodes and the CLI write too", ExitCodes.Usage);
            }

            // SQLite file or PostgreSQL connection string: the store opener, accounts and job queue of that engine
            // (on SQLite the queue lives in the store file: one node, one file to back up; on PostgreSQL every node shares it).
            // The job queue is opened with the store, before the server reads its configuration: its keys
            // (Utendaji:Jobs:LeaseDuration …) are read here from the same sources, and every key is checked early.
            ServerSettings settings;
            try
            {
                settings = ServerSettings.Read(ServerSettings.StartConfiguration(configFile));
            }
            catch (ServerConfigurationException e)
            {
                throw new CliException($"configuration: {e.Message}", ExitCodes.Usage);
            }
            catch (InvalidDataException e)
            {
                // A configuration file that is not valid JSON.
                throw new CliException($"configuration: {e.Message}", ExitCodes.Usage);
            }

            await using var backend = await AdminCommand.OpenBackendAsync(db, environment.Clock, cancellationToken, settings.Queue);
            var options = new ServerOptions
            {
                Accounts = backend.Accounts,
                OpenStore = backend.OpenStore,
                Clock = environment.Clock,
                Urls = addresses,
                JobQueue = backend.Jobs,
                ConfigurationFile = configFile,
                RateLimitPermits = permits,
                Caching = caching,
                // Session cookies must survive a restart: keys beside the SQLite file; with PostgreSQL every node
                // must share one folder, so docs/dashboard.md asks for Utendaji:Dashboard:KeysDirectory there.
                DashboardKeysDirectory = StoreConnector.IsPostgres(db)
                    ? CliEnvironment.DefaultDataPath("dashboard-keys")
                    : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(db))!, "dashboard-keys"),
            };
            WebApplication built;
            try
            {
                built = UtendajiServer.Build(options);
            }
            catch (ServerConfigurationException e)
            {
                throw new CliException($"configuration: {e.Message}", ExitCodes.Usage);
            }
            catch (InvalidDataException e)
            {
                // A configuration file that is not valid JSON.
                throw new CliException($"configuration: {e.Message}", ExitCodes.Usage);
            }

            await using var app = built;
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // Kestrel names the address and the reason ("Failed to bind to address …: address already in use.").
                throw new CliException($"cannot listen: {e.Message}");
            }

            await environment.Error.WriteLineAsync($"utendaji: serving {backend.Location} on {string.Join(", ", addresses)} (Ctrl+C to stop)");
            try
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: a normal stop, not a cancelled command.
            }

            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        });
        return command;
    }
}
