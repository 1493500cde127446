using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Utendaji.Benchmarks.Import;
using Utendaji.Benchmarks.Report;
using Utendaji.Cli;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Importing;
using Utendaji.Storage;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Benchmarks;

/// <summary>
/// Timed console modes for the end-to-end benchmarks (minutes long, so not BenchmarkDotNet). Each prints one
/// result line; scripts in benchmarks/Utendaji.Benchmarks/Import/run-import.sh drive them.
/// </summary>
internal static class ConsoleRuns
{
    private const int Batch = 4096;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 && long.TryParse(args[1], CultureInfo.InvariantCulture, out var n) ? n : 0;
        switch (args[0])
        {
            case "gen-summary":
                TicketGenerator.WriteCsv(new TicketGenerator().Summaries(count), args[2]);
                return 0;
            case "gen-events":
                WriteEvents(count, args[2]);
                return 0;
            case "raw-summary":
                await RawSummaryAsync(count, args[2]);
                return 0;
            case "raw-events":
                await RawEventsAsync(count, args[2]);
                return 0;
            case "report":
                await ReportRun.RunAsync(args[1], args.Skip(2).ToArray());
                return 0;
            case "export-facts":
                await ReportRun.ExportAsync(args[1], args[2]);
                return 0;
            case "sqlite-info":
                SqliteInfo();
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown mode {args[0]}");
                return 2;
        }
    }

    /// <summary>Where SQLite keeps temporary tables (the import's changed-ticket set lives in one): TEMP_STORE=2 means memory.</summary>
    private static void SqliteInfo()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version(), (SELECT group_concat(compile_options, ' ') FROM pragma_compile_options WHERE compile_options LIKE 'TEMP_STORE%'), (SELECT temp_store FROM pragma_temp_store)";
        using var reader = command.ExecuteReader();
        reader.Read();
        Console.WriteLine($"sqlite {reader.GetString(0)} compile: {reader.GetValue(1)} pragma temp_store: {reader.GetValue(2)}");
    }

    private static void WriteEvents(long count, string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new EventNdjsonWriter(stream);
        // Spread as if about count / 4 tickets: the same density of tickets per day as the summary files.
        foreach (var e in new TicketGenerator().Events(count, Math.Max(1, count / 4)))
        {
            writer.Write(e);
        }
    }

    /// <summary>
    /// The store's raw bulk-insert rate for the rows of the summary file: the same summary rows and the same derived
    /// facts written through AddSummariesAsync and PutFactsAsync in one transaction, nothing parsed. Generating and
    /// deriving happen outside the timed region; only store calls and the commit are timed.
    /// </summary>
    private static async Task RawSummaryAsync(long count, string db)
    {
        await using var store = await SqliteStore.OpenAsync(db);
        var context = await EngineConfiguration.LoadAsync(store, NodaTime.SystemClock.Instance.GetCurrentInstant(), CancellationToken.None);
        var timed = new Stopwatch();
        var wall = Stopwatch.StartNew();
        await using (var transaction = await store.BeginImportAsync())
        {
            var rows = new List<TicketSummary>(Batch);
            var facts = new List<TicketFacts>(Batch);
            foreach (var row in new TicketGenerator().Summaries(count))
            {
                rows.Add(row);
                if (rows.Count == Batch)
                {
                    await FlushAsync();
                }
            }

            await FlushAsync();
            timed.Start();
            await transaction.CommitAsync();
            timed.Stop();

            async Task FlushAsync()
            {
                facts.Clear();
                foreach (var row in rows)
                {
                    facts.Add(TicketMetricsEngine.FromSummary(row, context));
                }

                timed.Start();
                await transaction.AddSummariesAsync(rows);
                await transaction.PutFactsAsync(facts);
                timed.Stop();
                rows.Clear();
            }
        }

        Report("raw-summary", count, timed, wall);
    }

    /// <summary>As <see cref="RawSummaryAsync"/> for events: AddEventsAsync of the events and PutFactsAsync of their tickets' facts.</summary>
    private static async Task RawEventsAsync(long count, string db)
    {
        await using var store = await SqliteStore.OpenAsync(db);
        var context = await EngineConfiguration.LoadAsync(store, NodaTime.SystemClock.Instance.GetCurrentInstant(), CancellationToken.None);
        var timed = new Stopwatch();
        var wall = Stopwatch.StartNew();
        await using (var transaction = await store.BeginImportAsync())
        {
            var events = new List<TicketEvent>(Batch);
            var facts = new List<TicketFacts>(Batch);
            var ticket = new List<TicketEvent>();
            foreach (var e in new TicketGenerator().Events(count, Math.Max(1, count / 4)))
            {
                if (ticket.Count > 0 && ticket[0].TicketId != e.TicketId)
                {
                    facts.Add(TicketMetricsEngine.Compute(ticket[0].TicketId, ticket.ToArray(), context));
                    ticket.Clear();
                }

                ticket.Add(e);
                events.Add(e);
                if (events.Count >= Batch)
                {
                    await FlushAsync();
                }
            }

            facts.Add(TicketMetricsEngine.Compute(ticket[0].TicketId, ticket.ToArray(), context));
            await FlushAsync();
            timed.Start();
            await transaction.CommitAsync();
            timed.Stop();

            async Task FlushAsync()
            {
                timed.Start();
                await transaction.AddEventsAsync(events);
                if (facts.Count > 0)
                {
                    await transaction.PutFactsAsync(facts);
                }

                timed.Stop();
                events.Clear();
                facts.Clear();
            }
        }

        Report("raw-events", count, timed, wall);
    }

    private static void Report(string mode, long count, Stopwatch timed, Stopwatch wall) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode} rows={count} store_s={timed.Elapsed.TotalSeconds:0.00} store_rows_per_s={count / timed.Elapsed.TotalSeconds:0} wall_s={wall.Elapsed.TotalSeconds:0.00} peak_working_set_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}"));
}
