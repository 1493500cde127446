using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Utendaji.Server;
using Utendaji.Storage.Sqlite;

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
        var rateLimit = new Option<int>("--rate-limit")
        {
            Description = "Requests one token may make per minute (default 1200; raise it for load tests)",
            DefaultValueFactory = _ => 1200,
        };
        var cache = new Option<bool>("--cache")
        {
            Description = "Cache engine configuration and KPI reports; only when every write goes through this server (no CLI imports into the same file while it runs)",
        };
        var command = new Command("serve", "Run the HTTP API until stopped (Ctrl+C); create organisations and tokens first with 'utendaji admin'") { urls, rateLimit, cache };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = StoreSession.DatabasePath(parseResult, environment);
            var addresses = parseResult.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var address in addresses)
            {
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new CliException($"--urls: '{address}' is not an http:// or https:// address", ExitCodes.Usage);
                }
            }

            var permits = parseResult.GetValue(rateLimit);
            if (permits < 1)
            {
                throw new CliException($"--rate-limit: {permits} is not a positive number of requests per minute", ExitCodes.Usage);
            }

            await using var accounts = await AdminCommand.OpenAccountsAsync(path, cancellationToken);
            var options = new ServerOptions
            {
                Accounts = accounts,
                OpenStore = async organisation => await SqliteStore.OpenAsync(path, organisation),
                Clock = environment.Clock,
                Urls = addresses,
                RateLimitPermits = permits,
                Caching = parseResult.GetValue(cache),
            };
            await using var app = UtendajiServer.Build(options);
            await app.StartAsync(cancellationToken);
            await environment.Error.WriteLineAsync($"utendaji: serving {path} on {string.Join(", ", addresses)} (Ctrl+C to stop)");
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
