using System.CommandLine;
using Utendaji.Reports;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji tickets</c>: one row per ticket with every per-ticket figure (columns in docs/metrics.md).</summary>
internal static class TicketsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var format = CommonOptions.Format("csv", "json");
        var output = CommonOptions.Out();
        var filter = new FactsFilter();
        var command = new Command("tickets", "Export one row per ticket with all its figures") { format, output };
        filter.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var query = filter.Read(parseResult);
            OutputTarget.Check(parseResult.GetValue(output), environment, StoreSession.Target(parseResult, environment));
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            await using var target = await OutputTarget.OpenAsync(parseResult.GetValue(output), environment, StoreSession.Target(parseResult, environment));
            var facts = store.ReadFactsAsync(query, cancellationToken).ToBlockingEnumerable(cancellationToken);
            var exportFormat = parseResult.GetValue(format) == "json" ? TicketExportFormat.Json : TicketExportFormat.Csv;
            TicketExport.Write(facts, exportFormat, target.Stream, cancellationToken);
            await target.CompleteAsync();
            return ExitCodes.Ok;
        });
        return command;
    }
}
