using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Utendaji.Server;

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
        var command = new Command("serve", "Run the HTTP API until stopped (Ctrl+C); create organisations and tokens first with 'utendaji admin'") { urls };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var db = StoreSession.Target(parseResult, environment);
            var addresses = parseResult.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var address in addresses)
            {
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new CliException($"--urls: '{address}' is not an http:// or https:// address", ExitCodes.Usage);
                }
            }

            // SQLite file or PostgreSQL connection string: the store opener, accounts and job queue of that engine.
            await using var backend = await AdminCommand.OpenBackendAsync(db, environment.Clock, cancellationToken);
            var options = new ServerOptions
            {
                Accounts = backend.Accounts,
                OpenStore = backend.OpenStore,
                Clock = environment.Clock,
                Urls = addresses,
            };
            await using var app = UtendajiServer.Build(options);
            await app.StartAsync(cancellationToken);
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
