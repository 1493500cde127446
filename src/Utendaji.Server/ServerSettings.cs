using System.Globalization;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Webhooks;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server;

/// <summary>A configuration value that cannot be used; the message names the key and says why (never the value of a secret).</summary>
public sealed class ServerConfigurationException(string message) : Exception(message);

/// <summary>The incoming-webhook secrets of one organisation (docs/connectors.md). A provider without one is not served.</summary>
/// <param name="Zendesk">Zendesk's signing secret, or null.</param>
/// <param name="Chatwoot">Chatwoot's webhook secret (signed requests), or null.</param>
/// <param name="ChatwootToken">The URL token for unsigned Chatwoot (before 4.11.2), or null.</param>
public sealed record ConnectorSecrets(string? Zendesk, string? Chatwoot, string? ChatwootToken)
{
    /// <summary>The secret of a signing provider, or null.</summary>
    public string? Secret(WebhookProvider provider) => provider == WebhookProvider.Zendesk ? Zendesk : Chatwoot;

    /// <inheritdoc />
    public override string ToString() =>
        $"ConnectorSecrets {{ Zendesk = {Zendesk is not null}, Chatwoot = {Chatwoot is not null}, ChatwootToken = {ChatwootToken is not null} }}";
}

/// <summary>The webhook receiver's settings: the signature tolerance and each organisation's secrets.</summary>
public sealed record ConnectorSettings
{
    /// <summary>No organisation has a secret: every webhook route answers 404.</summary>
    public static ConnectorSettings None { get; } = new();

    /// <summary>How far a signed timestamp may be from now (default 5 minutes).</summary>
    public Duration Tolerance { get; init; } = WebhookSignatureOptions.Default.Tolerance;

    /// <summary>Secrets by organisation name.</summary>
    public IReadOnlyDictionary<string, ConnectorSecrets> Organisations { get; init; } = new Dictionary<string, ConnectorSecrets>(StringComparer.Ordinal);
}

/// <summary>
/// What the server reads from the standard configuration (appsettings.json in the working directory, the file of
/// <c>--config</c>, environment variables <c>UTENDAJI__…</c>), all under the section <c>Utendaji</c>. Keys are listed
/// in docs/operations.md. Unconfigured means off: no SLA warnings, no webhook receivers.
/// </summary>
/// <param name="JobsEnabled">Whether this node runs the job worker and scanners (<c>Utendaji:Jobs:Enabled</c>, default true).</param>
/// <param name="Worker">The worker's options.</param>
/// <param name="SlaWarnings">SLA warnings, with each organisation's outgoing webhook.</param>
/// <param name="Connectors">Incoming webhook secrets.</param>
/// <param name="Reports">Scheduled report deliveries (<c>Utendaji:Reports</c>, docs/jobs.md); no schedules when unconfigured.</param>
public sealed record ServerSettings(bool JobsEnabled, JobWorkerOptions Worker, SlaWarningOptions SlaWarnings, ConnectorSettings Connectors, ReportDeliveryOptions Reports)
{
    /// <summary>The section every key is under.</summary>
    public const string Section = "Utendaji";

    /// <summary>Least length of a Chatwoot URL token (docs/connectors.md).</summary>
    public const int MinTokenLength = 32;

    /// <summary>Survey sends after solve (<c>Utendaji:SurveySends</c>, docs/jobs.md); none when unconfigured.</summary>
    public SurveySendOptions SurveySends { get; init; } = SurveySendOptions.Default;

    /// <summary>
    /// How long claims last and how failed jobs are retried (<c>Utendaji:Jobs:LeaseDuration</c>, <c>MaxAttempts</c>,
    /// <c>RetryBaseDelay</c>, <c>RetryMaxDelay</c>). The queue is opened before the server is built, so
    /// <c>utendaji serve</c> reads these with <see cref="StartConfiguration"/>.
    /// </summary>
    public JobQueueOptions Queue { get; init; } = JobQueueOptions.Default;

