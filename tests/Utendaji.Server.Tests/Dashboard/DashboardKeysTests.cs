using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests.Dashboard;

/// <summary>Session cookies and the data-protection keys folder: a restart or another node with the same keys accepts them.</summary>
public sealed class DashboardKeysTests : IAsyncLifetime
{
    private ServerHarness _server = null!;
    private string _keys = null!;

    public async Task InitializeAsync()
    {
        _keys = Path.Combine(Path.GetTempPath(), "utendaji-server-tests", "keys-" + Guid.NewGuid().ToString("N"));
        _server = await ServerHarness.StartAsync(adjust: options => options with { DashboardKeysDirectory = _keys });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task Session_AcceptedByAnotherServerWithTheSameKeysOnly()
    {
        var email = await DashboardClient.MemberAsync(_server, AccountRole.Admin);
        using var first = new DashboardClient(_server);
        await first.SignInAsync(_server.Org, email);
        var cookie = first.Cookies.GetCookieHeader(new Uri("https://localhost/"));
        await using var sameKeys = await NodeAsync(_keys);
        await using var otherKeys = await NodeAsync(_keys + "-other");

        var accepted = await GetWithCookieAsync(sameKeys, cookie);
        var refused = await GetWithCookieAsync(otherKeys, cookie);

        Assert.NotEmpty(Directory.GetFiles(_keys, "key-*.xml"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_keys));
        }

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Directory.Delete(_keys + "-other", recursive: true);
    }

    private async Task<WebApplication> NodeAsync(string keys)
    {
        var app = UtendajiServer.Build(new ServerOptions
        {
            Accounts = _server.Accounts,
            OpenStore = _ => throw new InvalidOperationException("not opened in this test"),
            Clock = _server.Clock,
            JsonConsoleLogs = false,
            DashboardKeysDirectory = keys,
        }, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return app;
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(WebApplication app, string cookie)
    {
        using var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://localhost/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/settings/users");
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task SignIn_OnPostgres_FailuresOnTwoNodesCountTogether()
    {
        var keys = _keys + "-pg";
        await using var first = await ServerHarness.StartAsync(adjust: options => options with { DashboardKeysDirectory = keys }, postgres: true);
        var email = await DashboardClient.MemberAsync(first, AccountRole.Viewer);
        await using var second = UtendajiServer.Build(new ServerOptions
        {
            Accounts = first.Accounts,
            OpenStore = _ => throw new InvalidOperationException("not opened in this test"),
            Clock = first.Clock,
            JsonConsoleLogs = false,
            DashboardKeysDirectory = keys,
        }, builder => builder.WebHost.UseTestServer());
        await second.StartAsync();
        using var one = new DashboardClient(first);
        using var other = new DashboardClient(first, second);

        for (var i = 0; i < 3; i++)
        {
            await one.SignInAsync(first.Org, email, "wrong password " + i);
        }

        await other.SignInAsync(first.Org, email, "wrong password 3");
        await other.SignInAsync(first.Org, email, "wrong password 4");
        var lockedOnFirst = await one.SignInAsync(first.Org, email);
        var lockedOnSecond = await other.SignInAsync(first.Org, email);

        Assert.Equal(HttpStatusCode.BadRequest, lockedOnFirst.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, lockedOnSecond.StatusCode);
        Assert.True((await first.Accounts.FindSignInAsync(first.Org, email))!.IsLockedAt(first.Clock.Now));
        Directory.Delete(keys, recursive: true);
    }
}
