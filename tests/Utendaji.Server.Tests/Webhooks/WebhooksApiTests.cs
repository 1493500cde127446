using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Utendaji.Ingest.Webhooks;

namespace Utendaji.Server.Tests.Webhooks;

public sealed class WebhooksApiTests
{
    private const string ZendeskSecret = "zendesk-signing-secret-of-acme";
    private const string ChatwootSecret = "chatwoot-secret-of-acme";
    private const string ChatwootToken = "0123456789abcdef0123456789abcdef-token";
    private const string OtherZendeskSecret = "zendesk-signing-secret-of-globex";

    [Fact]
    public async Task ZendeskDeliveries_Signed_StoreTheTicketAndTheKpiReportCountsIt()
    {
        await using var server = await StartAsync();
        var client = server.Client(null);

        var created = await client.SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), Fixture("zendesk/ticket-created.json")));
        var replied = await client.SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), Fixture("zendesk/comment-added-agent.json")));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);
        var body = JsonDocument.Parse(await replied.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("stored", body.GetProperty("outcome").GetString());
        Assert.Equal(1, body.GetProperty("added").GetInt64());
        var facts = await server.WithStoreAsync(s => s.GetFactsAsync("zendesk:4821"));
        Assert.NotNull(facts);
        // Created 07:22:00.41Z, first public agent reply 07:40:15.25Z.
        Assert.Equal(NodaTime.Instant.FromUtc(2026, 1, 5, 7, 40, 15).PlusNanoseconds(250_000_000), facts.FirstReplyAt);
        var overall = await KpiOverallAsync(server);
        Assert.Equal(1, overall.GetProperty("created").GetInt64());
    }

    [Fact]
    public async Task ChatwootDeliveries_Signed_StoreTheConversationAndTheKpiReportCountsIt()
    {
        await using var server = await StartAsync();
        var client = server.Client(null);

        var created = await client.SendAsync(Chatwoot(server, server.Api("/webhooks/chatwoot"), Fixture("chatwoot/conversation-created.json")));
        var replied = await client.SendAsync(Chatwoot(server, server.Api("/webhooks/chatwoot"), Fixture("chatwoot/message-created-agent.json")));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);
        var facts = await server.WithStoreAsync(s => s.GetFactsAsync("chatwoot:274"));
        Assert.NotNull(facts);
        Assert.NotNull(facts.FirstReplyAt);
        Assert.Equal("Malipo", facts.Team);
        Assert.Equal(1, (await KpiOverallAsync(server)).GetProperty("created").GetInt64());
    }

    [Fact]
    public async Task Redelivery_SameDeliveryTwice_SecondReportsUnchangedAndStoresNothingMore()
    {
        await using var server = await StartAsync();
        var client = server.Client(null);
        var payload = Fixture("zendesk/ticket-created.json");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), payload))).StatusCode);
        var before = await server.CountsAsync();

        var again = await client.SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), payload));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unchanged", body.GetProperty("outcome").GetString());
        Assert.Equal(0, body.GetProperty("added").GetInt64());
        Assert.Equal(1, body.GetProperty("unchanged").GetInt64());
        Assert.Equal(before, await server.CountsAsync());
        Assert.Equal(1, before.Events);
    }

    [Theory]
    [InlineData("wrong-secret", 0, "X-Zendesk-Webhook-Signature")]
    [InlineData(null, 0, "X-Zendesk-Webhook-Signature")]
    [InlineData(ZendeskSecret, -6, "X-Zendesk-Webhook-Signature-Timestamp")]
    [InlineData(OtherZendeskSecret, 0, "X-Zendesk-Webhook-Signature")]
    public async Task Zendesk_BadMissingStaleOrOtherOrganisationsSignature_401AndNothingStored(string? secret, int minutesOff, string named)
    {
        await using var server = await StartAsync();
        var payload = Fixture("zendesk/ticket-created.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Api("/webhooks/zendesk")) { Content = new ByteArrayContent(payload) };
        if (secret is not null)
        {
            var timestamp = (server.Clock.Now + NodaTime.Duration.FromMinutes(minutesOff)).ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
            request.Headers.Add(WebhookSignature.ZendeskTimestampHeader, timestamp);
            request.Headers.Add(WebhookSignature.ZendeskSignatureHeader, WebhookSignature.SignZendesk(payload, timestamp, secret));
        }

        var response = await server.Client(null).SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith(named + ":", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(ZendeskSecret, detail, StringComparison.Ordinal);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task Chatwoot_SignedWithZendeskSecret_401()
    {
        await using var server = await StartAsync();
        var payload = Fixture("chatwoot/conversation-created.json");
        var timestamp = server.Clock.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Api("/webhooks/chatwoot")) { Content = new ByteArrayContent(payload) };
        request.Headers.Add(WebhookSignature.ChatwootTimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.ChatwootSignatureHeader, WebhookSignature.SignChatwoot(payload, timestamp, ZendeskSecret));

        var response = await server.Client(null).SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task ValidBearerTokenOfTheOrganisation_NoSignature_401()
    {
        await using var server = await StartAsync();
        var owner = await server.ClientAsync();

        var response = await owner.PostAsync(server.Api("/webhooks/zendesk"), new ByteArrayContent(Fixture("zendesk/ticket-created.json")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task UnconfiguredProviderOrUnknownOrganisation_404LikeAnyUnknownResource()
    {
        await using var server = await StartAsync();
        var client = server.Client(null);

        // The other organisation has a Zendesk secret only; a name that is no organisation has nothing.
        var chatwoot = await client.SendAsync(Chatwoot(server, server.Api("/webhooks/chatwoot", server.OtherOrg), Fixture("chatwoot/conversation-created.json")));
        var token = await client.PostAsync(server.Api("/webhooks/chatwoot/" + ChatwootToken, server.OtherOrg), new ByteArrayContent(Fixture("chatwoot/conversation-created.json")));
        var unknown = await client.SendAsync(Zendesk(server, server.Api("/webhooks/zendesk", "no-such-org"), Fixture("zendesk/ticket-created.json")));

        Assert.Equal(HttpStatusCode.NotFound, chatwoot.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var owner = await server.ClientAsync();
        var plain = JsonDocument.Parse(await (await owner.GetAsync(server.Api("/tickets", "no-such-org"))).Content.ReadAsStringAsync()).RootElement;
        foreach (var answer in new[] { chatwoot, token, unknown })
        {
            var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(plain.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
            Assert.Equal(plain.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
        }

        Assert.Equal(0, (await server.CountsAsync(server.OtherOrg)).Events);
    }

    [Fact]
    public async Task OrganisationInConfigurationButNotInTheAccountStore_404()
    {
        await using var server = await ServerHarness.StartAsync(configuration: (_, _) => new Dictionary<string, string?>
        {
            ["Utendaji:Connectors:Organisations:ghost:Zendesk:Secret"] = ZendeskSecret,
        });

        var response = await server.Client(null).SendAsync(Zendesk(server, server.Api("/webhooks/zendesk", "ghost"), Fixture("zendesk/ticket-created.json")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ChatwootTokenRoute_RightToken200_WrongToken401()
    {
        await using var server = await StartAsync();
        var client = server.Client(null);
        var payload = Fixture("chatwoot/conversation-created.json");

        var wrong = await client.PostAsync(server.Api("/webhooks/chatwoot/" + ChatwootToken[..^1] + "x"), new ByteArrayContent(payload));
        Assert.Equal(0, (await server.CountsAsync()).Events);
        var right = await client.PostAsync(server.Api("/webhooks/chatwoot/" + ChatwootToken), new ByteArrayContent(payload));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(1, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task InvalidPayload_400NamingTheFieldsAndNothingStored()
    {
        await using var server = await StartAsync();
        var payload = Encoding.UTF8.GetBytes("""{"id":"abc","type":"zen:event-type:ticket.created","time":"2026-01-05 07:22","detail":{}}""");

        var response = await server.Client(null).SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), payload));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("detail.id", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("time", out _), errors.ToString());
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task LoneSurrogateEscapeInAFieldRead_400NamingItAndNothingStored()
    {
        await using var server = await StartAsync();
        var chatwoot = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Fixture("chatwoot/conversation-created.json"))
            .Replace("\"name\": \"Malipo\"", "\"name\": \"\\ud800\"", StringComparison.Ordinal));
        var zendesk = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Fixture("zendesk/ticket-created.json"))
            .Replace("\"7310000000301\"", "\"\\udc00\"", StringComparison.Ordinal));

        var viaChatwoot = await server.Client(null).PostAsync(server.Api("/webhooks/chatwoot/" + ChatwootToken), new ByteArrayContent(chatwoot));
        var viaZendesk = await server.Client(null).SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), zendesk));

        foreach (var (response, field) in new[] { (viaChatwoot, "meta.team.name"), (viaZendesk, "detail.group_id") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
            Assert.Equal(@"is not valid text (a lone UTF-16 surrogate escape such as \ud800)", errors.GetProperty(field)[0].GetString());
        }

        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task NotJson_400()
    {
        await using var server = await StartAsync();

        var response = await server.Client(null).SendAsync(Chatwoot(server, server.Api("/webhooks/chatwoot"), Encoding.UTF8.GetBytes("{not json")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task IgnoredPayload_200WithTheReasonAndNothingStored()
    {
        await using var server = await StartAsync();

        var response = await server.Client(null).SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), Fixture("zendesk/user-created.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ignored", body.GetProperty("outcome").GetString());
        Assert.Contains("user.created", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task OversizeBody_413AndNothingStored()
    {
        await using var server = await StartAsync(options => options with { JsonBodyLimit = 256 });

        var response = await server.Client(null).SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), Fixture("zendesk/ticket-created.json")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task Metrics_CountDeliveriesByProviderAndOutcome()
    {
        await using var server = await StartAsync();
        var client = server.Client(null);
        var payload = Fixture("zendesk/ticket-created.json");
        await client.SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), payload));
        await client.SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), payload));
        await client.SendAsync(Zendesk(server, server.Api("/webhooks/zendesk"), Fixture("zendesk/user-created.json")));
        await client.PostAsync(server.Api("/webhooks/chatwoot"), new ByteArrayContent(Fixture("chatwoot/conversation-created.json")));

        var text = await client.GetStringAsync("/metrics");

        Assert.Contains("utendaji_webhook_deliveries_total{provider=\"zendesk\",outcome=\"stored\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("utendaji_webhook_deliveries_total{provider=\"zendesk\",outcome=\"unchanged\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("utendaji_webhook_deliveries_total{provider=\"zendesk\",outcome=\"ignored\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("utendaji_webhook_deliveries_total{provider=\"chatwoot\",outcome=\"unauthorized\"} 1\n", text, StringComparison.Ordinal);
    }

    internal static Task<ServerHarness> StartAsync(Func<ServerOptions, ServerOptions>? adjust = null) =>
        ServerHarness.StartAsync(adjust, (org, other) => new Dictionary<string, string?>
        {
            [$"Utendaji:Connectors:Organisations:{org}:Zendesk:Secret"] = ZendeskSecret,
            [$"Utendaji:Connectors:Organisations:{org}:Chatwoot:Secret"] = ChatwootSecret,
            [$"Utendaji:Connectors:Organisations:{org}:Chatwoot:Token"] = ChatwootToken,
            [$"Utendaji:Connectors:Organisations:{other}:Zendesk:Secret"] = OtherZendeskSecret,
        });

    internal static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Fixtures", name));

    /// <summary>A request as Zendesk sends it: signed over the raw body at the server's "now".</summary>
    private static HttpRequestMessage Zendesk(ServerHarness server, string path, byte[] payload, string secret = ZendeskSecret)
    {
        var timestamp = server.Clock.Now.ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.ZendeskTimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.ZendeskSignatureHeader, WebhookSignature.SignZendesk(payload, timestamp, secret));
        return request;
    }

    /// <summary>A request as Chatwoot 4.11.2+ sends it.</summary>
    private static HttpRequestMessage Chatwoot(ServerHarness server, string path, byte[] payload)
    {
        var timestamp = server.Clock.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.ChatwootTimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.ChatwootSignatureHeader, WebhookSignature.SignChatwoot(payload, timestamp, ChatwootSecret));
        return request;
    }

    private static async Task<JsonElement> KpiOverallAsync(ServerHarness server)
    {
        var viewer = await server.ClientAsync(Storage.Accounts.AccountRole.Viewer, Storage.Accounts.TokenScope.Read);
        var response = await viewer.GetAsync(server.Api("/reports/kpi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("overall");
    }
}
