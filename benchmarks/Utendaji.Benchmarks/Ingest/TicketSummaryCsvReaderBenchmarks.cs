using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Utendaji.Ingest.Csv;
using Utendaji.Ingest.Summary;

namespace Utendaji.Benchmarks.Ingest;

/// <summary>
/// Throughput of reading a generated ticket summary CSV end to end (tokenize, validate UTF-8, parse dates and numbers,
/// build <c>TicketSummary</c> rows, check duplicate ids), against the bare tokenizer as the baseline. The DuckDB figure
/// for the same file comes from benchmarks/duckdb/read_csv.mjs; see docs/performance.md.
/// Rows: environment variable UTENDAJI_BENCH_ROWS (default 1,000,000); file cached in UTENDAJI_BENCH_DIR (default
/// the temp directory). Few, long iterations: one read of a large file is the measurement.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class TicketSummaryCsvReaderBenchmarks
{
    private string _path = "";

    /// <summary>Rows in the generated file.</summary>
    public static long Rows =>
        long.TryParse(Environment.GetEnvironmentVariable("UTENDAJI_BENCH_ROWS"), NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : 1_000_000;

    [GlobalSetup]
    public void Setup()
    {
        var directory = Environment.GetEnvironmentVariable("UTENDAJI_BENCH_DIR") ?? Path.Combine(Path.GetTempPath(), "utendaji-bench");
        _path = TicketSummaryCsvFile.Ensure(directory, Rows);
        Console.WriteLine($"// file {_path}: {new FileInfo(_path).Length:N0} bytes, {Rows:N0} rows");
    }

    [Benchmark(Baseline = true, Description = "tokenizer only (fields, no values)")]
    public long Tokenize()
    {
        using var csv = new Utf8CsvReader(File.OpenRead(_path), 256 * 1024);
        long fields = 0;
        while (csv.Read())
        {
            fields += csv.FieldCount;
        }

        return fields;
    }

    [Benchmark(Description = "TicketSummaryCsvReader (typed rows, duplicate-id check)")]
    public long ReadSummaries()
    {
        long valid = 0;
        foreach (var row in TicketSummaryCsvReader.Read(File.OpenRead(_path), "tickets.csv"))
        {
            if (row.IsValid)
            {
                valid++;
            }
        }

        return valid == Rows ? valid : throw new InvalidOperationException($"only {valid} of {Rows} rows were valid");
    }

    [Benchmark(Description = "TicketSummaryCsvReader (typed rows, no duplicate-id check)")]
    public long ReadSummariesWithoutDuplicateCheck()
    {
        long valid = 0;
        var options = TicketSummaryCsvOptions.Default with { RejectDuplicateIds = false };
        foreach (var row in TicketSummaryCsvReader.Read(File.OpenRead(_path), "tickets.csv", options))
        {
            if (row.IsValid)
            {
                valid++;
            }
        }

        return valid;
    }
}
