using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Server.Jobs;
using Utendaji.Server.Web.Surveys;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Survey sends as `utendaji serve` wires them: configuration, the wired scanner and worker, and the link API.</summary>
public sealed class SurveySendServerTests
{
    private const string HookSecret = "survey-hook-secret-0123456789";
    private const string LinkSecret = "survey-link-secret-of-the-server-tests-0123";

    [Fact]
    public async Task SolvedTicket_SurveySentByTheWiredWorkerAndItsUrlOpensTheSurveyPage()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await ServerHarness.StartAsync(jobs: true, configuration: (org, _) => new Dictionary<string, string?>
        {
            ["Utendaji:Jobs:PollInterval"] = "00:00:00.050",
            [SurveyLinks.SecretKey] = LinkSecret,
            ["Utendaji:SurveySends:PublicOrigin"] = "https://surveys.example.org",
            ["Utendaji:SurveySends:ScanInterval"] = "00:00:00.100",
            [$"Utendaji:SurveySends:Organisations:{org}:Instrument"] = "nps",
            [$"Utendaji:SurveySends:Organisations:{org}:Delay"] = "02:00:00",
            [$"Utendaji:SurveySends:Organisations:{org}:Url"] = receiver.Url.ToString(),
            [$"Utendaji:SurveySends:Organisations:{org}:Secret"] = HookSecret,
        });
        var now = server.Clock.Now;
        await server.WithStoreAsync(async store =>
        {
            await using var import = await store.BeginImportAsync();
            await import.PutFactsAsync([Solved("T-long-ago", now - Duration.FromHours(3)), Solved("T-recent", now - Duration.FromMinutes(30))]);
            await import.CommitAsync();
            return 0;
        });

        Assert.True(await WaitForAsync(() => !receiver.Received.IsEmpty), "no survey send reached the receiver within 30 s");
        await Task.Delay(TimeSpan.FromMilliseconds(400)); // further scans and polls add nothing

