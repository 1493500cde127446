using NodaTime;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.ReportsHarness;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Three nodes sharing one PostgreSQL queue: each scheduled summary is delivered exactly once, even when a node dies.</summary>
public sealed class ReportsPostgresTests : IAsyncLifetime
{
    private ReportsHarness _harness = null!;
    private PostgresJobDatabase? _database;

    public async Task InitializeAsync()
    {
        _harness = await ReportsHarness.StartAsync();
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
    public async Task ThreeNodes_ScanAndWorkConcurrentlyOneDiesMidJob_EachSummaryDeliveredOnce()
    {
        await _harness.SeedAsync(TwoWeeks("tier-2"));
        var options = Options(
            _harness.WebhookSchedule("hook-a"),
            _harness.WebhookSchedule("hook-b"),
            _harness.WebhookSchedule("hook-c"),
            _harness.EmailSchedule("mail"));
        var nodes = Enumerable.Range(0, 3).Select(_ => _harness.NodeOver(new PostgresJobQueue(_database!.DataSource(), _harness.Clock), options)).ToList();

        // Every node scans at once, three times.
        await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await node.ScanService.ScanAllAsync();
            }
        })));
        Assert.Equal(4, (await nodes[0].Queue.CountAsync()).Queued);

        // Node 0 claims a delivery and dies before doing it.
        var orphan = await nodes[0].Queue.ClaimAsync("node-0-dies");
        Assert.NotNull(orphan);

        await Task.WhenAll(nodes.Skip(1).Select(node => Task.Run(node.DrainAsync)));
        Assert.Equal(3, _harness.Receiver.Received.Count + _harness.Smtp.Messages.Count);

        // The orphan's lease expires; a survivor delivers it.
        _harness.Clock.Advance(JobQueueOptions.Default.LeaseDuration);
        await Task.WhenAll(nodes.Skip(1).Select(node => Task.Run(node.DrainAsync)));

        var keys = _harness.Receiver.Received.Select(r => r.Headers["Idempotency-Key"])
            .Concat(_harness.Smtp.Messages.Select(m => m.Header["X-Utendaji-Delivery"]))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["hook-a:2026-11-16", "hook-b:2026-11-16", "hook-c:2026-11-16", "mail:2026-11-16"], keys);
        Assert.Contains(orphan.DedupeKey, keys);
        Assert.Equal(new JobCounts(0, 0, 0, 0), await nodes[2].Queue.CountAsync());

        // Later scans on every node, before the next send time, enqueue nothing again.
        _harness.Clock.Advance(Duration.FromDays(2));
        await Task.WhenAll(nodes.Select(node => node.ScanService.ScanAllAsync()));
        Assert.Equal(new JobCounts(0, 0, 0, 0), await nodes[0].Queue.CountAsync());
    }
}
