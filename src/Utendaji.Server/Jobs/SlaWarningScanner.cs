using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Metrics;
using Utendaji.Storage;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Jobs;

/// <summary>What one scan of one organisation found.</summary>
/// <param name="Found">Running SLA targets falling due within the lead time.</param>
/// <param name="Enqueued">Of those, warnings not enqueued before (by this node or any other).</param>
public sealed record SlaScanResult(int Found, int Enqueued);

/// <summary>
/// Finds the running SLA targets of one organisation that fall due within <see cref="SlaWarningOptions.LeadTime"/>
/// from now (and are not yet past) and enqueues one <c>sla-warning</c> job for each (ticket, metric, due). The job's
/// dedupe key is <see cref="SlaWarning.Key"/>, so scanning again, every minute or on every node, enqueues each
/// warning once.
/// </summary>
public sealed class SlaWarningScanner
{
    private readonly IJobQueue _queue;
    private readonly IClock _clock;
    private readonly SlaWarningOptions _options;
    private readonly ILogger<SlaWarningScanner> _logger;

    /// <summary>Creates the scanner.</summary>
    public SlaWarningScanner(IJobQueue queue, IClock clock, SlaWarningOptions options, ILogger<SlaWarningScanner> logger)
    {
        _queue = Guard.NotNull(queue);
        _clock = Guard.NotNull(clock);
        _options = Guard.NotNull(options);
        _options.Validate();
        _logger = Guard.NotNull(logger);
    }

    /// <summary>
    /// Scans <paramref name="store"/> (one organisation) over the tickets in <see cref="SlaWarningOptions.Statuses"/>.
    /// Due instants come from the stored facts, derived when the ticket last changed; a target whose stored state is
    /// running but whose due instant has passed since is a breach, not warned about.
    /// </summary>
    public async Task<SlaScanResult> ScanAsync(IUtendajiStore store, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(store);
        var now = _clock.GetCurrentInstant();
        var horizon = now + _options.LeadTime;
        int found = 0, enqueued = 0;
        foreach (var status in _options.Statuses.Distinct())
        {
            await foreach (var facts in store.ReadFactsAsync(new FactsQuery { Status = status }, cancellationToken).ConfigureAwait(false))
            {
                foreach (var sla in facts.Sla)
                {
                    if (sla.State != SlaState.Running || sla.Due <= now || sla.Due > horizon)
                    {
                        continue;
                    }

                    found++;
                    var payload = new SlaWarningJob(
                        facts.TicketId, SlaWarning.MetricName(sla.Metric), sla.Policy, SlaWarning.Format(sla.Due), facts.Team, facts.Priority);
                    var added = await _queue.EnqueueAsync(new JobRequest
                    {
                        Organisation = store.Organisation,
                        Kind = SlaWarning.Kind,
                        DedupeKey = SlaWarning.Key(store.Organisation, facts.TicketId, sla.Metric, sla.Due),
                        Payload = JsonSerializer.Serialize(payload, SlaWarning.Json),
                        RunAt = now,
                    }, cancellationToken).ConfigureAwait(false);
                    enqueued += added ? 1 : 0;
                }
            }
        }

        JobLog.Scanned(_logger, store.Organisation, found, enqueued);
        return new SlaScanResult(found, enqueued);
    }
}
