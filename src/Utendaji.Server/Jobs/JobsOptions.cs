using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Tickets;

namespace Utendaji.Server.Jobs;

/// <summary>How a node's job worker runs. Immutable; change with <c>with</c>.</summary>
public sealed record JobWorkerOptions
{
    /// <summary>The defaults.</summary>
    public static JobWorkerOptions Default { get; } = new();

    /// <summary>How long the worker waits before claiming again when nothing was due (default 2 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The name recorded as lease owner, for operators (default: host name, process id and a random suffix, so
    /// two processes on one host differ).
    /// </summary>
    public string WorkerName { get; init; } =
        $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        Guard.InRange(PollInterval > TimeSpan.Zero, "must be positive", nameof(PollInterval));
        Guard.NotBlank(WorkerName, nameof(WorkerName));
    }
}

/// <summary>SLA breach warnings: when to warn, how often to look, and where each organisation wants them.</summary>
public sealed record SlaWarningOptions
{
    /// <summary>The defaults: no organisation has a webhook, so nothing is scanned or sent.</summary>
    public static SlaWarningOptions Default { get; } = new();

    /// <summary>
    /// Warn when a running SLA target falls due within this much time from now (default 30 minutes). A target
    /// already past due is not warned about: it is a breach, reported as such.
    /// </summary>
    public Duration LeadTime { get; init; } = Duration.FromMinutes(30);

    /// <summary>How often each node scans (default 1 minute). Every node may scan: the dedupe key keeps one warning.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one webhook POST may take before it counts as failed (default 10 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Ticket statuses scanned (default new and open). Pending and on-hold are left out: while a ticket waits for
    /// the customer or a third party its SLA clocks usually stand still, so a stored due instant is not yet meaningful.
    /// </summary>
    public IReadOnlyList<TicketStatus> Statuses { get; init; } = [TicketStatus.New, TicketStatus.Open];

    /// <summary>The outgoing webhook of each organisation (by name) that wants warnings; others are not scanned.</summary>
    public IReadOnlyDictionary<string, OutgoingWebhook> Webhooks { get; init; } =
        new Dictionary<string, OutgoingWebhook>(StringComparer.Ordinal);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        Guard.InRange(LeadTime > Duration.Zero, "must be positive", nameof(LeadTime));
        Guard.InRange(ScanInterval > TimeSpan.Zero, "must be positive", nameof(ScanInterval));
        Guard.InRange(Timeout > TimeSpan.Zero, "must be positive", nameof(Timeout));
        Guard.NotNull(Statuses, nameof(Statuses));
        Guard.InRange(Statuses.Count > 0, "must name at least one status", nameof(Statuses));
        Guard.InRange(!Statuses.Any(s => s is TicketStatus.Solved or TicketStatus.Closed), "must not include solved or closed", nameof(Statuses));
        Guard.NotNull(Webhooks, nameof(Webhooks));
    }
}

/// <summary>Where one organisation's warnings go, and the secret they are signed with.</summary>
public sealed record OutgoingWebhook
{
    /// <summary>Creates the target, checking both values.</summary>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="secret">The HMAC key shared with the receiver; at least 16 characters.</param>
    public OutgoingWebhook(Uri url, string secret)
    {
        Guard.NotNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"must be an absolute http or https URL; got '{url}'", nameof(url));
        }

        Guard.NotNull(secret);
        if (secret.Length < 16)
        {
            throw new ArgumentException("must be at least 16 characters", nameof(secret));
        }

        Url = url;
        Secret = secret;
    }

    /// <summary>The receiver's URL.</summary>
    public Uri Url { get; }

    /// <summary>The signing secret. Never logged: <see cref="ToString"/> leaves it out.</summary>
    public string Secret { get; }

    /// <inheritdoc />
    public override string ToString() => $"OutgoingWebhook {{ Url = {Url} }}";
}
