using System.Globalization;
using System.Text.Json;
using NodaTime;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.SurveySendHarness;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Scanner, queue, worker and handler together: the send stored, then posted to a real HTTP receiver.</summary>
public sealed class SurveySendDeliveryTests : IAsyncLifetime
{
    private SurveySendHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SurveySendHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static string KeyA => SurveySendAfterSolve.Key(Organisation, "A", T0 - Duration.FromMinutes(90));

    [Fact]
    public async Task Deliver_SolvedTicket_SendStoredAndSignedPostWithItsLink()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90, channel: "email"));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();
        _harness.Clock.Advance(Duration.FromSeconds(30));

        Assert.Equal(1, await node.DrainAsync());

        var send = Assert.Single(await _harness.SendsAsync());
        Assert.Equal(new SurveySend
        {
            SendId = "solve:A",
            InstrumentId = "csat-5",
            SentAt = T0 + Duration.FromSeconds(30),
            TicketId = "A",
            Customer = CustomerId,
            Channel = "email",
            Language = "sw-KE",
        }, send);

        var received = Assert.Single(_harness.Receiver.Received);
        Assert.Equal(KeyA, received.Headers[WebhookSignature.IdempotencyHeader]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        var timestamp = long.Parse(received.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, received.Body, received.Headers[WebhookSignature.SignatureHeader]));
        Assert.False(WebhookSignature.Verify("another-secret-0123456789", timestamp, received.Body, received.Headers[WebhookSignature.SignatureHeader]));

        using var body = JsonDocument.Parse(received.Body);
        var root = body.RootElement;
        Assert.Equal("survey.send", root.GetProperty("type").GetString());
        Assert.Equal(Organisation, root.GetProperty("organisation").GetString());
        Assert.Equal("A", root.GetProperty("ticket_id").GetString());
        Assert.Equal("solve:A", root.GetProperty("send_id").GetString());
        Assert.Equal(CustomerId, root.GetProperty("customer").GetString());
        Assert.Equal("sw", root.GetProperty("language").GetString()); // the language the page shows
        Assert.Equal("email", root.GetProperty("channel").GetString());
        Assert.Equal("csat-5", root.GetProperty("instrument").GetString());
        Assert.Equal("2026-11-23T09:00:30Z", root.GetProperty("sent_at").GetString());
        var url = root.GetProperty("url").GetString()!;
        Assert.StartsWith("https://surveys.example.org/acme-cs/s/acme/", url, StringComparison.Ordinal);
        // The link is the survey page's own, signed for this organisation and send.
        Assert.Equal("solve:A", _harness.Links.Verify(Organisation, Uri.UnescapeDataString(url[(url.LastIndexOf('/') + 1)..])));
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, SurveySendAfterSolve.Kind, KeyA))!.State);
    }

    [Fact]
    public async Task Deliver_ReceiverAnswers500_RetriedWithSameIdempotencyKeyAndBodyAndOneSend()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();
        _harness.Receiver.ThenStatus(500);

        Assert.Equal(1, await node.DrainAsync());
        var failed = await node.Queue.FindAsync(Organisation, SurveySendAfterSolve.Kind, KeyA);
        Assert.Equal(JobState.Queued, failed!.State);
        Assert.Equal("the webhook answered HTTP 500", failed.LastError);
        Assert.Single(await _harness.SendsAsync());

        // Later, and the scan runs again meanwhile: the stored send is found, nothing new is enqueued or stored.
        _harness.Clock.Advance(JobQueueOptions.Default.RetryDelay(1));
        await node.ScanService.ScanAllAsync();
        Assert.Equal(1, await node.DrainAsync());

        var attempts = _harness.Receiver.Received.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(KeyA, a.Headers[WebhookSignature.IdempotencyHeader]));
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        Assert.All(attempts, a => Assert.True(WebhookSignature.Verify(
            Secret, long.Parse(a.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture), a.Body, a.Headers[WebhookSignature.SignatureHeader])));
        var send = Assert.Single(await _harness.SendsAsync());
        Assert.Equal(T0, send.SentAt);
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, SurveySendAfterSolve.Kind, KeyA))!.State);
        Assert.Equal(0, (await node.Queue.CountAsync()).Queued);
    }

    [Fact]
    public async Task Deliver_ReceiverAnswers503WithRetryAfter_RetriedNoEarlierThanAsked()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();
        _harness.Receiver.ThenStatus(503, retryAfter: "300");

        await node.DrainAsync();

        var job = await node.Queue.FindAsync(Organisation, SurveySendAfterSolve.Kind, KeyA);
        Assert.Equal(T0 + Duration.FromSeconds(300), job!.RunAt);
        Assert.Equal("the webhook answered HTTP 503", job.LastError);
    }

    [Theory]
    [InlineData("reopened")]
    [InlineData("solved again")]
    public async Task Deliver_TicketChangedSinceTheScan_CompletedWithoutSendOrRequest(string change)
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();

        await _harness.SeedAsync(change == "reopened"
            ? Ticket("A", TicketStatus.Open, null, reopens: 1)
            : Ticket("A", TicketStatus.Solved, 10, reopens: 1));
        Assert.Equal(1, await node.DrainAsync());

        Assert.Empty(_harness.Receiver.Received);
        Assert.Empty(await _harness.SendsAsync());
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, SurveySendAfterSolve.Kind, KeyA))!.State);
    }

    [Fact]
    public async Task Deliver_TicketSurveyedAfterAnEarlierSolveBeforeTheLookBack_NoSecondSurvey()
    {
        // Surveyed two days ago, reopened, solved again 90 minutes ago: the old send is beyond the scan's look-back.
        await _harness.AddSendsAsync(new SurveySend { SendId = "solve:A", InstrumentId = "csat-5", SentAt = T0 - Duration.FromDays(2), TicketId = "A" });
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90, reopens: 1));
        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, await node.DrainAsync());

        Assert.Empty(_harness.Receiver.Received);
        Assert.Equal(T0 - Duration.FromDays(2), Assert.Single(await _harness.SendsAsync()).SentAt);
    }

    [Fact]
    public async Task Deliver_RepeatedScansAndWorkOnTwoNodes_EachSurveyPostedOnce()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90), Ticket("B", TicketStatus.Closed, 40), Ticket("C", TicketStatus.Open, null));
        var first = await _harness.NodeAsync();
        var second = await _harness.NodeAsync();

        for (var step = 0; step < 4; step++)
        {
            await first.ScanService.ScanAllAsync();
            await second.ScanService.ScanAllAsync();
            await first.DrainAsync();
            await second.DrainAsync();
            _harness.Clock.Advance(Duration.FromMinutes(15));
        }

        var sendIds = _harness.Receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("send_id").GetString()).ToList();
        Assert.Equal(["solve:A", "solve:B"], sendIds.Order(StringComparer.Ordinal));
        Assert.Equal(2, (await _harness.SendsAsync()).Count);
    }
}
