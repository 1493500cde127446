using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Server.Infrastructure;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>
/// One node wired as the server will wire it (AddUtendajiJobs over a SQLite file of the test's own), with a clock the
/// test moves, a real webhook receiver, and tickets whose SLA targets run.
/// </summary>
internal sealed class JobsHarness : IAsyncDisposable
{
    public const string Organisation = "acme";
    public const string Secret = "s3cret-of-acme-0123456789";
    public const string CustomerText = "گاہک کی خدمت بہترین تھی";

    public static readonly Instant T0 = Instant.FromUtc(2026, 11, 23, 9, 0);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "utendaji-server-jobs-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<SqliteJobQueue> _queues = [];

    private JobsHarness(WebhookReceiver receiver) => Receiver = receiver;

    public ManualClock Clock { get; } = new(T0);

    public WebhookReceiver Receiver { get; }

    public string DatabasePath => Path.Combine(_directory, "utendaji.db");

    public static async Task<JobsHarness> StartAsync() => new(await WebhookReceiver.StartAsync());

    public SlaWarningOptions Options(TimeSpan? timeout = null) => SlaWarningOptions.Default with
    {
        LeadTime = Duration.FromMinutes(30),
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        Webhooks = new Dictionary<string, OutgoingWebhook>(StringComparer.Ordinal) { [Organisation] = new(Receiver.Url, Secret) },
    };

    /// <summary>A node: its own queue object and services over the shared file.</summary>
    public async Task<Node> NodeAsync(SlaWarningOptions? options = null, JobQueueOptions? queueOptions = null, params IJobHandler[] extraHandlers)
    {
        var queue = await SqliteJobQueue.OpenAsync(DatabasePath, Clock, queueOptions);
        _queues.Add(queue);
        return NodeOver(queue, options, extraHandlers);
    }

    /// <summary>A node over the given queue (e.g. PostgreSQL), with the tickets still in the shared SQLite file.</summary>
    public Node NodeOver(IJobQueue queue, SlaWarningOptions? options = null, params IJobHandler[] extraHandlers)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(Clock);
        services.AddSingleton<IJobQueue>(queue);
        // The server's store access (one gate per organisation) over the shared file, as `utendaji serve` wires it.
        services.AddSingleton<IOrganisationStores>(_ => new OrganisationStores(async org => await SqliteStore.OpenAsync(DatabasePath, org)));
        foreach (var handler in extraHandlers)
        {
            services.AddSingleton<IJobHandler>(handler);
        }

        services.AddUtendajiJobs(JobWorkerOptions.Default with { WorkerName = $"node-{_providers.Count + 1}" }, options ?? Options());
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return new Node(queue, provider);
    }

    public async Task SeedAsync(params TicketFacts[] facts)
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath, Organisation);
        await using var import = await store.BeginImportAsync();
        await import.PutFactsAsync(facts);
        await import.CommitAsync();
    }

    public static TicketFacts Ticket(string id, TicketStatus status, params SlaOutcome[] sla) => new()
    {
        TicketId = id,
        Source = FactsSource.Events,
        CreatedAt = T0 - Duration.FromHours(1),
        Status = status,
        Team = "tier-1",
        Priority = "high",
        Customer = CustomerText,
        Agent = "agent-7",
        Calendar = "24x7",
        Sla = sla,
    };

    /// <summary>A target falling due <paramref name="minutes"/> after T0 (negative: before).</summary>
    public static SlaOutcome Due(SlaMetric metric, double minutes, SlaState state = SlaState.Running) =>
        new(metric, "gold", Duration.FromHours(1), T0 + Duration.FromMinutes(minutes), state, Duration.FromMinutes(minutes));

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        foreach (var queue in _queues)
        {
            await queue.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    internal sealed record Node(IJobQueue Queue, ServiceProvider Services)
    {
        public SlaWarningScanner Scanner => Services.GetRequiredService<SlaWarningScanner>();

        public SlaWarningScanService ScanService => Services.GetServices<IHostedService>().OfType<SlaWarningScanService>().Single();

        public JobWorker Worker => Services.GetServices<IHostedService>().OfType<JobWorker>().Single();

        /// <summary>Runs due jobs until none is left; how many ran.</summary>
        public async Task<int> DrainAsync()
        {
            var ran = 0;
            while (await Worker.RunOnceAsync())
            {
                ran++;
            }

            return ran;
        }
    }
}
