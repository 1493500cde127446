using Microsoft.Extensions.Logging;
using NodaTime;
using Utendaji.Core;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Jobs;

/// <summary>What one scan of one organisation's schedules did.</summary>
/// <param name="Due">Schedules with a due period (every valid schedule has one once it has run for a period).</param>
/// <param name="Enqueued">Of those, deliveries not enqueued before (by this node or any other).</param>
public sealed record ReportScanResult(int Due, int Enqueued);

/// <summary>
/// For each schedule of an organisation, finds the most recent completed week or month whose send time has passed
/// (<see cref="ReportSchedule.DuePeriod"/>) and enqueues one <c>report-delivery</c> job with dedupe key
/// <see cref="ReportDelivery.Key"/>. Repeated scans and several nodes enqueue it once; a scan after an outage still
/// enqueues the period that fell due meanwhile. Only the latest due period is enqueued: after an outage longer than
/// a whole cadence, the periods before it are not sent (a new schedule does not send a backlog of old summaries either).
/// </summary>
public sealed class ReportDeliveryScanner
{
    private readonly IJobQueue _queue;
    private readonly IClock _clock;
    private readonly ReportDeliveryOptions _options;
    private readonly ILogger<ReportDeliveryScanner> _logger;

    /// <summary>Creates the scanner.</summary>
    public ReportDeliveryScanner(IJobQueue queue, IClock clock, ReportDeliveryOptions options, ILogger<ReportDeliveryScanner> logger)
    {
        _queue = Guard.NotNull(queue);
        _clock = Guard.NotNull(clock);
        _options = Guard.NotNull(options);
        _options.Validate();
        _logger = Guard.NotNull(logger);
    }

    /// <summary>Scans the schedules of <paramref name="organisation"/>.</summary>
    public async Task<ReportScanResult> ScanAsync(string organisation, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(organisation);
        if (!_options.Schedules.TryGetValue(organisation, out var schedules))
        {
            return new ReportScanResult(0, 0);
        }

        var now = _clock.GetCurrentInstant();
        int due = 0, enqueued = 0;
        foreach (var schedule in schedules)
        {
            var period = schedule.DuePeriod(now);
            due++;
            var added = await _queue.EnqueueAsync(new JobRequest
            {
                Organisation = organisation,
                Kind = ReportDelivery.Kind,
                DedupeKey = ReportDelivery.Key(schedule.Name, period),
                Payload = ReportDelivery.Payload(schedule, period),
                RunAt = now,
            }, cancellationToken).ConfigureAwait(false);
            enqueued += added ? 1 : 0;
        }

        ReportLog.Scanned(_logger, organisation, due, enqueued);
        return new ReportScanResult(due, enqueued);
    }
}

/// <summary>
/// Runs <see cref="ReportDeliveryScanner"/> every <see cref="ReportDeliveryOptions.ScanInterval"/> over each
/// organisation with schedules. Every node may run it; the dedupe keys make the result the same as one node's.
/// </summary>
public sealed class ReportDeliveryScanService(ReportDeliveryScanner scanner, ReportDeliveryOptions options, ILogger<ReportDeliveryScanService> logger) : OrganisationScanService
{
    /// <inheritdoc />
    protected override IEnumerable<string> Organisations => options.Schedules.Keys;

    /// <inheritdoc />
    protected override TimeSpan Interval => options.ScanInterval;

    /// <inheritdoc />
    protected override Task ScanAsync(string organisation, CancellationToken cancellationToken) => scanner.ScanAsync(organisation, cancellationToken);

    /// <inheritdoc />
    protected override void ScanFailed(string organisation, Exception exception) => ReportLog.ScanFailed(logger, organisation, exception.GetType().Name);
}
