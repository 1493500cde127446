using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Utendaji.Cli.Tests;

/// <summary>
/// Three real <c>utendaji serve</c> processes on loopback share one fresh PostgreSQL database; clients post batches of
/// events round-robin across them while one node is killed (SIGKILL). Afterwards the stored events are exactly the
/// acknowledged ones. Needs <c>UTENDAJI_TEST_POSTGRES</c> (set by <c>bash scripts/test.sh</c>); fails without it.
/// </summary>
public sealed class SeveralNodesTests : IAsyncLifetime
{
    private const int Nodes = 3;
    private const int Clients = 4;
    private const int BatchesPerClient = 24;
    private const int TicketsPerBatch = 10; // two events each
    private const int MaxAttempts = 6;

    private readonly CliHarness _cli = new();
    private readonly string _database = "utd_nodes_" + Guid.NewGuid().ToString("N");
    private readonly List<Process> _nodes = [];
    private readonly ConcurrentQueue<string> _nodeErrors = new();
    private string? _connectionString;

    private static string Admin =>
        Environment.GetEnvironmentVariable("UTENDAJI_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "UTENDAJI_TEST_POSTGRES is not set: the PostgreSQL tests need a server. Run `bash scripts/test.sh` (it starts a private one).");

    [Fact]
    public async Task ThreeNodes_OneKilledWhileClientsPost_StoredEventsEqualAcknowledged()
    {
        // Given three nodes started at once on an empty database (they race to migrate it: one does, under the
        // advisory lock), and an organisation with a write token bootstrapped with `admin` while they serve
        var db = await CreateDatabaseAsync();
        var bases = new List<Uri>();
        for (var i = 0; i < Nodes; i++)
        {
            var port = FreePort();
            bases.Add(new Uri($"http://127.0.0.1:{port}/"));
            _nodes.Add(StartCli("serve", "--urls", $"http://127.0.0.1:{port}", "--db", db));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        foreach (var node in bases)
        {
            await WaitForHealthAsync(http, node);
        }

        await AdminAsync("create-org", "acme", "--db", db);
        await AdminAsync("create-user", "--org", "acme", "--email", "ann@acme.example", "--role", "owner", "--db", db);
        var token = (await AdminAsync("create-token", "--org", "acme", "--email", "ann@acme.example", "--scope", "write", "--db", db)).Trim();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(1, await ScalarAsync(db, "SELECT count(*) FROM schema_migrations WHERE version = 1"));

        // When clients post batches round-robin, retrying a failed batch on the next node, and node 0 is killed
        // once a third of the batches are acknowledged
        var acknowledged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var sent = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var batchesAcknowledged = 0;
        var retried = 0;
        var killAt = Clients * BatchesPerClient / 3;
        var killed = new TaskCompletionSource();
        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var batch = 0; batch < BatchesPerClient; batch++)
            {
                var (body, ids) = Batch(client, batch);
                foreach (var id in ids)
                {
                    sent.TryAdd(id, 0);
                }

                var stored = false;
                for (var attempt = 0; attempt < MaxAttempts && !stored; attempt++)
                {
                    var node = bases[(client + batch + attempt) % Nodes];
                    try
                    {
                        using var content = new StringContent(body, Encoding.UTF8, "application/json");
                        using var response = await http.PostAsync(new Uri(node, "api/v1/orgs/acme/events"), content);
                        stored = response.IsSuccessStatusCode;
                        Assert.True(stored || (int)response.StatusCode >= 500,
                            $"batch {client}/{batch} refused with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // The node is gone (or the request died with it): the same batch goes to the next node.
                    }

                    if (!stored)
                    {
                        Interlocked.Increment(ref retried);
                    }
                }

                Assert.True(stored, $"batch {client}/{batch} was refused by every node");
                foreach (var id in ids)
                {
                    acknowledged.TryAdd(id, 0);
                }

                if (Interlocked.Increment(ref batchesAcknowledged) == killAt)
                {
                    _nodes[0].Kill(); // SIGKILL on Linux: no graceful shutdown, requests in flight die with it
                    killed.SetResult();
                }
            }
        })).ToList();
        await Task.WhenAll(clients);

        // Then node 0 did die mid-run, every event was acknowledged, and the database holds each exactly once
        Assert.True(killed.Task.IsCompleted);
        await _nodes[0].WaitForExitAsync();
        // Two thirds of the batches came after the kill and a third of those were first sent to the dead node.
        Assert.True(retried > 0, "no batch was retried: the kill did not happen mid-run");
        Assert.Equal(Clients * BatchesPerClient * TicketsPerBatch * 2, sent.Count);
        Assert.Equal(sent.Keys.Order(StringComparer.Ordinal), acknowledged.Keys.Order(StringComparer.Ordinal));
        var stored = await StoredEventIdsAsync(db);
        Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(acknowledged.Keys.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));

        // And a surviving node serves every ticket (the facts were derived, not only the events stored)
        using var tickets = await http.GetAsync(new Uri(bases[1], "api/v1/orgs/acme/tickets?limit=1"));
        Assert.Equal(HttpStatusCode.OK, tickets.StatusCode);
        Assert.Equal(Clients * BatchesPerClient * TicketsPerBatch, await FactsCountAsync(db));
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

    private Process StartCli(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "utendaji.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        // Both pipes drained (a node blocked on a full pipe would look like a dead one); start-up errors kept.
        process.OutputDataReceived += (_, _) => { };
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
