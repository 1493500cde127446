using System.Globalization;
using System.Text.Json;
using NodaTime;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.ReportsHarness;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Scanner, queue, worker and handler together, delivering to a real HTTP receiver and a real SMTP server.</summary>
public sealed class ReportDeliveryTests : IAsyncLifetime
{
    private const string Markup = "<script>alert(\"x\")</script> & Co";
    private const string WeekKey = "weekly-hook:2026-11-16";
    private const string MailKey = "weekly-mail:2026-11-16";

    private ReportsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReportsHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JsonElement Figure(JsonElement group, string name) =>
        group.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("figure").GetString() == name);

    /// <summary>
    /// The pooled two-proportion z written out by hand; the two-sided p-value is passed in as a literal computed
    /// outside .NET (Python's math.erfc), so the significance flag is checked against an independent reference.
    /// </summary>
    private static (double Z, bool Significant) NaiveTwoProportions(int x1, int n1, int x2, int n2, double p)
    {
        var pooled = (double)(x1 + x2) / (n1 + n2);
        var z = (((double)x2 / n2) - ((double)x1 / n1)) / Math.Sqrt(pooled * (1 - pooled) * ((1.0 / n1) + (1.0 / n2)));
        return (z, p < 0.05);
    }

    [Fact]
    public async Task Deliver_Webhook_SignedJsonWithBothPeriodsAndTestedChanges()
    {
        await _harness.SeedAsync(TwoWeeks("tier-2"));
        var node = await _harness.NodeAsync(Options(_harness.WebhookSchedule()));
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, await node.DrainAsync());

        var received = Assert.Single(_harness.Receiver.Received);
        Assert.Equal(WeekKey, received.Headers["Idempotency-Key"]);
        var timestamp = long.Parse(received.Headers["X-Utendaji-Timestamp"], CultureInfo.InvariantCulture);
        Assert.Equal(T0.ToUnixTimeSeconds(), timestamp);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, received.Body, received.Headers["X-Utendaji-Signature"]));
        Assert.False(WebhookSignature.Verify("another-secret-0123456789", timestamp, received.Body, received.Headers["X-Utendaji-Signature"]));

        using var body = JsonDocument.Parse(received.Body);
        var root = body.RootElement;
        Assert.Equal("report.summary", root.GetProperty("type").GetString());
        Assert.Equal(WeekKey, root.GetProperty("delivery_id").GetString());
        Assert.Equal(Organisation, root.GetProperty("organisation").GetString());
        Assert.Equal("weekly", root.GetProperty("cadence").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("group_by").ValueKind);
        Assert.Equal("2026-W47", root.GetProperty("period").GetProperty("label").GetString());
        Assert.Equal("2026-11-15T22:00:00Z", root.GetProperty("period").GetProperty("start").GetString());
        Assert.Equal("2026-11-22T22:00:00Z", root.GetProperty("period").GetProperty("end").GetString());
        Assert.Equal("2026-W46", root.GetProperty("previous_period").GetProperty("label").GetString());
        Assert.Equal("2026-11-08T22:00:00Z", root.GetProperty("previous_period").GetProperty("start").GetString());
        Assert.Empty(root.GetProperty("groups").EnumerateArray());

        var total = root.GetProperty("total");
        // First-reply SLA 30/50 → 45/50: p = 0.000532 (Python: math.erfc(3.4641016151377553 / math.sqrt(2))).
        var sla = Figure(total, "sla_first_reply");
        var (z, significant) = NaiveTwoProportions(30, 50, 45, 50, p: 0.0005320055051392491);
        Assert.Equal(50, sla.GetProperty("previous").GetProperty("n").GetInt64());
        Assert.Equal(0.6, sla.GetProperty("previous").GetProperty("value").GetDouble(), 12);
        Assert.Equal(0.9, sla.GetProperty("current").GetProperty("value").GetDouble(), 12);
        Assert.True(sla.GetProperty("current").GetProperty("ci_low").GetDouble() < 0.9);
        Assert.True(sla.GetProperty("current").GetProperty("ci_high").GetDouble() > 0.9);
        Assert.Equal(0.3, sla.GetProperty("difference").GetDouble(), 12);
        Assert.Equal("two_proportion_z", sla.GetProperty("test").GetProperty("method").GetString());
        Assert.Equal(z, sla.GetProperty("test").GetProperty("statistic").GetDouble(), 9);
        Assert.Equal(0.0005320055051392491, sla.GetProperty("test").GetProperty("p_value").GetDouble(), 9);
        Assert.Equal(significant, sla.GetProperty("significant").GetBoolean());
        Assert.True(significant);

        // CSAT 40/50 → 44/50: p = 0.275 (Python, as above), not significant.
        var csat = Figure(total, "csat_satisfied");
        var (zc, significantC) = NaiveTwoProportions(40, 50, 44, 50, p: 0.2752335240748347);
        Assert.Equal(zc, csat.GetProperty("test").GetProperty("statistic").GetDouble(), 9);
        Assert.Equal(significantC, csat.GetProperty("significant").GetBoolean());
        Assert.False(significantC);

        var created = Figure(total, "created");
        Assert.Equal(50, created.GetProperty("current").GetProperty("n").GetInt64());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("test").ValueKind);
        Assert.False(created.GetProperty("significant").GetBoolean());

        // Every flag agrees with its test and the level in the body.
        var level = root.GetProperty("significance_level").GetDouble();
        foreach (var figure in total.GetProperty("figures").EnumerateArray())
        {
            var test = figure.GetProperty("test");
            Assert.Equal(test.ValueKind != JsonValueKind.Null && test.GetProperty("p_value").GetDouble() < level, figure.GetProperty("significant").GetBoolean());
        }

        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, WeekKey))!.State);
    }

    [Fact]
    public async Task Deliver_WebhookAnswers500_RetriedWithSameIdempotencyKey()
    {
        await _harness.SeedAsync(TwoWeeks("tier-2"));
        var node = await _harness.NodeAsync(Options(_harness.WebhookSchedule()));
        _harness.Receiver.ThenStatus(500);
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, await node.DrainAsync());
        var job = await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, WeekKey);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.Equal("the webhook answered HTTP 500", job.LastError);

        _harness.Clock.Advance(Duration.FromMinutes(10));
        Assert.Equal(1, await node.DrainAsync());

        Assert.Equal(2, _harness.Receiver.Received.Count);
        Assert.All(_harness.Receiver.Received, r => Assert.Equal(WeekKey, r.Headers["Idempotency-Key"]));
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, WeekKey))!.State);
    }

    [Fact]
    public async Task Deliver_Email_MultipartWithEscapedHtmlOverRealSmtp()
    {
        await _harness.SeedAsync(TwoWeeks(Markup));
        var node = await _harness.NodeAsync(Options(_harness.EmailSchedule()));
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, await node.DrainAsync());

        var message = Assert.Single(_harness.Smtp.Messages);
        Assert.Equal(["EHLO", "MAIL", "RCPT", "RCPT", "DATA", "QUIT"], _harness.Smtp.Verbs.ToArray());
        Assert.Equal("<reports@utendaji.test>", message.From);
        Assert.Equal(["<lead@acme.test>", "<ops@acme.test>"], message.To);
        Assert.Equal("Utendaji weekly summary 2026-W47 (by team)", message.Subject);
        Assert.Equal(MailKey, message.Header["X-Utendaji-Delivery"]);
        Assert.StartsWith("multipart/alternative", message.Header["Content-Type"], StringComparison.OrdinalIgnoreCase);

        var parts = message.Parts();
        Assert.Equal(2, parts.Count);
        var (textType, text) = parts[0];
        var (htmlType, html) = parts[1];
        Assert.StartsWith("text/plain", textType, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("text/html", htmlType, StringComparison.OrdinalIgnoreCase);

        // Text: both periods, the total and each team, the significant SLA change starred, CSAT not.
        Assert.Contains("2026-W47 against 2026-W46 (Europe/Helsinki)", text, StringComparison.Ordinal);
        Assert.Contains("== All tickets ==", text, StringComparison.Ordinal);
        Assert.Contains("== team: tier-1 ==", text, StringComparison.Ordinal);
        Assert.Contains("== team: " + Markup + " ==", text, StringComparison.Ordinal);
        var totalBlock = text[text.IndexOf("== All tickets ==", StringComparison.Ordinal)..text.IndexOf("== team:", StringComparison.Ordinal)];
        var slaLine = totalBlock.Split("\r\n").Single(l => l.StartsWith("SLA first reply met", StringComparison.Ordinal));
        Assert.Contains("60.0%", slaLine, StringComparison.Ordinal);
        Assert.Contains("90.0%", slaLine, StringComparison.Ordinal);
        Assert.Contains("+30.0 pts *", slaLine, StringComparison.Ordinal);
        var csatLine = totalBlock.Split("\r\n").Single(l => l.StartsWith("CSAT satisfied", StringComparison.Ordinal));
        Assert.Contains("+8.0 pts (p=", csatLine, StringComparison.Ordinal);
        Assert.DoesNotContain(" *", csatLine, StringComparison.Ordinal);

        // HTML: the team name escaped, never raw markup.
        Assert.Contains("team: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>+30.0 pts</strong>", html, StringComparison.Ordinal);

        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, MailKey))!.State);
    }

    [Fact]
    public async Task Deliver_SmtpRefuses_JobRetriedThenSent()
    {
        await _harness.SeedAsync(TwoWeeks("tier-2"));
        var node = await _harness.NodeAsync(Options(_harness.EmailSchedule()));
        _harness.Smtp.RefuseNext();
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, await node.DrainAsync());
        Assert.Empty(_harness.Smtp.Messages);
        var job = await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, MailKey);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.Equal(1, job.Attempts);
        Assert.StartsWith("the SMTP server refused the message", job.LastError, StringComparison.Ordinal);
        Assert.True(job.RunAt > _harness.Clock.Now);

        // Not due again before its backoff.
        Assert.Equal(0, await node.DrainAsync());
        _harness.Clock.Advance(Duration.FromMinutes(10));
        Assert.Equal(1, await node.DrainAsync());

        var message = Assert.Single(_harness.Smtp.Messages);
        Assert.Equal(MailKey, message.Header["X-Utendaji-Delivery"]);
        Assert.Equal(JobState.Done, (await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, MailKey))!.State);
    }

    [Fact]
    public async Task Deliver_StartTlsRequiredButNotOffered_NothingSentInPlainText()
    {
        await _harness.SeedAsync(TwoWeeks("tier-2"));
        var schedule = _harness.EmailSchedule();
        var node = await _harness.NodeAsync(Options(schedule with { Email = schedule.Email! with { StartTls = true } }));
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, await node.DrainAsync());

        Assert.Empty(_harness.Smtp.Messages);
        Assert.DoesNotContain("MAIL", _harness.Smtp.Verbs);
        Assert.DoesNotContain("DATA", _harness.Smtp.Verbs);
        var job = await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, MailKey);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.StartsWith("the SMTP server", job.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_SmtpServerDown_FailsAttemptWithSafeMessage()
    {
        var schedule = _harness.EmailSchedule();
        // A port that was free a moment ago and has no listener now.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var node = await _harness.NodeAsync(Options(schedule with { Email = schedule.Email! with { Port = port } }));
        await node.ScanService.ScanAllAsync();

        Assert.Equal(1, await node.DrainAsync());

        var job = await node.Queue.FindAsync(Organisation, ReportDelivery.Kind, MailKey);
        Assert.Equal(JobState.Queued, job!.State);
        Assert.StartsWith("the SMTP server", job.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_ScheduleRemovedFromConfiguration_FailsWithoutSending()
    {
        var first = await _harness.NodeAsync(Options(_harness.WebhookSchedule()));
        await first.ScanService.ScanAllAsync();
        var other = await _harness.NodeAsync(Options(_harness.WebhookSchedule("another")));

        Assert.Equal(1, await other.DrainAsync());

        Assert.Empty(_harness.Receiver.Received);
        var job = await other.Queue.FindAsync(Organisation, ReportDelivery.Kind, WeekKey);
        Assert.Equal("no report schedule of that name is configured for the organisation", job!.LastError);
    }
}
