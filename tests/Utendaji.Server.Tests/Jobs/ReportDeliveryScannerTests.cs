using System.Text.Json;
using NodaTime;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.ReportsHarness;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Repeated scans and several scanners enqueue one delivery per schedule and period.</summary>
public sealed class ReportDeliveryScannerTests : IAsyncLifetime
{
    private ReportsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReportsHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Scan_RepeatedOnTwoNodes_EnqueuesOneJob()
    {
        var options = Options(_harness.WebhookSchedule());
        var first = await _harness.NodeAsync(options);
        var second = await _harness.NodeAsync(options);

        var results = new List<ReportScanResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await first.Scanner.ScanAsync(Organisation));
            results.Add(await second.Scanner.ScanAsync(Organisation));
            _harness.Clock.Advance(Duration.FromMinutes(5));
        }

        Assert.Equal(1, results.Sum(r => r.Enqueued));
        Assert.All(results, r => Assert.Equal(1, r.Due));
        var job = await first.Queue.FindAsync(Organisation, ReportDelivery.Kind, "weekly-hook:2026-11-16");
        Assert.NotNull(job);
        using var payload = JsonDocument.Parse(job.Payload);
        Assert.Equal("weekly", payload.RootElement.GetProperty("cadence").GetString());
        Assert.Equal("Europe/Helsinki", payload.RootElement.GetProperty("time_zone").GetString());
        Assert.Equal("2026-11-16", payload.RootElement.GetProperty("period_start").GetString());
        Assert.DoesNotContain(Secret, job.Payload, StringComparison.Ordinal);
        Assert.Equal(1, (await first.Queue.CountAsync()).Queued);
    }

    [Fact]
    public async Task Scan_ConcurrentScannersOverOneFile_EnqueueOnce()
    {
        var options = Options(_harness.WebhookSchedule(), _harness.EmailSchedule());
        var nodes = new[] { await _harness.NodeAsync(options), await _harness.NodeAsync(options), await _harness.NodeAsync(options) };

        var results = await Task.WhenAll(nodes.SelectMany(n => Enumerable.Range(0, 4).Select(_ => n.Scanner.ScanAsync(Organisation))));

        Assert.Equal(2, results.Sum(r => r.Enqueued));
        Assert.Equal(2, (await nodes[0].Queue.CountAsync()).Queued);
    }

    [Fact]
    public async Task Scan_AcrossSendTime_EnqueuesEachPeriodOnce()
    {
        var options = Options(_harness.WebhookSchedule());
        var node = await _harness.NodeAsync(options);

        // Sunday 29 November 22:00 UTC is Monday 00:00 in Helsinki: W48 has ended but is not due before 08:00.
        _harness.Clock.Advance(Instant.FromUtc(2026, 11, 29, 22, 0) - T0);
        Assert.Equal(1, (await node.Scanner.ScanAsync(Organisation)).Enqueued); // W47, not sent before in this test
        Assert.Equal(0, (await node.Scanner.ScanAsync(Organisation)).Enqueued);
        _harness.Clock.Advance(Duration.FromHours(8));
        Assert.Equal(1, (await node.Scanner.ScanAsync(Organisation)).Enqueued);

        Assert.NotNull(await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, "weekly-hook:2026-11-16"));
        Assert.NotNull(await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, "weekly-hook:2026-11-23"));
    }

    [Fact]
    public async Task Scan_NoNodeUpAtSendTime_DeliveredWhenANodeScansLater()
    {
        var options = Options(_harness.WebhookSchedule());
        await _harness.SeedAsync(TwoWeeks("tier-2"));
        // Nobody scanned on Monday; the first node starts on Thursday afternoon.
        _harness.Clock.Advance(Duration.FromDays(3) + Duration.FromHours(7));
        var node = await _harness.NodeAsync(options);

        await node.ScanService.ScanAllAsync();
        Assert.Equal(1, await node.DrainAsync());

        var received = Assert.Single(_harness.Receiver.Received);
        Assert.Equal("weekly-hook:2026-11-16", received.Headers["Idempotency-Key"]);
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, "weekly-hook:2026-11-16"))!.State);

        // Scanning again after delivery enqueues nothing: the done job keeps its key.
        await node.ScanService.ScanAllAsync();
        Assert.Equal(0, await node.DrainAsync());
        Assert.Single(_harness.Receiver.Received);
    }

    [Fact]
    public async Task Scan_OrganisationWithoutSchedules_EnqueuesNothing()
    {
        var node = await _harness.NodeAsync(Options(_harness.WebhookSchedule()));

        Assert.Equal(new ReportScanResult(0, 0), await node.Scanner.ScanAsync("globex"));
        Assert.Equal(0, (await node.Queue.CountAsync()).Queued);
    }
}
