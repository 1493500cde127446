using System.CommandLine;
using Utendaji.Core.Metrics;
using Utendaji.Ingest.Importing;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji options</c>: show or change the metric choices (first-contact definition, agent credit, default calendar).</summary>
internal static class OptionsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var firstContact = new Option<FirstContactDefinition?>("--first-contact")
        {
            Description = "First-contact resolution definition: OneTouch (default), NoReopen or NoCustomerFollowUp (docs/metrics.md)",
        };
        var credit = new Option<CreditRule?>("--credit")
        {
            Description = "Agent credited with a ticket: Solver (default), Assignee, FirstResponder or LastResponder",
        };
        var defaultCalendar = new Option<string?>("--default-calendar") { Description = "Calendar for teams no calendar names ('' for 24x7)" };
        var command = new Command("options", "Show or change how metrics are computed; a change re-derives every ticket's facts")
        {
            firstContact, credit, defaultCalendar,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var fc = Defined(parseResult.GetValue(firstContact), "--first-contact");
            var cr = Defined(parseResult.GetValue(credit), "--credit");
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var dc = parseResult.GetValue(defaultCalendar);
            StoredOptions options;
            if (fc is null && cr is null && dc is null)
            {
                options = await ReadAsync(store, cancellationToken);
            }
            else
            {
                if (!string.IsNullOrEmpty(dc) && !(await store.GetConfigAsync(ConfigKind.Calendar, cancellationToken)).Any(d => d.Name == dc))
                {
                    throw new CliException($"--default-calendar: no calendar named '{dc}' in the store (see 'utendaji calendar list')");
                }

                options = await UpdateAsync(store, o => o with
                {
                    FirstContact = fc ?? o.FirstContact,
                    Credit = cr ?? o.Credit,
                    DefaultCalendar = dc is null ? o.DefaultCalendar : (dc.Length == 0 ? null : dc),
                }, cancellationToken);
                await Rederivation.RunAsync(store, environment, cancellationToken);
            }

            await environment.Out.WriteLineAsync(options.ToJson());
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <paramref name="value"/> when it is one of the enum's names: the parser also turns any number into the enum
    /// (99, -1), which would be stored and derive facts with a rule that does not exist.
    /// </summary>
    private static T? Defined<T>(T? value, string option)
        where T : struct, Enum =>
        value is not { } v || Enum.IsDefined(v)
            ? value
            : throw new CliException($"{option}: '{v}' is not one of {string.Join(", ", Enum.GetNames<T>())}", ExitCodes.Usage);

    public static async Task<StoredOptions> ReadAsync(IUtendajiStore store, CancellationToken cancellationToken)
    {
        var stored = (await store.GetConfigAsync(ConfigKind.Options, cancellationToken)).FirstOrDefault(d => d.Name == EngineConfiguration.OptionsName);
        return stored is null ? StoredOptions.Default : StoredOptions.Parse(stored.Json);
    }

    public static async Task<StoredOptions> UpdateAsync(IUtendajiStore store, Func<StoredOptions, StoredOptions> change, CancellationToken cancellationToken)
    {
        var updated = change(await ReadAsync(store, cancellationToken));
        await store.PutConfigAsync(ConfigKind.Options, EngineConfiguration.OptionsName, updated.ToJson(), cancellationToken);
        return updated;
    }
}
