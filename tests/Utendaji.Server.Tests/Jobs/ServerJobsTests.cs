using System.Globalization;
using System.Net;
using System.Text.Json;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;

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
