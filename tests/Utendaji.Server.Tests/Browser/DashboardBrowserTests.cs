using System.Net.Http.Headers;
using OpenQA.Selenium;
using Utendaji.Server.Tests.Web.Dashboard;
using Utendaji.Storage.Accounts;
using Xunit.Abstractions;

namespace Utendaji.Server.Tests.Browser;

/// <summary>A manager uses the dashboard in headless Chromium with JavaScript off: a filter, then a chart, then a ticket.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Changing_a_filter_and_drilling_from_a_chart_reaches_a_ticket_with_javascript_off()
    {
        await using var harness = await BrowserHarness.StartAsync();
        await harness.Accounts.CreateUserAsync(harness.Org, "owner@example.org", AccountRole.Owner, NodaTime.Instant.FromUtc(2026, 6, 1, 0, 0));
        var token = await harness.Accounts.CreateTokenAsync(harness.Org, "owner@example.org", TokenScope.Write, null, NodaTime.Instant.FromUtc(2026, 6, 1, 0, 0));
        using (var api = new HttpClient { BaseAddress = new Uri(harness.BaseUrl) })
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
            (await api.PutAsync(new Uri($"/api/v1/orgs/{harness.Org}/sla-policies/standard", UriKind.Relative), ServerHarness.Json(DashboardData.Policy))).EnsureSuccessStatusCode();
            (await api.PostAsync(new Uri($"/api/v1/orgs/{harness.Org}/events", UriKind.Relative), ServerHarness.Json(DashboardData.Events(DashboardData.Tickets())))).EnsureSuccessStatusCode();
        }

        var browser = harness.Browser(javaScript: false, width: 1280, height: 900);
        await harness.SignInAsync(browser, AccountRole.Manager);

        browser.Navigate().GoToUrl(harness.BaseUrl + "/dashboard");
        var all = Created(browser);
        var team = browser.FindElement(By.CssSelector("form.filters input[name=team]"));
        team.Clear();
        team.SendKeys("support");
        BrowserHarness.Submit(browser);
        Assert.Contains("team=support", browser.Url, StringComparison.Ordinal);
        var support = Created(browser);
        Assert.Equal(DashboardData.Tickets().Count(t => t.Team == "support" && t.Created >= NodaTime.Instant.FromUtc(2026, 5, 1, 0, 0) && t.Created < NodaTime.Instant.FromUtc(2026, 6, 1, 0, 0)), support);
        Assert.True(support < all, $"the filter did not narrow the figures: {support} of {all}");
        BrowserHarness.Screenshot(browser, "dashboard-overview-support", output);

        // The 2h–4h bar of the first-reply histogram.
        var bar = browser.FindElements(By.CssSelector("figure svg a")).First(a => (a.GetDomAttribute("href") ?? "").Contains("frt_min=7200", StringComparison.Ordinal));
        var old = browser.FindElement(By.TagName("html"));
        bar.FindElement(By.CssSelector("rect")).Click();
        BrowserHarness.WaitForNewPage(browser, old);
        Assert.Contains("/dashboard/tickets", browser.Url, StringComparison.Ordinal);
        var rows = browser.FindElements(By.CssSelector("table#tickets tbody tr"));
        var expected = DashboardData.Tickets().Count(t => t.Team == "support" && t.Created >= NodaTime.Instant.FromUtc(2026, 5, 1, 0, 0) && t.Created < NodaTime.Instant.FromUtc(2026, 6, 1, 0, 0) && t.ReplyHours == 3);
        Assert.Equal(expected, rows.Count);

        var first = rows[0].FindElement(By.CssSelector("td a"));
        var id = first.Text;
        old = browser.FindElement(By.TagName("html"));
        first.Click();
        BrowserHarness.WaitForNewPage(browser, old);
        Assert.Contains(id, browser.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);
        Assert.NotEmpty(browser.FindElements(By.CssSelector("section.explain li")));
        BrowserHarness.Screenshot(browser, "dashboard-ticket", output);
    }

    private static int Created(IWebDriver browser) =>
        int.Parse(browser.FindElement(By.CssSelector("article[data-figure=Created] .value")).Text, System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}
