using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NodaTime;
using Utendaji.Ingest.Importing;
using Utendaji.Ingest.Summary;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji import FILE...</c>: events (NDJSON) or a ticket summary export (CSV) into the store.</summary>
internal static class ImportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var files = new Argument<string[]>("files") { Description = "NDJSON event files (.ndjson, .jsonl) or ticket summary CSV files (.csv)", Arity = ArgumentArity.OneOrMore };
        var kind = new Option<string>("--kind") { Description = "What the files hold: auto (by extension), events or summary", DefaultValueFactory = _ => "auto" };
        kind.AcceptOnlyFromAmong("auto", "events", "summary");
        var profile = new Option<string>("--profile") { Description = "Summary CSV header vocabulary: auto, canonical, zendesk or freshdesk", DefaultValueFactory = _ => "auto" };
        profile.AcceptOnlyFromAmong("auto", "canonical", "zendesk", "freshdesk");
        var zone = new Option<string>("--time-zone") { Description = "IANA zone for summary date-times written without an offset (default UTC)", DefaultValueFactory = _ => "UTC" };
        var skip = new Option<bool>("--skip-bad-rows") { Description = "Import the good rows and write the bad ones to a rejects file; by default one bad row imports nothing" };
        var rejects = new Option<string?>("--rejects") { Description = "Rejects file (default: <file>.rejects<ext>, reasons in <rejects>.reasons.txt)" };
        var format = CommonOptions.Format("table", "json");

        var command = new Command("import", "Import ticket events or a ticket summary export; re-importing the same data changes nothing")
        {
            files, kind, profile, zone, skip, rejects, format,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var zoneId = parseResult.GetValue(zone)!;
            var timeZone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
                ?? throw new CliException($"--time-zone: '{zoneId}' is not an IANA time zone (e.g. Europe/Helsinki)", ExitCodes.Usage);
            var paths = parseResult.GetValue(files)!;
            if (paths.Length > 1 && parseResult.GetValue(rejects) is not null)
            {
                throw new CliException("--rejects names one file; give one input file with it", ExitCodes.Usage);
            }

            var json = parseResult.GetValue(format) == "json";
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var context = await EngineConfiguration.LoadAsync(store, environment.Clock.GetCurrentInstant(), cancellationToken);
            var pipeline = new ImportPipeline(store, context);
            var outcomes = new List<ImportOutcome>();
            foreach (var given in paths)
            {
                var path = environment.Resolve(given);
                if (!File.Exists(path))
                {
                    throw new CliException($"{given}: no such file");
                }

                var settings = new ImportSettings
                {
                    Kind = KindOf(parseResult.GetValue(kind)!, path),
                    Profile = Enum.Parse<SummaryCsvProfile>(parseResult.GetValue(profile)!, ignoreCase: true),
                    TimeZone = timeZone,
                    SkipBadRows = parseResult.GetValue(skip),
                    RejectsPath = parseResult.GetValue(rejects) is { } r ? environment.Resolve(r) : DefaultRejectsPath(path),
                };
                var outcome = await ProgressDisplay.RunAsync(
                    environment.IsInteractive && !json,
                    $"Importing {Path.GetFileName(path)}",
                    report => pipeline.RunAsync(path, given, settings, report, cancellationToken));
                outcomes.Add(outcome);
                if (!outcome.Committed)
                {
                    break;
                }
            }

            await WriteOutcomesAsync(environment, outcomes, json);
            return outcomes.TrueForAll(o => o.Committed) ? ExitCodes.Ok : ExitCodes.DataError;
        });
        return command;
    }

    private static ImportFileKind KindOf(string kind, string path) => kind switch
    {
        "events" => ImportFileKind.Events,
        "summary" => ImportFileKind.Summary,
        _ => Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".NDJSON" or ".JSONL" or ".JSON" => ImportFileKind.Events,
            ".CSV" => ImportFileKind.Summary,
            _ => throw new CliException($"{path}: cannot tell events from a summary by the extension; give --kind events or --kind summary", ExitCodes.Usage),
        },
    };

    /// <summary>What each file's import did, as text (problems on standard error) or as JSON.</summary>
    public static Task WriteOutcomesAsync(CliEnvironment environment, List<ImportOutcome> outcomes, bool json) =>
        json ? WriteJsonAsync(environment.Out, outcomes) : WriteTextAsync(environment, outcomes);

    public static string DefaultRejectsPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + ".rejects" + Path.GetExtension(path));

    private static async Task WriteTextAsync(CliEnvironment environment, List<ImportOutcome> outcomes)
    {
        foreach (var o in outcomes)
        {
            if (!o.Committed)
            {
                foreach (var issue in o.Issues)
                {
                    await environment.Error.WriteLineAsync(issue.ToString());
                }

                var more = o.IssueCount - o.Issues.Count;
                await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{o.File}: {o.IssueCount} problem(s) in {o.Rejected} row(s){(more > 0 ? $" ({more} not shown)" : "")}; nothing was imported. Fix the rows, or import the good ones with --skip-bad-rows."));
                continue;
            }

            await environment.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{o.File}: {o.Rows} rows read, {o.Added} added, {o.Unchanged} already stored, {o.Rejected} rejected; facts derived for {o.TicketsDerived} ticket(s)"));
            if (o.RejectsPath is not null)
            {
                await environment.Out.WriteLineAsync($"  rejected rows: {o.RejectsPath} (reasons: {Ingest.Rejects.RejectsWriter.ReasonsPath(o.RejectsPath)})");
            }
        }
    }

    private static async Task WriteJsonAsync(TextWriter output, List<ImportOutcome> outcomes)
    {
        var payload = outcomes.Select(o => new
        {
            file = o.File,
            committed = o.Committed,
            rows = o.Rows,
            added = o.Added,
            unchanged = o.Unchanged,
            rejected = o.Rejected,
            tickets_derived = o.TicketsDerived,
            issue_count = o.IssueCount,
            issues = o.Issues.Select(i => new { file = i.File, line = i.Line, field = i.Field, value = i.Value, reason = i.Reason, message = i.ToString() }),
            rejects = o.RejectsPath,
        });
        await output.WriteLineAsync(JsonSerializer.Serialize(payload, CliJson.Options));
    }
}
