using System.CommandLine;
using System.Text.Json;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji info</c>: where the store is and what it holds.</summary>
internal static class InfoCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var format = CommonOptions.Format("table", "json");
        var command = new Command("info", "Show the store's path, schema version and contents") { format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var counts = await store.CountAsync(cancellationToken);
            var calendars = (await store.GetConfigAsync(ConfigKind.Calendar, cancellationToken)).Select(d => d.Name).ToList();
            var policies = (await store.GetConfigAsync(ConfigKind.SlaPolicy, cancellationToken)).Select(d => d.Name).ToList();
            var options = await OptionsCommand.ReadAsync(store, cancellationToken);
            if (parseResult.GetValue(format) == "json")
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    database = store.Location,
                    organisation = store.Organisation,
                    schema_version = store.SchemaVersion,
                    events = counts.Events,
                    tickets = counts.Tickets,
                    summaries = counts.Summaries,
                    facts = counts.Facts,
                    calendars,
                    sla_policies = policies,
                    first_contact = options.FirstContact.ToString(),
                    credit = options.Credit.ToString(),
                    default_calendar = options.DefaultCalendar,
                }, CliJson.Options));
                return ExitCodes.Ok;
            }

            var o = environment.Out;
            await o.WriteLineAsync($"database:        {store.Location}");
            await o.WriteLineAsync($"organisation:    {store.Organisation}");
            await o.WriteLineAsync($"schema version:  {store.SchemaVersion}");
            await o.WriteLineAsync($"events:          {counts.Events}");
            await o.WriteLineAsync($"tickets:         {counts.Tickets} ({counts.Summaries} from summary exports)");
            await o.WriteLineAsync($"ticket facts:    {counts.Facts}");
            await o.WriteLineAsync($"calendars:       {(calendars.Count == 0 ? "none (24x7)" : string.Join(", ", calendars))}");
            await o.WriteLineAsync($"SLA policies:    {(policies.Count == 0 ? "none" : string.Join(", ", policies))}");
            await o.WriteLineAsync($"first contact:   {options.FirstContact}; credit: {options.Credit}; default calendar: {options.DefaultCalendar ?? "24x7"}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
