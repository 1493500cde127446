using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Security.Authentication;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Reporting;
using Utendaji.Storage;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Delivers a <c>report-delivery</c> job: builds the KPIs of the job's period and of the period before it from the
/// organisation's store (<see cref="KpiPeriodComparison"/>), then POSTs the JSON summary to the schedule's webhook
/// (signed with <see cref="WebhookSignature"/>, <c>Idempotency-Key</c> = the dedupe key) or mails it (text + HTML)
/// through the schedule's SMTP server. Any failure — a non-2xx answer, a timeout, an SMTP error — fails the attempt,
/// which the queue retries with backoff.
/// </summary>
/// <remarks>
/// Delivery is at least once: a node that dies after the receiver accepted but before the job is marked done sends
/// again. Webhook receivers deduplicate by <c>Idempotency-Key</c>; mail carries the same key in
/// <c>X-Utendaji-Delivery</c>. The figures are computed when the job runs, so a retry may include tickets that
/// arrived late for the period.
/// </remarks>
public sealed class ReportDeliveryHandler : IJobHandler
{
    /// <summary>The name of the <see cref="HttpClient"/> the handler asks <see cref="IHttpClientFactory"/> for.</summary>
    public const string HttpClientName = "utendaji-report-webhooks";

    private readonly IHttpClientFactory _clients;
    private readonly IOrganisationStores _stores;
    private readonly IClock _clock;
    private readonly ReportDeliveryOptions _options;
    private readonly ILogger<ReportDeliveryHandler> _logger;

    /// <summary>Creates the handler.</summary>
    public ReportDeliveryHandler(IHttpClientFactory clients, IOrganisationStores stores, IClock clock, ReportDeliveryOptions options, ILogger<ReportDeliveryHandler> logger)
    {
        _clients = Guard.NotNull(clients);
        _stores = Guard.NotNull(stores);
        _clock = Guard.NotNull(clock);
        _options = Guard.NotNull(options);
        _options.Validate();
        _logger = Guard.NotNull(logger);
    }

    /// <inheritdoc />
    public string Kind => ReportDelivery.Kind;

    /// <inheritdoc />
    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        Guard.NotNull(job);
        ReportDeliveryJob? payload;
        try
        {
            payload = JsonSerializer.Deserialize<ReportDeliveryJob>(job.Payload, ReportDelivery.Json);
        }
        catch (JsonException)
        {
            payload = null;
        }

        if (payload is null || ReportDelivery.Parse(payload) is not { } parsed)
        {
            throw new JobFailedException("the job payload is not a report delivery");
        }

        var schedule = _options.Find(job.Organisation, payload.Schedule)
            ?? throw new JobFailedException("no report schedule of that name is configured for the organisation");
        var comparison = await CompareAsync(job.Organisation, parsed.Period, parsed.GroupBy, cancellationToken).ConfigureAwait(false);
        if (schedule.Webhook is { } webhook)
        {
            await PostAsync(webhook, job, schedule, comparison, cancellationToken).ConfigureAwait(false);
            ReportLog.Delivered(_logger, schedule.Name, job.Organisation, comparison.Current.Label, "webhook");
        }
        else
        {
            await MailAsync(schedule.Email!, job, schedule, comparison, cancellationToken).ConfigureAwait(false);
            ReportLog.Delivered(_logger, schedule.Name, job.Organisation, comparison.Current.Label, "email");
        }
    }

    /// <summary>The comparison of <paramref name="period"/> with the period before it, from the organisation's store.</summary>
    public Task<KpiComparison> CompareAsync(string organisation, CalendarPeriod period, GroupDimension? groupBy, CancellationToken cancellationToken)
    {
        Guard.NotNull(period);
        var options = KpiReportOptions.Default with { GroupBy = groupBy is { } g ? [g] : [], MinimumN = _options.MinimumN };
        // Tickets created after the period cannot count in it or in the one before (nothing is placed before creation).
        var query = new FactsQuery { CreatedTo = period.End };
        return _stores.WithStoreAsync(organisation, (store, token) =>
            Task.FromResult(KpiPeriodComparison.Compare(
                store.ReadFactsAsync(query, token).ToBlockingEnumerable(token), period, options, _options.SignificanceLevel, token)),
            cancellationToken);
    }

    private async Task PostAsync(OutgoingWebhook webhook, ClaimedJob job, ReportSchedule schedule, KpiComparison comparison, CancellationToken cancellationToken)
    {
        var now = _clock.GetCurrentInstant();
        var body = ReportDelivery.Body(job.Organisation, job.DedupeKey, schedule, comparison, now);
        await WebhookPost.SendAsync(_clients.CreateClient(HttpClientName), webhook, job.DedupeKey, body, now, _options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task MailAsync(ReportEmail email, ClaimedJob job, ReportSchedule schedule, KpiComparison comparison, CancellationToken cancellationToken)
    {
        using var message = ReportEmailMessage.Build(job.Organisation, job.DedupeKey, schedule, comparison);
        using var client = new SmtpClient(email.Host, email.Port)
        {
            EnableSsl = email.StartTls, // on a submission port this is STARTTLS after EHLO
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds),
        };
        if (email.UserName is not null)
        {
            client.Credentials = new NetworkCredential(email.UserName, email.Password);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            await client.SendMailAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture, $"the SMTP server did not finish within {_options.Timeout.TotalSeconds:0.###} s"));
        }
        catch (SmtpException e)
        {
            // The status code only: the server's text may quote addresses.
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture, $"the SMTP server refused the message ({(int)e.StatusCode} {e.StatusCode})"), e);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or AuthenticationException or InvalidOperationException)
        {
            throw new JobFailedException($"the SMTP server could not be reached ({e.GetType().Name})", e);
        }
    }
}
