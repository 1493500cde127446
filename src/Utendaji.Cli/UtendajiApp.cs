using System.Data.Common;
using System.CommandLine;
using Utendaji.Cli.Commands;
using Utendaji.Core.Reporting;
using Utendaji.Ingest;
using Utendaji.Ingest.Importing;

namespace Utendaji.Cli;

/// <summary>The <c>utendaji</c> command tree. One class per verb under Commands/.</summary>
internal static class UtendajiApp
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Utendaji: customer-service performance in real business hours.");
        root.Options.Add(CommonOptions.Database);
        root.Subcommands.Add(InfoCommand.Create(environment));
        root.Subcommands.Add(ImportCommand.Create(environment));
        root.Subcommands.Add(CalendarCommand.Create(environment));
        root.Subcommands.Add(SlaCommand.Create(environment));
        root.Subcommands.Add(OptionsCommand.Create(environment));
        root.Subcommands.Add(TicketsCommand.Create(environment));
        root.Subcommands.Add(ExplainCommand.Create(environment));
        root.Subcommands.Add(ReportCommand.Create(environment));
        root.Subcommands.Add(SurveyCommand.Create(environment));
        root.Subcommands.Add(DemoCommand.Create(environment));
        root.Subcommands.Add(ServeCommand.Create(environment));
        root.Subcommands.Add(AdminCommand.Create(environment));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await environment.Error.WriteLineAsync($"utendaji: {error.Message}");
            }

            await environment.Error.WriteLineAsync("Run 'utendaji --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = environment.Out, Error = environment.Error, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (CliException e)
        {
            await environment.Error.WriteLineAsync($"utendaji: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is ConfigurationException or ImportFileException or ReportTooLargeException)
        {
            await environment.Error.WriteLineAsync($"utendaji: {e.Message}");
            return ExitCodes.DataError;
        }
        catch (DbException e)
        {
            // A database that refuses or cannot be reached (the engine's message names no customer data); the
            // transaction was rolled back.
            await environment.Error.WriteLineAsync($"utendaji: the database failed: {e.Message}; nothing was changed.");
            return ExitCodes.DataError;
        }
        catch (OperationCanceledException)
        {
            await environment.Error.WriteLineAsync("utendaji: cancelled; nothing was changed.");
            return 130;
        }
    }
}
