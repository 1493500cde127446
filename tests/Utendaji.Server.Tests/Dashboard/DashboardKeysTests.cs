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
}
