using System.Globalization;
using System.Net;
using System.Text.Json;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using Microsoft.Extensions.Configuration;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>The jobs as `utendaji serve` wires them: inside the built server, over its store file and configuration.</summary>
public sealed class ServerJobsTests
{
    private const string Secret = "sla-warning-secret-0123456789";

    [Fact]
    public async Task TicketAboutToBreach_OneSignedWarningReachesTheConfiguredReceiver()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await ServerHarness.StartAsync(jobs: true, configuration: (org, _) => new Dictionary<string, string?>
        {
            ["Utendaji:Jobs:PollInterval"] = "00:00:00.050",
            ["Utendaji:SlaWarnings:LeadTime"] = "00:30:00",
            ["Utendaji:SlaWarnings:ScanInterval"] = "00:00:00.100",
            [$"Utendaji:SlaWarnings:Organisations:{org}:Url"] = receiver.Url.ToString(),
            [$"Utendaji:SlaWarnings:Organisations:{org}:Secret"] = Secret,
        });
        var due = server.Clock.Now + Duration.FromMinutes(10);
        var otherDue = server.Clock.Now + Duration.FromHours(3);

        // Given a ticket whose first-reply target falls due in 10 minutes, and one due in 3 hours (beyond the lead time).
        await server.WithStoreAsync(async store =>
        {
            await using var import = await store.BeginImportAsync();
            await import.PutFactsAsync([Ticket("T-soon", due, server.Clock.Now), Ticket("T-later", otherDue, server.Clock.Now)]);
            await import.CommitAsync();
            return 0;
        });

        // When the wired scanner and worker run: one warning arrives.
        var received = await WaitForAsync(() => receiver.Received.Count >= 1);
        Assert.True(received, "no SLA warning reached the receiver within 30 s");
        var key = SlaWarning.Key(server.Org, "T-soon", SlaMetric.FirstReply, due);
        Assert.True(await WaitForAsync(async () => (await server.Queue!.FindAsync(server.Org, SlaWarning.Kind, key))?.State == JobState.Done), "the job was not completed");

