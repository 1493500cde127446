using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;
using Utendaji.Server.Hosting;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Tests;

/// <summary>A clock that says what the test tells it.</summary>
internal sealed class FakeClock(Instant now) : IClock
{
    public Instant Now { get; set; } = now;

    public Instant GetCurrentInstant() => Now;
}

/// <summary>
/// One in-process server on its own temporary SQLite file, with an organisation of its own (and a second one,
/// for isolation tests), so tests run in any order and in parallel.
/// </summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];
    private ServerBackend? _backend;
    private TestPostgresDatabase? _postgres;
    private string? _connectionString;

    private ServerHarness(string folder, IAccountStore accounts, WebApplication app, FakeClock clock, string org, string otherOrg, IJobQueue? queue)
    {
        Folder = folder;
        Accounts = accounts;
        App = app;
        Clock = clock;
        Org = org;
        OtherOrg = otherOrg;
        Queue = queue;
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "store.db");

    public IAccountStore Accounts { get; }

    public WebApplication App { get; }

    public FakeClock Clock { get; }

    /// <summary>The organisation the tests act in.</summary>
    public string Org { get; }

    /// <summary>Another organisation, with data of its own.</summary>
    public string OtherOrg { get; }

    /// <summary>The job queue of the server's database, when started with jobs.</summary>
    public IJobQueue? Queue { get; }

    /// <summary>
    /// Starts a server. <paramref name="configuration"/> gives configuration keys (as appsettings.json would) from the
    /// two organisation names; <paramref name="jobs"/> gives the server the job queue of its database, as
    /// <c>utendaji serve</c> does.
    /// </summary>
    /// <param name="adjust">Changes to the server's options.</param>
    /// <param name="configuration">Configuration keys from the two organisation names.</param>
    /// <param name="jobs">Run background jobs on the database's queue.</param>
    /// <param name="postgres">
    /// Run on a fresh PostgreSQL database of its own (<c>UTENDAJI_TEST_POSTGRES</c>) through <see cref="ServerBackend"/>,
    /// as <c>utendaji serve --db "Host=…"</c> does, instead of a SQLite file.
    /// </param>
    public static async Task<ServerHarness> StartAsync(
        Func<ServerOptions, ServerOptions>? adjust = null,
        Func<string, string, IDictionary<string, string?>>? configuration = null,
        bool jobs = false,
        bool postgres = false)
    {
        var folder = Path.Combine(Path.GetTempPath(), "utendaji-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "store.db");
        var org = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var otherOrg = "globex-" + Guid.NewGuid().ToString("N")[..8];
        var clock = new FakeClock(Instant.FromUtc(2026, 6, 30, 12, 0));
        TestPostgresDatabase? database = null;
        string? connectionString = null;
        if (postgres)
        {
            database = new TestPostgresDatabase();
            connectionString = await database.ConnectionStringAsync();
        }

        var backend = await ServerBackend.OpenAsync(connectionString ?? path, clock);
        var accounts = backend.Accounts;
        await accounts.CreateOrganisationAsync(org);
        await accounts.CreateOrganisationAsync(otherOrg);
        var queue = jobs ? backend.Jobs : null;
        var options = new ServerOptions
        {
            Accounts = accounts,
            OpenStore = backend.OpenStore,
            Clock = clock,
            JsonConsoleLogs = false,
            TempDirectory = folder,
            JobQueue = queue,
        };
        var app = UtendajiServer.Build(adjust is null ? options : adjust(options), builder =>
        {
            builder.WebHost.UseTestServer();
            if (configuration is not null)
            {
                builder.Configuration.AddInMemoryCollection(configuration(org, otherOrg));
            }
        });
        await app.StartAsync();
        return new ServerHarness(folder, accounts, app, clock, org, otherOrg, queue)
        {
            _backend = backend, _postgres = database, _connectionString = connectionString,
        };
    }

    /// <summary>A client with a new token of a new member of <paramref name="org"/> (default: <see cref="Org"/>).</summary>
    public async Task<HttpClient> ClientAsync(AccountRole role = AccountRole.Owner, TokenScope scope = TokenScope.Write, string? org = null)
    {
        var token = await TokenAsync(role, scope, org);
        return Client(token.Secret);
    }

    public async Task<IssuedToken> TokenAsync(AccountRole role = AccountRole.Owner, TokenScope scope = TokenScope.Write, string? org = null)
    {
        var organisation = org ?? Org;
        var email = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        await Accounts.CreateUserAsync(organisation, email, role, Clock.Now);
        return await Accounts.CreateTokenAsync(organisation, email, scope, null, Clock.Now);
    }

    /// <summary>A client sending <paramref name="token"/> (null: no Authorization header).</summary>
    public HttpClient Client(string? token)
    {
        var client = App.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        _clients.Add(client);
        return client;
    }

    public string Api(string path, string? org = null) => $"/api/v1/orgs/{org ?? Org}{path}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Opens the organisation's store beside the server's (either engine allows it), to check what was stored.</summary>
    public async Task<T> WithStoreAsync<T>(Func<IUtendajiStore, Task<T>> read, string? org = null)
    {
        await using var store = await StoreConnector.OpenAsync(_connectionString ?? DatabasePath, org ?? Org);
        return await read(store);
    }

    public Task<StoreCounts> CountsAsync(string? org = null) => WithStoreAsync(s => s.CountAsync(), org);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await App.StopAsync();
        await App.DisposeAsync();
        // The backend owns the accounts and the queue.
        await _backend!.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platforms; the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>Inputs shared by the server tests.</summary>
internal static class TestData
{
    /// <summary>Two tickets: T-1 answered and solved, T-2 still open (as the CLI tests' TestFiles.Events).</summary>
    public const string EventsBatch = """
        [
          {"id":"e1","ticket_id":"T-1","at":"2026-03-02T08:00:00+02:00","type":"created","actor":{"kind":"customer","id":"c-1"},"channel":"email","team":"support","priority":"normal","attributes":{"customer":"c-1","language":"gu"}},
          {"id":"e2","ticket_id":"T-1","at":"2026-03-02T10:00:00+02:00","type":"agent_reply","actor":{"kind":"agent","id":"amina"},"public":true},
          {"id":"e3","ticket_id":"T-1","at":"2026-03-02T11:00:00+02:00","type":"status_changed","actor":{"kind":"agent","id":"amina"},"status":"solved"},
          {"id":"e4","ticket_id":"T-2","at":"2026-03-02T09:30:00+02:00","type":"created","actor":{"kind":"customer","id":"c-2"},"channel":"chat","team":"support","priority":"high","attributes":{"customer":"c-2","language":"ur"}},
          {"id":"e5","ticket_id":"T-2","at":"2026-03-02T12:30:00+02:00","type":"agent_reply","actor":{"kind":"agent","id":"matti"},"public":true}
        ]
        """;

    /// <summary>Helsinki split shift Mon–Fri; Wednesday 2026-03-04 a holiday.</summary>
    public const string Calendar = """
        {
          "name": "support-eu",
          "time_zone": "Europe/Helsinki",
          "week": {
            "mon": [["09:00","12:00"],["13:00","17:30"]],
            "tue": [["09:00","12:00"],["13:00","17:30"]],
            "wed": [["09:00","12:00"],["13:00","17:30"]],
            "thu": [["09:00","12:00"],["13:00","17:30"]],
            "fri": [["09:00","12:00"],["13:00","17:30"]],
            "sat": [], "sun": []
          },
          "holidays": ["2026-03-04"],
          "teams": ["support"]
        }
        """;

    public static string Event(string id, string ticket, string at, string type = "created") =>
        $$"""{"id":"{{id}}","ticket_id":"{{ticket}}","at":"{{at}}","type":"{{type}}"}""";
}
