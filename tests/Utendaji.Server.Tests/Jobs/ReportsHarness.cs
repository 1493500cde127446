using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>
/// Nodes wired as the server will wire them (AddUtendajiJobs + AddUtendajiReportDeliveries over a SQLite file of the
/// test's own), a clock the test moves, a real webhook receiver and a real SMTP server on loopback.
/// </summary>
internal sealed class ReportsHarness : IAsyncDisposable
{
    public const string Organisation = "acme";
    public const string Secret = "report-secret-0123456789";

    /// <summary>Monday 23 November 2026, 08:30 in Helsinki (+02): the weekly send time 08:00 has passed for 2026-W47.</summary>
    public static readonly Instant T0 = Instant.FromUtc(2026, 11, 23, 6, 30);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "utendaji-server-report-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<SqliteJobQueue> _queues = [];

    private ReportsHarness(WebhookReceiver receiver) => Receiver = receiver;

    public ManualClock Clock { get; } = new(T0);

    public WebhookReceiver Receiver { get; }

    public ReportsSmtpServer Smtp { get; } = new();

    public string DatabasePath => Path.Combine(_directory, "utendaji.db");

    public static async Task<ReportsHarness> StartAsync() => new(await WebhookReceiver.StartAsync());

    public ReportSchedule WebhookSchedule(string name = "weekly-hook") => new()
    {
        Name = name,
        Cadence = ReportCadence.Weekly,
        TimeZone = "Europe/Helsinki",
        Weekday = IsoDayOfWeek.Monday,
        Time = "08:00",
        Webhook = new OutgoingWebhook(Receiver.Url, Secret),
    };

    public ReportSchedule EmailSchedule(string name = "weekly-mail") => new()
    {
        Name = name,
        Cadence = ReportCadence.Weekly,
        TimeZone = "Europe/Helsinki",
        Time = "08:00",
        GroupBy = Core.Reporting.GroupDimension.Team,
        Email = new ReportEmail
        {
            Host = "127.0.0.1",
            Port = Smtp.Port,
            StartTls = false,
            From = "reports@utendaji.test",
            To = ["lead@acme.test", "ops@acme.test"],
        },
    };

    public static ReportDeliveryOptions Options(params ReportSchedule[] schedules) => ReportDeliveryOptions.Default with
    {
        Timeout = TimeSpan.FromSeconds(20),
        Schedules = new Dictionary<string, IReadOnlyList<ReportSchedule>>(StringComparer.Ordinal) { [Organisation] = schedules },
    };

    /// <summary>A node: its own queue object and services over the shared file.</summary>
    public async Task<Node> NodeAsync(ReportDeliveryOptions options)
    {
        var queue = await SqliteJobQueue.OpenAsync(DatabasePath, Clock);
        _queues.Add(queue);
        return NodeOver(queue, options);
    }

    /// <summary>A node over the given queue (e.g. PostgreSQL), with the tickets still in the shared SQLite file.</summary>
    public Node NodeOver(IJobQueue queue, ReportDeliveryOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(Clock);
        services.AddSingleton<IJobQueue>(queue);
        services.AddSingleton<IOrganisationStores>(new SqliteOrganisationStores(DatabasePath));
        services.AddUtendajiJobs(JobWorkerOptions.Default with { WorkerName = $"node-{_providers.Count + 1}" }, SlaWarningOptions.Default);
        services.AddUtendajiReportDeliveries(options);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return new Node(queue, provider);
    }

    public async Task SeedAsync(IReadOnlyList<TicketFacts> facts)
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath, Organisation);
        await using var import = await store.BeginImportAsync();
        await import.PutFactsAsync(facts);
        await import.CommitAsync();
    }

    /// <summary>
    /// W46 (9–15 Nov, Helsinki) and W47 (16–22 Nov): 50 tickets each; first-reply SLA met 30/50 then 45/50, CSAT
    /// satisfied 40/50 then 44/50; teams alternate between "tier-1" and a name with markup in it.
    /// </summary>
    public static List<TicketFacts> TwoWeeks(string otherTeam)
    {
        var list = new List<TicketFacts>();
        for (var i = 0; i < 50; i++)
        {
            var offset = Duration.FromMinutes(i * 97);
            list.Add(Ticket($"p{i}", Instant.FromUtc(2026, 11, 9, 8, 0) + offset, i % 2 == 0 ? "tier-1" : otherTeam, slaMet: i < 30, rating: i < 40 ? 5 : 2));
            list.Add(Ticket($"c{i}", Instant.FromUtc(2026, 11, 16, 8, 0) + offset, i % 2 == 0 ? "tier-1" : otherTeam, slaMet: i < 45, rating: i < 44 ? 4 : 1));
        }

        return list;
    }

    private static TicketFacts Ticket(string id, Instant created, string team, bool slaMet, int rating) => new()
    {
        TicketId = id,
        Source = FactsSource.Events,
        CreatedAt = created,
        Status = TicketStatus.Solved,
        Team = team,
        Calendar = "24x7",
        FirstReply = new DualDuration(Duration.FromMinutes(30 + (id.Length * 7)), Duration.FromMinutes(20 + (created.ToUnixTimeSeconds() % 97))),
        SolvedAt = created + Duration.FromHours(3),
        FirstSolvedAt = created + Duration.FromHours(3),
        FullResolution = new DualDuration(Duration.FromHours(3), Duration.FromHours(2)),
        FirstContactResolved = true,
        Satisfaction = rating,
        Sla = [new SlaOutcome(SlaMetric.FirstReply, "gold", Duration.FromHours(1), created + Duration.FromHours(1), slaMet ? SlaState.Met : SlaState.Breached, Duration.Zero)],
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
        await Smtp.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    internal sealed record Node(IJobQueue Queue, ServiceProvider Services)
    {
        public ReportDeliveryScanner Scanner => Services.GetRequiredService<ReportDeliveryScanner>();

        public ReportDeliveryScanService ScanService => Services.GetServices<IHostedService>().OfType<ReportDeliveryScanService>().Single();

        public JobWorker Worker => Services.GetServices<IHostedService>().OfType<JobWorker>().Single();

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
