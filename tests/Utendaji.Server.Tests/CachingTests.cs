using System.Net;
using System.Text;
using System.Text.Json;
using Utendaji.Core.Reporting;
using Utendaji.Core.Tickets;
using Utendaji.Reports;
using Utendaji.Storage;

namespace Utendaji.Server.Tests;

/// <summary>
/// The caches of <see cref="ServerOptions.Caching"/>: a KPI report is served from memory until this server writes
/// the organisation's data or configuration, and is then computed afresh.
/// </summary>
public sealed class CachingTests
{
    private const string Kpi = "/reports/kpi?by=team";

    private static Task<ServerHarness> StartAsync() => ServerHarness.StartAsync(o => o with { Caching = true });

    private static long Created(string report) =>
        JsonDocument.Parse(report).RootElement.GetProperty("overall").GetProperty("created").GetInt64();

    /// <summary>What <c>utendaji report --format json --by team</c> would print for the store as it is now.</summary>
    private static Task<string> UncachedReportAsync(ServerHarness server) => server.WithStoreAsync(store =>
    {
        var facts = store.ReadFactsAsync(FactsQuery.All).ToBlockingEnumerable();
        var report = KpiReportBuilder.Build(facts, KpiReportOptions.Default with { GroupBy = [GroupDimension.Team] }, CancellationToken.None);
        using var buffer = new MemoryStream();
        KpiReportRenderer.Write(report, ReportFormat.Json, buffer);
        return Task.FromResult(Encoding.UTF8.GetString(buffer.ToArray()));
    });

    [Fact]
    public async Task CachedReport_IsServedUntilThisServerWrites()
    {
        await using var server = await StartAsync();
        var client = await server.ClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch))).StatusCode);
        var first = await client.GetStringAsync(server.Api(Kpi));
        Assert.Equal(2, Created(first));

        // A write behind the server's back (another process on the same file) is not seen: the report is cached.
        await server.WithStoreAsync(async store =>
        {
            await using var transaction = await store.BeginImportAsync();
            await transaction.AddEventsAsync([new TicketEvent(
                "x1", "T-X", NodaTime.Instant.FromUtc(2026, 3, 2, 9, 0), TicketEventType.Created, ActorKind.Customer, null, true, "email", "support", null, null, null)]);
            var context = await Ingest.Importing.EngineConfiguration.LoadAsync(store, server.Clock.Now, CancellationToken.None);
            await foreach (var source in transaction.ReadChangedTicketsAsync())
            {
                await transaction.PutFactsAsync([Ingest.Importing.ImportPipeline.Derive(source, context)]);
            }

            await transaction.CommitAsync();
            return 0;
        });
        Assert.Equal(first, await client.GetStringAsync(server.Api(Kpi)));
        // Another query is computed, so it sees the stored data.
        Assert.Equal(3, Created(await client.GetStringAsync(server.Api("/reports/kpi?by=channel"))));

        // A POST through the server changes the next report.
        var post = await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.Event("e9", "T-9", "2026-03-03T08:00:00Z")));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var after = await client.GetStringAsync(server.Api(Kpi));
        Assert.Equal(4, Created(after));
        Assert.Equal(await UncachedReportAsync(server), after);
    }

    [Fact]
    public async Task CachedReport_ChangesWithACalendar()
    {
        await using var server = await StartAsync();
        var client = await server.ClientAsync();
        await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));
        var before = await client.GetStringAsync(server.Api(Kpi));

        // Business hours for the team: first replies measured in business time change, and so does the report.
        var put = await client.PutAsync(server.Api("/calendars/support-eu"), ServerHarness.Json(TestData.Calendar));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await client.GetStringAsync(server.Api(Kpi));

        Assert.NotEqual(before, after);
        Assert.Equal(await UncachedReportAsync(server), after);

        // Removing it again brings the first report back, computed anew.
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(server.Api("/calendars/support-eu"))).StatusCode);
        Assert.Equal(before, await client.GetStringAsync(server.Api(Kpi)));
    }

    [Fact]
    public async Task CachedConfiguration_NewEventsUseANewCalendar()
    {
        await using var server = await StartAsync();
        var client = await server.ClientAsync();
        // Loads (and caches) the configuration without a calendar.
        await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.Event("a1", "T-A", "2026-03-02T06:00:00Z")));
        await client.PutAsync(server.Api("/calendars/support-eu"), ServerHarness.Json(TestData.Calendar));

        // T-B is created and answered on Wednesday 4 March, the calendar's holiday: no business time passes.
        var events = $"[{TestData.Event("b1", "T-B", "2026-03-04T08:00:00Z")[..^1]},\"team\":\"support\"}}, " +
                     """{"id":"b2","ticket_id":"T-B","at":"2026-03-04T10:00:00Z","type":"agent_reply","actor":{"kind":"agent","id":"amina"},"public":true}]""";
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(server.Api("/events"), ServerHarness.Json(events))).StatusCode);

        var facts = await server.WithStoreAsync(store => store.GetFactsAsync("T-B"));
        Assert.NotNull(facts);
        Assert.Equal("support-eu", facts.Calendar);
        Assert.Equal(NodaTime.Duration.Zero, facts.FirstReply?.Business);
    }
}
