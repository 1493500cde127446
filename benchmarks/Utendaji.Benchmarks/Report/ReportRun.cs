using System.Diagnostics;
using System.Globalization;
using System.Text;
using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Storage;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Benchmarks.Report;

/// <summary>
/// The KPI report over a large store (team × channel × ISO week, UTC): how long each part of the two read paths
/// takes, and whether both give the same report. See docs/performance.md.
/// </summary>
internal static class ReportRun
{
    public static KpiReportOptions Options { get; } = KpiReportOptions.Default with
    {
        GroupBy = [GroupDimension.Team, GroupDimension.Channel],
        Period = PeriodGranularity.Week,
    };

    /// <param name="db">The store.</param>
    /// <param name="steps">Any of: batches (read of the report_blocks copy only), columnar (batches + accumulator: what
    /// <c>utendaji report</c> does), accumulate (the accumulator alone over 2M tickets held in memory), rowbatches (the same batches from the ticket_facts rows), facts (ReadFactsAsync only), builder (ReadFactsAsync + KpiReportBuilder); default all.</param>
    public static async Task RunAsync(string db, string[] steps)
    {
        if (steps.Length == 0)
        {
            steps = ["batches", "columnar", "facts", "builder"];
        }

        await using var store = await SqliteStore.OpenAsync(db);
        KpiReport? columnar = null, builder = null;
        foreach (var step in steps)
        {
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            long rows = 0;
            switch (step)
            {
                case "batches":
                    await foreach (var batch in store.ReadFactBatchesAsync(FactsQuery.All))
                    {
                        rows += batch.Count;
                    }

                    break;
                case "columnar":
                    var accumulator = new KpiReportAccumulator(Options);
                    var adding = new Stopwatch();
                    await foreach (var batch in store.ReadFactBatchesAsync(FactsQuery.All))
                    {
                        adding.Start();
                        accumulator.Add(batch.ReportColumns(), batch.Labels);
                        adding.Stop();
                        rows += batch.Count;
                    }

                    var built = Stopwatch.StartNew();
                    columnar = accumulator.Build();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"report step=columnar add_seconds={adding.Elapsed.TotalSeconds:0.00} read_and_add_seconds={clock.Elapsed.TotalSeconds - built.Elapsed.TotalSeconds:0.00} build_seconds={built.Elapsed.TotalSeconds:0.00}"));
                    break;
                case "accumulate":
                    // KpiReportAccumulator.Add alone: the first 2M tickets' columns held in memory, added three times.
                    var held = new List<(HeldColumns Columns, IReadOnlyList<string?> Labels)>();
                    await foreach (var batch in store.ReadFactBatchesAsync(FactsQuery.All))
                    {
                        held.Add((HeldColumns.Of(batch.ReportColumns()), batch.Labels.ToArray()));
                        if ((rows += batch.Count) >= 2_000_000)
                        {
                            break;
                        }
                    }

                    for (var round = 0; round < 3; round++)
                    {
                        var alone = new KpiReportAccumulator(Options);
                        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                        var (gen0, gen1, gen2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
                        var timing = Stopwatch.StartNew();
                        foreach (var (columns, labels) in held)
                        {
                            alone.Add(columns.Columns(), labels);
                        }

                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"report step=accumulate round={round} rows={rows} add_seconds={timing.Elapsed.TotalSeconds:0.000} ns_per_ticket={timing.Elapsed.TotalNanoseconds / rows:0.0} cpu_ns_per_ticket={(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / rows:0.0} gcs={GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} gc_pause_ms={(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0}"));
                        GC.KeepAlive(alone);
                    }

                    break;
                case "scan":
                    // SQLite alone: step through report_blocks and touch each block's BLOB, no decoding (the floor of "batches").
                    using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False"))
                    {
                        connection.Open();
                        using var scan = new RawStatement(connection, "SELECT tickets, data FROM report_blocks ORDER BY org, first_created, first_ticket");
                        long bytes = 0;
                        while (scan.Step())
                        {
                            bytes += scan.Utf8(1).Length;
                            rows += scan.Int64(0);
                        }

                        GC.KeepAlive(bytes);
                    }

