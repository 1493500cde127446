using NodaTime;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server;

/// <summary>
/// How a server is put together: where each organisation's store comes from, the account store, the clock and the
/// limits. Immutable; change with <c>with</c>.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>
    /// Opens the store of one organisation (the store factory: SQLite today, PostgreSQL the same way). Called at most once per organisation for the life of the server (the
    /// store is cached and disposed at shutdown), and only for organisations the account store knows.
    /// </summary>
    public required Func<string, ValueTask<IUtendajiStore>> OpenStore { get; init; }

    /// <summary>Organisations, people and tokens. Owned by the caller (not disposed by the server).</summary>
    public required IAccountStore Accounts { get; init; }

    /// <summary>The clock (metrics are measured at its "now"); tests give a fake one.</summary>
    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>Addresses Kestrel listens on; ignored when the host is a test server.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:5080"];

    /// <summary>Requests one token may make per <see cref="RateLimitWindow"/> (default 1200).</summary>
    public int RateLimitPermits { get; init; } = 1200;

    /// <summary>The rate limit's fixed window (default one minute).</summary>
    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a token look-up is remembered (default 5 seconds; zero: every request asks the account store). A
    /// revocation or role change made through this server takes effect at once; one made by the CLI or another node
    /// takes effect here within this time.
    /// </summary>
    public TimeSpan TokenCacheDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest JSON body of event, survey and configuration requests (default 1 MB).</summary>
    public long JsonBodyLimit { get; init; } = 1 << 20;

    /// <summary>Largest body of a file import or .ics upload (default 10 MB).</summary>
    public long FileBodyLimit { get; init; } = 10 << 20;

    /// <summary>Most objects in one JSON batch (default 10 000).</summary>
    public int MaxBatchItems { get; init; } = 10_000;

    /// <summary>Largest page of a list endpoint (default 1000; the default page is 100).</summary>
    public int MaxPageSize { get; init; } = 1000;

    /// <summary>Log as one JSON object per line on the console (default); false keeps the host's logging as configured.</summary>
    public bool JsonConsoleLogs { get; init; } = true;

    /// <summary>
    /// Cache each organisation's engine configuration and KPI report bodies (default false). Only sound when every
    /// write to the stores goes through this one server process: the caches are invalidated by this process's own
    /// ingestion and configuration changes, not by the CLI writing the same file or by another node.
    /// </summary>
    public bool Caching { get; init; }

    /// <summary>Where request bodies are staged for the import pipeline (default: the system's temporary folder).</summary>
    public string TempDirectory { get; init; } = Path.GetTempPath();

    /// <summary>
    /// The job queue (SqliteJobQueue on the store file for one node, PostgresJobQueue for several), or null for no
    /// background jobs at all. With a queue, the node runs the job worker and the SLA warning scanner unless
    /// <c>Utendaji:Jobs:Enabled</c> is false, and /metrics shows the queue depth. Owned by the caller.
    /// </summary>
    public IJobQueue? JobQueue { get; init; }

    /// <summary>
    /// A JSON configuration file read after appsettings.json (<c>utendaji serve --config</c>); environment variables
    /// still win. Null: appsettings.json in the working directory and the environment only.
    /// </summary>
    public string? ConfigurationFile { get; init; }

    /// <summary>
    /// Where the dashboard's data-protection keys are kept unless <c>Utendaji:Dashboard:KeysDirectory</c> says otherwise
    /// (<c>utendaji serve</c>: beside the SQLite file); null: in memory, so sessions end when the process stops.
    /// </summary>
    public string? DashboardKeysDirectory { get; init; }
}
