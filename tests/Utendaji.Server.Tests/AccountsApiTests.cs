using System.Net;
using System.Text.Json;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests;

public sealed class AccountsApiTests
{
    [Fact]
    public async Task Admin_AddsPersonAndIssuesToken_TokenWorksAndIsListedWithoutSecret()
    {
        await using var server = await ServerHarness.StartAsync();
        var admin = await server.ClientAsync(AccountRole.Admin);

        var user = await admin.PostAsync(server.Api("/users"), ServerHarness.Json("""{"email":"Juma@Example.org","role":"agent"}"""));
        var issued = await admin.PostAsync(server.Api("/tokens"), ServerHarness.Json("""{"email":"juma@example.org","scope":"write","name":"sync"}"""));
        var secret = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        var listed = await admin.GetStringAsync(server.Api("/tokens"));
        var users = await admin.GetStringAsync(server.Api("/users"));

        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client(secret).PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch))).StatusCode);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Contains(secret[..10], listed, StringComparison.Ordinal);
        Assert.Contains("\"juma@example.org\"", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_RevokesToken_TokenRefusedAt401()
    {
        await using var server = await ServerHarness.StartAsync();
        var admin = await server.ClientAsync(AccountRole.Admin);
        var victim = await server.TokenAsync(AccountRole.Agent);

        var revoked = await admin.DeleteAsync(server.Api($"/tokens/{victim.Token.TokenId}"));
        var again = await admin.DeleteAsync(server.Api($"/tokens/{victim.Token.TokenId}"));

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client(victim.Secret).GetAsync(server.Api("/tickets"))).StatusCode);
    }

    [Fact]
    public async Task Manager_CannotSeeOrManagePeople_403()
    {
        await using var server = await ServerHarness.StartAsync();
        var manager = await server.ClientAsync(AccountRole.Manager);

        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync(server.Api("/tokens"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync(server.Api("/users"), ServerHarness.Json("""{"email":"x@example.org","role":"viewer"}"""))).StatusCode);
    }

    [Fact]
    public async Task Admin_GrantingOwner_403AndNobodyAdded()
    {
        await using var server = await ServerHarness.StartAsync();
        var admin = await server.ClientAsync(AccountRole.Admin);

        var response = await admin.PostAsync(server.Api("/users"), ServerHarness.Json("""{"email":"boss@example.org","role":"owner"}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(await server.Accounts.ListUsersAsync(server.Org), u => u.Email == "boss@example.org");
    }

    [Theory]
    [InlineData("""{"email":"x@example.org"}""", "role")]
    [InlineData("""{"email":"x@example.org","role":"emperor"}""", "role")]
    [InlineData("""{"email":"x@example.org","role":"agent","team":"a"}""", "team")]
    [InlineData("""{"email":5,"role":"agent"}""", "email")]
    [InlineData("""{"email":"not-an-address","role":"agent"}""", "email")]
    [InlineData("""{"email":"x\ud800@example.org","role":"agent"}""", "email")]
    [InlineData("""{"email":"x@example.org","role":"\udc00"}""", "role")]
    public async Task CreateUser_BadBody_400NamingTheField(string body, string field)
    {
        await using var server = await ServerHarness.StartAsync();
        var admin = await server.ClientAsync(AccountRole.Admin);
        var before = (await server.Accounts.ListUsersAsync(server.Org)).Count;

        var response = await admin.PostAsync(server.Api("/users"), ServerHarness.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, (await server.Accounts.ListUsersAsync(server.Org)).Count);
    }

    [Theory]
    [InlineData(false, "/users", """{"email":"a\u0000b@x.example","role":"viewer"}""", "email")]
    [InlineData(true, "/users", """{"email":"a\u0000b@x.example","role":"viewer"}""", "email")]
    [InlineData(false, "/users", """{"email":"a\u0001b@x.example","role":"viewer"}""", "email")]
    [InlineData(true, "/tokens", """{"email":"OWNER","scope":"read","name":"n\u0000m"}""", "name")]
    [InlineData(false, "/tokens", """{"email":"OWNER","scope":"read","name":"n\u0000m"}""", "name")]
    [InlineData(true, "/tokens", """{"email":"a\u0000b@x.example","scope":"read"}""", "email")]
    public async Task ControlCharacterInAnAccountField_400NamingTheFieldAndNothingStored(bool postgres, string path, string body, string field)
    {
        await using var server = await ServerHarness.StartAsync(postgres: postgres);
        var admin = await server.ClientAsync(AccountRole.Admin);
        var owner = (await server.Accounts.ListUsersAsync(server.Org))[0].Email;
        var usersBefore = (await server.Accounts.ListUsersAsync(server.Org)).Count;
        var tokensBefore = (await server.Accounts.ListTokensAsync(server.Org)).Count;

        var response = await admin.PostAsync(server.Api(path), ServerHarness.Json(body.Replace("OWNER", owner, StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(usersBefore, (await server.Accounts.ListUsersAsync(server.Org)).Count);
        Assert.Equal(tokensBefore, (await server.Accounts.ListTokensAsync(server.Org)).Count);
    }
}