                    break;
                case "rowbatches":
                    await foreach (var batch in store.ReadFactBatchesFromRowsAsync(FactsQuery.All))
                    {
                        rows += batch.Count;
                    }

                    break;
                case "facts":
                    await foreach (var facts in store.ReadFactsAsync(FactsQuery.All))
                    {
                        rows++;
                    }

                    break;
                case "builder":
                    builder = KpiReportBuilder.Build(Counted(store.ReadFactsAsync(FactsQuery.All).ToBlockingEnumerable(), () => rows++), Options);
                    break;
                default:
                    throw new ArgumentException($"unknown step {step}", nameof(steps));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"report step={step} rows={rows} seconds={clock.Elapsed.TotalSeconds:0.00} cpu_seconds={(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} rows_per_s={rows / clock.Elapsed.TotalSeconds:0} peak_working_set_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}"));
        }

        if (columnar is not null && builder is not null)
        {
            Compare(builder, columnar);
        }
    }

    /// <summary>A copy of a batch's report columns, so <c>accumulate</c> can add the same blocks again without reading.</summary>
    private sealed record HeldColumns(long[] Created, long[] Solved, long[] FirstSolved, long[] Due, int[] Team, int[] Channel,
        double[] Frb, double[] Frc, double[] Rb, double[] Rc, int[] Reopens, bool?[] Fcr, byte[] Rating, int[][] Sla, KpiDueOutcomes[] OtherDues)
    {
        public static HeldColumns Of(KpiFactColumns c) => new(
            c.CreatedAt.ToArray(), c.SolvedAt.ToArray(), c.FirstSolvedAt.ToArray(), c.ResolutionSlaDue.ToArray(), c.Team.ToArray(), c.Channel.ToArray(),
            c.FirstReplyBusiness.ToArray(), c.FirstReplyCalendar.ToArray(), c.FullResolutionBusiness.ToArray(), c.FullResolutionCalendar.ToArray(),
            c.Reopens.ToArray(), c.FirstContactResolved.ToArray(), c.Satisfaction.ToArray(),
            [c.SlaFirstReplyMet.ToArray(), c.SlaFirstReplyBreached.ToArray(), c.SlaNextReplyMet.ToArray(), c.SlaNextReplyBreached.ToArray(), c.SlaResolutionMet.ToArray(), c.SlaResolutionBreached.ToArray()],
            c.ResolutionSlaOtherDues.ToArray());

        public KpiFactColumns Columns() => new()
        {
            CreatedAt = Created,
            SolvedAt = Solved,
            FirstSolvedAt = FirstSolved,
            ResolutionSlaDue = Due,
            Team = Team,
            Channel = Channel,
            FirstReplyBusiness = Frb,
            FirstReplyCalendar = Frc,
            FullResolutionBusiness = Rb,
            FullResolutionCalendar = Rc,
            Reopens = Reopens,
            FirstContactResolved = Fcr,
            Satisfaction = Rating,
            SlaFirstReplyMet = Sla[0],
            SlaFirstReplyBreached = Sla[1],
            SlaNextReplyMet = Sla[2],
            SlaNextReplyBreached = Sla[3],
            SlaResolutionMet = Sla[4],
            SlaResolutionBreached = Sla[5],
            ResolutionSlaOtherDues = OtherDues,
        };
    }

    private static IEnumerable<T> Counted<T>(IEnumerable<T> items, Action count)
    {
        foreach (var item in items)
        {
            count();
            yield return item;
        }
    }

    /// <summary>Prints how many report rows differ, per figure, between the facts builder and the columnar path.</summary>
    private static void Compare(KpiReport expected, KpiReport actual)
    {
        var differences = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var rows = expected.Rows.Concat(expected.ByGroup).Concat(expected.ByPeriod).Append(expected.Overall).ToList();
        var others = actual.Rows.Concat(actual.ByGroup).Concat(actual.ByPeriod).Append(actual.Overall)
            .GroupBy(r => (r.Group, r.Period.Label)).ToDictionary(g => g.Key, g => g.First());
        foreach (var row in rows)
        {
            if (!others.TryGetValue((row.Group, row.Period.Label), out var other))
            {
                Count("missing_row", false);
                continue;
            }

            var (e, a) = (row.Figures, other.Figures);
            Count("period_bounds", row.Period == other.Period);
            Count("created", e.Created == a.Created);
            Count("solved", e.Solved == a.Solved);
            Count("backlog", e.BacklogAtEnd == a.BacklogAtEnd);
            Count("first_reply", e.FirstReply == a.FirstReply);
            Count("full_resolution", e.FullResolution == a.FullResolution);
            Count("sla_first_reply", e.SlaFirstReply == a.SlaFirstReply);
            Count("sla_next_reply", e.SlaNextReply == a.SlaNextReply);
            Count("sla_resolution", e.SlaResolution == a.SlaResolution);
            Count("fcr", e.FirstContactResolution == a.FirstContactResolution);
            Count("reopened", e.Reopened == a.Reopened);
            Count("csat", e.Satisfied == a.Satisfied);
        }

        Console.WriteLine($"compare: {rows.Count} rows (columnar: {others.Count}); differing rows per figure: " +
            string.Join(", ", differences.Select(d => $"{d.Key}={d.Value}")));

        void Count(string figure, bool same) => differences[figure] = differences.GetValueOrDefault(figure) + (same ? 0 : 1);
    }

    /// <summary>Writes the report columns of every stored ticket as CSV for DuckDB (times as Unix microseconds, durations in seconds).</summary>
    public static async Task ExportAsync(string db, string csv)
    {
        await using var store = await SqliteStore.OpenAsync(db);
        await using var writer = new StreamWriter(csv, append: false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        await writer.WriteLineAsync("team,channel,created_us,solved_us,frb,frc,rb,rc,reopens,fcr,satisfaction,sla_fr_met,sla_fr_breached,sla_nr_met,sla_nr_breached,sla_res_met,sla_res_breached");
        await foreach (var b in store.ReadFactBatchesAsync(FactsQuery.All))
        {
            WriteBatch(writer, b);
        }
    }

    private static void WriteBatch(StreamWriter writer, FactsBatch b)
    {
        var line = new StringBuilder(256);
        var frb = b.Seconds(FactsDuration.FirstReplyBusiness);
        var frc = b.Seconds(FactsDuration.FirstReplyCalendar);
        var rb = b.Seconds(FactsDuration.FullResolutionBusiness);
        var rc = b.Seconds(FactsDuration.FullResolutionCalendar);
        for (var i = 0; i < b.Count; i++)
        {
            line.Clear();
            line.Append(b.Labels[b.Team[i]]).Append(',').Append(b.Labels[b.Channel[i]]).Append(',')
                .Append(b.CreatedAt[i] / 10).Append(',');
            if (b.SolvedAt[i] != FactsBatch.NoInstant)
            {
                line.Append(b.SolvedAt[i] / 10);
            }

            line.Append(',');
            Number(line, frb[i]);
            Number(line, frc[i]);
            Number(line, rb[i]);
            Number(line, rc[i]);
            line.Append(b.Reopens[i]).Append(',');
            line.Append(b.FirstContactResolved[i] is { } f ? (f ? "1" : "0") : "").Append(',');
            line.Append(b.Satisfaction[i] == 0 ? "" : b.Satisfaction[i].ToString(CultureInfo.InvariantCulture));
            foreach (var metric in (ReadOnlySpan<Core.Metrics.SlaMetric>)[Core.Metrics.SlaMetric.FirstReply, Core.Metrics.SlaMetric.NextReply, Core.Metrics.SlaMetric.Resolution])
            {
                line.Append(',').Append(b.SlaCount(metric, met: true)[i]).Append(',').Append(b.SlaCount(metric, met: false)[i]);
            }

            writer.WriteLine(line);
        }
    }

    private static void Number(StringBuilder line, double v)
    {
        if (!double.IsNaN(v))
        {
            line.Append(v.ToString("R", CultureInfo.InvariantCulture));
        }

        line.Append(',');
    }
}
