using System.Net;
using Microsoft.AspNetCore.TestHost;
using NodaTime;
using Utendaji.Server.Web.Dashboard;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests.Dashboard;

public sealed class DashboardSignInTests : IAsyncLifetime
{
    private const string Failed = "The organisation, e-mail address or password is not right";
    private ServerHarness _server = null!;

    public async Task InitializeAsync() => _server = await ServerHarness.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SignIn_RightPassword_RedirectsToDashboardWithTheFrame()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Manager);
        using var client = new DashboardClient(_server);

        var response = await client.SignInAsync(_server.Org, email.ToUpperInvariant());
        var page = await client.GetTextAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", page, StringComparison.Ordinal);
        Assert.Contains(email, page, StringComparison.Ordinal);
        Assert.Contains("href=\"#main\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard/tickets\"", page, StringComparison.Ordinal);
        Assert.Contains("action=\"/sign-out\"", page, StringComparison.Ordinal);
        // A manager is no admin: no link to the people pages.
        Assert.DoesNotContain("href=\"/dashboard/settings/users\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPasswordUnknownPersonOtherOrganisation_OneAnswerAndNoSession()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Owner);
        await DashboardClient.MemberAsync(_server, AccountRole.Owner, org: _server.OtherOrg, email: "other-" + email);
        using var client = new DashboardClient(_server);

        var wrong = await client.SignInAsync(_server.Org, email, "not the password at all");
        var unknown = await client.SignInAsync(_server.Org, "nobody@example.org");
        var otherOrg = await client.SignInAsync(_server.OtherOrg, email);
        var noOrg = await client.SignInAsync("no-such-org", email);

        foreach (var response in new[] { wrong, unknown, otherOrg, noOrg })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(Failed, html, StringComparison.Ordinal);
            Assert.DoesNotContain("nobody@example.org is", html, StringComparison.Ordinal);
        }

        Assert.False(client.HasSession);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveFailures_LockedEvenWithTheRightPasswordThenUnlockedAfter15Minutes()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Viewer);
        using var client = new DashboardClient(_server);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.SignInAsync(_server.Org, email, "wrong password " + i)).StatusCode);
        }

        var locked = await client.SignInAsync(_server.Org, email);
        _server.Clock.Now += Duration.FromMinutes(14);
        var stillLocked = await client.SignInAsync(_server.Org, email);
        _server.Clock.Now += Duration.FromMinutes(1);
        var unlocked = await client.SignInAsync(_server.Org, email);

        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Contains(Failed, await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, stillLocked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        Assert.Equal(0, (await _server.Accounts.FindSignInAsync(_server.Org, email))!.FailedSignIns);
    }

    [Fact]
    public async Task SignIn_LockoutConfigured_TwoFailuresLockForFiveMinutes()
    {
        await using var server = await ServerHarness.StartAsync(configuration: (_, _) => new Dictionary<string, string?>
        {
            ["Utendaji:Dashboard:MaxFailedSignIns"] = "2",
            ["Utendaji:Dashboard:LockoutMinutes"] = "5",
        });
        var email = await DashboardClient.MemberAsync(server, AccountRole.Viewer);
        using var client = new DashboardClient(server);

        await client.SignInAsync(server.Org, email, "wrong password 1");
        await client.SignInAsync(server.Org, email, "wrong password 2");
        var locked = await client.SignInAsync(server.Org, email);
        server.Clock.Now += Duration.FromMinutes(5);
        var unlocked = await client.SignInAsync(server.Org, email);

        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
    }

    [Fact]
    public async Task SessionCookie_HttpOnlySecureSameSiteStrict()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Viewer);
        using var client = new DashboardClient(_server);

        await client.SignInAsync(_server.Org, email);

        var cookie = Assert.Single(client.LastSetCookies, c => c.StartsWith("utendaji-session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("; secure", cookie, StringComparison.Ordinal);
        Assert.Contains("; samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("; path=/", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AntiforgeryCookie_SecureAndStrictEvenOverPlainHttp()
    {
        // Plain http://, as a server behind a TLS-terminating proxy sees its requests: the form still works.
        var response = await _server.Client(null).GetAsync("/sign-in");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("utendaji-csrf=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", cookie, StringComparison.Ordinal);
        Assert.Contains("; samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("; httponly", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_WithoutAntiforgeryToken_Refused()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Owner);
        using var client = new DashboardClient(_server);
        var noToken = await client.PostAsync("/sign-in", new Dictionary<string, string> { ["organisation"] = _server.Org, ["email"] = email, ["password"] = "correct horse battery" }, tokenFrom: null);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.False(client.HasSession);
        await client.SignInAsync(_server.Org, email);

        var language = await client.PostAsync("/dashboard/language", new Dictionary<string, string> { ["language"] = "fi" }, tokenFrom: null);
        var forged = await client.PostAsync("/dashboard/language", new Dictionary<string, string> { ["language"] = "fi", [DashboardClient.TokenField] = "forged" }, tokenFrom: null);
        var addPerson = await client.PostAsync("/dashboard/settings/users", new Dictionary<string, string> { ["email"] = "eve@example.org", ["role"] = "Owner", ["password"] = "correct horse battery" }, tokenFrom: null);
        var signOut = await client.PostAsync("/sign-out", new Dictionary<string, string>(), tokenFrom: null);

        Assert.Equal(HttpStatusCode.BadRequest, language.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, addPerson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Null((await _server.Accounts.FindSignInAsync(_server.Org, email))!.Language);
        Assert.Null(await _server.Accounts.FindSignInAsync(_server.Org, "eve@example.org"));
        Assert.True(client.HasSession);
    }

    [Theory]
    [InlineData("/dashboard/tickets?team=support", "/dashboard/tickets?team=support")]
    [InlineData("//evil.example/phish", "/dashboard")]
    [InlineData("/\\evil.example/phish", "/dashboard")]
    [InlineData("https://evil.example/phish", "/dashboard")]
    [InlineData("javascript:alert(1)", "/dashboard")]
    [InlineData("", "/dashboard")]
    public async Task SignIn_ReturnUrl_OnlyLocalPaths(string returnUrl, string expected)
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Viewer);
        using var client = new DashboardClient(_server);

        var response = await client.SignInAsync(_server.Org, email, returnUrl: returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Stranger_SentToSignInWithTheLocalReturnUrl()
    {
        using var client = new DashboardClient(_server);

        var response = await client.GetAsync("/dashboard/settings/users?x=1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in?returnUrl=%2Fdashboard%2Fsettings%2Fusers%3Fx%3D1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Viewer);
        using var client = new DashboardClient(_server);
        await client.SignInAsync(_server.Org, email);

        var response = await client.PostAsync("/sign-out", new Dictionary<string, string>(), tokenFrom: "/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(client.HasSession);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task Session_PersonRemovedOrDemoted_SignedOutOnTheNextRequest()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Admin);
        using var client = new DashboardClient(_server);
        await client.SignInAsync(_server.Org, email);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard/settings/users")).StatusCode);

        await _server.Accounts.SetRoleAsync(_server.Org, email, AccountRole.Viewer);
        var after = await client.GetAsync("/dashboard/settings/users");

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/sign-in", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.False(client.HasSession);
    }

    [Fact]
    public async Task Language_RememberedAcrossSignOutAndIn()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Viewer);
        using var client = new DashboardClient(_server);
        await client.SignInAsync(_server.Org, email);

        var change = await client.PostAsync("/dashboard/language", new Dictionary<string, string> { ["language"] = "fi", ["returnUrl"] = "/dashboard/tickets" }, tokenFrom: "/dashboard");
        var finnish = await client.GetTextAsync("/dashboard");
        await client.PostAsync("/sign-out", new Dictionary<string, string>(), tokenFrom: "/dashboard");
        using var again = new DashboardClient(_server);
        await again.SignInAsync(_server.Org, email);
        var afterSignIn = await again.GetTextAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal("/dashboard/tickets", change.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"fi\" dir=\"ltr\">", finnish, StringComparison.Ordinal);
        Assert.Contains("Kirjaudu ulos", finnish, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fi\" dir=\"ltr\">", afterSignIn, StringComparison.Ordinal);
        Assert.Equal("fi", (await _server.Accounts.FindSignInAsync(_server.Org, email))!.Language);
    }

    [Fact]
    public async Task Language_Urdu_RightToLeft_UnknownRefused()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Viewer);
        using var client = new DashboardClient(_server);
        await client.SignInAsync(_server.Org, email);

        var unknown = await client.PostAsync("/dashboard/language", new Dictionary<string, string> { ["language"] = "xx" }, tokenFrom: "/dashboard");
        await client.PostAsync("/dashboard/language", new Dictionary<string, string> { ["language"] = "ur" }, tokenFrom: "/dashboard");
        var urdu = await client.GetTextAsync("/dashboard");

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("<html lang=\"ur\" dir=\"rtl\">", urdu, StringComparison.Ordinal);
        Assert.Contains("سائن آؤٹ", urdu, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_BrowserLanguageAndSecurityHeaders()
    {
        using var client = new DashboardClient(_server);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sign-in");
        request.Headers.Add("Accept-Language", "sw-KE, en;q=0.5");
        var response = await _server.App.GetTestClientHttps().SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<html lang=\"sw\"", html, StringComparison.Ordinal);
        Assert.Contains("Nenosiri", html, StringComparison.Ordinal);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(DashboardLayout.ContentSecurityPolicy, csp);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        // The frame's style sheet and the charts' SVG style, each by its hash.
        Assert.Contains("'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(DashboardLayout.Css))) + "'", csp, StringComparison.Ordinal);
        Assert.Contains("'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Utendaji.Reports.Charts.Svg.StyleSheet))) + "'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task ApiTokens_StillWorkBesideTheCookie()
    {
        var api = await _server.ClientAsync(AccountRole.Admin);

        var users = await api.GetAsync(_server.Api("/users"));

        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Client(null).GetAsync(_server.Api("/users"))).StatusCode);
    }

    /// <summary>Bodies no browser sends; ASP.NET Core's form reader throws for each (a NUL, no boundary, 1,025 fields).</summary>
    public static TheoryData<string> MalformedForms => new() { "nul", "no-boundary", "too-many-fields" };

    /// <summary>A sign-in body of shape <paramref name="kind"/> with the right organisation, address and password.</summary>
    internal static HttpContent Malformed(string kind, string urlEncodedFields)
    {
        switch (kind)
        {
            case "nul":
                return new StringContent(urlEncodedFields + "&extra=%00", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
            case "no-boundary":
                var content = new StringContent("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n");
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data");
                return content;
            default:
                var fields = string.Concat(Enumerable.Range(0, 1025).Select(i => $"&f{i}=1"));
                return new StringContent(urlEncodedFields + fields, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        }
    }

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task SignIn_MalformedForm_400PageAndNoSession(string kind)
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Owner);
        using var client = new DashboardClient(_server);
        var token = await client.FormTokenAsync("/sign-in");
        var fields = $"organisation={Uri.EscapeDataString(_server.Org)}&email={Uri.EscapeDataString(email)}&password=correct+horse+battery&{DashboardClient.TokenField}={Uri.EscapeDataString(token)}";

        var response = await client.PostRawAsync("/sign-in", Malformed(kind, fields));
        // The same fields as a well-formed form do sign in: the shape alone made the difference.
        using var well = new StringContent(fields, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        var hadSession = client.HasSession;
        var good = await client.PostRawAsync("/sign-in", well);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Fill in the organisation, the e-mail address and the password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(hadSession);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
    }

    [Theory]
    [InlineData("organisation")]
    [InlineData("email")]
    public async Task SignIn_MultipartWithARawNulByte_FailsLikeAnUnknownPerson(string field)
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Owner);
        using var client = new DashboardClient(_server);
        var token = await client.FormTokenAsync("/sign-in");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(field == "organisation" ? _server.Org + "\0" : _server.Org), "organisation" },
            { new StringContent(field == "email" ? "a\0" + email : email), "email" },
            { new StringContent("correct horse battery"), "password" },
            { new StringContent(token), DashboardClient.TokenField },
        };

        var response = await client.PostRawAsync("/sign-in", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Failed, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(client.HasSession);
    }
}

internal static class TestServerExtensions
{
    /// <summary>A plain test client on an https:// base address.</summary>
    public static HttpClient GetTestClientHttps(this Microsoft.AspNetCore.Builder.WebApplication app)
    {
        var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://localhost/");
        return client;
    }
}
