using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Storage;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Benchmarks.Storage;

/// <summary>
/// The store's raw bulk-insert rate: one million events, or one million tickets' facts, in one import
/// transaction including the commit, into a fresh database file. The figure the end-to-end import is compared
/// with. Rows/s = 1 / (reported time per operation), since each operation is one row.
/// </summary>
/// <remarks>Each operation takes seconds: monitoring strategy, one warm-up, three measured runs.</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class StoreBulkInsertBenchmarks
{
    private const int Rows = 1_000_000;
    private const int BatchSize = 10_000;

    private List<TicketEvent> _events = [];
    private List<TicketFacts> _facts = [];
    private string _directory = "";
    private SqliteStore? _store;

    [GlobalSetup(Target = nameof(AddEvents))]
    public void SetupEvents() => _events = StorageBenchmarkData.Events(Rows);

    [GlobalSetup(Target = nameof(PutFacts))]
    public void SetupFacts() => _facts = StorageBenchmarkData.Facts(Rows);

    [IterationSetup]
    public void OpenFreshStore()
    {
        _directory = Path.Combine(Path.GetTempPath(), "utendaji-bench-" + Guid.NewGuid().ToString("N"));
        _store = SqliteStore.OpenAsync(Path.Combine(_directory, "bench.db")).GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void DeleteStore()
    {
        _store!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public async Task AddEvents()
    {
        await using var import = await _store!.BeginImportAsync();
        for (var i = 0; i < Rows; i += BatchSize)
        {
            await import.AddEventsAsync(_events.GetRange(i, BatchSize));
        }

        await import.CommitAsync();
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public async Task PutFacts()
    {
        await using var import = await _store!.BeginImportAsync();
        for (var i = 0; i < Rows; i += BatchSize)
        {
            await import.PutFactsAsync(_facts.GetRange(i, BatchSize));
        }

        await import.CommitAsync();
    }
}
