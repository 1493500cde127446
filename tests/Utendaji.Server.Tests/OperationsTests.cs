using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Utendaji.Server.Tests;

public sealed partial class OperationsTests
{
    [Fact]
    public async Task HealthAndReady_NoToken_200()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);
    }

    /// <summary>
    /// Configuration is read at start only. With reload on change, the host watched the working folder and every folder
    /// below it (807 inotify watches from a source checkout, against Linux's default 8,192 per user) and woke on each
    /// write of a store kept there.
    /// </summary>
    [Fact]
    public async Task Configuration_Files_NotWatchedForChanges()
    {
        await using var server = await ServerHarness.StartAsync();

        var files = ((IConfigurationRoot)server.App.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.NotEmpty(files); // appsettings.json (optional) is still read
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, file.Source.Path));
    }

    [Fact]
    public async Task Ready_StoreGone_503()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.Accounts.DisposeAsync();

        var response = await server.Client(null).GetAsync("/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task RateLimit_PerToken_429WithRetryAfterOthersUnaffected()
    {
        await using var server = await ServerHarness.StartAsync(o => o with { RateLimitPermits = 3, RateLimitWindow = TimeSpan.FromHours(1) });
        var busy = await server.ClientAsync();
        var other = await server.ClientAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync(server.Api("/tickets"))).StatusCode);
        }

        var refused = await busy.GetAsync(server.Api("/tickets"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(server.Api("/tickets"))).StatusCode);
    }

    [Fact]
    public async Task OpenApi_ListsEveryApiEndpoint()
    {
        await using var server = await ServerHarness.StartAsync();

        var document = JsonDocument.Parse(await server.Client(null).GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths");
        var endpoints = ((IEndpointRouteBuilder)server.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/openapi", StringComparison.Ordinal))
            // Web pages (dashboard, survey pages) say they are not API and stay out of the document.
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .ToList();
        Assert.True(endpoints.Count >= 23);
        foreach (var endpoint in endpoints)
        {
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant();
            Assert.True(paths.TryGetProperty(endpoint.RoutePattern.RawText!, out var path), endpoint.RoutePattern.RawText);
            Assert.True(path.TryGetProperty(method, out _), $"{method} {endpoint.RoutePattern.RawText}");
        }

        Assert.True(paths.GetProperty("/api/v1/orgs/{org}/events").GetProperty("post").TryGetProperty("requestBody", out _));
        Assert.Equal("Utendaji API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Metrics_PrometheusTextThatParses_CountsIngestedEventsAndLag()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));
        await client.GetAsync(server.Api("/tickets"));

        var response = await server.Client(null).GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(CommentLine(), line);
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, line);
            samples[match.Groups["series"].Value] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        Assert.Equal(5, samples["utendaji_events_ingested_total"]);
        // The newest event posted is 2026-03-02T12:30:00+02:00; the clock says 2026-06-30T12:00Z.
        var lag = (server.Clock.Now - NodaTime.Instant.FromUtc(2026, 3, 2, 10, 30)).TotalSeconds;
        Assert.Equal(lag, samples["utendaji_ingestion_lag_seconds"]);
        Assert.Equal(1, samples["utendaji_http_requests_total{route=\"/api/v1/orgs/{org}/events\",method=\"POST\",status=\"200\"}"]);
        Assert.Equal(1, samples["utendaji_http_request_duration_seconds_count{route=\"/api/v1/orgs/{org}/tickets\",method=\"GET\"}"]);
    }

    [GeneratedRegex(@"^# (HELP [a-z_]+ .+|TYPE [a-z_]+ (counter|gauge|histogram))$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^(?<series>[a-z_]+(\{([a-z_]+=""([^""\\]|\\.)*"",?)+\})?) (?<value>[-+]?(\d+(\.\d+)?([eE][-+]?\d+)?|\+Inf|NaN))$")]
    private static partial Regex SampleLine();
}