        var delivery = Assert.Single(receiver.Received);
        var timestamp = long.Parse(delivery.Headers[WebhookSignature.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(HookSecret, timestamp, delivery.Body, delivery.Headers[WebhookSignature.SignatureHeader]));
        var body = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal("T-long-ago", body.GetProperty("ticket_id").GetString());
        Assert.Equal("nps", body.GetProperty("instrument").GetString());
        var url = new Uri(body.GetProperty("url").GetString()!);
        Assert.Equal("surveys.example.org", url.Host);

        // The customer follows the link: the survey page of this send, in the ticket's language.
        var page = await server.Client(null).GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("lang=\"fi\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var sends = await server.WithStoreAsync(async store => await store.ReadSurveySendsAsync(Storage.SurveySendQuery.All).ToListAsync());
        Assert.Equal("solve:T-long-ago", Assert.Single(sends).SendId);
    }

    public static TheoryData<string, string?, string> BadSettings() => new()
    {
        { "Utendaji:SurveySends:Organisations:acme:Instrument", "csat-11", "Utendaji:SurveySends:Organisations:acme:Instrument" },
        { "Utendaji:SurveySends:Organisations:acme:Instrument", null, "Utendaji:SurveySends:Organisations:acme:Instrument" },
        { "Utendaji:SurveySends:Organisations:acme:Delay", "soon", "Utendaji:SurveySends:Organisations:acme:Delay" },
        { "Utendaji:SurveySends:Organisations:acme:Delay", "1.00:00:00", "Utendaji:SurveySends:Organisations:acme:Delay" },
        { "Utendaji:SurveySends:Organisations:acme:Url", "ftp://example.org/hook", "Utendaji:SurveySends:Organisations:acme:Url" },
        { "Utendaji:SurveySends:Organisations:acme:Url", null, "Utendaji:SurveySends:Organisations:acme:Url" },
        { "Utendaji:SurveySends:Organisations:acme:Secret", "short", "Utendaji:SurveySends:Organisations:acme:Secret" },
        { "Utendaji:SurveySends:PublicOrigin", "surveys.example.org", "Utendaji:SurveySends:PublicOrigin" },
        { "Utendaji:SurveySends:PublicOrigin", "https://surveys.example.org/?x=1", "Utendaji:SurveySends:PublicOrigin" },
        { "Utendaji:SurveySends:PublicOrigin", null, "Utendaji:SurveySends:PublicOrigin" },
        { "Utendaji:SurveySends:MaxAge", "-01:00:00", "Utendaji:SurveySends:MaxAge" },
        { "Utendaji:SurveySends:ScanInterval", "often", "Utendaji:SurveySends:ScanInterval" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task BadConfiguration_BuildFailsNamingTheKey(string key, string? value, string named)
    {
        var settings = ValidSettings();
        settings[key] = value;

        var error = await Assert.ThrowsAsync<ServerConfigurationException>(() => ServerHarness.StartAsync(configuration: (_, _) => settings));

        Assert.StartsWith(named + ":", error.Message, StringComparison.Ordinal);
        if (key.EndsWith("Secret", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(value!, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SurveySendsWithoutTheLinkSecret_BuildFailsNamingBothKeys()
    {
        var settings = ValidSettings();
        settings.Remove(SurveyLinks.SecretKey);

        var error = await Assert.ThrowsAsync<ServerConfigurationException>(() => ServerHarness.StartAsync(configuration: (_, _) => settings));

        Assert.Contains("Utendaji:SurveySends:Organisations", error.Message, StringComparison.Ordinal);
        Assert.Contains(SurveyLinks.SecretKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_ValidKeysInAnyCase_Read()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UTENDAJI:SURVEYLINKS:SECRET"] = LinkSecret,
            ["UTENDAJI:SURVEYSENDS:PUBLICORIGIN"] = "https://surveys.example.org/cs/",
            ["UTENDAJI:SURVEYSENDS:MAXAGE"] = "3.00:00:00",
            ["UTENDAJI:SURVEYSENDS:ORGANISATIONS:acme:INSTRUMENT"] = "csat-5",
            ["UTENDAJI:SURVEYSENDS:ORGANISATIONS:acme:URL"] = "https://hooks.example.org/surveys",
            ["UTENDAJI:SURVEYSENDS:ORGANISATIONS:acme:SECRET"] = HookSecret,
            ["UTENDAJI:SURVEYSENDS:ORGANISATIONS:acme:CHANNELS:0"] = "email",
            ["UTENDAJI:SURVEYSENDS:ORGANISATIONS:acme:CHANNELS:1"] = "chat",
        }).Build();

        var options = ServerSettings.Read(configuration).SurveySends;

        Assert.Equal(Duration.FromDays(3), options.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ScanInterval);
        var acme = options.Organisations["acme"];
        Assert.Equal("csat-5", acme.Instrument);
        Assert.Equal(Duration.FromHours(1), acme.Delay);
        Assert.Equal(["email", "chat"], acme.Channels);
        Assert.True(acme.Surveys("chat"));
        Assert.False(acme.Surveys("sms"));
        Assert.False(acme.Surveys(null));
        Assert.Equal("https://surveys.example.org/cs/s/acme/x.y", options.Url("/s/acme/x.y"));
        Assert.Empty(ServerSettings.Read(new ConfigurationBuilder().Build()).SurveySends.Organisations);
    }

    [Fact]
    public async Task Link_StoredSend_200WithPathAndUrlThatOpensThePage()
    {
        await using var server = await StartWithPagesAsync("https://surveys.example.org");
        var agent = await server.ClientAsync(AccountRole.Agent);
        Assert.Equal(HttpStatusCode.OK, (await agent.PostAsync(server.Api("/survey-sends"), ServerHarness.Json(Send("S-1")))).StatusCode);

        var response = await agent.GetAsync(server.Api("/survey-sends/S-1/link"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var link = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("S-1", link.GetProperty("send_id").GetString());
        var path = link.GetProperty("path").GetString()!;
        Assert.StartsWith($"/s/{server.Org}/S-1.", path, StringComparison.Ordinal);
        Assert.Equal("https://surveys.example.org" + path, link.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.Client(null).GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Link_WithoutPublicOrigin_PathOnly()
    {
        await using var server = await StartWithPagesAsync(publicOrigin: null);
        var agent = await server.ClientAsync(AccountRole.Agent);
        await agent.PostAsync(server.Api("/survey-sends"), ServerHarness.Json(Send("S-1")));

        var link = JsonDocument.Parse(await agent.GetStringAsync(server.Api("/survey-sends/S-1/link"))).RootElement;

        Assert.StartsWith($"/s/{server.Org}/S-1.", link.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.False(link.TryGetProperty("url", out _));
    }

    [Fact]
    public async Task Link_UnknownSendOrAnotherOrganisationsSend_404Problem()
    {
        await using var server = await StartWithPagesAsync("https://surveys.example.org");
        var theirs = await server.ClientAsync(AccountRole.Agent, org: server.OtherOrg);
        Assert.Equal(HttpStatusCode.OK, (await theirs.PostAsync(server.Api("/survey-sends", server.OtherOrg), ServerHarness.Json(Send("S-theirs")))).StatusCode);
        var mine = await server.ClientAsync(AccountRole.Owner);

        var unknown = await mine.GetAsync(server.Api("/survey-sends/S-none/link"));
        var theirsInMine = await mine.GetAsync(server.Api("/survey-sends/S-theirs/link"));
        var theirsInTheirs = await mine.GetAsync(server.Api("/survey-sends/S-theirs/link", server.OtherOrg));

        foreach (var response in new[] { unknown, theirsInMine, theirsInTheirs })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("/s/", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Their own token gets their link.
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync(server.Api("/survey-sends/S-theirs/link", server.OtherOrg))).StatusCode);
    }

    [Fact]
    public async Task Link_SurveyPagesNotConfigured_404Problem()
    {
        await using var server = await ServerHarness.StartAsync();
        var agent = await server.ClientAsync(AccountRole.Agent);
        await agent.PostAsync(server.Api("/survey-sends"), ServerHarness.Json(Send("S-1")));

        var response = await agent.GetAsync(server.Api("/survey-sends/S-1/link"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(SurveyLinks.SecretKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AccountRole.Viewer, TokenScope.Write)]
    [InlineData(AccountRole.Owner, TokenScope.Read)]
    public async Task Link_ViewerOrReadOnlyToken_403(AccountRole role, TokenScope scope)
    {
        await using var server = await StartWithPagesAsync("https://surveys.example.org");
        await (await server.ClientAsync(AccountRole.Agent)).PostAsync(server.Api("/survey-sends"), ServerHarness.Json(Send("S-1")));
        var client = await server.ClientAsync(role, scope);

        var response = await client.GetAsync(server.Api("/survey-sends/S-1/link"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("/s/", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesTheLinkEndpoint()
    {
        await using var server = await ServerHarness.StartAsync();

        var document = JsonDocument.Parse(await server.Client(null).GetStringAsync("/openapi/v1.json")).RootElement;

        var get = document.GetProperty("paths").GetProperty("/api/v1/orgs/{org}/survey-sends/{sendId}/link").GetProperty("get");
        Assert.Equal("GetSurveySendLink", get.GetProperty("operationId").GetString());
        Assert.True(get.GetProperty("responses").TryGetProperty("200", out _));
        Assert.True(get.GetProperty("responses").TryGetProperty("404", out _));
    }

    private static Task<ServerHarness> StartWithPagesAsync(string? publicOrigin) =>
        ServerHarness.StartAsync(configuration: (_, _) => new Dictionary<string, string?>
        {
            [SurveyLinks.SecretKey] = LinkSecret,
            ["Utendaji:SurveySends:PublicOrigin"] = publicOrigin,
        });

    private static string Send(string id) =>
        $$"""{"send_id":"{{id}}","instrument":"csat-5","ticket_id":"T-1","channel":"email","language":"sw","sent_at":"2026-06-30T10:05:00Z"}""";

    private static Dictionary<string, string?> ValidSettings() => new(StringComparer.Ordinal)
    {
        [SurveyLinks.SecretKey] = LinkSecret,
        ["Utendaji:SurveySends:PublicOrigin"] = "https://surveys.example.org",
        ["Utendaji:SurveySends:Organisations:acme:Instrument"] = "csat-5",
        ["Utendaji:SurveySends:Organisations:acme:Url"] = "https://hooks.example.org/surveys",
        ["Utendaji:SurveySends:Organisations:acme:Secret"] = HookSecret,
    };

    private static TicketFacts Solved(string id, Instant solvedAt) => new()
    {
        TicketId = id,
        Source = FactsSource.Events,
        CreatedAt = solvedAt - Duration.FromHours(5),
        Status = TicketStatus.Solved,
        SolvedAt = solvedAt,
        Channel = "email",
        Customer = "c-1",
        Language = "fi",
        Calendar = "24x7",
    };

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return false;
    }
}
