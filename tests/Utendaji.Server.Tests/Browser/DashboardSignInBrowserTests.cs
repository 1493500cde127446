using OpenQA.Selenium;
using Utendaji.Storage.Accounts;
using Xunit.Abstractions;

namespace Utendaji.Server.Tests.Browser;

/// <summary>The dashboard in headless Chromium: sign-in, the language picker, the frame (JavaScript off: nothing needs it).</summary>
public sealed class DashboardSignInBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private BrowserHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await BrowserHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task SignIn_SwitchToFinnish_FinnishDashboardAndScreenshot()
    {
        var driver = _harness.Browser(javaScript: false, width: 1280, height: 800);

        var email = await _harness.SignInAsync(driver, AccountRole.Owner);
        var cookie = driver.Manage().Cookies.GetCookieNamed("utendaji-session");
        driver.FindElement(By.CssSelector("#language-picker option[value=fi]")).Click();
        var old = driver.FindElement(By.TagName("html"));
        driver.FindElement(By.CssSelector("form[action='/dashboard/language'] button[type=submit]")).Click();
        BrowserHarness.WaitForNewPage(driver, old);
        var html = driver.FindElement(By.TagName("html"));
        var path = BrowserHarness.Screenshot(driver, "dashboard-finnish", output);

        // Chromium kept the Secure, HttpOnly, SameSite=Strict cookie on http://127.0.0.1 (a trustworthy loopback origin).
        Assert.NotNull(cookie);
        Assert.True(cookie.Secure);
        Assert.True(cookie.IsHttpOnly);
        Assert.Equal("Strict", cookie.SameSite);
        Assert.Equal("fi", html.GetAttribute("lang"));
        Assert.Equal("Kirjaudu ulos", driver.FindElement(By.CssSelector("form[action='/sign-out'] button")).Text);
        Assert.Contains(email, driver.FindElement(By.TagName("header")).Text, StringComparison.Ordinal);
        Assert.Equal("Henkilöt", driver.FindElement(By.CssSelector("a[href='/dashboard/settings/users']")).Text);
        Assert.True(new FileInfo(path).Length > 1000);
    }

    [Fact]
    public async Task PeoplePage_Urdu_RightToLeftAndScreenshot()
    {
        var driver = _harness.Browser(javaScript: false, width: 1280, height: 900);
        await _harness.SignInAsync(driver, AccountRole.Admin, returnUrl: "/dashboard/settings/users");

        driver.FindElement(By.CssSelector("#language-picker option[value=ur]")).Click();
        var old = driver.FindElement(By.TagName("html"));
        driver.FindElement(By.CssSelector("form[action='/dashboard/language'] button[type=submit]")).Click();
        BrowserHarness.WaitForNewPage(driver, old);
        BrowserHarness.Screenshot(driver, "dashboard-people-urdu", output);
        var html = driver.FindElement(By.TagName("html"));

        Assert.EndsWith("/dashboard/settings/users", driver.Url, StringComparison.Ordinal);
        Assert.Equal(("ur", "rtl"), (html.GetAttribute("lang"), html.GetAttribute("dir")));
        Assert.Equal("افراد", driver.FindElement(By.TagName("h1")).Text);
        // Right to left: the brand (first in the header) is drawn at the right edge.
        var brand = driver.FindElement(By.CssSelector(".brand"));
        Assert.True(brand.Location.X > 640, $"the brand is at x={brand.Location.X}, not on the right");
    }
}
