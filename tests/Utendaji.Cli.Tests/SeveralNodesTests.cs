using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Utendaji.Cli.Tests;

/// <summary>
/// Three real <c>utendaji serve</c> processes on loopback share one fresh PostgreSQL database; clients post batches of
/// events round-robin across them while one node is killed (SIGKILL), and every node runs the job worker and the SLA
/// warning scanner against an in-test webhook receiver. Afterwards the stored events are exactly the acknowledged
/// ones, and each due SLA warning was delivered once per Idempotency-Key. Needs <c>UTENDAJI_TEST_POSTGRES</c> (set by
/// <c>bash scripts/test.sh</c>); fails without it.
/// </summary>
public sealed class SeveralNodesTests : IAsyncLifetime
{
    private const int Nodes = 3;
    private const int Clients = 4;
    private const int BatchesPerClient = 24;
    private const int TicketsPerBatch = 10; // two events each
    private const int MaxAttempts = 6;
    private const int DueTickets = 6;
    private const string Policy = "urgent-10m";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly CliHarness _cli = new();
    private readonly string _database = "utd_nodes_" + Guid.NewGuid().ToString("N");
    private readonly string _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    private readonly List<Process> _nodes = [];
    private readonly ConcurrentQueue<string> _nodeErrors = new();
    private readonly ConcurrentQueue<string> _nodeOutput = new();
    private WebhookReceiver? _receiver;
    private string? _connectionString;