        // Further scans find the same target and enqueue nothing new (the dedupe key), so still one.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var warning = Assert.Single(receiver.Received);
        var timestamp = long.Parse(warning.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, warning.Body, warning.Headers[WebhookSignature.SignatureHeader]));
        var body = JsonDocument.Parse(warning.Body).RootElement;
        Assert.Equal("T-soon", body.GetProperty("ticket_id").GetString());
        Assert.Equal(server.Org, body.GetProperty("organisation").GetString());
        Assert.Equal(key, warning.Headers[WebhookSignature.IdempotencyHeader]);
    }

    /// <summary>The operator's whole path: an SLA policy over the API, a ticket from Zendesk by webhook, a warning out.</summary>
    [Fact]
    public async Task TicketFromZendeskWebhookUnderAnSlaPolicy_WarnedBeforeItsFirstReplyTargetFallsDue()
    {
        const string zendeskSecret = "zendesk-secret-of-the-warned-org";
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await ServerHarness.StartAsync(jobs: true, configuration: (org, _) => new Dictionary<string, string?>
        {
            ["Utendaji:Jobs:PollInterval"] = "00:00:00.050",
            ["Utendaji:SlaWarnings:ScanInterval"] = "00:00:00.100",
            [$"Utendaji:SlaWarnings:Organisations:{org}:Url"] = receiver.Url.ToString(),
            [$"Utendaji:SlaWarnings:Organisations:{org}:Secret"] = Secret,
            [$"Utendaji:Connectors:Organisations:{org}:Zendesk:Secret"] = zendeskSecret,
        });
        var manager = await server.ClientAsync();
        var policy = """{"name":"standard","hours":"calendar","targets":[{"priority":"high","first_reply":"PT1H"}]}""";
        Assert.Equal(HttpStatusCode.OK, (await manager.PutAsync(server.Api("/sla-policies/standard"), ServerHarness.Json(policy))).StatusCode);

        // A high-priority ticket created 50 minutes ago, not yet answered: its first reply is due in 10 minutes.
        var created = server.Clock.Now - Duration.FromMinutes(50);
        var at = created.ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var payload = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Webhooks.WebhooksApiTests.Fixture("zendesk/ticket-created.json"))
            .Replace("2026-01-05T07:22:00.412907301Z", at, StringComparison.Ordinal)
            .Replace("2026-01-05T07:22:00Z", at, StringComparison.Ordinal));
        var timestamp = server.Clock.Now.ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
        using var delivery = new HttpRequestMessage(HttpMethod.Post, server.Api("/webhooks/zendesk")) { Content = new ByteArrayContent(payload) };
        delivery.Headers.Add(Ingest.Webhooks.WebhookSignature.ZendeskTimestampHeader, timestamp);
        delivery.Headers.Add(Ingest.Webhooks.WebhookSignature.ZendeskSignatureHeader, Ingest.Webhooks.WebhookSignature.SignZendesk(payload, timestamp, zendeskSecret));
        Assert.Equal(HttpStatusCode.OK, (await server.Client(null).SendAsync(delivery)).StatusCode);

        Assert.True(await WaitForAsync(() => !receiver.Received.IsEmpty), "no SLA warning reached the receiver within 30 s");
        var body = JsonDocument.Parse(receiver.Received.First().Body).RootElement;
        Assert.Equal("zendesk:4821", body.GetProperty("ticket_id").GetString());
        Assert.Equal(SlaWarning.Format(created + Duration.FromHours(1)), body.GetProperty("due").GetString());
        Assert.Equal(10, body.GetProperty("minutes_left").GetInt64());
    }

    [Fact]
    public async Task ReportScheduleInConfiguration_WeeklySummarySentByTheWiredWorker()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // The clock says Tuesday 2026-06-30 12:00Z: a Tuesday-08:00 weekly schedule is due for the week before.
        await using var server = await ServerHarness.StartAsync(jobs: true, configuration: (org, _) => new Dictionary<string, string?>
        {
            ["Utendaji:Jobs:PollInterval"] = "00:00:00.050",
            ["Utendaji:Reports:ScanInterval"] = "00:00:00.100",
            [$"Utendaji:Reports:Schedules:{org}:0:Name"] = "weekly",
            [$"Utendaji:Reports:Schedules:{org}:0:Cadence"] = "Weekly",
            [$"Utendaji:Reports:Schedules:{org}:0:Weekday"] = "Tuesday",
            [$"Utendaji:Reports:Schedules:{org}:0:Time"] = "08:00",
            [$"Utendaji:Reports:Schedules:{org}:0:Webhook:Url"] = receiver.Url.ToString(),
            [$"Utendaji:Reports:Schedules:{org}:0:Webhook:Secret"] = Secret,
        });

        Assert.True(await WaitForAsync(() => !receiver.Received.IsEmpty), "no scheduled summary reached the receiver within 30 s");
        var delivery = receiver.Received.First();
        var timestamp = long.Parse(delivery.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, delivery.Body, delivery.Headers[WebhookSignature.SignatureHeader]));
    }

    [Fact]
    public async Task BadReportSchedule_BuildFailsNamingTheSection()
    {
        var error = await Assert.ThrowsAsync<ServerConfigurationException>(() => ServerHarness.StartAsync(configuration: (org, _) => new Dictionary<string, string?>
        {
            [$"Utendaji:Reports:Schedules:{org}:0:Name"] = "weekly",
            [$"Utendaji:Reports:Schedules:{org}:0:TimeZone"] = "Mars/Olympus",
            [$"Utendaji:Reports:Schedules:{org}:0:Webhook:Url"] = "https://example.org/hook",
            [$"Utendaji:Reports:Schedules:{org}:0:Webhook:Secret"] = Secret,
        }));

        Assert.StartsWith("Utendaji:Reports: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("TimeZone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredOrganisationThatDoesNotExist_IsNotCreatedByTheScanner()
    {
        var ghost = "ghost-" + Guid.NewGuid().ToString("N")[..8];
        await using var server = await ServerHarness.StartAsync(jobs: true, configuration: (_, _) => new Dictionary<string, string?>
        {
            ["Utendaji:SlaWarnings:ScanInterval"] = "00:00:00.050",
            [$"Utendaji:SlaWarnings:Organisations:{ghost}:Url"] = "http://127.0.0.1:9/hooks",
            [$"Utendaji:SlaWarnings:Organisations:{ghost}:Secret"] = Secret,
        });

        await Task.Delay(TimeSpan.FromMilliseconds(300)); // several scans

        Assert.False(await server.Accounts.OrganisationExistsAsync(ghost));
    }

    [Fact]
    public async Task Metrics_ShowTheJobQueueDepth()
    {
        // Jobs off on this node: what is enqueued stays queued, so the depth is known.
        await using var server = await ServerHarness.StartAsync(jobs: true, configuration: (_, _) => new Dictionary<string, string?>
        {
            ["Utendaji:Jobs:Enabled"] = "false",
        });
        foreach (var n in new[] { 1, 2 })
        {
            await server.Queue!.EnqueueAsync(new JobRequest
            {
                Organisation = server.Org,
                Kind = "test-kind",
                DedupeKey = "k" + n,
                Payload = "{}",
                RunAt = server.Clock.Now + Duration.FromHours(n - 1),
            });
        }

        var text = await server.Client(null).GetStringAsync("/metrics");

        Assert.Contains("utendaji_job_queue_depth{state=\"queued\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("utendaji_job_queue_depth{state=\"due\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("utendaji_job_queue_depth{state=\"running\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("utendaji_job_queue_depth{state=\"dead\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAQueue_NoQueueDepthInMetrics()
    {
        await using var server = await ServerHarness.StartAsync();

        var text = await server.Client(null).GetStringAsync("/metrics");

        Assert.DoesNotContain("utendaji_job_queue_depth", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Utendaji:SlaWarnings:LeadTime", "soon", "Utendaji:SlaWarnings:LeadTime")]
    [InlineData("Utendaji:SlaWarnings:Organisations:acme:Url", "ftp://example.org/x", "Utendaji:SlaWarnings:Organisations:acme:Url")]
    [InlineData("Utendaji:SlaWarnings:Organisations:acme:Secret", "short", "Utendaji:SlaWarnings:Organisations:acme:Secret")]
    [InlineData("Utendaji:Connectors:Organisations:acme:Chatwoot:Token", "too-short", "Utendaji:Connectors:Organisations:acme:Chatwoot:Token")]
    [InlineData("Utendaji:Jobs:Enabled", "maybe", "Utendaji:Jobs:Enabled")]
    [InlineData("Utendaji:SlaWarnings:Statuses:0", "solved", "Utendaji:SlaWarnings:Statuses:0")]
    public async Task BadConfiguration_BuildFailsNamingTheKey(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal) { [key] = value };
        if (key.EndsWith(":Url", StringComparison.Ordinal))
        {
            settings["Utendaji:SlaWarnings:Organisations:acme:Secret"] = Secret;
        }
        else if (key.EndsWith("acme:Secret", StringComparison.Ordinal))
        {
            settings["Utendaji:SlaWarnings:Organisations:acme:Url"] = "https://example.org/hook";
        }

        var error = await Assert.ThrowsAsync<ServerConfigurationException>(() => ServerHarness.StartAsync(configuration: (_, _) => settings));

        Assert.StartsWith(named + ":", error.Message, StringComparison.Ordinal);
        if (key.EndsWith("Secret", StringComparison.Ordinal) || key.EndsWith("Token", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Settings_Unconfigured_EverythingOff()
    {
        var settings = ServerSettings.Read(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        Assert.True(settings.JobsEnabled);
        Assert.Empty(settings.SlaWarnings.Webhooks);
        Assert.Empty(settings.Connectors.Organisations);
        Assert.Equal(Duration.FromMinutes(30), settings.SlaWarnings.LeadTime);
    }

    [Fact]
    public void Settings_JobQueueKeys_GiveTheQueuesOptions()
    {
        var unconfigured = ServerSettings.Read(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).Queue;
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Utendaji:Jobs:LeaseDuration"] = "00:20:00",
            ["Utendaji:Jobs:MaxAttempts"] = "3",
            ["Utendaji:Jobs:RetryBaseDelay"] = "00:00:05",
            ["Utendaji:Jobs:RetryMaxDelay"] = "00:10:00",
        }).Build();

        var queue = ServerSettings.Read(configuration).Queue;

        Assert.Equal(Storage.Jobs.JobQueueOptions.Default, unconfigured);
        Assert.Equal(new Storage.Jobs.JobQueueOptions
        {
            LeaseDuration = Duration.FromMinutes(20), MaxAttempts = 3, RetryBaseDelay = Duration.FromSeconds(5), RetryMaxDelay = Duration.FromMinutes(10),
        }, queue);
    }

    [Theory]
    [InlineData("LeaseDuration", "soon", "Utendaji:Jobs:LeaseDuration")]
    [InlineData("LeaseDuration", "00:00:00", "Utendaji:Jobs:LeaseDuration")]
    [InlineData("MaxAttempts", "0", "Utendaji:Jobs:MaxAttempts")]
    [InlineData("MaxAttempts", "2.5", "Utendaji:Jobs:MaxAttempts")]
    [InlineData("RetryMaxDelay", "00:00:10", "Utendaji:Jobs:RetryMaxDelay")] // shorter than the default base, 30 s
    public void Settings_BadJobQueueKey_RefusedNamingIt(string key, string value, string named)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Utendaji:Jobs:" + key] = value,
        }).Build();

        var error = Assert.Throws<ServerConfigurationException>(() => ServerSettings.Read(configuration));

        Assert.StartsWith(named + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_KeysAsEnvironmentVariablesGiveThem_ReadWithoutRegardToCase()
    {
        // UTENDAJI__SLAWARNINGS__ORGANISATIONS__acme__URL becomes the key below; the organisation keeps its case.
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UTENDAJI:SLAWARNINGS:LEADTIME"] = "00:15:00",
            ["UTENDAJI:SLAWARNINGS:ORGANISATIONS:acme:URL"] = "https://alerts.example.org/utendaji",
            ["UTENDAJI:SLAWARNINGS:ORGANISATIONS:acme:SECRET"] = Secret,
            ["UTENDAJI:CONNECTORS:ORGANISATIONS:acme:ZENDESK:SECRET"] = "zendesk-secret",
            ["UTENDAJI:JOBS:ENABLED"] = "False",
        }).Build();

        var settings = ServerSettings.Read(configuration);

        Assert.False(settings.JobsEnabled);
        Assert.Equal(Duration.FromMinutes(15), settings.SlaWarnings.LeadTime);
        Assert.Equal(new Uri("https://alerts.example.org/utendaji"), settings.SlaWarnings.Webhooks["acme"].Url);
        Assert.Equal("zendesk-secret", settings.Connectors.Organisations["acme"].Zendesk);
        Assert.Null(settings.Connectors.Organisations["acme"].Chatwoot);
        Assert.DoesNotContain("zendesk-secret", settings.Connectors.Organisations["acme"].ToString(), StringComparison.Ordinal);
    }

    private static TicketFacts Ticket(string id, Instant due, Instant now) => new()
    {
        TicketId = id,
        Source = FactsSource.Events,
        CreatedAt = now - Duration.FromMinutes(50),
        Status = TicketStatus.Open,
        Team = "support",
        Priority = "high",
        Calendar = "24x7",
        Sla = [new SlaOutcome(SlaMetric.FirstReply, "gold", Duration.FromHours(1), due, SlaState.Running, due - now)],
    };

    private static Task<bool> WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return false;
    }
}
