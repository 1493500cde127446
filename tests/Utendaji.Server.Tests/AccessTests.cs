using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using Utendaji.Server.Access;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests;

public sealed class AccessTests
{
    [Fact]
    public async Task Request_WithoutToken_401WithBearerChallenge()
    {
        await using var server = await ServerHarness.StartAsync();

        var response = await server.Client(null).GetAsync(server.Api("/tickets"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Request_UnknownToken_401()
    {
        await using var server = await ServerHarness.StartAsync();

        var response = await server.Client(ApiTokens.NewSecret()).GetAsync(server.Api("/tickets"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_TokenRevokedThroughTheServer_401AtOnce()
    {
        await using var server = await ServerHarness.StartAsync();
        var token = await server.TokenAsync();
        var client = server.Client(token.Secret);
        var admin = await server.ClientAsync(AccountRole.Owner);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(server.Api("/tickets"))).StatusCode); // now remembered

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(server.Api($"/tokens/{token.Token.TokenId}"))).StatusCode);
        var response = await client.GetAsync(server.Api("/tickets"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_TokenRevokedBehindTheServer_401OnceTheCacheDurationHasPassed()
    {
        // The CLI or another node revokes in the account store directly: this server learns it when its
        // remembered look-up runs out (ServerOptions.TokenCacheDuration, 5 seconds by default).
        await using var server = await ServerHarness.StartAsync();
        var token = await server.TokenAsync();
        var client = server.Client(token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(server.Api("/tickets"))).StatusCode);

        Assert.True(await server.Accounts.RevokeTokenAsync(server.Org, token.Token.TokenId, server.Clock.Now));
        var within = await client.GetAsync(server.Api("/tickets"));
        server.Clock.Now += Duration.FromSeconds(5);
        var after = await client.GetAsync(server.Api("/tickets"));

        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task PostEvents_ReadScope_403AndNothingStored()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync(AccountRole.Owner, TokenScope.Read);

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task PostEvents_ViewerWithWriteScope_403()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync(AccountRole.Viewer, TokenScope.Write);

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostEvents_Agent_Accepted()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync(AccountRole.Agent, TokenScope.Write);

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task PutCalendar_Agent403_Manager200()
    {
        await using var server = await ServerHarness.StartAsync();
        var agent = await server.ClientAsync(AccountRole.Agent);
        var manager = await server.ClientAsync(AccountRole.Manager);

        var refused = await agent.PutAsync(server.Api("/calendars/support-eu"), ServerHarness.Json(TestData.Calendar));
        var accepted = await manager.PutAsync(server.Api("/calendars/support-eu"), ServerHarness.Json(TestData.Calendar));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public void OrganisationEndpoints_EveryOneDeclaresItsAccess()
    {
        var endpoints = OrganisationEndpoints(BuildOnly());

        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} organisation endpoints found");
        // Each declares a role and scope, or is a helpdesk webhook receiver authenticated by signature: never neither.
        Assert.All(endpoints, e => Assert.True(
            (e.Metadata.GetMetadata<AccessRequirement>() is null) != (e.Metadata.GetMetadata<SignedWebhook>() is null), e.RoutePattern.RawText));
        Assert.Equal(3, endpoints.Count(e => e.Metadata.GetMetadata<SignedWebhook>() is not null));
        Assert.All(endpoints.Where(e => e.Metadata.GetMetadata<SignedWebhook>() is not null), e => Assert.StartsWith("/api/v1/orgs/{org}/webhooks/", e.RoutePattern.RawText, StringComparison.Ordinal));
        // Anything else that changes data needs a write-scoped token.
        Assert.All(endpoints.Where(e => Method(e) != "GET" && e.Metadata.GetMetadata<SignedWebhook>() is null), e => Assert.True(e.Metadata.GetMetadata<AccessRequirement>()!.Write, e.RoutePattern.RawText));
    }

    /// <summary>
    /// Every endpoint under /api/v1/orgs/{org}, found from the app itself (so a new endpoint is covered without
    /// editing this test), called for the other organisation with a full-power token of the first: always 404, and
    /// the other organisation's data is untouched. The other organisation has webhook secrets configured, so its
    /// webhook receivers exist: a bearer token (of any organisation) is no signature there, 401, nothing stored.
    /// </summary>
    [Fact]
    public async Task EveryOrganisationEndpoint_TokenOfAnotherOrganisation_404AndNothingChanged()
    {
        await using var server = await ServerHarness.StartAsync(configuration: (_, other) => new Dictionary<string, string?>
        {
            [$"Utendaji:Connectors:Organisations:{other}:Zendesk:Secret"] = "zendesk-secret-of-the-other-org",
            [$"Utendaji:Connectors:Organisations:{other}:Chatwoot:Secret"] = "chatwoot-secret-of-the-other-org",
            [$"Utendaji:Connectors:Organisations:{other}:Chatwoot:Token"] = "a-url-token-of-the-other-organisation-0123",
        });
        var theirs = await server.ClientAsync(AccountRole.Owner, org: server.OtherOrg);
        Assert.Equal(HttpStatusCode.OK, (await theirs.PostAsync(server.Api("/events", server.OtherOrg), ServerHarness.Json(TestData.EventsBatch))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await theirs.PutAsync(server.Api("/calendars/support-eu", server.OtherOrg), ServerHarness.Json(TestData.Calendar))).StatusCode);
        var before = await server.CountsAsync(server.OtherOrg);
        var mine = await server.ClientAsync(AccountRole.Owner);

        var endpoints = OrganisationEndpoints(server.App);
        Assert.True(endpoints.Count >= 20);
        foreach (var endpoint in endpoints)
        {
            var path = endpoint.RoutePattern.RawText!
                .Replace("{org}", server.OtherOrg, StringComparison.Ordinal)
                .Replace("{ticketId}", "T-1", StringComparison.Ordinal)
                .Replace("{name}", "support-eu", StringComparison.Ordinal)
                .Replace("{id}", "1", StringComparison.Ordinal)
                .Replace("{token}", "a-url-token-of-my-own-organisation-0123456789", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(Method(endpoint)), path);
            if (Method(endpoint) is "POST" or "PUT")
            {
                request.Content = ServerHarness.Json(TestData.EventsBatch);
            }

            var response = await mine.SendAsync(request);

            var expected = endpoint.Metadata.GetMetadata<SignedWebhook>() is null ? HttpStatusCode.NotFound : HttpStatusCode.Unauthorized;
            Assert.True(response.StatusCode == expected, $"{Method(endpoint)} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // A name that is no organisation at all answers the same.
        Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync(server.Api("/tickets", "no-such-org"))).StatusCode);
        Assert.Equal(before, await server.CountsAsync(server.OtherOrg));
        // Their token 1 (DELETE /tokens/1 was tried) still works.
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync(server.Api("/tickets", server.OtherOrg))).StatusCode);
        Assert.Single(await server.WithStoreAsync(s => s.GetConfigAsync(Storage.ConfigKind.Calendar), server.OtherOrg));
    }

    private static string Method(RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single();

    private static List<RouteEndpoint> OrganisationEndpoints(Microsoft.AspNetCore.Builder.WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1/orgs/{org}", StringComparison.Ordinal))
            .ToList();

    private static Microsoft.AspNetCore.Builder.WebApplication BuildOnly() =>
        UtendajiServer.Build(new ServerOptions
        {
            Accounts = new NoAccounts(),
            OpenStore = _ => throw new InvalidOperationException("not opened in this test"),
            JsonConsoleLogs = false,
        }, b => Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.UseTestServer(b.WebHost));

    private sealed class NoAccounts : IAccountStore
    {
        public Task CreateOrganisationAsync(string organisation, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> OrganisationExistsAsync(string organisation, CancellationToken cancellationToken = default) => Task.FromResult(false);
        public Task<AccountUser> CreateUserAsync(string organisation, string email, AccountRole role, NodaTime.Instant now, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<AccountUser>> ListUsersAsync(string organisation, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IssuedToken> CreateTokenAsync(string organisation, string email, TokenScope scope, string? name, NodaTime.Instant now, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<TokenPrincipal?> AuthenticateAsync(ReadOnlyMemory<byte> tokenHash, NodaTime.Instant now, CancellationToken cancellationToken = default) => Task.FromResult<TokenPrincipal?>(null);
        public Task<bool> RevokeTokenAsync(string organisation, long tokenId, NodaTime.Instant now, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string organisation, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<AccountSignIn?> FindSignInAsync(string organisation, string email, CancellationToken cancellationToken = default) => Task.FromResult<AccountSignIn?>(null);
        public Task SetPasswordAsync(string organisation, string email, string passwordHash, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<AccountSignIn?> RecordFailedSignInAsync(string organisation, string email, NodaTime.Instant now, SignInLockout lockout, CancellationToken cancellationToken = default) => Task.FromResult<AccountSignIn?>(null);
        public Task RecordSignInAsync(string organisation, string email, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> SetLanguageAsync(string organisation, string email, string? language, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> SetRoleAsync(string organisation, string email, AccountRole role, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
