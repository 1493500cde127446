using System.Text.Json;
using Utendaji.Core.Tickets;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.SurveySendHarness;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Two nodes sharing one PostgreSQL queue: each due survey is stored and posted exactly once, even when a node dies.</summary>
public sealed class PostgresSurveySendTests : IAsyncLifetime
{
    private SurveySendHarness _harness = null!;
    private PostgresJobDatabase? _database;

    public async Task InitializeAsync()
    {
        _harness = await SurveySendHarness.StartAsync();
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
    public async Task TwoNodes_ScanAndWorkConcurrentlyOneDiesMidJob_EachSurveySentOnce()
    {
        const int Tickets = 20;
        await _harness.SeedAsync([.. Enumerable.Range(0, Tickets).Select(i => Ticket($"T-{i}", i % 3 == 0 ? TicketStatus.Closed : TicketStatus.Solved, 61 + i))]);
        var nodes = Enumerable.Range(0, 2).Select(_ => _harness.NodeOver(new PostgresJobQueue(_database!.DataSource(), _harness.Clock))).ToList();

        // Both nodes scan at once, twice.
        await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            await node.ScanService.ScanAllAsync();
            await node.ScanService.ScanAllAsync();
        })));
        Assert.Equal(Tickets, (await nodes[0].Queue.CountAsync()).Queued);

        // A node claims a job and dies before doing it.
        var orphan = await nodes[0].Queue.ClaimAsync("node-dies");
        Assert.NotNull(orphan);

        await Task.WhenAll(nodes.Select(node => Task.Run(node.DrainAsync)));
        Assert.Equal(Tickets - 1, _harness.Receiver.Received.Count);

        // The orphan's lease expires; a node does it. Scans meanwhile enqueue nothing new.
        _harness.Clock.Advance(JobQueueOptions.Default.LeaseDuration);
        await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            await node.ScanService.ScanAllAsync();
            await node.DrainAsync();
        })));

        var keys = _harness.Receiver.Received.Select(r => r.Headers["Idempotency-Key"]).ToList();
        Assert.Equal(Tickets, keys.Count);
        Assert.Equal(Tickets, keys.Distinct().Count());
        Assert.Contains(orphan.DedupeKey, keys);
        var sendIds = _harness.Receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("send_id").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, Tickets).Select(i => $"solve:T-{i}").ToHashSet(StringComparer.Ordinal), sendIds);
        Assert.Equal(Tickets, (await _harness.SendsAsync()).Count);
        Assert.Equal(new JobCounts(0, 0, 0, 0), await nodes[1].Queue.CountAsync());
    }
}
