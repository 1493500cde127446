using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Server.Web.Surveys;
using Utendaji.Storage;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Runs a <c>survey-send</c> job: stores the ticket's <see cref="SurveySend"/> (id <see cref="SurveySendAfterSolve.SendId"/>,
/// customer, language and channel from the ticket, the organisation's instrument), then POSTs it with its signed
/// survey link to the organisation's webhook, signed (<see cref="WebhookSignature"/>) and with the job's dedupe key as
/// <c>Idempotency-Key</c>. Any answer but 2xx, a timeout or a network error fails the attempt, which the queue
/// retries with backoff; a 429 or 503 with Retry-After in seconds is retried no earlier than asked.
/// </summary>
/// <remarks>
/// The send is stored before the POST and found again by its id on a retry, so every attempt posts the same send
/// (same id, same <c>sent_at</c>, same link) and the store holds one. A ticket reopened (or solved again) since the
/// scan, or surveyed after an earlier solve, gets nothing: the job completes without a send or a request.
/// </remarks>
public sealed class SurveySendHandler : IJobHandler
{
    /// <summary>The name of the <see cref="HttpClient"/> the handler asks <see cref="IHttpClientFactory"/> for.</summary>
    public const string HttpClientName = "utendaji-survey-webhooks";

    private readonly IHttpClientFactory _clients;
    private readonly IOrganisationStores _stores;
    private readonly IClock _clock;
    private readonly SurveySendOptions _options;
    private readonly SurveyLinks _links;
    private readonly ILogger<SurveySendHandler> _logger;

    /// <summary>Creates the handler.</summary>
    public SurveySendHandler(
        IHttpClientFactory clients, IOrganisationStores stores, IClock clock, SurveySendOptions options, SurveyLinks links, ILogger<SurveySendHandler> logger)
    {
        _clients = Guard.NotNull(clients);
        _stores = Guard.NotNull(stores);
        _clock = Guard.NotNull(clock);
        _options = Guard.NotNull(options);
        _options.Validate();
        _links = Guard.NotNull(links);
        _logger = Guard.NotNull(logger);
    }

    /// <inheritdoc />
    public string Kind => SurveySendAfterSolve.Kind;

    /// <inheritdoc />
    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        Guard.NotNull(job);
        if (!_options.Organisations.TryGetValue(job.Organisation, out var target))
        {
            throw new JobFailedException("survey sends are not configured for the organisation");
        }

        SurveySendJob? payload;
        try
        {
            payload = JsonSerializer.Deserialize<SurveySendJob>(job.Payload, SurveySendAfterSolve.Json);
        }
        catch (JsonException)
        {
            payload = null;
        }

        if (payload is null || string.IsNullOrEmpty(payload.TicketId) || SlaWarning.Parse(payload.SolvedAt) is not { } solvedAt)
        {
            throw new JobFailedException("the job payload is not a survey send");
        }

        var (send, obsolete) = await StoreSendAsync(job.Organisation, payload.TicketId, solvedAt, target, cancellationToken).ConfigureAwait(false);
        if (send is null)
        {
            SurveySendLog.Obsolete(_logger, job.JobId, job.Organisation, obsolete!);
            return;
        }

        var url = _options.Url(_links.Create(job.Organisation, send.SendId))
            ?? throw new JobFailedException("Utendaji:SurveySends:PublicOrigin is not configured");
        var body = JsonSerializer.SerializeToUtf8Bytes(new SurveySendBody(
            SurveySendAfterSolve.EventType, job.Organisation, payload.TicketId, send.SendId, send.Customer, SurveyPageTexts.Resolve(send.Language),
            send.Channel, send.InstrumentId, url, SlaWarning.Format(send.SentAt)), SurveySendAfterSolve.Json);
        await WebhookPost.SendAsync(
            _clients.CreateClient(HttpClientName), target.Webhook, job.DedupeKey, body, _clock.GetCurrentInstant(), _options.Timeout, cancellationToken).ConfigureAwait(false);
        SurveySendLog.Delivered(_logger, job.JobId, job.Organisation);
    }

    /// <summary>The stored send of the ticket (stored now, or by an earlier attempt), or null and why none is due.</summary>
    private Task<(SurveySend? Send, string? Obsolete)> StoreSendAsync(
        string organisation, string ticketId, Instant solvedAt, SurveySendTarget target, CancellationToken cancellationToken) =>
        _stores.WithStoreAsync(organisation, async (store, token) =>
        {
            var sendId = SurveySendAfterSolve.SendId(ticketId);
            if (await FindAsync(store, sendId, token).ConfigureAwait(false) is { } existing)
            {
                // An earlier attempt of this job stored it (sent after this solve); else it followed an earlier solve.
                return existing.SentAt >= solvedAt ? (existing, null) : ((SurveySend?)null, "the ticket was surveyed after an earlier solve");
            }

            var facts = await store.GetFactsAsync(ticketId, token).ConfigureAwait(false);
            if (facts is null || facts.Status is not (TicketStatus.Solved or TicketStatus.Closed) || facts.SolvedAt != solvedAt)
            {
                return (null, "the ticket was reopened or solved again since the scan");
            }

            var send = new SurveySend
            {
                SendId = sendId,
                InstrumentId = target.Instrument,
                SentAt = _clock.GetCurrentInstant(),
                TicketId = ticketId,
                Customer = facts.Customer,
                Channel = facts.Channel,
                Language = facts.Language,
            };
            AddResult added;
            await using (var import = await store.BeginImportAsync(token).ConfigureAwait(false))
            {
                added = await import.AddSurveySendsAsync([send], token).ConfigureAwait(false);
                await import.CommitAsync(token).ConfigureAwait(false);
            }

            // A conflict: another attempt stored it meanwhile (a lease that expired mid-job); use what it stored.
            return added.Conflicts.Count == 0
                ? (send, null)
                : (await FindAsync(store, sendId, token).ConfigureAwait(false) ?? throw new JobFailedException("the survey send could not be stored"), null);
        }, cancellationToken);

    private static async Task<SurveySend?> FindAsync(IUtendajiStore store, string sendId, CancellationToken cancellationToken)
    {
        await foreach (var send in store.ReadSurveySendsAsync(new SurveySendQuery { SendId = sendId }, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(send.SendId, sendId, StringComparison.Ordinal))
            {
                return send;
            }
        }

        return null;
    }
}
