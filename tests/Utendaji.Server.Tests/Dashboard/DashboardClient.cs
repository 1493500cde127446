using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests.Dashboard;

/// <summary>
/// A browser-like client of the test server: an https:// base address (so Secure cookies are kept and sent), a cookie
/// jar, no automatic redirects, and helpers for the antiforgery field of the dashboard's forms.
/// </summary>
internal sealed partial class DashboardClient : IDisposable
{
    public const string TokenField = "__RequestVerificationToken";

    private readonly HttpClient _http;

    public DashboardClient(ServerHarness harness)
        : this(harness, harness.App)
    {
    }

    /// <summary>A client of <paramref name="app"/> (another node beside the harness's), with its own cookie jar.</summary>
    public DashboardClient(ServerHarness harness, Microsoft.AspNetCore.Builder.WebApplication app)
    {
        Harness = harness;
        _http = new HttpClient(new CookieHandler(Cookies) { InnerHandler = app.GetTestServer().CreateHandler() })
        {
            BaseAddress = new Uri("https://localhost/"),
        };
    }

    public ServerHarness Harness { get; }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The Set-Cookie headers of the last response (to check attributes).</summary>
    public List<string> LastSetCookies { get; } = [];

    /// <summary>A new member of <paramref name="org"/> (default: the harness's) with a password (a cheap hash, for speed).</summary>
    public static async Task<string> MemberAsync(ServerHarness harness, AccountRole role, string password = "correct horse battery", string? org = null, string? email = null)
    {
        email ??= $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        await harness.Accounts.CreateUserAsync(org ?? harness.Org, email, role, harness.Clock.Now);
        await harness.Accounts.SetPasswordAsync(org ?? harness.Org, email, PasswordHashes.Hash(password, 1000));
        return email;
    }

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        Remember(response);
        return response;
    }

    public async Task<string> GetTextAsync(string path)
    {
        var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The antiforgery token in the first form of <paramref name="path"/>.</summary>
    public async Task<string> FormTokenAsync(string path)
    {
        var html = await (await GetAsync(path)).Content.ReadAsStringAsync();
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"no antiforgery field on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a form; with <paramref name="tokenFrom"/> its antiforgery token is taken from that page first.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, IDictionary<string, string> fields, string? tokenFrom)
    {
        var form = new Dictionary<string, string>(fields);
        if (tokenFrom is not null)
        {
            form[TokenField] = await FormTokenAsync(tokenFrom);
        }

        var response = await _http.PostAsync(path, new FormUrlEncodedContent(form));
        Remember(response);
        return response;
    }

    /// <summary>Posts a body as it is (a malformed form, a raw multipart body).</summary>
    public async Task<HttpResponseMessage> PostRawAsync(string path, HttpContent content)
    {
        var response = await _http.PostAsync(path, content);
        Remember(response);
        return response;
    }

    public Task<HttpResponseMessage> SignInAsync(string org, string email, string password = "correct horse battery", string? returnUrl = null)
    {
        var fields = new Dictionary<string, string> { ["organisation"] = org, ["email"] = email, ["password"] = password };
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        return PostAsync("/sign-in", fields, "/sign-in");
    }

    public bool HasSession => Cookies.GetCookies(new Uri("https://localhost/")).Any(c => c.Name == "utendaji-session");

    public void Dispose() => _http.Dispose();

    private void Remember(HttpResponseMessage response)
    {
        LastSetCookies.Clear();
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            LastSetCookies.AddRange(values);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>Keeps and sends cookies as a browser would for the request's address.</summary>
    internal sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                foreach (var value in values)
                {
                    cookies.SetCookies(request.RequestUri!, value);
                }
            }

            return response;
        }
    }
}
