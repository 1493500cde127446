using System.CommandLine;
using Utendaji.Ingest.Importing;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji sla import|list|remove</c>: the SLA policies in the store.</summary>
internal static class SlaCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("sla", "SLA policies: targets per priority, channel and team");

        var file = new Argument<string>("file") { Description = "SLA policy JSON file (docs/formats.md)" };
        var import = new Command("import", "Store an SLA policy (replacing one of the same name) and re-derive every ticket's facts") { file };
        import.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = environment.Resolve(parseResult.GetValue(file)!);
            if (!File.Exists(path))
            {
                throw new CliException($"{parseResult.GetValue(file)}: no such file");
            }

            var json = await File.ReadAllTextAsync(path, cancellationToken);
            var policy = EngineConfiguration.ParseSlaPolicy(json, Path.GetFileName(path));
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            await store.PutConfigAsync(ConfigKind.SlaPolicy, policy.Name, json, cancellationToken);
            await environment.Out.WriteLineAsync($"SLA policy '{policy.Name}' stored");
            var known = (await store.GetConfigAsync(ConfigKind.Calendar, cancellationToken)).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in policy.CalendarNames().Where(n => !known.Contains(n)))
            {
                // Not an error: the calendar may be imported next. Until then those targets use each ticket's own calendar.
                await environment.Error.WriteLineAsync($"warning: calendar '{missing}' named by the policy is not in the store yet; its targets use each ticket's own calendar until it is imported");
            }

            await Rederivation.RunAsync(store, environment, cancellationToken);
            return ExitCodes.Ok;
        });

        var list = new Command("list", "The SLA policies in the store");
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var documents = await store.GetConfigAsync(ConfigKind.SlaPolicy, cancellationToken);
            if (documents.Count == 0)
            {
                await environment.Out.WriteLineAsync("no SLA policies stored (import one with 'utendaji sla import FILE')");
            }

            foreach (var document in documents)
            {
                await environment.Out.WriteLineAsync(document.Name);
            }

            return ExitCodes.Ok;
        });

        var name = new Argument<string>("name") { Description = "Policy name" };
        var remove = new Command("remove", "Remove an SLA policy and re-derive every ticket's facts") { name };
        remove.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            if (!await store.DeleteConfigAsync(ConfigKind.SlaPolicy, parseResult.GetValue(name)!, cancellationToken))
            {
                throw new CliException($"no SLA policy named '{parseResult.GetValue(name)}'");
            }

            await Rederivation.RunAsync(store, environment, cancellationToken);
            return ExitCodes.Ok;
        });

        command.Subcommands.Add(import);
        command.Subcommands.Add(list);
        command.Subcommands.Add(remove);
        return command;
    }
}
