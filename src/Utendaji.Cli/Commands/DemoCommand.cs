using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Utendaji.Cli.Demo;
using Utendaji.Core.Reporting;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Importing;
using Utendaji.Ingest.Surveys;
using Utendaji.Reports;
using Utendaji.Reports.Surveys;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary>
/// <c>utendaji demo</c>: generates a realistic organisation from a fixed seed, writes its files, imports them
/// through the same pipeline as <c>utendaji import</c>, prints the KPI summary and writes the HTML report.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same organisation", DefaultValueFactory = _ => DemoOptions.DefaultSeed };
        var tickets = new Option<int>("--tickets") { Description = "Approximate number of tickets", DefaultValueFactory = _ => DemoOptions.DefaultTicketCount };
        var days = new Option<int>("--days") { Description = "Days of history", DefaultValueFactory = _ => DemoOptions.DefaultDays };
        var output = new Option<string>("--out") { Description = "Folder for the generated files and report.html", DefaultValueFactory = _ => "utendaji-demo" };
        var command = new Command("demo", "Generate a demo organisation, import it, print its KPIs and write an HTML report")
        {
            seed, tickets, days, output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = DemoOptions.Default with
            {
                Seed = parseResult.GetValue(seed),
                TicketCount = parseResult.GetValue(tickets),
                Days = parseResult.GetValue(days),
            };
            options = options with { StartDate = DemoOptions.DefaultEndDate.PlusDays(-options.Days) };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message, ExitCodes.Usage);
            }

            var clock = Stopwatch.StartNew();
            var folder = environment.Resolve(parseResult.GetValue(output)!);
            Directory.CreateDirectory(folder);
            var organisation = DemoOrganisation.Generate(options);
            var eventsPath = Path.Combine(folder, "events.ndjson");
            await ProgressDisplay.RunAsync(environment.IsInteractive, "Generating tickets", report =>
            {
                WriteFiles(organisation, folder, eventsPath, report, cancellationToken);
                return Task.FromResult(0);
            });

            // The demo keeps its own store unless --db says otherwise, so it never mixes with real data.
            var databasePath = parseResult.GetValue(CommonOptions.Database) is { Length: > 0 } given
                ? environment.Resolve(given)
                : Path.Combine(Path.GetDirectoryName(environment.DefaultDatabasePath) ?? folder, "demo.db");
            await using var store = await StoreSession.OpenAsync(databasePath, cancellationToken);
            foreach (var document in organisation.CalendarDocuments)
            {
                EngineConfiguration.ParseCalendar(document.Json, document.FileName, _ => null);
                await store.PutConfigAsync(ConfigKind.Calendar, document.Name, document.Json, cancellationToken);
            }

            var policy = EngineConfiguration.ParseSlaPolicy(organisation.SlaPolicyDocument.Json, organisation.SlaPolicyDocument.FileName);
            await store.PutConfigAsync(ConfigKind.SlaPolicy, policy.Name, organisation.SlaPolicyDocument.Json, cancellationToken);

            // Running SLA clocks are measured at the end of the demo's history, not today, so the demo reads
            // the same whenever it runs.
            var context = await EngineConfiguration.LoadAsync(store, organisation.Period.End, cancellationToken);
            var pipeline = new ImportPipeline(store, context);
            var settings = new ImportSettings { Kind = ImportFileKind.Events, RejectsPath = Path.Combine(folder, "events.rejects.ndjson") };
            var outcome = await ProgressDisplay.RunAsync(environment.IsInteractive, "Importing events", report =>
                pipeline.RunAsync(eventsPath, eventsPath, settings, report, cancellationToken));
            if (!outcome.Committed)
            {
                throw new CliException($"the generated events did not import: {string.Join("; ", outcome.Issues.Take(3))}");
            }

            // Surveys follow the tickets: CSAT after solve, monthly NPS, a quarterly SERVQUAL wave.
            var surveys = DemoSurveys.Generate(organisation);
            var surveyFile = Path.Combine(folder, "survey-responses.ndjson");
            var sendFile = Path.Combine(folder, "survey-sends.ndjson");
            WriteSurveys(surveys, sendFile, surveyFile);
            var catalog = BuiltInInstruments.All.ToDictionary(i => i.Id, StringComparer.Ordinal);
            foreach (var (file, kind) in new[] { (sendFile, ImportFileKind.SurveySends), (surveyFile, ImportFileKind.SurveyResponses) })
            {
                var surveyOutcome = await pipeline.RunAsync(file, file, new ImportSettings { Kind = kind, RejectsPath = file + ".rejects", Instruments = catalog.GetValueOrDefault }, (_, _) => { }, cancellationToken);
                if (!surveyOutcome.Committed)
                {
                    throw new CliException($"the generated surveys did not import: {string.Join("; ", surveyOutcome.Issues.Take(3))}");
                }
            }

            var surveyReport = SurveyReportBuilder.Build(
                store.ReadSurveyResponsesAsync(SurveyResponseQuery.All, cancellationToken).ToBlockingEnumerable(cancellationToken),
                BuiltInInstruments.All, SurveyReportOptions.Default with { GroupBy = [SurveyGroupDimension.Team] },
                store.ReadSurveySendsAsync(SurveySendQuery.All, cancellationToken).ToBlockingEnumerable(cancellationToken), cancellationToken);
            var surveyReportPath = Path.Combine(folder, "survey-report.html");
            await using (var html = new FileStream(surveyReportPath, FileMode.Create, FileAccess.Write))
            {
                SurveyReportRenderer.Write(surveyReport, ReportFormat.Html, html, new SurveyHtmlOptions { Title = "Utendaji demo: customer feedback per team" });
            }

            var byTeam = KpiReportBuilder.Build(store.ReadFactsAsync(FactsQuery.All, cancellationToken).ToBlockingEnumerable(cancellationToken),
                KpiReportOptions.Default with { GroupBy = [GroupDimension.Team] }, cancellationToken);
            var weekly = KpiReportBuilder.Build(store.ReadFactsAsync(FactsQuery.All, cancellationToken).ToBlockingEnumerable(cancellationToken),
                KpiReportOptions.Default with { GroupBy = [GroupDimension.Team], Period = PeriodGranularity.Week }, cancellationToken);
            var reportPath = Path.Combine(folder, "report.html");
            await using (var html = new FileStream(reportPath, FileMode.Create, FileAccess.Write))
            {
                KpiReportRenderer.Write(weekly, ReportFormat.Html, html, HtmlReportOptions.Default with { Title = "Utendaji demo: KPIs per team and week" });
            }

            var o = environment.Out;
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Demo organisation (seed {options.Seed}): {organisation.Teams.Count} teams, {organisation.Agents.Count} agents, {organisation.Channels.Count} channels, {options.Days} days"));
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Imported {outcome.Added} events ({outcome.Unchanged} already stored) for {outcome.TicketsDerived} changed tickets into {store.Location}"));
            await o.WriteLineAsync();
            await o.FlushAsync(cancellationToken);
            KpiTableRenderer.Write(byTeam, o);
            await o.WriteLineAsync();
            var calendarFiles = string.Join(", ", organisation.CalendarDocuments.Select(d => d.FileName));
            await o.WriteLineAsync($"Files:  {folder}{Path.DirectorySeparatorChar} (events.ndjson; calendars {calendarFiles}; SLA policy {organisation.SlaPolicyDocument.FileName})");
            await o.WriteLineAsync($"Report: {reportPath}");
            await o.WriteLineAsync($"Survey report: {surveyReportPath}");
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Done in {clock.Elapsed.TotalSeconds:0.0} s. Next: utendaji report --db \"{databasePath}\" --by team,channel --period week"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteSurveys(DemoSurveys surveys, string sendFile, string responseFile)
    {
        using (var sends = new SurveyNdjsonWriter(new FileStream(sendFile, FileMode.Create, FileAccess.Write)))
        {
            foreach (var send in surveys.Sends)
            {
                sends.Write(send);
            }
        }

        using var responses = new SurveyNdjsonWriter(new FileStream(responseFile, FileMode.Create, FileAccess.Write));
        foreach (var response in surveys.Responses)
        {
            responses.Write(response);
        }
    }

    private static void WriteFiles(DemoOrganisation organisation, string folder, string eventsPath, Action<long, long> report, CancellationToken cancellationToken)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        foreach (var document in organisation.CalendarDocuments)
        {
            File.WriteAllText(Path.Combine(folder, document.FileName), document.Json, utf8);
        }

        File.WriteAllText(Path.Combine(folder, organisation.SlaPolicyDocument.FileName), organisation.SlaPolicyDocument.Json, utf8);
        using var stream = new FileStream(eventsPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new EventNdjsonWriter(stream);
        var expected = (long)organisation.Options.TicketCount * 9;
        foreach (var ticketEvent in organisation.Events)
        {
            writer.Write(ticketEvent);
            if (writer.Count % 50_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                report(writer.Count, expected);
            }
        }
    }
}
