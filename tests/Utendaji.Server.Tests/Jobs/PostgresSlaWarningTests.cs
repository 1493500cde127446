using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.JobsHarness;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Three nodes sharing one PostgreSQL queue: every due warning is delivered exactly once, even when a node dies.</summary>
public sealed class PostgresSlaWarningTests : IAsyncLifetime
{
    private JobsHarness _harness = null!;
    private PostgresJobDatabase? _database;

    public async Task InitializeAsync()
    {
        _harness = await JobsHarness.StartAsync();
        _database = await PostgresJobDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task ThreeNodes_ScanAndWorkConcurrentlyOneDiesMidJob_EachWarningDeliveredExactlyOnce()
    {
        const int Tickets = 24;
        await _harness.SeedAsync(Enumerable.Range(0, Tickets)
            .Select(i => Ticket($"T-{i}", i % 2 == 0 ? TicketStatus.Open : TicketStatus.New, Due(SlaMetric.FirstReply, 1 + i)))
            .ToArray());
        var nodes = Enumerable.Range(0, 3).Select(_ => _harness.NodeOver(new PostgresJobQueue(_database!.DataSource(), _harness.Clock))).ToList();

        // Every node scans at once, twice.
        await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            await node.ScanService.ScanAllAsync();
            await node.ScanService.ScanAllAsync();
        })));
        Assert.Equal(Tickets, (await nodes[0].Queue.CountAsync()).Queued);

        // Node 0 claims a job and dies before delivering it.
        var orphan = await nodes[0].Queue.ClaimAsync("node-0-dies");
        Assert.NotNull(orphan);

        // The two survivors work in parallel until nothing is due.
        await Task.WhenAll(nodes.Skip(1).Select(node => Task.Run(node.DrainAsync)));
        Assert.Equal(Tickets - 1, _harness.Receiver.Received.Count);
        Assert.Equal(new JobCounts(Due: 0, Queued: 0, Running: 1, Dead: 0), await nodes[1].Queue.CountAsync());

        // The orphan's lease expires; a survivor delivers it.
        _harness.Clock.Advance(JobQueueOptions.Default.LeaseDuration);
        await Task.WhenAll(nodes.Skip(1).Select(node => Task.Run(node.DrainAsync)));

        var keys = _harness.Receiver.Received.Select(r => r.Headers["Idempotency-Key"]).ToList();
        Assert.Equal(Tickets, keys.Count);
        Assert.Equal(Tickets, keys.Distinct().Count());
        Assert.Contains(orphan.DedupeKey, keys);
        Assert.Equal(new JobCounts(0, 0, 0, 0), await nodes[2].Queue.CountAsync());
    }
}
