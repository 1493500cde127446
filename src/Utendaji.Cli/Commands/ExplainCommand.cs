using System.CommandLine;
using System.Text.Json;
using Utendaji.Core.Metrics;
using Utendaji.Ingest.Importing;
using Utendaji.Reports;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji explain TICKET</c>: how each of a ticket's figures was reached.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var ticket = new Argument<string>("ticket") { Description = "Ticket id" };
        var format = CommonOptions.Format("text", "json");
        var command = new Command("explain", "Show which events, open hours, pauses and holidays made each figure of a ticket") { ticket, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(ticket)!;
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var context = await EngineConfiguration.LoadAsync(store, environment.Clock.GetCurrentInstant(), cancellationToken);
            var events = await store.ReadEventsAsync(id, cancellationToken);
            TicketExplanation explanation;
            if (events.Count > 0)
            {
                explanation = TicketMetricsEngine.Explain(id, events, context);
            }
            else if (await store.GetSummaryAsync(id, cancellationToken) is { } summary)
            {
                explanation = TicketMetricsEngine.Explain(summary, context);
            }
            else
            {
                throw new CliException($"no ticket '{id}' in {store.Location}");
            }

            if (parseResult.GetValue(format) == "json")
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    ticket_id = explanation.TicketId,
                    steps = explanation.Steps.Select(s => new
                    {
                        metric = s.Metric,
                        text = s.Text,
                        values = s.Values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal),
                    }),
                }, CliJson.Options));
                return ExitCodes.Ok;
            }

            ExplanationRenderer.WriteText(environment.Out, explanation, environment.Clock.GetCurrentInstant());
            return ExitCodes.Ok;
        });
        return command;
    }
}
