using System.Globalization;
using System.Text.Json;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.JobsHarness;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Scanner, queue, worker and handler together, delivering to a real HTTP receiver.</summary>
public sealed class SlaWarningDeliveryTests : IAsyncLifetime
{
    private JobsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await JobsHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static string KeyA => SlaWarning.Key(Organisation, "A", SlaMetric.FirstReply, T0 + Duration.FromMinutes(10));

    [Fact]
    public async Task Deliver_DueWarning_SignedPostWithIdempotencyKeyAndNoCustomerText()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();
        _harness.Clock.Advance(Duration.FromSeconds(90));

        Assert.Equal(1, await node.DrainAsync());

        var received = Assert.Single(_harness.Receiver.Received);
        Assert.Equal(KeyA, received.Headers["Idempotency-Key"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        var timestamp = long.Parse(received.Headers["X-Utendaji-Timestamp"], CultureInfo.InvariantCulture);
        Assert.Equal((T0 + Duration.FromSeconds(90)).ToUnixTimeSeconds(), timestamp);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, received.Body, received.Headers["X-Utendaji-Signature"]));
        Assert.False(WebhookSignature.Verify("another-secret-0123456789", timestamp, received.Body, received.Headers["X-Utendaji-Signature"]));

        using var body = JsonDocument.Parse(received.Body);
        var root = body.RootElement;
        Assert.Equal("sla.breach_warning", root.GetProperty("type").GetString());
        Assert.Equal(KeyA, root.GetProperty("warning_id").GetString());
        Assert.Equal(Organisation, root.GetProperty("organisation").GetString());
        Assert.Equal("A", root.GetProperty("ticket_id").GetString());
        Assert.Equal("first_reply", root.GetProperty("metric").GetString());
        Assert.Equal("gold", root.GetProperty("policy").GetString());
        Assert.Equal("2026-11-23T09:10:00Z", root.GetProperty("due").GetString());
        Assert.Equal(8, root.GetProperty("minutes_left").GetInt64()); // 8.5 minutes left, floored
        Assert.Equal("tier-1", root.GetProperty("team").GetString());
        Assert.Equal("high", root.GetProperty("priority").GetString());
        Assert.Equal("2026-11-23T09:01:30Z", root.GetProperty("sent_at").GetString());
        Assert.DoesNotContain(CustomerText, System.Text.Encoding.UTF8.GetString(received.Body), StringComparison.Ordinal);
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, SlaWarning.Kind, KeyA))!.State);
    }

    [Fact]
    public async Task Deliver_ReceiverAnswers500_RetriedAfterBackoffWithSameIdempotencyKey()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();
        _harness.Receiver.ThenStatus(500);

        Assert.Equal(1, await node.DrainAsync());
        var failed = await node.Queue.FindAsync(Organisation, SlaWarning.Kind, KeyA);
        Assert.Equal(JobState.Queued, failed!.State);
        Assert.Equal("the webhook answered HTTP 500", failed.LastError);
        Assert.Equal(T0 + JobQueueOptions.Default.RetryDelay(1), failed.RunAt);
        Assert.Equal(0, await node.DrainAsync());

        _harness.Clock.Advance(JobQueueOptions.Default.RetryDelay(1));
        Assert.Equal(1, await node.DrainAsync());

        var attempts = _harness.Receiver.Received.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(KeyA, a.Headers["Idempotency-Key"]));
        Assert.All(attempts, a => Assert.True(WebhookSignature.Verify(
            Secret, long.Parse(a.Headers["X-Utendaji-Timestamp"], CultureInfo.InvariantCulture), a.Body, a.Headers["X-Utendaji-Signature"])));
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, SlaWarning.Kind, KeyA))!.State);
    }

    [Fact]
    public async Task Deliver_RepeatedScansOnTwoNodes_EachWarningPostedOnce()
    {
        await _harness.SeedAsync(
            Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)),
            Ticket("B", TicketStatus.New, Due(SlaMetric.NextReply, 12), Due(SlaMetric.Resolution, 29)));
        var first = await _harness.NodeAsync();
        var second = await _harness.NodeAsync();

        for (var minute = 0; minute < 5; minute++)
        {
            await first.ScanService.ScanAllAsync();
            await second.ScanService.ScanAllAsync();
            await first.DrainAsync();
            await second.DrainAsync();
            _harness.Clock.Advance(Duration.FromMinutes(1));
        }

        var keys = _harness.Receiver.Received.Select(r => r.Headers["Idempotency-Key"]).ToList();
        Assert.Equal(3, keys.Count);
        Assert.Equal(3, keys.Distinct().Count());
    }

    [Theory]
    [InlineData("replied")]
    [InlineData("solved")]
    [InlineData("due moved")]
    public async Task Deliver_TargetNoLongerRunningSinceTheScan_CompletedWithoutRequest(string change)
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();

        await _harness.SeedAsync(change switch
        {
            "replied" => Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10, SlaState.Met)),
            "solved" => Ticket("A", TicketStatus.Solved, Due(SlaMetric.FirstReply, 10)),
            _ => Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 40)),
        });
        Assert.Equal(1, await node.DrainAsync());

        Assert.Empty(_harness.Receiver.Received);
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, SlaWarning.Kind, KeyA))!.State);
    }

    [Fact]
    public async Task Deliver_ReceiverAnswers429WithRetryAfter_RetriedNoEarlierThanAsked()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();
        _harness.Receiver.ThenStatus(429, retryAfter: "120");

        await node.DrainAsync();

        var job = await node.Queue.FindAsync(Organisation, SlaWarning.Kind, KeyA);
        Assert.Equal(T0 + Duration.FromSeconds(120), job!.RunAt);
        Assert.Equal("the webhook answered HTTP 429", job.LastError);
    }

    [Fact]
    public async Task Deliver_ReceiverTooSlow_AttemptFailsAsTimeout()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)));
        var node = await _harness.NodeAsync(_harness.Options(timeout: TimeSpan.FromMilliseconds(200)));
        await node.ScanService.ScanAllAsync();
        // The receiver holds the request until the client gives up and aborts it.
        _harness.Receiver.Then(context => Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));

        await node.DrainAsync();

        var job = await node.Queue.FindAsync(Organisation, SlaWarning.Kind, KeyA);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.Equal("the webhook did not answer within 0.2 s", job.LastError);
    }

    [Fact]
    public async Task Deliver_ReceiverUnreachable_AttemptFailsWithCategoryOnly()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)));
        // A port nobody listens on: the receiver's, after it stopped.
        var options = _harness.Options();
        await _harness.Receiver.DisposeAsync();
        var node = await _harness.NodeAsync(options);
        await node.ScanService.ScanAllAsync();

        await node.DrainAsync();

        var job = await node.Queue.FindAsync(Organisation, SlaWarning.Kind, KeyA);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.StartsWith("the webhook could not be reached (", job.LastError, StringComparison.Ordinal);
    }
}