    private static string Admin =>
        Environment.GetEnvironmentVariable("UTENDAJI_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "UTENDAJI_TEST_POSTGRES is not set: the PostgreSQL tests need a server. Run `bash scripts/test.sh` (it starts a private one).");

    private static string WorkerName(int node) => string.Create(CultureInfo.InvariantCulture, $"node-{node}");

    [Fact]
    public async Task ThreeNodes_OneKilledMidIngestAndMidWarning_StoredEventsEqualAcknowledged_EachDueWarningOncePerKey()
    {
        // Given an SLA webhook receiver, and three nodes started at once on an empty database (they race to migrate
        // it: one does, under the advisory lock), each running the job worker and SLA scanner (scan every second, poll
        // every 200 ms, lead time 5 minutes) with its own worker name, so the lease owner names the node
        // (its URL's last segment a token, as many services have it: a secret the nodes must not log)
        var pathToken = "tok-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var receiver = _receiver = await WebhookReceiver.StartAsync("sla/" + pathToken);
        var config = _cli.Write("nodes.json", $$"""
            {
              "Utendaji": {
                "Jobs": { "PollInterval": "00:00:00.200" },
                "SlaWarnings": {
                  "LeadTime": "00:05:00",
                  "ScanInterval": "00:00:01",
                  "Timeout": "00:00:30",
                  "Organisations": { "acme": { "Url": "{{receiver.Url}}", "Secret": "{{_secret}}" } }
                }
              }
            }
            """);
        var db = await CreateDatabaseAsync();
        var bases = new List<Uri>();
        for (var i = 0; i < Nodes; i++)
        {
            var port = FreePort();
            bases.Add(new Uri($"http://127.0.0.1:{port}/"));
            _nodes.Add(StartCli(
                new Dictionary<string, string> { ["Utendaji__Jobs__WorkerName"] = WorkerName(i) },
                "serve", "--urls", $"http://127.0.0.1:{port}", "--db", db, "--config", config));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        foreach (var node in bases)
        {
            await WaitForHealthAsync(http, node);
        }

        // and an organisation with a write token bootstrapped with `admin` while they serve, with an SLA policy
        // (urgent tickets: first reply within 10 minutes of real time) PUT through one node
        await AdminAsync("create-org", "acme", "--db", db);
        await AdminAsync("create-user", "--org", "acme", "--email", "ann@acme.example", "--role", "owner", "--db", db);
        var token = (await AdminAsync("create-token", "--org", "acme", "--email", "ann@acme.example", "--scope", "write", "--db", db)).Trim();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(1, await ScalarAsync(db, "SELECT count(*) FROM schema_migrations WHERE version = 1"));
        using (var policy = new StringContent(
            $$"""{"name":"{{Policy}}","hours":"calendar","targets":[{"priority":"urgent","first_reply":"PT10M"}]}""", Encoding.UTF8, "application/json"))
        using (var put = await http.PutAsync(new Uri(bases[2], $"api/v1/orgs/acme/sla-policies/{Policy}"), policy))
        {
            Assert.True(put.IsSuccessStatusCode, $"PUT sla-policies: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }

        // When clients post batches round-robin, retrying a failed batch on the next node; at a sixth of the batches
        // one client posts tickets around the SLA lead time (built from the real clock: the nodes' clock), and the
        // receiver, on the first warning it gets, kills (SIGKILL) the node holding that job's lease before answering:
        // that node dies mid-job, after its POST and before recording it. Clients past a third wait for the kill,
        // so the kill falls mid-ingestion and two thirds of the batches come after it.
        var acknowledged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var sent = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var batchesAcknowledged = 0;
        var retried = 0;
        var killAt = Clients * BatchesPerClient / 3;
        var slaAt = killAt / 2;
        var killed = new TaskCompletionSource<(int Node, string Key)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var expected = new TaskCompletionSource<SlaTickets>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.BeforeFirstAnswer = async first =>
        {
            try
            {
                var key = first.Headers["Idempotency-Key"];
                var owner = await LeaseOwnerAsync(db, key);
                var victim = Enumerable.Range(0, Nodes).Single(n => WorkerName(n) == owner);
                _nodes[victim].Kill(); // SIGKILL on Linux: no graceful shutdown, requests in flight die with it
                await _nodes[victim].WaitForExitAsync();
                killed.TrySetResult((victim, key));
            }
            catch (Exception e)
            {
                killed.TrySetException(e);
            }
        };

        async Task<bool> PostAsync(string body, int first)
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var node = bases[(first + attempt) % Nodes];
                try
                {
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync(new Uri(node, "api/v1/orgs/acme/events"), content);
                    Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode >= 500,
                        $"a batch was refused with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    if (response.IsSuccessStatusCode)
                    {
                        return true;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The node is gone (or the request died with it): the same batch goes to the next node.
                }

                Interlocked.Increment(ref retried);
            }

            return false;
        }

        void Acknowledge(IEnumerable<string> ids)
        {
            foreach (var id in ids)
            {
                acknowledged.TryAdd(id, 0);
            }
        }

        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var batch = 0; batch < BatchesPerClient; batch++)
            {
                var (body, ids) = Batch(client, batch);
                foreach (var id in ids)
                {
                    sent.TryAdd(id, 0);
                }

                Assert.True(await PostAsync(body, client + batch), $"batch {client}/{batch} was refused by every node");
                Acknowledge(ids);
                var done = Interlocked.Increment(ref batchesAcknowledged);
                if (done == slaAt)
                {
                    var tickets = SlaBatch(DateTimeOffset.UtcNow);
                    foreach (var id in tickets.EventIds)
                    {
                        sent.TryAdd(id, 0);
                    }

                    Assert.True(await PostAsync(tickets.Body, client), "the SLA tickets were refused by every node");
                    Acknowledge(tickets.EventIds);
                    expected.SetResult(tickets);
                }

                if (done >= killAt && !killed.Task.IsCompleted)
                {
                    await WaitAsync(killed.Task, "no SLA warning reached the receiver");
                }
            }
        })).ToList();
        await Task.WhenAll(clients);

