using System.Net;
using System.Text.RegularExpressions;
using Utendaji.Server.Web.Dashboard;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests.Dashboard;

public sealed class DashboardPeopleTests : IAsyncLifetime
{
    private ServerHarness _server = null!;

    public async Task InitializeAsync() => _server = await ServerHarness.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<DashboardClient> SignedInAsync(AccountRole role, string? org = null)
    {
        var email = await DashboardClient.MemberAsync(_server, role, org: org);
        var client = new DashboardClient(_server);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(org ?? _server.Org, email)).StatusCode);
        return client;
    }

    [Theory]
    [InlineData(AccountRole.Viewer)]
    [InlineData(AccountRole.Agent)]
    [InlineData(AccountRole.Manager)]
    public async Task PeoplePages_BelowAdmin_Forbidden(AccountRole role)
    {
        using var client = await SignedInAsync(role);

        var users = await client.GetAsync("/dashboard/settings/users");
        var tokens = await client.GetAsync("/dashboard/settings/tokens");
        var add = await client.PostAsync("/dashboard/settings/users", new Dictionary<string, string> { ["email"] = "eve@example.org", ["role"] = "Owner", ["password"] = "correct horse battery" }, tokenFrom: "/dashboard");
        var create = await client.PostAsync("/dashboard/settings/tokens", new Dictionary<string, string> { ["scope"] = "write" }, tokenFrom: "/dashboard");

        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        Assert.Contains("Only administrators and owners", await users.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, tokens.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Null(await _server.Accounts.FindSignInAsync(_server.Org, "eve@example.org"));
        Assert.Empty(await _server.Accounts.ListTokensAsync(_server.Org));
    }

    [Fact]
    public async Task AddPerson_WithRoleAndPassword_TheyCanSignIn()
    {
        using var admin = await SignedInAsync(AccountRole.Admin);

        var added = await admin.PostAsync("/dashboard/settings/users",
            new Dictionary<string, string> { ["email"] = "Bob@Example.org", ["role"] = "Manager", ["password"] = "a long first password" }, tokenFrom: "/dashboard/settings/users");
        var page = await admin.GetTextAsync(added.Headers.Location!.OriginalString);
        using var bob = new DashboardClient(_server);
        var signIn = await bob.SignInAsync(_server.Org, "bob@example.org", "a long first password");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("The person was added.", page, StringComparison.Ordinal);
        Assert.Contains("bob@example.org", page, StringComparison.Ordinal);
        Assert.Equal(AccountRole.Manager, (await _server.Accounts.FindSignInAsync(_server.Org, "bob@example.org"))!.User.Role);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Theory]
    [InlineData("carol@example.org", "Owner", "a long first password", "Nobody can give a role above their own")]
    [InlineData("carol@example.org", "Emperor", "a long first password", "Choose one of the roles offered.")]
    [InlineData("not-an-address", "Viewer", "a long first password", "Enter an e-mail address")]
    [InlineData("carol@example.org", "Viewer", "short pw 11", "The password needs at least 12 characters.")]
    public async Task AddPerson_BadInput_ExplainedAndNothingAdded(string email, string role, string password, string message)
    {
        using var admin = await SignedInAsync(AccountRole.Admin);

        var response = await admin.PostAsync("/dashboard/settings/users",
            new Dictionary<string, string> { ["email"] = email, ["role"] = role, ["password"] = password }, tokenFrom: "/dashboard/settings/users");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await _server.Accounts.FindSignInAsync(_server.Org, email));
    }

    [Fact]
    public async Task ChangeRole_OthersUpToOwnRole_NeverOwnOrAbove()
    {
        using var admin = await SignedInAsync(AccountRole.Admin);
        var agent = await DashboardClient.MemberAsync(_server, AccountRole.Agent);
        var owner = await DashboardClient.MemberAsync(_server, AccountRole.Owner);

        var promote = await admin.PostAsync("/dashboard/settings/users/role", new Dictionary<string, string> { ["email"] = agent, ["role"] = "Admin" }, tokenFrom: "/dashboard/settings/users");
        var tooHigh = await admin.PostAsync("/dashboard/settings/users/role", new Dictionary<string, string> { ["email"] = agent, ["role"] = "Owner" }, tokenFrom: "/dashboard/settings/users");
        var demoteOwner = await admin.PostAsync("/dashboard/settings/users/role", new Dictionary<string, string> { ["email"] = owner, ["role"] = "Viewer" }, tokenFrom: "/dashboard/settings/users");

        Assert.Equal(HttpStatusCode.Redirect, promote.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooHigh.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, demoteOwner.StatusCode);
        Assert.Equal(AccountRole.Admin, (await _server.Accounts.FindSignInAsync(_server.Org, agent))!.User.Role);
        Assert.Equal(AccountRole.Owner, (await _server.Accounts.FindSignInAsync(_server.Org, owner))!.User.Role);
    }

    [Fact]
    public async Task Isolation_AdminOfOneOrganisationNeverSeesOrChangesAnother()
    {
        var shared = "shared-" + Guid.NewGuid().ToString("N")[..6] + "@example.org";
        await DashboardClient.MemberAsync(_server, AccountRole.Viewer, org: _server.OtherOrg, email: shared);
        var otherOnly = await DashboardClient.MemberAsync(_server, AccountRole.Viewer, org: _server.OtherOrg);
        await _server.Accounts.CreateTokenAsync(_server.OtherOrg, otherOnly, TokenScope.Write, "globex-ci", _server.Clock.Now);
        using var admin = await SignedInAsync(AccountRole.Owner);

        var users = await admin.GetTextAsync("/dashboard/settings/users");
        var tokens = await admin.GetTextAsync("/dashboard/settings/tokens");
        var change = await admin.PostAsync("/dashboard/settings/users/role", new Dictionary<string, string> { ["email"] = otherOnly, ["role"] = "Admin" }, tokenFrom: "/dashboard/settings/users");
        var revoke = await admin.PostAsync("/dashboard/settings/tokens/1/revoke", new Dictionary<string, string>(), tokenFrom: "/dashboard/settings/tokens");

        Assert.DoesNotContain(otherOnly, users, StringComparison.Ordinal);
        Assert.DoesNotContain(shared, users, StringComparison.Ordinal);
        Assert.DoesNotContain("globex-ci", tokens, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(AccountRole.Viewer, (await _server.Accounts.FindSignInAsync(_server.OtherOrg, otherOnly))!.User.Role);
        Assert.Null(Assert.Single(await _server.Accounts.ListTokensAsync(_server.OtherOrg)).RevokedAt);
    }

    [Fact]
    public async Task Tokens_SecretShownOnceWorksOnTheApiAndRevokeStopsIt()
    {
        using var admin = await SignedInAsync(AccountRole.Admin);

        var created = await admin.PostAsync("/dashboard/settings/tokens", new Dictionary<string, string> { ["scope"] = "read", ["name"] = "<b>ci</b>" }, tokenFrom: "/dashboard/settings/tokens");
        var html = await created.Content.ReadAsStringAsync();
        var secret = Regex.Match(html, "id=\"new-token\">(utd_[A-Za-z0-9_-]{43})<").Groups[1].Value;
        var api = _server.Client(secret);
        var before = await api.GetAsync(_server.Api("/users"));
        var listing = await admin.GetTextAsync("/dashboard/settings/tokens");
        var revoke = await admin.PostAsync("/dashboard/settings/tokens/1/revoke", new Dictionary<string, string>(), tokenFrom: "/dashboard/settings/tokens");
        var after = await api.GetAsync(_server.Api("/users"));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.NotEmpty(secret);
        Assert.Contains("&lt;b&gt;ci&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>ci</b>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.DoesNotContain(secret, listing, StringComparison.Ordinal);
        Assert.Contains(secret[..10], listing, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Dates_FormattedInThePersonsCulture()
    {
        using var admin = await SignedInAsync(AccountRole.Admin);
        await admin.PostAsync("/dashboard/language", new Dictionary<string, string> { ["language"] = "fi" }, tokenFrom: "/dashboard");

        var page = await admin.GetTextAsync("/dashboard/settings/users");

        // The harness's clock: 30 June 2026 12:00 UTC, in Finnish short date and time.
        Assert.Contains(new DateTime(2026, 6, 30, 12, 0, 0, DateTimeKind.Utc).ToString("g", DashboardLanguages.Culture("fi")), page, StringComparison.Ordinal);
        Assert.Contains("Henkilöt", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPersonAndIssueToken_MultipartWithARawNulByte_400AndNothingStored()
    {
        using var admin = await SignedInAsync(AccountRole.Admin);
        var usersBefore = (await _server.Accounts.ListUsersAsync(_server.Org)).Count;
        var tokensBefore = (await _server.Accounts.ListTokensAsync(_server.Org)).Count;

        using var person = new MultipartFormDataContent
        {
            { new StringContent("a\0b@x.example"), "email" },
            { new StringContent("Viewer"), "role" },
            { new StringContent("a long first password"), "password" },
            { new StringContent(await admin.FormTokenAsync("/dashboard/settings/users")), DashboardClient.TokenField },
        };
        var added = await admin.PostRawAsync("/dashboard/settings/users", person);
        using var token = new MultipartFormDataContent
        {
            { new StringContent("read"), "scope" },
            { new StringContent("n\0m"), "name" },
            { new StringContent(await admin.FormTokenAsync("/dashboard/settings/tokens")), DashboardClient.TokenField },
        };
        var issued = await admin.PostRawAsync("/dashboard/settings/tokens", token);

        Assert.Equal(HttpStatusCode.BadRequest, added.StatusCode);
        Assert.Contains("Enter an e-mail address", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, issued.StatusCode);
        Assert.Equal(usersBefore, (await _server.Accounts.ListUsersAsync(_server.Org)).Count);
        Assert.Equal(tokensBefore, (await _server.Accounts.ListTokensAsync(_server.Org)).Count);
    }
}
