using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;
using static Utendaji.Server.Tests.Web.Dashboard.DashboardData;

namespace Utendaji.Server.Tests.Web.Dashboard;

/// <summary>The settings pages: everyone reads, managers and above upload through the API's validation.</summary>
public sealed partial class DashboardSettingsTests
{
    private const string Ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:h1@test\r\nDTSTART;VALUE=DATE:20260302\r\nSUMMARY:Holiday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    private const string Yaml = """
        id: quick
        questions:
          - id: clarity
            type: rating
            scale: { min: 1, max: 5 }
        """;

    /// <summary>Posts a file to a settings form with the page's antiforgery token and cookie, as a browser would.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string path, string fileName, string content, string? tokenFrom = null)
    {
        using var page = await client.GetAsync(new Uri(tokenFrom ?? path, UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        var cookie = page.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.First(c => c.StartsWith("utendaji-csrf", StringComparison.Ordinal)).Split(';')[0] : null;
        var field = HiddenField().Match(html);
        using var form = new MultipartFormDataContent();
        if (field.Success)
        {
            form.Add(new StringContent(WebUtility.HtmlDecode(field.Groups[2].Value)), WebUtility.HtmlDecode(field.Groups[1].Value));
        }

        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = form };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_manager_uploads_a_calendar_an_ics_file_a_policy_and_a_yaml_instrument()
    {
        await using var server = await ServerHarness.StartAsync();
        var manager = await SignedInAsync(server, AccountRole.Manager);

        using (var ics = await UploadAsync(manager, "/dashboard/settings/holiday-files", "ke.ics", Ics, "/dashboard/settings/calendars"))
        {
            Assert.Equal(HttpStatusCode.Redirect, ics.StatusCode);
        }

        var calendar = TestData.Calendar.Replace("\"holidays\": [\"2026-03-04\"]", "\"holidays\": [\"2026-03-04\"], \"holiday_calendars\": [\"ke.ics\"]", StringComparison.Ordinal);
        using (var stored = await UploadAsync(manager, "/dashboard/settings/calendars", "support.json", calendar))
        {
            Assert.Equal(HttpStatusCode.Redirect, stored.StatusCode);
            var list = await PageAsync(manager, stored.Headers.Location!.OriginalString);
            Assert.Contains("support-eu", list, StringComparison.Ordinal);
            Assert.Contains("ke.ics", list, StringComparison.Ordinal);
        }

        Assert.Contains("Europe/Helsinki", await PageAsync(manager, "/dashboard/settings/calendars/support-eu"), StringComparison.Ordinal);
        using (var policy = await UploadAsync(manager, "/dashboard/settings/sla-policies", "p.json", DashboardData.Policy))
        {
            Assert.Equal(HttpStatusCode.Redirect, policy.StatusCode);
        }

        using (var yaml = await UploadAsync(manager, "/dashboard/settings/instruments", "quick.yaml", Yaml))
        {
            Assert.True(HttpStatusCode.Redirect == yaml.StatusCode, await yaml.Content.ReadAsStringAsync());
        }

        Assert.Contains("clarity", await PageAsync(manager, "/dashboard/settings/instruments/quick"), StringComparison.Ordinal);
        var stores = await server.WithStoreAsync(async s => (
            await s.GetConfigAsync(ConfigKind.Calendar), await s.GetConfigAsync(ConfigKind.HolidayFile), await s.GetConfigAsync(ConfigKind.SlaPolicy), await s.GetConfigAsync(ConfigKind.SurveyInstrument)));
        Assert.Equal("support-eu", Assert.Single(stores.Item1).Name);
        Assert.Equal("ke.ics", Assert.Single(stores.Item2).Name);
        Assert.Equal("standard", Assert.Single(stores.Item3).Name);
        Assert.Equal("quick", Assert.Single(stores.Item4).Name);
    }

    [Theory]
    [InlineData("/dashboard/settings/calendars", "c.json", """{"name":"c","time_zone":"Mars/Olympus","week":{}}""", "time_zone")]
    [InlineData("/dashboard/settings/calendars", "c.json", """{"time_zone":"UTC"}""", "$.name")]
    [InlineData("/dashboard/settings/calendars", "c.json", "{ not json", "is not JSON")]
    [InlineData("/dashboard/settings/calendars", "c.json", """{"name":"\ud800","time_zone":"UTC"}""", @"$.name: is not valid text (a lone UTF-16 surrogate escape such as \ud800)")]
    [InlineData("/dashboard/settings/sla-policies", "p.json", """{"name":"p","targets":[{"team":"\udc00","first_reply":"PT1H"}]}""", @"$.targets[0].team: is not valid text (a lone UTF-16 surrogate escape such as \ud800)")]
    [InlineData("/dashboard/settings/sla-policies", "p.json", """{"name":"broken","targets":[{"first_reply":"soon"}]}""", "soon")]
    [InlineData("/dashboard/settings/instruments", "q.yaml", "id: q\nquestions:\n  - id: clarity\n    type: rating\n    scale: { min: \"1\", max: 5 }\n", "$.questions[0].scale.min")]
    [InlineData("/dashboard/settings/holiday-files", "h.txt", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", ".ics")]
    [InlineData("/dashboard/settings/holiday-files", "h.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nDURATION:P9999999W\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "'P9999999W' makes event longer than 366 days")]
    [InlineData("/dashboard/settings/calendars", "c.json", """{"name":"c","time_zone":"UTC","week":{},"special_hours":{"9999-12-31":[["09:00","17:00"]]}}""", "'9999-12-31' is outside the supported range")]
    [InlineData("/dashboard/settings/sla-policies", "big.json", "BIG", "larger than allowed")]
    // These two took the whole server process down (stack overflow; billion-laughs expansion to gigabytes).
    [InlineData("/dashboard/settings/instruments", "deep.yaml", "DEEP", "deep.yaml: line 1, column 65: nested more than 64 levels deep")]
    [InlineData("/dashboard/settings/instruments", "laughs.yaml", "LAUGHS", "laughs.yaml: line 2, column 8: an alias (*a) is not allowed")]
    public async Task A_bad_upload_names_the_field_and_changes_nothing(string path, string fileName, string content, string named)
    {
        await using var server = await ServerHarness.StartAsync();
        var manager = await SignedInAsync(server, AccountRole.Manager);
        if (content == "BIG")
        {
            content = "{\"name\":\"big\",\"x\":\"" + new string('x', 2 << 20) + "\"}";
        }
        else if (content == "DEEP")
        {
            content = new string('[', 100_000);
        }
        else if (content == "LAUGHS")
        {
            content = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + string.Concat(
                Enumerable.Range('b', 8).Select(c => $"{(char)c}: &{(char)c} [{string.Join(", ", Enumerable.Repeat("*" + (char)(c - 1), 9))}]\n"));
        }

        var tokenPage = path.EndsWith("holiday-files", StringComparison.Ordinal) ? "/dashboard/settings/calendars" : path;
        using var response = await UploadAsync(manager, path, fileName, content, tokenPage);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, body);
        Assert.Contains("role=\"alert\"", body, StringComparison.Ordinal);
        Assert.Contains(named, WebUtility.HtmlDecode(body), StringComparison.Ordinal);
        var counts = await server.WithStoreAsync(async s =>
            (await s.GetConfigAsync(ConfigKind.Calendar)).Count + (await s.GetConfigAsync(ConfigKind.SlaPolicy)).Count
            + (await s.GetConfigAsync(ConfigKind.SurveyInstrument)).Count + (await s.GetConfigAsync(ConfigKind.HolidayFile)).Count);
        Assert.Equal(0, counts);
    }

    [Theory]
    [InlineData(AccountRole.Viewer)]
    [InlineData(AccountRole.Agent)]
    public async Task Viewers_and_agents_read_settings_but_may_not_change_them(AccountRole role)
    {
        await using var server = await StartAsync();
        var reader = await SignedInAsync(server, role);
        var list = await PageAsync(reader, "/dashboard/settings/sla-policies");
        Assert.Contains("standard", list, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"file\"", list, StringComparison.Ordinal);
        Assert.Contains("PT2H", await PageAsync(reader, "/dashboard/settings/sla-policies/standard"), StringComparison.Ordinal);

        // Even with a valid antiforgery token of this person's session (the frame's language form carries one), the server refuses the change.
        var token = WebUtility.HtmlDecode(Regex.Match(list, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        Assert.NotEmpty(token);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(DashboardData.Policy.Replace("standard", "other", StringComparison.Ordinal)), "file", "p.json" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/dashboard/settings/sla-policies", UriKind.Relative)) { Content = form };
        using var response = await reader.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.SlaPolicy)));
        Assert.Contains("type=\"file\"", await PageAsync(await SignedInAsync(server, AccountRole.Manager), "/dashboard/settings/sla-policies"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        await using var server = await ServerHarness.StartAsync();
        using var form = new MultipartFormDataContent { { new StringContent(DashboardData.Policy), "file", "p.json" } };
        using var response = await (await SignedInAsync(server, AccountRole.Owner)).PostAsync(new Uri("/dashboard/settings/sla-policies", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.SlaPolicy)));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex HiddenField();
}
