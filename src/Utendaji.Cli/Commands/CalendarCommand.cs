using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Calendars;
using Utendaji.Ingest.Importing;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary>
/// <c>utendaji calendar</c>: business-time arithmetic on a calendar file (elapsed, add, next-open) and the
/// calendars kept in the store (import, list).
/// </summary>
internal static class CalendarCommand
{
    // ISO-8601 with the offset always as ±HH:MM ("+02:00", "+00:00"), which every parser reads.
    private static readonly OffsetDateTimePattern OutputPattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<+HH:mm>");

    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("calendar", "Business calendars: time arithmetic and the calendars in the store");
        command.Subcommands.Add(Elapsed(environment));
        command.Subcommands.Add(Add(environment));
        command.Subcommands.Add(NextOpen(environment));
        command.Subcommands.Add(Import(environment));
        command.Subcommands.Add(List(environment));
        return command;
    }

    private static Option<string> CalendarOption() => new("--calendar")
    {
        Description = "Calendar JSON file, or the name of a calendar in the store",
        Required = true,
    };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print JSON instead of text" };

    private static Command Elapsed(CliEnvironment environment)
    {
        var calendar = CalendarOption();
        var from = new Option<string>("--from") { Description = "Start instant (ISO-8601; without offset: wall-clock time in the calendar's zone)", Required = true };
        var to = new Option<string>("--to") { Description = "End instant (same forms); before --from gives a negative result", Required = true };
        var json = JsonOption();
        var command = new Command("elapsed", "Business time between two instants") { calendar, from, to, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var businessCalendar = await LoadAsync(parseResult.GetValue(calendar)!, parseResult, environment, cancellationToken);
            var start = ParseInstant(parseResult.GetValue(from)!, "--from", businessCalendar.Zone);
            var end = ParseInstant(parseResult.GetValue(to)!, "--to", businessCalendar.Zone);
            var elapsed = Computed(() => businessCalendar.Elapsed(start, end));
            var seconds = (long)Math.Round(elapsed.TotalSeconds, MidpointRounding.AwayFromZero);
            await environment.Out.WriteLineAsync(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(new { business_seconds = seconds })
                : string.Create(CultureInfo.InvariantCulture, $"{DurationText.Format(elapsed)} of business time ({seconds} s) in {businessCalendar.Name}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Add(CliEnvironment environment)
    {
        var calendar = CalendarOption();
        var from = new Option<string>("--from") { Description = "Start instant (ISO-8601; without offset: wall-clock time in the calendar's zone)", Required = true };
        var duration = new Option<string>("--duration") { Description = "Business time to add, ISO-8601 (PT8H, P2DT4H30M; P1D is 24 business hours; -PT2H goes back)", Required = true };
        var json = JsonOption();
        var command = new Command("add", "The instant at which a duration of business time has passed") { calendar, from, duration, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var businessCalendar = await LoadAsync(parseResult.GetValue(calendar)!, parseResult, environment, cancellationToken);
            var start = ParseInstant(parseResult.GetValue(from)!, "--from", businessCalendar.Zone);
            var amount = DurationText.Parse(parseResult.GetValue(duration)!, "--duration");
            var due = Computed(() => businessCalendar.Add(start, amount)).InZone(businessCalendar.Zone).ToOffsetDateTime();
            var text = OutputPattern.Format(due);
            await environment.Out.WriteLineAsync(parseResult.GetValue(json) ? JsonSerializer.Serialize(new { due = text }) : text);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command NextOpen(CliEnvironment environment)
    {
        var calendar = CalendarOption();
        var at = new Option<string>("--at") { Description = "Instant (ISO-8601; without offset: wall-clock time in the calendar's zone)", Required = true };
        var json = JsonOption();
        var command = new Command("next-open", "The instant itself when inside business hours, else the next opening") { calendar, at, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var businessCalendar = await LoadAsync(parseResult.GetValue(calendar)!, parseResult, environment, cancellationToken);
            var instant = ParseInstant(parseResult.GetValue(at)!, "--at", businessCalendar.Zone);
            var text = OutputPattern.Format(Computed(() => businessCalendar.NextOpen(instant)).InZone(businessCalendar.Zone).ToOffsetDateTime());
            await environment.Out.WriteLineAsync(parseResult.GetValue(json) ? JsonSerializer.Serialize(new { next_open = text }) : text);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import(CliEnvironment environment)
    {
        var file = new Argument<string>("file") { Description = "Calendar JSON file; .ics files it names are read relative to it and stored with it" };
        var isDefault = new Option<bool>("--default") { Description = "Also measure tickets of teams no calendar names in this calendar" };
        var command = new Command("import", "Store a calendar (replacing one of the same name) and re-derive every ticket's facts") { file, isDefault };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = environment.Resolve(parseResult.GetValue(file)!);
            var (definition, json, included) = ReadCalendarFile(path);
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            foreach (var (name, content) in included)
            {
                await store.PutConfigAsync(ConfigKind.HolidayFile, name, content, cancellationToken);
            }

            await store.PutConfigAsync(ConfigKind.Calendar, definition.Name, json, cancellationToken);
            if (parseResult.GetValue(isDefault))
            {
                await OptionsCommand.UpdateAsync(store, o => o with { DefaultCalendar = definition.Name }, cancellationToken);
            }

            await environment.Out.WriteLineAsync($"calendar '{definition.Name}' stored ({definition.Zone.Id}; teams: {(definition.Teams.Count == 0 ? "none" : string.Join(", ", definition.Teams))})");
            await Rederivation.RunAsync(store, environment, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliEnvironment environment)
    {
        var command = new Command("list", "The calendars in the store");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var documents = await store.GetConfigAsync(ConfigKind.Calendar, cancellationToken);
            if (documents.Count == 0)
            {
                await environment.Out.WriteLineAsync("no calendars stored: tickets are measured 24x7 (import one with 'utendaji calendar import FILE')");
            }

            var holidayFiles = (await store.GetConfigAsync(ConfigKind.HolidayFile, cancellationToken)).ToDictionary(d => d.Name, d => d.Json, StringComparer.Ordinal);
            foreach (var document in documents)
            {
                var definition = EngineConfiguration.ParseCalendar(document.Json, document.Name, n => holidayFiles.GetValueOrDefault(n));
                await environment.Out.WriteLineAsync($"{definition.Name}\t{definition.Zone.Id}\tteams: {string.Join(", ", definition.Teams)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reads a calendar file and the .ics files it names (relative to it).</summary>
    public static (CalendarDefinition Definition, string Json, IReadOnlyList<(string Name, string Content)> Included) ReadCalendarFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: no such file");
        }

        var json = File.ReadAllText(path);
        var directory = Path.GetDirectoryName(path) ?? "";
        var included = new List<(string, string)>();
        var definition = EngineConfiguration.ParseCalendar(json, Path.GetFileName(path), name =>
        {
            var full = Path.Combine(directory, name);
            if (!File.Exists(full))
            {
                return null;
            }

            var content = File.ReadAllText(full);
            included.Add((name, content));
            return content;
        });
        // Built as every later use builds it, so that import stores nothing that cannot be computed.
        EngineConfiguration.BuildCalendar(definition, Path.GetFileName(path));
        return (definition, json, included);
    }

    private static async Task<BusinessCalendar> LoadAsync(string calendar, ParseResult parseResult, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var path = environment.Resolve(calendar);
        if (File.Exists(path))
        {
            return BusinessCalendar.FromDefinition(ReadCalendarFile(path).Definition);
        }

        if (calendar.Contains('/', StringComparison.Ordinal) || calendar.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"{calendar}: no such file");
        }

        await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
        var context = await EngineConfiguration.LoadAsync(store, environment.Clock.GetCurrentInstant(), cancellationToken);
        return context.Calendars.TryGetValue(calendar, out var stored)
            ? stored
            : throw new CliException($"{calendar}: neither a file nor a calendar in the store ({StoreSession.DatabasePath(parseResult, environment)})");
    }

    /// <summary>A calendar computation; an instant beyond what calendars support, or business time a calendar never reaches, is the user's error, not a crash.</summary>
    private static T Computed<T>(Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new CliException($"business calendars support instants from {BusinessCalendar.MinSupported} to {BusinessCalendar.MaxSupported}", ExitCodes.Usage);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message); // a calendar that does not open for the duration asked (its text says so)
        }
    }

    private static Instant ParseInstant(string text, string option, DateTimeZone zone)
    {
        var result = CalendarInstant.Parse(text, zone);
        return result.Value ?? throw new CliException($"{option}: {result.Error}", ExitCodes.Usage);
    }
}