    /// <summary>
    /// The configuration the server will read, for what must be known before it is built (the job queue's options):
    /// <c>appsettings.json</c> in the working directory, the environment, then <paramref name="configurationFile"/>
    /// and the environment again, so environment variables win as they do in the server.
    /// </summary>
    public static IConfiguration StartConfiguration(string? configurationFile)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables();
        if (configurationFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configurationFile), optional: false, reloadOnChange: false).AddEnvironmentVariables();
        }

        return builder.Build();
    }

    /// <summary>Reads and checks the settings; throws <see cref="ServerConfigurationException"/> naming the first bad key.</summary>
    public static ServerSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var root = configuration.GetSection(Section);

        var jobs = root.GetSection("Jobs");
        var enabled = Bool(jobs, "Enabled") ?? true;
        var worker = JobWorkerOptions.Default;
        if (ConfiguredTime.Read(jobs, "PollInterval", ConfiguredTime.MaxInterval) is { } poll)
        {
            worker = worker with { PollInterval = poll };
        }

        if (jobs["WorkerName"] is { Length: > 0 } name)
        {
            worker = worker with { WorkerName = name };
        }

        var queue = JobQueueOptions.Default;
        if (ConfiguredTime.Read(jobs, "LeaseDuration", ConfiguredTime.MaxLease) is { } lease)
        {
            queue = queue with { LeaseDuration = Duration.FromTimeSpan(lease) };
        }

        if (jobs["MaxAttempts"] is { } attempts)
        {
            queue = queue with
            {
                MaxAttempts = int.TryParse(attempts, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1000
                    ? n
                    : throw Bad(jobs.GetSection("MaxAttempts"), $"'{attempts}' is not a whole number from 1 to 1000"),
            };
        }

        if (ConfiguredTime.Read(jobs, "RetryBaseDelay", ConfiguredTime.MaxRetryDelay) is { } retryBase)
        {
            queue = queue with { RetryBaseDelay = Duration.FromTimeSpan(retryBase) };
        }

        if (ConfiguredTime.Read(jobs, "RetryMaxDelay", ConfiguredTime.MaxRetryDelay) is { } retryMax)
        {
            queue = queue with { RetryMaxDelay = Duration.FromTimeSpan(retryMax) };
        }

        if (queue.RetryMaxDelay < queue.RetryBaseDelay)
        {
            throw Bad(jobs.GetSection("RetryMaxDelay"), $"must not be shorter than RetryBaseDelay ({queue.RetryBaseDelay.ToTimeSpan()})");
        }

        var sla = root.GetSection("SlaWarnings");
        var warnings = SlaWarningOptions.Default;
        if (ConfiguredTime.Read(sla, "LeadTime", ConfiguredTime.MaxHorizon) is { } lead)
        {
            warnings = warnings with { LeadTime = Duration.FromTimeSpan(lead) };
        }

        if (ConfiguredTime.Read(sla, "ScanInterval", ConfiguredTime.MaxInterval) is { } scan)
        {
            warnings = warnings with { ScanInterval = scan };
        }

        if (ConfiguredTime.Read(sla, "Timeout", ConfiguredTime.MaxTimeout) is { } timeout)
        {
            warnings = warnings with { Timeout = timeout };
        }

        var statuses = sla.GetSection("Statuses").GetChildren().ToList();
        if (statuses.Count > 0)
        {
            var parsed = new List<TicketStatus>();
            foreach (var child in statuses)
            {
                if (child.Value is null || !EventVocabulary.TryParseStatus(child.Value, out var status) || status is TicketStatus.Solved or TicketStatus.Closed)
                {
                    throw Bad(child, $"'{child.Value}' is not a running ticket status (new, open, pending, on_hold)");
                }

                parsed.Add(status);
            }

            warnings = warnings with { Statuses = parsed };
        }

        var hooks = new Dictionary<string, OutgoingWebhook>(StringComparer.Ordinal);
        foreach (var org in sla.GetSection("Organisations").GetChildren())
        {
            var url = org["Url"];
            var secret = org["Secret"];
            if (string.IsNullOrWhiteSpace(url) && string.IsNullOrWhiteSpace(secret))
            {
                continue;
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw Bad(org.GetSection("Url"), string.IsNullOrWhiteSpace(url) ? "is required with a Secret" : $"'{url}' is not an absolute http or https URL");
            }

            if (secret is null || secret.Length < 16)
            {
                throw Bad(org.GetSection("Secret"), "is required and must be at least 16 characters");
            }

            hooks[org.Key] = new OutgoingWebhook(uri, secret);
        }

        warnings = warnings with { Webhooks = hooks };

        var connectors = root.GetSection("Connectors");
        var settings = ConnectorSettings.None;
        if (ConfiguredTime.Read(connectors, "Tolerance", ConfiguredTime.MaxClockTolerance) is { } tolerance)
        {
            settings = settings with { Tolerance = Duration.FromTimeSpan(tolerance) };
        }

        var secrets = new Dictionary<string, ConnectorSecrets>(StringComparer.Ordinal);
        foreach (var org in connectors.GetSection("Organisations").GetChildren())
        {
            var zendesk = Secret(org.GetSection("Zendesk:Secret"), 1);
            var chatwoot = Secret(org.GetSection("Chatwoot:Secret"), 1);
            var token = Secret(org.GetSection("Chatwoot:Token"), MinTokenLength);
            if (zendesk is not null || chatwoot is not null || token is not null)
            {
                secrets[org.Key] = new ConnectorSecrets(zendesk, chatwoot, token);
            }
        }

        settings = settings with { Organisations = secrets };

        try
        {
            worker.Validate();
            warnings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ServerConfigurationException($"{Section}: {e.Message}");
        }

        var reports = ReportDeliveryConfiguration.Read(root.GetSection("Reports"));

        return new ServerSettings(enabled, worker, warnings, settings, reports) { SurveySends = SurveySendOptions.Read(configuration), Queue = queue };
    }

    private static string? Secret(IConfigurationSection section, int minLength)
    {
        if (section.Value is null)
        {
            return null;
        }

        return section.Value.Length >= minLength && section.Value.Trim().Length == section.Value.Length
            ? section.Value
            : throw Bad(section, string.Create(CultureInfo.InvariantCulture, $"must be at least {minLength} character(s), without leading or trailing spaces"));
    }

    private static bool? Bool(IConfigurationSection section, string key)
    {
        var value = section[key];
        if (value is null)
        {
            return null;
        }

        return bool.TryParse(value, out var parsed) ? parsed : throw Bad(section.GetSection(key), $"'{value}' is not true or false");
    }

    private static ServerConfigurationException Bad(IConfigurationSection section, string reason) => new($"{section.Path}: {reason}");
}
