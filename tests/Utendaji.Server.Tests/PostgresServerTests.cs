using System.Net;
using System.Text.Json;
using NodaTime;
using Utendaji.Server.Hosting;
using Utendaji.Storage.Accounts;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Tests;

/// <summary>
/// The in-process server on PostgreSQL through <see cref="ServerBackend"/> (as <c>utendaji serve --db "Host=…"</c>
/// runs), each test on a fresh database of its own (<c>UTENDAJI_TEST_POSTGRES</c>; fails without it).
/// </summary>
public sealed class PostgresServerTests
{
    private const string Report = "/reports/kpi?by=team,channel&period=day&time_zone=Europe/Helsinki&min_n=1";

    [Fact]
    public async Task SameRequests_OnPostgresAndSqlite_SameReportAndTicketsBytes()
    {
        async Task<(string Report, string Tickets, string Again)> RunAsync(bool postgres)
        {
            await using var server = await ServerHarness.StartAsync(postgres: postgres);
            var client = await server.ClientAsync();
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(server.Api("/calendars/support-eu"), ServerHarness.Json(TestData.Calendar))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch))).StatusCode);
            var again = await (await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch))).Content.ReadAsStringAsync();
            Assert.Equal(5, (await server.CountsAsync()).Events);
            return (await client.GetStringAsync(server.Api(Report)), await client.GetStringAsync(server.Api("/tickets")), again);
        }

        var onSqlite = await RunAsync(postgres: false);
        var onPostgres = await RunAsync(postgres: true);

        Assert.Contains("\"team\"", onSqlite.Report, StringComparison.Ordinal);
        Assert.Equal(onSqlite, onPostgres);
    }

    [Fact]
    public async Task EventsWithNulCharacter_OnPostgres_ProblemNamingTheFieldAndNothingStored()
    {
        await using var server = await ServerHarness.StartAsync(postgres: true);
        var client = await server.ClientAsync();
        var batch = """[{"id":"e1","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created"},{"id":"e2","ticket_id":"T-1","at":"2026-03-02T09:00:00Z","type":"agent_reply","actor":{"kind":"agent","id":"a\u0000"}}]""";

        using var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json(batch));

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("actor.id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task TokenOfOneOrganisation_OnPostgres_OtherOrganisationIs404()
    {
        await using var server = await ServerHarness.StartAsync(postgres: true);
        var other = await server.ClientAsync(org: server.OtherOrg);
        await other.PostAsync(server.Api("/events", server.OtherOrg), ServerHarness.Json(TestData.EventsBatch));
        var client = await server.ClientAsync(AccountRole.Owner, TokenScope.Write);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(server.Api("/tickets", server.OtherOrg))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(server.Api("/tickets/T-1", server.OtherOrg))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(server.Api("/events", server.OtherOrg), ServerHarness.Json(TestData.Event("x", "T-9", "2026-03-02T08:00:00Z")))).StatusCode);
        Assert.Equal(5, (await server.CountsAsync(server.OtherOrg)).Events);
        Assert.Equal(0, (await server.CountsAsync()).Events);
        using var mine = JsonDocument.Parse(await client.GetStringAsync(server.Api("/tickets")));
        Assert.DoesNotContain("T-1", mine.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoBackends_OnOneDatabase_ShareAccountsStoresAndJobs()
    {
        await using var database = new TestPostgresDatabase();
        var db = await database.ConnectionStringAsync();
        var clock = new FakeClock(Instant.FromUtc(2026, 6, 30, 12, 0));
        await using var first = await ServerBackend.OpenAsync(db, clock);
        await using var second = await ServerBackend.OpenAsync(db, clock);
        Assert.True(first.IsPostgres);
        Assert.DoesNotContain("Password", first.Location, StringComparison.OrdinalIgnoreCase);

        // A token made through one node authenticates on the other, until revoked through the other.
        await first.Accounts.CreateOrganisationAsync("acme");
        await first.Accounts.CreateUserAsync("acme", "ann@acme.example", AccountRole.Owner, clock.Now);
        var token = await first.Accounts.CreateTokenAsync("acme", "ann@acme.example", TokenScope.Write, null, clock.Now);
        Assert.NotNull(await second.Accounts.AuthenticateAsync(ApiTokens.Hash(token.Secret), clock.Now));
        Assert.True(await second.Accounts.RevokeTokenAsync("acme", token.Token.TokenId, clock.Now));
        Assert.Null(await first.Accounts.AuthenticateAsync(ApiTokens.Hash(token.Secret), clock.Now));

        // Configuration written through one node's store is read through the other's.
        await using (var store = await first.OpenStore("acme"))
        {
            await store.PutConfigAsync(Storage.ConfigKind.Calendar, "support-eu", TestData.Calendar);
        }

        await using (var store = await second.OpenStore("acme"))
        {
            Assert.Equal("support-eu", Assert.Single(await store.GetConfigAsync(Storage.ConfigKind.Calendar)).Name);
        }

        // A job enqueued by one node is claimed by the other, once.
        Assert.True(await first.Jobs.EnqueueAsync(new JobRequest { Organisation = "acme", Kind = "test", DedupeKey = "k1", Payload = "{}", RunAt = clock.Now }));
        var claimed = await second.Jobs.ClaimAsync("node-2");
        Assert.Equal("k1", claimed?.DedupeKey);
        Assert.Null(await first.Jobs.ClaimAsync("node-1"));
    }
}