        // Then the node did die mid-run, every event was acknowledged, and the database holds each exactly once
        var (victim, victimKey) = await killed.Task;
        var due = await expected.Task;
        // Two thirds of the batches came after the kill and a third of those were first sent to the dead node.
        Assert.True(retried > 0, "no batch was retried: the kill did not happen mid-run");
        Assert.Equal((Clients * BatchesPerClient * TicketsPerBatch * 2) + due.EventIds.Count, sent.Count);
        Assert.Equal(sent.Keys.Order(StringComparer.Ordinal), acknowledged.Keys.Order(StringComparer.Ordinal));
        var stored = await StoredEventIdsAsync(db);
        Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(acknowledged.Keys.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));

        // And a surviving node serves every ticket (the facts were derived, not only the events stored)
        var survivor = bases[(victim + 1) % Nodes];
        using var tickets = await http.GetAsync(new Uri(survivor, "api/v1/orgs/acme/tickets?limit=1"));
        Assert.Equal(HttpStatusCode.OK, tickets.StatusCode);
        Assert.Equal((Clients * BatchesPerClient * TicketsPerBatch) + due.Tickets, await FactsCountAsync(db));

        // And the dead node died holding exactly one claim, the warning it was delivering. Its lease would expire
        // after the default 5 minutes (Utendaji:Jobs has no lease setting); the test expires it in the database
        // instead of waiting, which is all the 5 minutes would change. A surviving node then claims it again.
        Assert.Equal(1, await ExecuteAsync(db,
            "UPDATE jobs SET lease_until = 0 WHERE kind = 'sla-warning' AND state = 1 AND lease_owner = $1", WorkerName(victim)));
        await WaitUntilAsync(async () => receiver.Received.Count >= DueTickets + 1
            && await ScalarAsync(db, "SELECT count(*) FROM jobs WHERE kind = 'sla-warning' AND state <> 2") == 0,
            "every SLA warning job done and the dead node's warning delivered again");

        // And a surviving node's /metrics reads the shared queue: nothing waiting, running or dead
        var metrics = await http.GetStringAsync(new Uri(survivor, "metrics"));
        foreach (var state in new[] { "due", "queued", "running", "dead" })
        {
            Assert.Contains($"utendaji_job_queue_depth{{state=\"{state}\"}} 0\n", metrics, StringComparison.Ordinal);
        }

        // And each due ticket got exactly one warning job, done; the dead node's job took two attempts, the others one
        var jobs = await SlaJobsAsync(db);
        Assert.Equal(DueTickets, jobs.Count);
        Assert.Equal(2, jobs[victimKey]);
        Assert.All(jobs.Where(job => job.Key != victimKey), job => Assert.Equal(1, job.Value));

        // And the receiver saw every due ticket's warning, each signed with the organisation's secret, none for the
        // tickets not due (due after the lead time, already answered, already breached, no priority). Delivery is at
        // least once (docs/jobs.md): the dead node's POST arrived before it died, so that warning arrived twice with
        // the same Idempotency-Key, and every other one exactly once. A receiver that deduplicates by the key (as
        // the docs ask) acted on each due warning exactly once.
        var warnings = receiver.Received.Select(Parse).ToList();
        Assert.All(warnings, warning => Assert.True(warning.SignatureValid, $"bad signature on {warning.Key}"));
        var byKey = warnings.GroupBy(w => w.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Assert.Equal(jobs.Keys.Order(StringComparer.Ordinal), byKey.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, byKey[victimKey].Count);
        Assert.All(byKey.Where(pair => pair.Key != victimKey), pair => Assert.Single(pair.Value));
        Assert.All(byKey.Values, same => Assert.Single(same.Select(w => w.TicketId).Distinct()));
        Assert.Equal(due.Due.Keys.Order(StringComparer.Ordinal), byKey.Values.Select(same => same[0].TicketId).Order(StringComparer.Ordinal));
        Assert.All(warnings, warning =>
        {
            Assert.Equal(warning.Key, warning.WarningId);
            Assert.Equal("sla.breach_warning", warning.Type);
            Assert.Equal("acme", warning.Organisation);
            Assert.Equal("first_reply", warning.Metric);
            Assert.Equal(Policy, warning.Policy);
            Assert.Equal(due.Due[warning.TicketId], warning.Due);
        });

        // And no node wrote the webhook's URL token or its secret in its logs
        Assert.NotEmpty(_nodeOutput);
        Assert.DoesNotContain(_nodeOutput, line => line.Contains(pathToken, StringComparison.Ordinal) || line.Contains(_secret, StringComparison.Ordinal));
    }

    /// <summary>The tickets posted around the lead time, and which of them are due for a warning (and when).</summary>
    private sealed record SlaTickets(string Body, List<string> EventIds, int Tickets, Dictionary<string, DateTimeOffset> Due);

    /// <summary>
    /// Tickets for the policy "urgent: first reply within 10 minutes", relative to <paramref name="now"/> and a lead
    /// time of 5 minutes: <see cref="DueTickets"/> whose first reply falls due in 90 s to 3 min (warned), and four
    /// that must not be: due in 8 minutes (after the lead time, even when the test runs a minute), answered,
    /// breached 5 minutes ago, and one without a priority (no target).
    /// </summary>
    private static SlaTickets SlaBatch(DateTimeOffset now)
    {
        now = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var events = new List<string>();
        var ids = new List<string>();
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        void Created(string ticket, DateTimeOffset at, string? priority)
        {
            ids.Add(ticket + "-c");
            var field = priority is null ? "" : $",\"priority\":\"{priority}\"";
            events.Add($$"""{"id":"{{ticket}}-c","ticket_id":"{{ticket}}","at":"{{Iso(at)}}","type":"created","actor":{"kind":"customer","id":"c-sla"},"channel":"email","team":"support","status":"new"{{field}}}""");
        }

        for (var k = 0; k < DueTickets; k++)
        {
            var ticket = string.Create(CultureInfo.InvariantCulture, $"S-due-{k}");
            var created = now.AddMinutes(-10).AddSeconds(90 + (k * 15));
            Created(ticket, created, "urgent");
            due[ticket] = created.AddMinutes(10);
        }

        Created("S-later", now.AddMinutes(-2), "urgent");
        Created("S-answered", now.AddMinutes(-8), "urgent");
        ids.Add("S-answered-r");
        events.Add($$"""{"id":"S-answered-r","ticket_id":"S-answered","at":"{{Iso(now.AddMinutes(-7))}}","type":"agent_reply","actor":{"kind":"agent","id":"a-1"},"public":true}""");
        Created("S-breached", now.AddMinutes(-15), "urgent");
        Created("S-no-priority", now.AddMinutes(-8), null);
        return new SlaTickets("[" + string.Join(',', events) + "]", ids, DueTickets + 4, due);
    }

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>One received warning, its signature checked here (HMAC-SHA256 of timestamp "." body), not by Utendaji's code.</summary>
    private sealed record Warning(
        string Key, bool SignatureValid, string Type, string WarningId, string Organisation, string TicketId, string Metric, string Policy, DateTimeOffset Due);

    private Warning Parse(ReceivedWebhook received)
    {
        var timestamp = received.Headers["X-Utendaji-Timestamp"];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(received.Body).ToArray());
        var signed = string.Equals(received.Headers["X-Utendaji-Signature"], "sha256=" + Convert.ToHexStringLower(mac), StringComparison.Ordinal)
            && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp, CultureInfo.InvariantCulture)) < 300;
        using var json = JsonDocument.Parse(received.Body);
        var root = json.RootElement;
        string Text(string name) => root.GetProperty(name).GetString() ?? "";
        return new Warning(
            received.Headers["Idempotency-Key"], signed, Text("type"), Text("warning_id"), Text("organisation"), Text("ticket_id"), Text("metric"),
            Text("policy"), DateTimeOffset.Parse(Text("due"), CultureInfo.InvariantCulture));
    }

    private async Task WaitAsync(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} within {Deadline.TotalSeconds} s; node errors: {string.Join(" | ", _nodeErrors)}");
        }
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > Deadline)
            {
                Assert.Fail($"not within {Deadline.TotalSeconds} s: {what}; node errors: {string.Join(" | ", _nodeErrors)}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<string?> LeaseOwnerAsync(string db, string key)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT lease_owner FROM jobs WHERE kind = 'sla-warning' AND state = 1 AND dedupe_key = $1", connection);
        command.Parameters.Add(new() { Value = key });
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Attempts by dedupe key of the organisation's SLA warning jobs.</summary>
    private static async Task<Dictionary<string, int>> SlaJobsAsync(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT j.dedupe_key, j.attempts FROM jobs j JOIN organisations o ON o.org = j.org WHERE o.name = 'acme' AND j.kind = 'sla-warning'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var jobs = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            jobs.Add(reader.GetString(0), reader.GetInt32(1));
        }

        return jobs;
    }

    private static async Task<int> ExecuteAsync(string db, string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A batch of <see cref="TicketsPerBatch"/> new tickets (created, then an agent reply): ids unique to it.</summary>
    private static (string Body, List<string> Ids) Batch(int client, int batch)
    {
        var ids = new List<string>();
        var text = new StringBuilder("[");
        var created = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero).AddMinutes(((client * BatchesPerClient) + batch) * TicketsPerBatch);
        for (var t = 0; t < TicketsPerBatch; t++)
        {
            var ticket = string.Create(CultureInfo.InvariantCulture, $"T-{client}-{batch}-{t}");
            var at = created.AddMinutes(t).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            var reply = created.AddMinutes(t + 30).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            ids.Add(ticket + "-c");
            ids.Add(ticket + "-r");
            text.Append(t == 0 ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $$"""{"id":"{{ticket}}-c","ticket_id":"{{ticket}}","at":"{{at}}","type":"created","actor":{"kind":"customer","id":"c-{{client}}"},"channel":"email","team":"support"}""")
                .Append(',')
                .Append(CultureInfo.InvariantCulture, $$"""{"id":"{{ticket}}-r","ticket_id":"{{ticket}}","at":"{{reply}}","type":"agent_reply","actor":{"kind":"agent","id":"a-{{batch % 3}}"},"public":true}""");
        }

        return (text.Append(']').ToString(), ids);
    }

    private async Task<string> AdminAsync(params string[] args)
    {
        var result = await _cli.RunAsync(["admin", .. args]);
        Assert.True(result.ExitCode == 0, $"admin {args[0]}: {result.Error}");
        return result.Out;
    }

    private async Task<string> CreateDatabaseAsync()
    {
        await using var admin = new NpgsqlConnection(Admin);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {_database}", admin); // a generated identifier
        await command.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(Admin) { Database = _database }.ToString();
        return _connectionString;
    }

    private static async Task<List<string>> StoredEventIdsAsync(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT e.event_id FROM events e JOIN organisations o ON o.org = e.org WHERE o.name = 'acme'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static Task<long> FactsCountAsync(string db) =>
        ScalarAsync(db, "SELECT count(*) FROM ticket_facts f JOIN organisations o ON o.org = f.org WHERE o.name = 'acme'");

    private static async Task<long> ScalarAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForHealthAsync(HttpClient http, Uri node)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(_nodes.Any(n => n.HasExited), "a node exited at start-up: " + string.Join(" | ", _nodeErrors));
            try
            {
                using var response = await http.GetAsync(new Uri(node, "health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{node} did not become healthy within 30 s");
    }

    private Process StartCli(Dictionary<string, string> environment, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "utendaji.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        // Both pipes drained (a node blocked on a full pipe would look like a dead one); logs and start-up errors kept.
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                _nodeOutput.Enqueue(text);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text && _nodeErrors.Count < 20)
            {
                _nodeErrors.Enqueue(text);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (!node.HasExited)
            {
                node.Kill();
                await node.WaitForExitAsync();
            }

            node.Dispose();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        if (_connectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Admin);
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
            await command.ExecuteNonQueryAsync();
        }

        _cli.Dispose();
    }
}
