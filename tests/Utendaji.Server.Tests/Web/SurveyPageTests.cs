using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Utendaji.Core.Surveys;
using Utendaji.Server.Tests.Browser;
using Utendaji.Server.Web;
using Utendaji.Server.Web.Surveys;

namespace Utendaji.Server.Tests.Web;

/// <summary>The survey pages over plain HTTP on the Kestrel port: links, headers, every question type, validation.</summary>
public sealed partial class SurveyPageTests
{
    [Fact]
    public void A_link_verifies_only_with_its_organisation_send_and_secret()
    {
        var links = new SurveyLinks(new string('k', 32));
        var path = links.Create("acme", "send.1");
        var segment = path.Split('/')[^1];
        Assert.StartsWith("/s/acme/send.1.", path, StringComparison.Ordinal);
        Assert.True(segment.Length - "send.1.".Length >= 22, "the mac carries at least 128 bits");
        Assert.Equal("send.1", links.Verify("acme", segment));
        Assert.Null(links.Verify("globex", segment));
        Assert.Null(links.Verify("acme", segment[..^1] + (segment[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(new SurveyLinks(new string('j', 32)).Verify("acme", segment));
        Assert.Null(links.Verify("acme", "send-without-mac"));
    }

    [Fact]
    public void A_short_secret_is_refused_naming_the_configuration_key()
    {
        var error = Assert.Throws<ArgumentException>(() => new SurveyLinks("too short"));
        Assert.Contains(SurveyLinks.SecretKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_secret_in_configuration_there_are_no_survey_pages_and_a_short_one_is_refused()
    {
        await using var harness = await ServerHarness.StartAsync();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var empty = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        Assert.Empty(services.AddSurveyPages(empty));
        var shortSecret = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection([new KeyValuePair<string, string?>(SurveyLinks.SecretKey, "short")]).Build();
        var error = Assert.Throws<ArgumentException>(() => { services.AddSurveyPages(shortSecret); });
        Assert.Contains(SurveyLinks.SecretKey, error.Message, StringComparison.Ordinal);
        var good = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection([new KeyValuePair<string, string?>(SurveyLinks.SecretKey, new string('s', 40))]).Build();
        services.AddSurveyPages(good);
        Assert.Contains(services, d => d.ServiceType == typeof(SurveyLinks));

        // The server built without the pages answers /s/… with a plain 404.
        using var response = await harness.Client(null).GetAsync(new Uri("/s/acme/x.y", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_server_shows_survey_pages_when_configured_with_the_secret()
    {
        var secret = "configured-" + new string('s', 32);
        await using var harness = await ServerHarness.StartAsync(configuration: (_, _) => new Dictionary<string, string?> { [SurveyLinks.SecretKey] = secret });
        await harness.WithStoreAsync(async store =>
        {
            await using var import = await store.BeginImportAsync();
            await import.AddSurveySendsAsync([new SurveySend { SendId = "s-1", InstrumentId = "csat-5", SentAt = NodaTime.Instant.FromUtc(2026, 6, 29, 9, 0), Language = "fi" }]);
            await import.CommitAsync();
            return true;
        });

        var client = harness.Client(null);
        using var page = await client.GetAsync(new Uri(new SurveyLinks(secret).Create(harness.Org, "s-1"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("lang=\"fi\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A link signed with another secret gets the survey's own "not found" page, not the plain 404 of a server without pages.
        using var forged = await client.GetAsync(new Uri(new SurveyLinks(new string('x', 40)).Create(harness.Org, "s-1"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("text/html", forged.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_configured_with_a_short_survey_secret_does_not_start_and_names_the_key()
    {
        var error = await Assert.ThrowsAsync<ServerConfigurationException>(() =>
            ServerHarness.StartAsync(configuration: (_, _) => new Dictionary<string, string?> { [SurveyLinks.SecretKey] = "short" }));
        Assert.Contains(SurveyLinks.SecretKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_language_has_every_page_text()
    {
        foreach (var language in SurveyLanguages.All.Select(l => l.Code))
        {
            foreach (var key in SurveyPageTexts.Keys)
            {
                Assert.False(string.IsNullOrWhiteSpace(SurveyPageTexts.Get(language, key)), $"{language}/{key}");
            }

            if (language != "en")
            {
                Assert.Contains(language, SurveyPageTexts.NeedsReview);
                Assert.NotEqual(SurveyPageTexts.Get("en", "already"), SurveyPageTexts.Get(language, "already"));
            }
        }
    }

    [Fact]
    public async Task Unknown_organisation_unknown_send_and_bad_mac_get_the_same_not_found_page()
    {
        await using var harness = await BrowserHarness.StartAsync(needsBrowser: false);
        var good = await harness.SendAsync("s-1", "csat-5", "en");
        using var http = new HttpClient();
        var segment = good.Split('/')[^1];
        var urls = new[]
        {
            harness.BaseUrl + harness.Links.Create("no-such-org", "s-1"),
            harness.BaseUrl + harness.Links.Create(harness.Org, "s-2"),
            harness.BaseUrl + "/s/" + harness.Org + "/" + segment[..^2] + "xx",
        };
        var bodies = new List<string>();
        foreach (var url in urls)
        {
            using var response = await http.GetAsync(new Uri(url));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        using var ok = await http.GetAsync(new Uri(good));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task The_page_sends_a_strict_content_security_policy_that_allows_its_own_style()
    {
        await using var harness = await BrowserHarness.StartAsync(needsBrowser: false);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(await harness.SendAsync("s-1", "nps", "tl")));
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(HtmlPage.Css)));
        Assert.Contains($"style-src 'sha256-{hash}'", csp, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<style>" + HtmlPage.Css + "</style>", html, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("{organisation}", html, StringComparison.Ordinal);
        Assert.Contains(harness.Org, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Servqual_shows_every_question_with_a_label_and_checks_that_importance_adds_up()
    {
        await using var harness = await BrowserHarness.StartAsync(needsBrowser: false);
        var url = await harness.SendAsync("s-sq", "servqual", "fi");
        using var http = new HttpClient();
        var html = await http.GetStringAsync(new Uri(url));
        var instrument = BuiltInInstruments.Servqual;
        foreach (var q in instrument.Questions)
        {
            Assert.Contains($"id=\"q-{q.Id}\"", html, StringComparison.Ordinal);
        }

        // Scales are fieldsets with a legend; allocations and the comment have a <label for>.
        Assert.Equal(instrument.Questions.Count(q => q.Type is QuestionType.Rating or QuestionType.Nps or QuestionType.Ces), LegendCount().Count(html));
        foreach (var q in instrument.Questions.Where(q => q.Type is QuestionType.Allocation or QuestionType.FreeText))
        {
            Assert.Contains($"<label for=\"q-{q.Id}\">", html, StringComparison.Ordinal);
        }

        var token = FormToken().Match(html).Groups[1].Value;
        var fields = new List<KeyValuePair<string, string>> { new("_form", token) };
        fields.AddRange(instrument.Questions.Where(q => q.Type == QuestionType.Allocation).Select(q => new KeyValuePair<string, string>(q.Id, "10")));
        using var bad = await http.PostAsync(new Uri(url), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("Pisteiden summan pitää olla 100; nyt se on 50.", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await harness.ResponsesAsync());

        fields = [new("_form", token), .. instrument.Questions.Where(q => q.Type == QuestionType.Allocation).Select(q => new KeyValuePair<string, string>(q.Id, "20")), new("p01", "7"), new("e01", "6")];
        using var good = await http.PostAsync(new Uri(url), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var stored = Assert.Single(await harness.ResponsesAsync());
        Assert.Equal(7, stored.Answers["p01"].Number);
        Assert.Equal(20, stored.Answers["importance_empathy"].Number);
    }

    [Fact]
    public async Task A_post_without_the_form_token_or_with_an_out_of_range_answer_stores_nothing()
    {
        await using var harness = await BrowserHarness.StartAsync(needsBrowser: false);
        var url = await harness.SendAsync("s-1", "csat-5", "ur");
        using var http = new HttpClient();
        var html = await http.GetStringAsync(new Uri(url));
        using var forged = await http.PostAsync(new Uri(url), new FormUrlEncodedContent([new("csat", "5")]));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        var token = FormToken().Match(html).Groups[1].Value;
        using var outOfRange = await http.PostAsync(new Uri(url), new FormUrlEncodedContent([new("_form", token), new("csat", "6")]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outOfRange.StatusCode);
        Assert.Contains("براہ کرم 1 سے 5 تک کوئی مکمل عدد درج کریں۔", await outOfRange.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await harness.ResponsesAsync());
    }

    [Theory]
    [MemberData(nameof(Utendaji.Server.Tests.Dashboard.DashboardSignInTests.MalformedForms), MemberType = typeof(Utendaji.Server.Tests.Dashboard.DashboardSignInTests))]
    public async Task A_malformed_form_is_a_400_page_and_stores_nothing(string kind)
    {
        await using var harness = await BrowserHarness.StartAsync(needsBrowser: false);
        var url = await harness.SendAsync("s-1", "csat-5", "en");
        using var http = new HttpClient();
        var token = FormToken().Match(await http.GetStringAsync(new Uri(url))).Groups[1].Value;
        var fields = "_form=" + Uri.EscapeDataString(System.Net.WebUtility.HtmlDecode(token)) + "&csat=5";

        using var malformed = await http.PostAsync(new Uri(url), Utendaji.Server.Tests.Dashboard.DashboardSignInTests.Malformed(kind, fields));
        var page = await malformed.Content.ReadAsStringAsync();
        var storedBefore = await harness.ResponsesAsync();
        // The same fields as a well-formed form are stored: the shape alone made the difference.
        using var well = await http.PostAsync(new Uri(url), new StringContent(fields, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("name=\"_form\"", page, StringComparison.Ordinal);
        Assert.Empty(storedBefore);
        Assert.Equal(HttpStatusCode.OK, well.StatusCode);
        Assert.Equal(5, Assert.Single(await harness.ResponsesAsync()).Answers["csat"].Number);
    }

    [GeneratedRegex("<legend>")]
    private static partial Regex LegendCount();

    [GeneratedRegex("name=\"_form\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
