using System.Text.Json;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Server.Jobs;
using static Utendaji.Server.Tests.Jobs.SurveySendHarness;

namespace Utendaji.Server.Tests.Jobs;

public sealed class SurveySendScannerTests : IAsyncLifetime
{
    private SurveySendHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SurveySendHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData(20261123)]
    [InlineData(7)]
    public async Task ScanAsync_GeneratedTicketsAndSends_EnqueuesExactlyTheNaiveReferencesTickets(int seed)
    {
        await ScanAgainstReferenceAsync(seed, channels: []);
    }

    [Theory]
    [InlineData(20261124)]
    [InlineData(11)]
    public async Task ScanAsync_ChannelFilter_EnqueuesExactlyTheNaiveReferencesTickets(int seed)
    {
        await ScanAgainstReferenceAsync(seed, channels: ["email", "chat"]);
    }

    [Fact]
    public async Task ScanAsync_Boundaries_DelayAndLookBackBothInclusive()
    {
        await _harness.SeedAsync(
            Ticket("exactly-delay", TicketStatus.Solved, 60),
            Ticket("just-too-recent", TicketStatus.Solved, 59.9),
            Ticket("exactly-look-back", TicketStatus.Closed, 24 * 60),
            Ticket("just-too-old", TicketStatus.Closed, 24 * 60 + 0.1),
            Ticket("reopened", TicketStatus.Open, null, reopens: 1));
        var node = await _harness.NodeAsync();

        var result = await _harness.ScanAsync(node);

        Assert.Equal(new SurveySendScanResult(Found: 2, Enqueued: 2), result);
        var job = await node.Queue.FindAsync(Organisation, SurveySendAfterSolve.Kind, SurveySendAfterSolve.Key(Organisation, "exactly-delay", T0 - Duration.FromHours(1)));
        Assert.NotNull(job);
        Assert.Equal(T0, job.RunAt);
        using var payload = JsonDocument.Parse(job.Payload);
        Assert.Equal("exactly-delay", payload.RootElement.GetProperty("ticket_id").GetString());
        Assert.Equal("2026-11-23T08:00:00Z", payload.RootElement.GetProperty("solved_at").GetString());
        // The customer is read when the job runs: nothing about them waits in the queue.
        Assert.DoesNotContain(CustomerId, job.Payload, StringComparison.Ordinal);
        Assert.NotNull(await node.Queue.FindAsync(Organisation, SurveySendAfterSolve.Kind, SurveySendAfterSolve.Key(Organisation, "exactly-look-back", T0 - Duration.FromDays(1))));
    }

    [Fact]
    public async Task ScanAsync_RepeatedAndFromAnotherNode_EachTicketEnqueuedOnce()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90), Ticket("B", TicketStatus.Solved, 30));
        var first = await _harness.NodeAsync();
        var second = await _harness.NodeAsync();

        var results = new List<SurveySendScanResult> { await _harness.ScanAsync(first) };
        _harness.Clock.Advance(Duration.FromMinutes(30));
        results.Add(await _harness.ScanAsync(first));
        results.Add(await _harness.ScanAsync(second));

        // Half an hour later B's delay has passed too: only it is new.
        Assert.Equal([new(1, 1), new(2, 1), new(2, 0)], results);
        Assert.Equal(2, (await first.Queue.CountAsync()).Queued);
    }

    [Fact]
    public async Task ScanAsync_ReopenedThenSolvedAgainBeforeTheSurvey_NewJobForTheNewSolve()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90));
        var node = await _harness.NodeAsync();
        await _harness.ScanAsync(node);

        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 60, reopens: 1));
        var result = await _harness.ScanAsync(node);

        Assert.Equal(new SurveySendScanResult(1, 1), result);
        Assert.Equal(2, (await node.Queue.CountAsync()).Queued);
    }

    [Fact]
    public async Task ScanAllAsync_OrganisationNotConfigured_NotScanned()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Solved, 90));
        var silent = await _harness.NodeAsync(_harness.Options() with { Organisations = new Dictionary<string, SurveySendTarget>(StringComparer.Ordinal) });
        await silent.ScanService.ScanAllAsync();
        Assert.Equal(0, (await silent.Queue.CountAsync()).Queued);

        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, (await node.Queue.CountAsync()).Queued);
    }

    /// <summary>
    /// Generated tickets (every status, solves from now to three days ago, four channels) and sends (within and
    /// before the look-back, with and without a ticket); the scanner must enqueue exactly the tickets the rule in
    /// docs/jobs.md selects, written here the plain way.
    /// </summary>
    private async Task ScanAgainstReferenceAsync(int seed, string[] channels)
    {
        var random = new Random(seed);
        string?[] channelNames = ["email", "chat", "sms", null];
        var tickets = new List<TicketFacts>();
        for (var i = 0; i < 300; i++)
        {
            var status = (TicketStatus)random.Next(0, 6);
            double? solvedAgo = status is TicketStatus.Solved or TicketStatus.Closed ? random.Next(0, 3 * 24 * 60) : null;
            tickets.Add(Ticket($"T-{i}", status, solvedAgo, channelNames[random.Next(channelNames.Length)], reopens: random.Next(0, 3)));
        }

        var sends = new List<SurveySend>();
        for (var i = 0; i < 120; i++)
        {
            var ticket = random.Next(0, 3) == 0 ? null : $"T-{random.Next(0, 300)}";
            var ago = random.Next(0, 2) == 0 ? Duration.FromMinutes(random.Next(0, 24 * 60)) : Duration.FromMinutes(24 * 60 + 1 + random.Next(0, 5 * 24 * 60));
            sends.Add(new SurveySend { SendId = $"S-{i}", InstrumentId = "nps", SentAt = T0 - ago, TicketId = ticket });
        }

        await _harness.SeedAsync([.. tickets]);
        await _harness.AddSendsAsync([.. sends]);
        var node = await _harness.NodeAsync(_harness.Options(channels));

        var result = await _harness.ScanAsync(node);

        var lookBack = T0 - Duration.FromDays(1);
        var expected = tickets.Where(t =>
                t.Status is TicketStatus.Solved or TicketStatus.Closed
                && t.SolvedAt is { } solved && solved >= lookBack && solved <= T0 - Duration.FromHours(1)
                && (channels.Length == 0 || (t.Channel is not null && channels.Contains(t.Channel)))
                && !sends.Any(s => s.TicketId == t.TicketId && s.SentAt >= lookBack))
            .Select(t => t.TicketId)
            .ToHashSet(StringComparer.Ordinal);
        Assert.InRange(expected.Count, 10, 150); // the generator gives the rule something to select and to refuse
        Assert.Equal(new SurveySendScanResult(expected.Count, expected.Count), result);
        foreach (var ticket in tickets)
        {
            var job = ticket.SolvedAt is { } solvedAt
                ? await node.Queue.FindAsync(Organisation, SurveySendAfterSolve.Kind, SurveySendAfterSolve.Key(Organisation, ticket.TicketId, solvedAt))
                : null;
            Assert.True(expected.Contains(ticket.TicketId) == (job is not null), ticket.TicketId);
        }

        Assert.Equal(expected.Count, (await node.Queue.CountAsync()).Queued);
    }
}
