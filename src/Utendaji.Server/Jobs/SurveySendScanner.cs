using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Tickets;
using Utendaji.Storage;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Jobs;

/// <summary>What one scan of one organisation found.</summary>
/// <param name="Found">Solved tickets due for a survey and without one.</param>
/// <param name="Enqueued">Of those, jobs not enqueued before (by this node or any other).</param>
public sealed record SurveySendScanResult(int Found, int Enqueued);

/// <summary>
/// Finds the tickets of one organisation that are due for a survey and enqueues one <c>survey-send</c> job for each,
/// with dedupe key <see cref="SurveySendAfterSolve.Key"/>, so scanning again, on every node, enqueues each once.
/// </summary>
/// <remarks>
/// A ticket is due when it is solved or closed now (so not reopened since its final solve), that solve lies at
/// least <see cref="SurveySendTarget.Delay"/> and at most <see cref="SurveySendOptions.MaxAge"/> in the past, its
/// channel is one of the organisation's channels (when any are listed), and no survey send for the ticket was stored
/// within the look-back (from this feature, an import or the API).
/// </remarks>
public sealed class SurveySendScanner
{
    private readonly IJobQueue _queue;
    private readonly IClock _clock;
    private readonly SurveySendOptions _options;
    private readonly ILogger<SurveySendScanner> _logger;

    /// <summary>Creates the scanner.</summary>
    public SurveySendScanner(IJobQueue queue, IClock clock, SurveySendOptions options, ILogger<SurveySendScanner> logger)
    {
        _queue = Guard.NotNull(queue);
        _clock = Guard.NotNull(clock);
        _options = Guard.NotNull(options);
        _options.Validate();
        _logger = Guard.NotNull(logger);
    }

    /// <summary>Scans <paramref name="store"/> (one organisation); nothing when the organisation is not configured.</summary>
    public async Task<SurveySendScanResult> ScanAsync(IUtendajiStore store, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(store);
        if (!_options.Organisations.TryGetValue(store.Organisation, out var target))
        {
            return new SurveySendScanResult(0, 0);
        }

        var now = _clock.GetCurrentInstant();
        var oldest = now - _options.MaxAge;
        var latest = now - target.Delay;
        var due = new List<(string TicketId, Instant SolvedAt)>();
        foreach (var status in new[] { TicketStatus.Solved, TicketStatus.Closed })
        {
            // The solve window in the query, so only tickets solved within the look-back are read, not every solved
            // ticket. Stored instants are whole ticks: the window is widened to whole ticks and checked exactly below.
            var query = new FactsQuery { Status = status, SolvedFrom = oldest, SolvedTo = Instant.FromUnixTimeTicks(latest.ToUnixTimeTicks() + 1) };
            await foreach (var facts in store.ReadFactsAsync(query, cancellationToken).ConfigureAwait(false))
            {
                if (facts.SolvedAt is { } solved && solved >= oldest && solved <= latest && target.Surveys(facts.Channel))
                {
                    due.Add((facts.TicketId, solved));
                }
            }
        }

        if (due.Count > 0)
        {
            // Every send this feature stores is sent after a solve within the look-back, so one read finds them all.
            var sent = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var send in store.ReadSurveySendsAsync(new SurveySendQuery { SentFrom = oldest }, cancellationToken).ConfigureAwait(false))
            {
                if (send.TicketId is not null)
                {
                    sent.Add(send.TicketId);
                }
            }

            due.RemoveAll(ticket => sent.Contains(ticket.TicketId));
        }

        var enqueued = 0;
        foreach (var (ticketId, solvedAt) in due)
        {
            var payload = new SurveySendJob(ticketId, SlaWarning.Format(solvedAt));
            var added = await _queue.EnqueueAsync(new JobRequest
            {
                Organisation = store.Organisation,
                Kind = SurveySendAfterSolve.Kind,
                DedupeKey = SurveySendAfterSolve.Key(store.Organisation, ticketId, solvedAt),
                Payload = JsonSerializer.Serialize(payload, SurveySendAfterSolve.Json),
                RunAt = now,
            }, cancellationToken).ConfigureAwait(false);
            enqueued += added ? 1 : 0;
        }

        SurveySendLog.Scanned(_logger, store.Organisation, due.Count, enqueued);
        return new SurveySendScanResult(due.Count, enqueued);
    }
}

/// <summary>
/// Runs <see cref="SurveySendScanner"/> every <see cref="SurveySendOptions.ScanInterval"/> over each configured
/// organisation. Every node may run it; the dedupe keys make the result the same as one node's.
/// </summary>
public sealed class SurveySendScanService(
    SurveySendScanner scanner, IOrganisationStores stores, SurveySendOptions options, ILogger<SurveySendScanService> logger) : OrganisationScanService
{
    /// <inheritdoc />
    protected override IEnumerable<string> Organisations => options.Organisations.Keys;

    /// <inheritdoc />
    protected override TimeSpan Interval => options.ScanInterval;

    /// <inheritdoc />
    protected override Task ScanAsync(string organisation, CancellationToken cancellationToken) =>
        stores.WithStoreAsync(organisation, scanner.ScanAsync, cancellationToken);

    /// <inheritdoc />
    protected override void ScanFailed(string organisation, Exception exception) => SurveySendLog.ScanFailed(logger, organisation, exception.GetType().Name);
}
