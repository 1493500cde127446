using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Utendaji.Storage;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Benchmarks.Storage;

/// <summary>
/// Reading one million stored tickets' facts for a report: whole <c>TicketFacts</c> records (baseline) against
/// the columnar <see cref="FactsBatch"/> path. Each benchmark touches one figure per row so nothing is elided.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class StoreFactsReadBenchmarks
{
    private const int Rows = 1_000_000;

    private string _directory = "";
    private SqliteStore? _store;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "utendaji-bench-" + Guid.NewGuid().ToString("N"));
        _store = SqliteStore.OpenAsync(Path.Combine(_directory, "bench.db")).GetAwaiter().GetResult();
        var import = _store.BeginImportAsync().GetAwaiter().GetResult();
        import.PutFactsAsync(StorageBenchmarkData.Facts(Rows)).GetAwaiter().GetResult();
        import.CommitAsync().GetAwaiter().GetResult();
        import.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public async Task<double> ReadFacts()
    {
        var sum = 0d;
        await foreach (var facts in _store!.ReadFactsAsync(FactsQuery.All))
        {
            sum += facts.FirstReply?.Business.TotalSeconds ?? 0;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public async Task<double> ReadFactBatches()
    {
        var sum = 0d;
        await foreach (var batch in _store!.ReadFactBatchesAsync(FactsQuery.All))
        {
            foreach (var seconds in batch.Seconds(FactsDuration.FirstReplyBusiness))
            {
                sum += double.IsNaN(seconds) ? 0 : seconds;
            }
        }

        return sum;
    }
}
