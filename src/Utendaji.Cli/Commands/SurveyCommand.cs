using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Importing;
using Utendaji.Ingest.Surveys;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji survey</c>: instruments, their texts, importing sends and responses, and the survey report.</summary>
internal static class SurveyCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("survey", "Customer feedback: CSAT, NPS, CES and SERVQUAL instruments, responses and reports");
        command.Subcommands.Add(Instruments(environment));
        command.Subcommands.Add(InstrumentImport(environment));
        command.Subcommands.Add(Import(environment));
        command.Subcommands.Add(Texts(environment));
        command.Subcommands.Add(SurveyReportCommand.Create(environment));
        return command;
    }

    private static Command Instruments(CliEnvironment environment)
    {
        var format = CommonOptions.Format("table", "json");
        var command = new Command("instruments", "List the instruments: built-in and stored") { format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var instruments = (await SurveyCatalog.LoadAsync(store, cancellationToken)).Values.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
            if (parseResult.GetValue(format) == "json")
            {
                await environment.Out.WriteLineAsync("[" + string.Join(",\n", instruments.Select(InstrumentJson.Serialize)) + "]");
                return ExitCodes.Ok;
            }

            foreach (var instrument in instruments)
            {
                await environment.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{instrument.Id,-14} {InstrumentJson.Name(instrument.Kind),-26} {instrument.Questions.Count,3} question(s)"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command InstrumentImport(CliEnvironment environment)
    {
        var file = new Argument<string>("file") { Description = "Instrument file, JSON or YAML (.yaml/.yml) (docs/surveys-instruments.md)" };
        var command = new Command("instrument-import", "Store a custom instrument (replacing one with the same id)") { file };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = environment.Resolve(parseResult.GetValue(file)!);
            if (!File.Exists(path))
            {
                throw new CliException($"{parseResult.GetValue(file)}: no such file");
            }

            var text = await File.ReadAllTextAsync(path, cancellationToken);
            var instrument = InstrumentYaml.IsYamlFile(path)
                ? SurveyCatalog.Check(InstrumentYaml.Parse(text, Path.GetFileName(path)))
                : SurveyCatalog.Parse(text, Path.GetFileName(path));
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            await store.PutConfigAsync(ConfigKind.SurveyInstrument, instrument.Id, InstrumentJson.Serialize(instrument), cancellationToken);
            await environment.Out.WriteLineAsync($"instrument '{instrument.Id}' stored ({instrument.Questions.Count} questions)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import(CliEnvironment environment)
    {
        var files = new Argument<string[]>("files") { Description = "Survey responses (or sends) as CSV or NDJSON", Arity = ArgumentArity.OneOrMore };
        var kind = new Option<string>("--kind") { Description = "What the files hold: responses or sends", DefaultValueFactory = _ => "responses" };
        kind.AcceptOnlyFromAmong("responses", "sends");
        var instrument = new Option<string?>("--instrument") { Description = "Instrument every row answers (else an 'instrument' column names it per row)" };
        var zone = new Option<string>("--time-zone") { Description = "IANA zone for date-times written without an offset (default UTC)", DefaultValueFactory = _ => "UTC" };
        var skip = new Option<bool>("--skip-bad-rows") { Description = "Import the good rows and write the bad ones to a rejects file; by default one bad row imports nothing" };
        var rejects = new Option<string?>("--rejects") { Description = "Rejects file (default: <file>.rejects<ext>, reasons in <rejects>.reasons.txt)" };
        var format = CommonOptions.Format("table", "json");
        var command = new Command("import", "Import survey responses or sends; re-importing the same data changes nothing")
        {
            files, kind, instrument, zone, skip, rejects, format,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var timeZone = ReportCommand.ZoneOf(parseResult.GetValue(zone)!);
            var paths = parseResult.GetValue(files)!;
            if (paths.Length > 1 && parseResult.GetValue(rejects) is not null)
            {
                throw new CliException("--rejects names one file; give one input file with it", ExitCodes.Usage);
            }

            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var catalog = await SurveyCatalog.LoadAsync(store, cancellationToken);
            SurveyInstrument? chosen = null;
            if (parseResult.GetValue(instrument) is { } id && !catalog.TryGetValue(id, out chosen))
            {
                throw new CliException($"--instrument: no instrument '{id}' (see 'utendaji survey instruments')", ExitCodes.Usage);
            }

            var context = await EngineConfiguration.LoadAsync(store, environment.Clock.GetCurrentInstant(), cancellationToken);
            var pipeline = new ImportPipeline(store, context);
            var json = parseResult.GetValue(format) == "json";
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
                    Kind = parseResult.GetValue(kind) == "sends" ? ImportFileKind.SurveySends : ImportFileKind.SurveyResponses,
                    TimeZone = timeZone,
                    SkipBadRows = parseResult.GetValue(skip),
                    RejectsPath = parseResult.GetValue(rejects) is { } r ? environment.Resolve(r) : ImportCommand.DefaultRejectsPath(path),
                    Instrument = chosen,
                    Instruments = catalog.GetValueOrDefault,
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

            await ImportCommand.WriteOutcomesAsync(environment, outcomes, json);
            return outcomes.TrueForAll(o => o.Committed) ? ExitCodes.Ok : ExitCodes.DataError;
        });
        return command;
    }

    private static Command Texts(CliEnvironment environment)
    {
        var needsReview = new Option<bool>("--needs-review") { Description = "List only the texts not yet confirmed by a native speaker" };
        var language = new Option<string?>("--language") { Description = "Only this language (en, sw, tl, fi, gu, ur)" };
        var format = CommonOptions.Format("table", "json");
        var command = new Command("texts", "The built-in instruments' texts per language, and which still need a native speaker's review") { needsReview, language, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var only = parseResult.GetValue(language);
            var reviews = SurveyTexts.NeedsReview().Where(r => only is null || r.Language == only).ToList();
            if (parseResult.GetValue(format) == "json")
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(
                    reviews.Select(r => new { instrument = r.InstrumentId, language = r.Language, key = r.Key, file = r.File, untranslated = r.Untranslated }),
                    CliJson.Options));
                return ExitCodes.Ok;
            }

            if (!parseResult.GetValue(needsReview))
            {
                foreach (var group in reviews.GroupBy(r => (r.Language, r.File)).OrderBy(g => g.Key.File, StringComparer.Ordinal))
                {
                    await environment.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{group.Key.File,-24} {group.Key.Language}  {group.Count(),4} text(s) need review"));
                }

                await environment.Out.WriteLineAsync($"{reviews.Count} text(s) await a native speaker's review; list them with --needs-review. Languages: {string.Join(", ", SurveyLanguages.All.Select(l => $"{l.Code} ({l.NativeName})"))}");
                return ExitCodes.Ok;
            }

            foreach (var review in reviews)
            {
                await environment.Out.WriteLineAsync($"{review.File}\t{review.InstrumentId}\t{review.Language}\t{review.Key}{(review.Untranslated ? "\t(untranslated)" : "")}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
