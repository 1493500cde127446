using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;
using Utendaji.Core.Surveys;
using Utendaji.Server.Web.Surveys;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Server.Tests.Browser;

/// <summary>
/// The server on a real Kestrel loopback port (the browser needs a socket), its own SQLite file and organisation,
/// with the survey pages mapped, and a headless Chromium to drive it.
/// </summary>
internal sealed class BrowserHarness : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    private readonly List<IWebDriver> _drivers = [];

    private BrowserHarness(string folder, SqliteAccountStore accounts, WebApplication app, string baseUrl, SurveyLinks links)
    {
        Folder = folder;
        Accounts = accounts;
        App = app;
        BaseUrl = baseUrl;
        Links = links;
    }

    public string Folder { get; }

    public SqliteAccountStore Accounts { get; }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public SurveyLinks Links { get; }

    public string Org { get; } = "acme-" + Guid.NewGuid().ToString("N")[..8];

    private string DatabasePath => Path.Combine(Folder, "store.db");

    public static async Task<BrowserHarness> StartAsync(bool needsBrowser = true)
    {
        if (needsBrowser && (!File.Exists(Chromium) || !File.Exists(ChromeDriver)))
        {
            Assert.Fail($"The browser tests need Debian's chromium and chromium-driver ({Chromium}, {ChromeDriver}); run 'bash scripts/test.sh', which installs them.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "utendaji-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "store.db");
        var accounts = await SqliteAccountStore.OpenAsync(path);
        var options = new ServerOptions
        {
            Accounts = accounts,
            OpenStore = async org => await SqliteStore.OpenAsync(path, org),
            Clock = new FakeClock(Instant.FromUtc(2026, 6, 30, 12, 0)),
            JsonConsoleLogs = false,
            TempDirectory = folder,
            Urls = ["http://127.0.0.1:0"],
        };
        var pageOptions = new SurveyPageOptions { Secret = "test-secret-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N") };
        var app = UtendajiServer.Build(options, builder =>
        {
            builder.Services.AddSurveyPages(pageOptions);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var harness = new BrowserHarness(folder, accounts, app, address.TrimEnd('/'), app.Services.GetRequiredService<SurveyLinks>());
        await accounts.CreateOrganisationAsync(harness.Org);
        return harness;
    }

    /// <summary>Stores a send and returns the full URL of its survey page.</summary>
    public async Task<string> SendAsync(string sendId, string instrument, string language)
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath, Org);
        await using var import = await store.BeginImportAsync();
        await import.AddSurveySendsAsync([new SurveySend { SendId = sendId, InstrumentId = instrument, SentAt = Instant.FromUtc(2026, 6, 29, 9, 0), Language = language, Customer = "c-1" }]);
        await import.CommitAsync();
        return BaseUrl + Links.Create(Org, sendId);
    }

    public async Task<List<SurveyResponse>> ResponsesAsync()
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath, Org);
        var list = new List<SurveyResponse>();
        await foreach (var r in store.ReadSurveyResponsesAsync(SurveyResponseQuery.All))
        {
            list.Add(r);
        }

        return list;
    }

    /// <summary>A headless Chromium, 360×800 (a phone) unless told otherwise; JavaScript off when asked.</summary>
    public IWebDriver Browser(bool javaScript = true, int width = 360, int height = 800)
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={Math.Max(width, 500)},{height + 200}", "--user-data-dir=" + Path.Combine(Folder, "chrome-" + Guid.NewGuid().ToString("N")));
        // Headless Chrome's windows are at least 500 px wide; a phone's viewport comes from device emulation.
        options.EnableMobileEmulation(new ChromiumMobileEmulationDeviceSettings { Width = width, Height = height, PixelRatio = 1, EnableTouchEvents = false, UserAgent = "Mozilla/5.0 (Linux; Android 14; Utendaji test phone) Mobile" });
        if (!javaScript)
        {
            options.AddUserProfilePreference("profile.managed_default_content_settings.javascript", 2);
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        _drivers.Add(driver);
        return driver;
    }

    /// <summary>
    /// Clicks the first submit button of the page's content (in <c>main</c>: the dashboard's header has forms of its
    /// own, the language picker and sign-out) and waits until the next page has replaced this one.
    /// </summary>
    public static void Submit(IWebDriver driver)
    {
        var old = driver.FindElement(By.TagName("html"));
        driver.FindElement(By.CssSelector("main button[type=submit]")).Click();
        WaitForNewPage(driver, old);
    }

    /// <summary>Waits until <paramref name="old"/> (an element of the previous page) is gone.</summary>
    public static void WaitForNewPage(IWebDriver driver, IWebElement old)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                _ = old.TagName;
            }
            catch (StaleElementReferenceException)
            {
                return;
            }
            catch (UnknownErrorException e) when (e.Message.Contains("does not belong to the document", StringComparison.Ordinal))
            {
                // Chromium's other way of saying the element's page is gone (seen while the new page was loading).
                return;
            }

            Thread.Sleep(50);
        }

        Assert.Fail("the form was submitted but no new page came within 30 s");
    }

    /// <summary>
    /// Adds a member of <see cref="Org"/> with <paramref name="role"/> and a password, and signs them in to the dashboard
    /// in <paramref name="driver"/> through the sign-in form; returns their e-mail address. The browser lands on the
    /// dashboard's overview (or <paramref name="returnUrl"/>).
    /// </summary>
    /// <remarks>
    /// The session cookie is always <c>Secure</c>. Chromium keeps Secure cookies from plain-HTTP loopback addresses
    /// (<c>http://127.0.0.1</c> and <c>http://localhost</c> count as potentially trustworthy origins), so the harness's
    /// Kestrel on http://127.0.0.1 needs no certificate; DashboardSignInBrowserTests checks that this stays so.
    /// </remarks>
    public async Task<string> SignInAsync(IWebDriver driver, AccountRole role = AccountRole.Owner, string? returnUrl = null)
    {
        var email = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        const string password = "correct horse battery";
        await Accounts.CreateUserAsync(Org, email, role, Instant.FromUtc(2026, 6, 30, 12, 0));
        // A cheap hash keeps the test fast; the iteration count is part of the stored text.
        await Accounts.SetPasswordAsync(Org, email, PasswordHashes.Hash(password, 1000));
        driver.Navigate().GoToUrl(BaseUrl + "/sign-in" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        driver.FindElement(By.Id("organisation")).SendKeys(Org);
        driver.FindElement(By.Id("email")).SendKeys(email);
        driver.FindElement(By.Id("password")).SendKeys(password);
        var old = driver.FindElement(By.TagName("html"));
        driver.FindElement(By.Id("sign-in")).Click();
        WaitForNewPage(driver, old);
        if (new Uri(driver.Url).AbsolutePath == "/sign-in")
        {
            Assert.Fail($"sign-in as {email} did not reach the dashboard: {driver.FindElements(By.Id("signin-error")).FirstOrDefault()?.Text ?? "no error shown (was the session cookie dropped?)"}");
        }

        return email;
    }

    /// <summary>Saves a screenshot under the test output's artifacts folder and returns its path.</summary>
    public static string Screenshot(IWebDriver driver, string name, Xunit.Abstractions.ITestOutputHelper output)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var driver in _drivers)
        {
            driver.Quit();
            driver.Dispose();
        }

        await App.StopAsync();
        await App.DisposeAsync();
        await Accounts.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }
}
