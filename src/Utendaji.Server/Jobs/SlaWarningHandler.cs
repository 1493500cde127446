using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Delivers an <c>sla-warning</c> job: POSTs the JSON warning to the organisation's <see cref="OutgoingWebhook"/>,
/// signed (<see cref="WebhookSignature"/>) and with the job's dedupe key as <c>Idempotency-Key</c>. Any answer but
/// 2xx, a timeout or a network error fails the attempt, which the queue retries with backoff; a 429 or 503 with
/// Retry-After in seconds is retried no earlier than asked.
/// </summary>
/// <remarks>
/// Just before sending, the ticket's current facts are read: when the target is no longer running with the same due
/// instant (an agent replied, the ticket was solved, a pause moved the due instant), the warning is obsolete and
/// the job completes without a request.
/// </remarks>
public sealed class SlaWarningHandler : IJobHandler
{
    /// <summary>The name of the <see cref="HttpClient"/> the handler asks <see cref="IHttpClientFactory"/> for.</summary>
    public const string HttpClientName = "utendaji-webhooks";

    private readonly IHttpClientFactory _clients;
    private readonly IOrganisationStores _stores;
    private readonly IClock _clock;
    private readonly SlaWarningOptions _options;
    private readonly ILogger<SlaWarningHandler> _logger;

    /// <summary>Creates the handler.</summary>
    public SlaWarningHandler(IHttpClientFactory clients, IOrganisationStores stores, IClock clock, SlaWarningOptions options, ILogger<SlaWarningHandler> logger)
    {
        _clients = Guard.NotNull(clients);
        _stores = Guard.NotNull(stores);
        _logger = Guard.NotNull(logger);
        _clock = Guard.NotNull(clock);
        _options = Guard.NotNull(options);
        _options.Validate();
    }

    /// <inheritdoc />
    public string Kind => SlaWarning.Kind;

    /// <inheritdoc />
    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        Guard.NotNull(job);
        if (!_options.Webhooks.TryGetValue(job.Organisation, out var webhook))
        {
            throw new JobFailedException("no outgoing webhook is configured for the organisation");
        }

        var warning = JsonSerializer.Deserialize<SlaWarningJob>(job.Payload, SlaWarning.Json)
            ?? throw new JobFailedException("the job payload is empty");
        var due = SlaWarning.Parse(warning.Due) ?? throw new JobFailedException("the job payload has no valid due instant");
        if (!await StillRunningAsync(job.Organisation, warning, due, cancellationToken).ConfigureAwait(false))
        {
            JobLog.Obsolete(_logger, job.JobId, job.Organisation);
            return;
        }

        var now = _clock.GetCurrentInstant();
        // Floor: 90 s left is "1 minute left". Negative when retries delayed delivery past the due instant.
        var minutesLeft = (long)Math.Floor((due - now).TotalMinutes);
        var body = JsonSerializer.SerializeToUtf8Bytes(new SlaWarningBody(
            SlaWarning.EventType, job.DedupeKey, job.Organisation, warning.TicketId, warning.Metric, warning.Policy, warning.Due,
            minutesLeft, warning.Team, warning.Priority, SlaWarning.Format(now)), SlaWarning.Json);
        await WebhookPost.SendAsync(_clients.CreateClient(HttpClientName), webhook, job.DedupeKey, body, now, _options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> StillRunningAsync(string organisation, SlaWarningJob warning, Instant due, CancellationToken cancellationToken) =>
        _stores.WithStoreAsync(organisation, async (store, token) =>
        {
            var facts = await store.GetFactsAsync(warning.TicketId, token).ConfigureAwait(false);
            return facts is not null
                && facts.Status is not (TicketStatus.Solved or TicketStatus.Closed)
                && facts.Sla.Any(sla => sla.State == SlaState.Running && sla.Due == due && SlaWarning.MetricName(sla.Metric) == warning.Metric);
        }, cancellationToken);
}
