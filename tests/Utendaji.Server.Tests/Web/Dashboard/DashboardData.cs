using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using NodaTime;
using NodaTime.Text;
using Utendaji.Server.Web.Dashboard;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests.Web.Dashboard;

/// <summary>One generated ticket: created, answered after <paramref name="ReplyHours"/>, solved half an hour later.</summary>
internal sealed record GeneratedTicket(string Id, Instant Created, string Team, string Channel, string Priority, string Agent, double ReplyHours);

/// <summary>
/// Tickets for the dashboard tests, in April and May 2026 (the harness clock stands on 30 June, so May is the last
/// complete month). April answers 90% within the 2-hour first-reply target, May 40%: a change a test must find
/// significant; the created counts change too, but counts are never tested.
/// </summary>
internal static partial class DashboardData
{
    public const string Policy = """{"name":"standard","hours":"calendar","targets":[{"priority":"normal","first_reply":"PT2H"},{"priority":"high","first_reply":"PT2H"}]}""";

    public static List<GeneratedTicket> Tickets()
    {
        var tickets = new List<GeneratedTicket>();
        for (var i = 0; i < 40; i++)
        {
            tickets.Add(Make("A", i, 4, i % 10 == 0 ? 3 : 1));
        }

        for (var i = 0; i < 44; i++)
        {
            tickets.Add(Make("M", i, 5, i % 10 < 6 ? 3 : 1));
        }

        return tickets;
    }

    private static GeneratedTicket Make(string prefix, int i, int month, double replyHours) => new(
        $"{prefix}-{i:00}",
        Instant.FromUtc(2026, month, 1 + (i % 28), 8 + (i % 5), 0),
        i % 3 == 0 ? "billing" : "support",
        i % 2 == 0 ? "email" : "chat",
        i % 4 == 0 ? "high" : "normal",
        i % 2 == 0 ? "amina" : "matti",
        replyHours);

    public static string Events(IEnumerable<GeneratedTicket> tickets)
    {
        var events = new List<object>();
        foreach (var t in tickets)
        {
            var created = InstantPattern.ExtendedIso.Format(t.Created);
            var reply = InstantPattern.ExtendedIso.Format(t.Created + Duration.FromHours(t.ReplyHours));
            var solved = InstantPattern.ExtendedIso.Format(t.Created + Duration.FromHours(t.ReplyHours + 0.5));
            events.Add(new Dictionary<string, object>
            {
                ["id"] = t.Id + "-c", ["ticket_id"] = t.Id, ["at"] = created, ["type"] = "created",
                ["actor"] = new { kind = "customer", id = "c-" + t.Id }, ["channel"] = t.Channel, ["team"] = t.Team, ["priority"] = t.Priority,
                ["attributes"] = new { customer = "c-" + t.Id, language = "sw" },
            });
            events.Add(new Dictionary<string, object>
            {
                ["id"] = t.Id + "-r", ["ticket_id"] = t.Id, ["at"] = reply, ["type"] = "agent_reply", ["actor"] = new { kind = "agent", id = t.Agent }, ["public"] = true,
            });
            events.Add(new Dictionary<string, object>
            {
                ["id"] = t.Id + "-s", ["ticket_id"] = t.Id, ["at"] = solved, ["type"] = "status_changed", ["actor"] = new { kind = "agent", id = t.Agent }, ["status"] = "solved",
            });
        }

        return JsonSerializer.Serialize(events);
    }

    /// <summary>Starts a server with the policy and the tickets stored in <see cref="ServerHarness.Org"/>.</summary>
    public static async Task<ServerHarness> StartAsync(IEnumerable<GeneratedTicket>? extra = null, Func<ServerOptions, ServerOptions>? adjust = null)
    {
        var server = await ServerHarness.StartAsync(adjust);
        var client = await server.ClientAsync();
        using (var put = await client.PutAsync(server.Api("/sla-policies/standard"), ServerHarness.Json(Policy)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var post = await client.PostAsync(server.Api("/events"), ServerHarness.Json(Events(Tickets().Concat(extra ?? []))));
        Assert.True(post.IsSuccessStatusCode, await post.Content.ReadAsStringAsync());
        return server;
    }

    /// <summary>
    /// A client signed in through the real sign-in page as <paramref name="role"/> of <paramref name="org"/>, over https
    /// (the session and antiforgery cookies are Secure), keeping cookies as a browser would. The person is
    /// <c>{role}@example.org</c>, created on first use; <paramref name="language"/> is their stored dashboard language.
    /// </summary>
    public static async Task<HttpClient> SignedInAsync(ServerHarness server, AccountRole role = AccountRole.Viewer, string language = "en", string? org = null)
    {
        var organisation = org ?? server.Org;
        var email = Email(role);
        const string password = "correct horse battery";
        if (!(await server.Accounts.ListUsersAsync(organisation)).Any(u => u.Email == email))
        {
            await server.Accounts.CreateUserAsync(organisation, email, role, server.Clock.Now);
            // A cheap hash keeps the tests fast; the iteration count is part of the stored text.
            await server.Accounts.SetPasswordAsync(organisation, email, PasswordHashes.Hash(password, 1000));
        }

        await server.Accounts.SetLanguageAsync(organisation, email, language);
        var client = new HttpClient(new Tests.Dashboard.DashboardClient.CookieHandler(new CookieContainer()) { InnerHandler = server.App.GetTestServer().CreateHandler() })
        {
            BaseAddress = new Uri("https://localhost/"),
        };
        var signInPage = await client.GetStringAsync(new Uri("/sign-in", UriKind.Relative));
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(signInPage).Groups[1].Value);
        using var response = await client.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["organisation"] = organisation, ["email"] = email, ["password"] = password, [Tests.Dashboard.DashboardClient.TokenField] = token,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in as {email} failed: {(int)response.StatusCode}");
        return client;
    }

    /// <summary>The e-mail address <see cref="SignedInAsync"/> signs in with.</summary>
    public static string Email(AccountRole role) => $"{role.ToString().ToLowerInvariant()}@example.org";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<string> PageAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>CSV rows (the dashboard's CSV has no line breaks inside fields for these tests' data).</summary>
    public static List<string[]> Csv(string text) =>
        text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(line => CsvField().Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : m.Groups[2].Value).ToArray()).ToList();

    /// <summary>The cells of an HTML table by id, as text (tags dropped, entities decoded).</summary>
    public static List<string[]> Table(string html, string id)
    {
        var start = html.IndexOf($"<table id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table {id}");
        var table = html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
        var rows = new List<string[]>();
        foreach (Match row in Row().Matches(table))
        {
            rows.Add(Cell().Matches(row.Groups[1].Value).Select(c => WebUtility.HtmlDecode(Tag().Replace(c.Groups[1].Value, ""))).ToArray());
        }

        return rows;
    }

    /// <summary>Every href in the page that starts with <paramref name="prefix"/>, decoded.</summary>
    public static List<string> Links(string html, string prefix) =>
        Href().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(h => h.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    public static string Decimal(double value, string format, string culture) => value.ToString(format, CultureInfo.GetCultureInfo(culture));

    [GeneratedRegex("(?:^|,)(?:\"((?:[^\"]|\"\")*)\"|([^,]*))")]
    private static partial Regex CsvField();

    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<t[dh][^>]*>(.*?)</t[dh]>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex Href();
}
