using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Server.Infrastructure;
using Utendaji.Server.Jobs;
using Utendaji.Server.Web.Surveys;
using Utendaji.Storage;
using Utendaji.Storage.Jobs;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>
/// One node wired for survey sends as the server wires them (AddUtendajiJobs and AddUtendajiSurveySends over a SQLite
/// file of the test's own, the survey links of the pages), with a clock the test moves and a real webhook receiver.
/// </summary>
internal sealed class SurveySendHarness : IAsyncDisposable
{
    public const string Organisation = "acme";
    public const string Secret = "survey-hook-secret-0123456789";
    public const string LinkSecret = "survey-link-secret-of-the-tests-0123456789";
    public const string CustomerId = "c-گاہک-42";
    public static readonly Uri Origin = new("https://surveys.example.org/acme-cs/");

    public static readonly Instant T0 = Instant.FromUtc(2026, 11, 23, 9, 0);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "utendaji-survey-send-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<SqliteJobQueue> _queues = [];

    private SurveySendHarness(WebhookReceiver receiver) => Receiver = receiver;

    public ManualClock Clock { get; } = new(T0);

    public WebhookReceiver Receiver { get; }

    public SurveyLinks Links { get; } = new(LinkSecret);

    public string DatabasePath => Path.Combine(_directory, "utendaji.db");

    public static async Task<SurveySendHarness> StartAsync()
    {
        var harness = new SurveySendHarness(await WebhookReceiver.StartAsync());
        Directory.CreateDirectory(harness._directory);
        return harness;
    }

    /// <summary>csat-5 one hour after the solve, a one-day look-back, all channels unless given.</summary>
    public SurveySendOptions Options(params string[] channels) => SurveySendOptions.Default with
    {
        PublicOrigin = Origin,
        Organisations = new Dictionary<string, SurveySendTarget>(StringComparer.Ordinal)
        {
            [Organisation] = new("csat-5", Duration.FromHours(1), new OutgoingWebhook(Receiver.Url, Secret), channels),
        },
    };

    public async Task<Node> NodeAsync(SurveySendOptions? options = null)
    {
        var queue = await SqliteJobQueue.OpenAsync(DatabasePath, Clock);
        _queues.Add(queue);
        return NodeOver(queue, options);
    }

    /// <summary>A node over the given queue (e.g. PostgreSQL), with the tickets and sends in the shared SQLite file.</summary>
    public Node NodeOver(IJobQueue queue, SurveySendOptions? options = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(Clock);
        services.AddSingleton<IJobQueue>(queue);
        services.AddSingleton<IOrganisationStores>(_ => new OrganisationStores(async org => await SqliteStore.OpenAsync(DatabasePath, org)));
        services.AddSingleton(Links);
        services.AddUtendajiJobs(JobWorkerOptions.Default with { WorkerName = $"node-{_providers.Count + 1}" }, SlaWarningOptions.Default);
        services.AddUtendajiSurveySends(options ?? Options());
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

    public async Task AddSendsAsync(params SurveySend[] sends)
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath, Organisation);
        await using var import = await store.BeginImportAsync();
        await import.AddSurveySendsAsync(sends);
        await import.CommitAsync();
    }

    public async Task<List<SurveySend>> SendsAsync()
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath, Organisation);
        var sends = new List<SurveySend>();
        await foreach (var send in store.ReadSurveySendsAsync(SurveySendQuery.All))
        {
            sends.Add(send);
        }

        return sends;
    }

    public async Task<SurveySendScanResult> ScanAsync(Node node)
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath, Organisation);
        return await node.Scanner.ScanAsync(store);
    }

    /// <summary>A ticket solved <paramref name="solvedMinutesAgo"/> minutes before T0 (null: not solved now).</summary>
    public static TicketFacts Ticket(string id, TicketStatus status, double? solvedMinutesAgo, string? channel = "email", int reopens = 0) => new()
    {
        TicketId = id,
        Source = FactsSource.Events,
        CreatedAt = T0 - Duration.FromDays(3),
        Status = status,
        Channel = channel,
        Team = "tier-1",
        Customer = CustomerId,
        Language = "sw-KE",
        Agent = "agent-7",
        Calendar = "24x7",
        SolvedAt = solvedMinutesAgo is { } ago ? T0 - Duration.FromMinutes(ago) : null,
        Reopens = reopens,
    };

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
        public SurveySendScanner Scanner => Services.GetRequiredService<SurveySendScanner>();

        public SurveySendScanService ScanService => Services.GetServices<IHostedService>().OfType<SurveySendScanService>().Single();

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
