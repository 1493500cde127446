using System.Text.Json;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.JobsHarness;

namespace Utendaji.Server.Tests.Jobs;

public sealed class SlaWarningScannerTests : IAsyncLifetime
{
    private JobsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await JobsHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task SeedMixAsync() => _harness.SeedAsync(
        Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10), Due(SlaMetric.Resolution, 120)),
        Ticket("B", TicketStatus.Open, Due(SlaMetric.FirstReply, 5, SlaState.Breached)),
        Ticket("C", TicketStatus.Solved, Due(SlaMetric.Resolution, 5)),
        Ticket("D", TicketStatus.Open, Due(SlaMetric.FirstReply, -1)),
        Ticket("E", TicketStatus.Pending, Due(SlaMetric.Resolution, 5)),
        Ticket("F", TicketStatus.New, Due(SlaMetric.NextReply, 20), Due(SlaMetric.NextReply, 30), Due(SlaMetric.Resolution, 30.5)),
        Ticket("G", TicketStatus.Open, Due(SlaMetric.FirstReply, 0)));

    [Fact]
    public async Task ScanAsync_RunningTargetsDueWithinLeadTime_OneJobEach()
    {
        await SeedMixAsync();
        var node = await _harness.NodeAsync();

        var result = await ScanAsync(node);

        // A first reply (+10), F next replies (+20, +30: the lead time's end is inclusive). Not: A resolution (+120),
        // B (breached), C (solved), D (-1, past), E (pending), F resolution (+30.5), G (due exactly now: a breach).
        Assert.Equal(new SlaScanResult(Found: 3, Enqueued: 3), result);
        var job = await node.Queue.FindAsync(Organisation, SlaWarning.Kind, SlaWarning.Key(Organisation, "A", SlaMetric.FirstReply, T0 + Duration.FromMinutes(10)));
        Assert.NotNull(job);
        Assert.Equal(T0, job.RunAt);
        using var payload = JsonDocument.Parse(job.Payload);
        Assert.Equal("A", payload.RootElement.GetProperty("ticket_id").GetString());
        Assert.Equal("first_reply", payload.RootElement.GetProperty("metric").GetString());
        Assert.Equal("gold", payload.RootElement.GetProperty("policy").GetString());
        Assert.Equal("2026-11-23T09:10:00Z", payload.RootElement.GetProperty("due").GetString());
        Assert.Equal("tier-1", payload.RootElement.GetProperty("team").GetString());
        Assert.Equal("high", payload.RootElement.GetProperty("priority").GetString());
        Assert.DoesNotContain(CustomerText, job.Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("agent-7", job.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_RepeatedAndFromAnotherNode_EachWarningEnqueuedOnce()
    {
        await SeedMixAsync();
        var first = await _harness.NodeAsync();
        var second = await _harness.NodeAsync();

        var results = new List<SlaScanResult> { await ScanAsync(first) };
        _harness.Clock.Advance(Duration.FromMinutes(1));
        results.Add(await ScanAsync(first));
        results.Add(await ScanAsync(second));

        // A minute later F's resolution (+30.5) has entered the 30-minute lead time: only it is new.
        Assert.Equal([new(3, 3), new(4, 1), new(4, 0)], results);
        Assert.Equal(4, (await first.Queue.CountAsync()).Queued);
    }

    [Fact]
    public async Task ScanAsync_DueInstantMoved_NewWarningForTheNewDue()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)));
        var node = await _harness.NodeAsync();
        await ScanAsync(node);

        // A pause pushed the due instant later: a different target instant deserves its own warning.
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 25)));
        var result = await ScanAsync(node);

        Assert.Equal(new SlaScanResult(1, 1), result);
        Assert.Equal(2, (await node.Queue.CountAsync()).Queued);
    }

    [Fact]
    public async Task ScanAllAsync_OnlyOrganisationsWithWebhook_Scanned()
    {
        await _harness.SeedAsync(Ticket("A", TicketStatus.Open, Due(SlaMetric.FirstReply, 10)));
        var silent = await _harness.NodeAsync(_harness.Options() with { Webhooks = new Dictionary<string, OutgoingWebhook>() });
        await silent.ScanService.ScanAllAsync();
        Assert.Equal(0, (await silent.Queue.CountAsync()).Queued);

        var node = await _harness.NodeAsync();
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, (await node.Queue.CountAsync()).Queued);
    }

    private async Task<SlaScanResult> ScanAsync(JobsHarness.Node node)
    {
        await using var store = await Storage.Sqlite.SqliteStore.OpenAsync(_harness.DatabasePath, Organisation);
        return await node.Scanner.ScanAsync(store);
    }
}
