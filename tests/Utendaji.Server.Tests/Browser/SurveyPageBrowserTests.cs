using OpenQA.Selenium;
using Utendaji.Server.Web.Surveys;
using Xunit.Abstractions;

namespace Utendaji.Server.Tests.Browser;

/// <summary>A customer answers surveys in headless Chromium on a 360-pixel-wide screen.</summary>
public sealed class SurveyPageBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Urdu_and_Gujarati_surveys_are_answered_on_a_phone_and_both_responses_are_stored()
    {
        await using var harness = await BrowserHarness.StartAsync();
        var urdu = await harness.SendAsync("send-ur", "csat-5", "ur");
        var gujarati = await harness.SendAsync("send-gu", "nps", "gu");
        var browser = harness.Browser();

        browser.Navigate().GoToUrl(urdu);
        var html = browser.FindElement(By.TagName("html"));
        Assert.Equal("ur", html.GetAttribute("lang"));
        Assert.Equal("rtl", html.GetAttribute("dir"));
        Assert.Contains("صارفین کے اطمینان کا سروے", browser.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);
        Assert.True(ScrollWidth(browser) <= 360, $"the Urdu page scrolls sideways at 360 px: {Widths(browser)}");
        BrowserHarness.Screenshot(browser, "survey-ur-360", output);
        browser.FindElement(By.CssSelector("input[name=csat][value='5']")).Click();
        browser.FindElement(By.Id("q-comment")).SendKeys("بہت اچھی سروس");
        BrowserHarness.Submit(browser);
        Assert.Equal("شکریہ", browser.FindElement(By.TagName("h1")).Text);

        browser.Navigate().GoToUrl(gujarati);
        Assert.Equal("gu", browser.FindElement(By.TagName("html")).GetAttribute("lang"));
        Assert.Equal("ltr", browser.FindElement(By.TagName("html")).GetAttribute("dir"));
        Assert.True(ScrollWidth(browser) <= 360, $"the Gujarati NPS page scrolls sideways at 360 px: {Widths(browser)}");
        BrowserHarness.Screenshot(browser, "survey-gu-360", output);
        browser.FindElement(By.CssSelector("input[name=nps][value='9']")).Click();
        BrowserHarness.Submit(browser);
        Assert.Equal("આભાર", browser.FindElement(By.TagName("h1")).Text);

        var responses = await harness.ResponsesAsync();
        Assert.Equal(2, responses.Count);
        var ur = Assert.Single(responses, r => r.SendId == "send-ur");
        Assert.Equal(SurveyPages.ResponseIdOf("send-ur"), ur.ResponseId);
        Assert.Equal("ur", ur.Language);
        Assert.Equal(5, ur.Answers["csat"].Number);
        Assert.Equal("بہت اچھی سروس", ur.Answers["comment"].Text);
        var gu = Assert.Single(responses, r => r.SendId == "send-gu");
        Assert.Equal(9, gu.Answers["nps"].Number);
        Assert.False(gu.Answers.ContainsKey("comment"));

        // A manager sees both responses counted on the dashboard, for the month they were given in.
        var manager = harness.Browser(javaScript: false, width: 1280, height: 900);
        await harness.SignInAsync(manager, Utendaji.Storage.Accounts.AccountRole.Manager);
        manager.Navigate().GoToUrl(harness.BaseUrl + "/dashboard?from=2026-06-01");
        var surveys = manager.FindElements(By.CssSelector("table#surveys tbody tr"))
            .Select(row => row.FindElements(By.CssSelector("th, td")).Select(cell => cell.Text).ToArray())
            .ToDictionary(cells => cells[0], cells => cells[1]);
        Assert.Equal("1", surveys["csat-5"]);
        Assert.Equal("1", surveys["nps"]);
        BrowserHarness.Screenshot(manager, "dashboard-surveys", output);
    }

    [Fact]
    public async Task A_second_submission_is_refused_politely_and_markup_in_a_comment_is_shown_as_text()
    {
        await using var harness = await BrowserHarness.StartAsync();
        var url = await harness.SendAsync("send-xss", "csat-5", "sw");
        var browser = harness.Browser();
        const string script = "<script>alert(1)</script>";
        const string image = "<img src=x onerror=alert(1)>";

        var second = harness.Browser();
        second.Navigate().GoToUrl(url); // the same form open on another device
        browser.Navigate().GoToUrl(url);
        browser.FindElement(By.CssSelector("input[name=csat][value='2']")).Click();
        browser.FindElement(By.Id("q-comment")).SendKeys(script + " " + image);
        BrowserHarness.Submit(browser);
        Assert.Equal("Asante", browser.FindElement(By.TagName("h1")).Text);
        Assert.Equal(script + " " + image, browser.FindElement(By.Id("comment")).Text);
        AssertNoInjectedMarkup(browser);

        // The same link again: already answered, in Swahili; a form kept open in another tab is refused too.
        browser.Navigate().GoToUrl(url);
        Assert.Equal("Umeshajibu", browser.FindElement(By.TagName("h1")).Text);
        Assert.Empty(browser.FindElements(By.TagName("form")));
        second.FindElement(By.CssSelector("input[name=csat][value='4']")).Click();
        second.FindElement(By.Id("q-comment")).SendKeys(image);
        BrowserHarness.Submit(second);
        Assert.Equal("Umeshajibu", second.FindElement(By.TagName("h1")).Text);
        Assert.Contains("Umeshajibu utafiti huu", second.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        Assert.Equal(image, second.FindElement(By.Id("comment")).Text);
        AssertNoInjectedMarkup(second);

        var stored = Assert.Single(await harness.ResponsesAsync());
        Assert.Equal(2, stored.Answers["csat"].Number);
        Assert.Equal(script + " " + image, stored.Answers["comment"].Text);
    }

    [Fact]
    public async Task The_page_works_with_JavaScript_disabled_and_shows_errors_in_the_customers_language()
    {
        await using var harness = await BrowserHarness.StartAsync();
        var url = await harness.SendAsync("send-nojs", "ces", "fi");
        var browser = harness.Browser(javaScript: false);

        browser.Navigate().GoToUrl(url);
        BrowserHarness.Submit(browser);
        Assert.Contains("Vastaa tähän kysymykseen.", browser.FindElement(By.Id("e-ces")).Text, StringComparison.Ordinal);
        Assert.Empty(await harness.ResponsesAsync());

        browser.FindElement(By.CssSelector("input[name=ces][value='6']")).Click();
        BrowserHarness.Submit(browser);
        Assert.Equal("Kiitos", browser.FindElement(By.TagName("h1")).Text);
        Assert.Equal(6, Assert.Single(await harness.ResponsesAsync()).Answers["ces"].Number);
    }

    [Fact]
    public async Task The_page_is_keyboard_usable()
    {
        await using var harness = await BrowserHarness.StartAsync();
        var url = await harness.SendAsync("send-keys", "csat-5", "tl");
        var browser = harness.Browser();

        browser.Navigate().GoToUrl(url);
        var body = browser.FindElement(By.TagName("body"));
        body.SendKeys(Keys.Tab); // the first radio of the scale
        browser.SwitchTo().ActiveElement().SendKeys(Keys.ArrowRight); // moves to and selects 2
        Assert.Equal("2", browser.SwitchTo().ActiveElement().GetAttribute("value"));
        browser.SwitchTo().ActiveElement().SendKeys(Keys.Tab); // the comment
        Assert.Equal("q-comment", browser.SwitchTo().ActiveElement().GetAttribute("id"));
        browser.SwitchTo().ActiveElement().SendKeys(Keys.Tab); // the button
        var old = browser.FindElement(By.TagName("html"));
        browser.SwitchTo().ActiveElement().SendKeys(Keys.Enter);
        BrowserHarness.WaitForNewPage(browser, old);
        Assert.Equal("Salamat", browser.FindElement(By.TagName("h1")).Text);
        Assert.Equal(2, Assert.Single(await harness.ResponsesAsync()).Answers["csat"].Number);
    }

    private static string Widths(IWebDriver browser) =>
        Convert.ToString(((IJavaScriptExecutor)browser).ExecuteScript("return 'inner ' + window.innerWidth + ', scroll ' + document.documentElement.scrollWidth + ', widest ' + [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth || e.getBoundingClientRect().left < 0).map(e => e.tagName + '.' + e.className).join(' ');"), System.Globalization.CultureInfo.InvariantCulture)!;

    private static long ScrollWidth(IWebDriver browser) =>
        Convert.ToInt64(((IJavaScriptExecutor)browser).ExecuteScript("return document.documentElement.scrollWidth;"), System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertNoInjectedMarkup(IWebDriver browser)
    {
        Assert.Empty(browser.FindElements(By.TagName("script")));
        Assert.Empty(browser.FindElements(By.CssSelector("img")));
        Assert.Empty(browser.FindElements(By.CssSelector("[onerror]")));
        // An alert would be open now and block the lookups above; make it explicit.
        Assert.Throws<NoAlertPresentException>(() => browser.SwitchTo().Alert());
    }
}
