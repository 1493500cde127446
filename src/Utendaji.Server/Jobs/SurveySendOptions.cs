using System.Globalization;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Surveys;
using Utendaji.Server.Web.Surveys;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Survey sends after solve (docs/jobs.md, "Survey sends after solve"): which organisations survey their solved
/// tickets, with which instrument, how long after the solve, and where each send is POSTed for delivery.
/// Immutable; change with <c>with</c>.
/// </summary>
public sealed record SurveySendOptions
{
    /// <summary>The defaults: no organisation is configured, so nothing is scanned or sent.</summary>
    public static SurveySendOptions Default { get; } = new();

    /// <summary>How often each node scans (default 5 minutes). Every node may scan: the dedupe key keeps one job.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The look-back (default 1 day): a ticket solved longer ago than this is never surveyed. It bounds what is sent
    /// when the feature is first switched on (only tickets solved within this time) and what an outage of the job
    /// nodes may still catch up on (an outage shorter than the look-back minus the delay loses no survey). Each
    /// organisation's <see cref="SurveySendTarget.Delay"/> must be shorter.
    /// </summary>
    public Duration MaxAge { get; init; } = Duration.FromDays(1);

    /// <summary>How long one webhook POST may take before it counts as failed (default 10 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The origin customers reach the survey pages at (e.g. <c>https://surveys.example.org</c>, optionally with a path
    /// prefix): the link path is appended to it. Required when any organisation is configured (a helpdesk cannot
    /// deliver a relative link); optional otherwise, when it only adds <c>url</c> to the link API's answer.
    /// </summary>
    public Uri? PublicOrigin { get; init; }

    /// <summary>The organisations (by name) that survey solved tickets; others are not scanned.</summary>
    public IReadOnlyDictionary<string, SurveySendTarget> Organisations { get; init; } =
        new Dictionary<string, SurveySendTarget>(StringComparer.Ordinal);

    /// <summary>The absolute URL of a link path (from <see cref="SurveyLinks.Create"/>), or null without a <see cref="PublicOrigin"/>.</summary>
    public string? Url(string path)
    {
        Guard.NotNull(path);
        return PublicOrigin is null ? null : PublicOrigin.GetLeftPart(UriPartial.Path).TrimEnd('/') + path;
    }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        Guard.InRange(ScanInterval > TimeSpan.Zero, "must be positive", nameof(ScanInterval));
        Guard.InRange(MaxAge > Duration.Zero, "must be positive", nameof(MaxAge));
        Guard.InRange(Timeout > TimeSpan.Zero, "must be positive", nameof(Timeout));
        Guard.NotNull(Organisations, nameof(Organisations));
        if (PublicOrigin is not null && !IsOrigin(PublicOrigin))
        {
            throw new ArgumentException("must be an absolute http or https URL without query or fragment", nameof(PublicOrigin));
        }

        Guard.InRange(Organisations.Count == 0 || PublicOrigin is not null, "is required when survey sends are configured", nameof(PublicOrigin));
        foreach (var (organisation, target) in Organisations)
        {
            Guard.InRange(target.Delay < MaxAge, $"must be shorter than {nameof(MaxAge)} ({MaxAge.ToTimeSpan()}) for '{organisation}'", "Delay");
        }
    }

    /// <summary>Whether <paramref name="uri"/> can be put in front of a link path.</summary>
    internal static bool IsOrigin(Uri uri) =>
        uri.IsAbsoluteUri
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    /// <summary>
    /// Reads <c>Utendaji:SurveySends</c> (keys in docs/operations.md); throws <see cref="ServerConfigurationException"/>
    /// naming the first bad key. Survey sends need survey links: configured without <see cref="SurveyLinks.SecretKey"/>
    /// they stop the start, naming both keys.
    /// </summary>
    public static SurveySendOptions Read(IConfiguration configuration)
    {
        Guard.NotNull(configuration);
        var section = configuration.GetSection(ServerSettings.Section).GetSection("SurveySends");
        var options = Default;
        if (ConfiguredTime.Read(section, "ScanInterval", ConfiguredTime.MaxInterval) is { } scan)
        {
            options = options with { ScanInterval = scan };
        }

        if (ConfiguredTime.Read(section, "MaxAge", ConfiguredTime.MaxHorizon) is { } maxAge)
        {
            options = options with { MaxAge = Duration.FromTimeSpan(maxAge) };
        }

        if (ConfiguredTime.Read(section, "Timeout", ConfiguredTime.MaxTimeout) is { } timeout)
        {
            options = options with { Timeout = timeout };
        }

        if (section["PublicOrigin"] is { Length: > 0 } origin)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !IsOrigin(uri))
            {
                throw Bad(section.GetSection("PublicOrigin"), $"'{origin}' is not an absolute http or https URL without query or fragment (e.g. https://surveys.example.org)");
            }

            options = options with { PublicOrigin = uri };
        }

        var organisations = new Dictionary<string, SurveySendTarget>(StringComparer.Ordinal);
        foreach (var org in section.GetSection("Organisations").GetChildren())
        {
            var target = Target(org);
            if (target is not null)
            {
                organisations[org.Key] = target;
            }
        }

        if (organisations.Count > 0)
        {
            if (string.IsNullOrEmpty(configuration[SurveyLinks.SecretKey]))
            {
                throw new ServerConfigurationException(
                    $"{section.Path}:Organisations: survey sends are configured but {SurveyLinks.SecretKey} is not set; the links sent to customers are signed with it (docs/survey-pages.md)");
            }

            if (options.PublicOrigin is null)
            {
                throw Bad(section.GetSection("PublicOrigin"), "is required when survey sends are configured: the link sent to the customer is this origin followed by the link path");
            }

            foreach (var (name, target) in organisations)
            {
                if (target.Delay >= options.MaxAge)
                {
                    throw Bad(section.GetSection("Organisations").GetSection(name).GetSection("Delay"),
                        $"must be shorter than {section.Path}:MaxAge ({options.MaxAge.ToTimeSpan()}), or no ticket would ever be surveyed");
                }
            }
        }

        options = options with { Organisations = organisations };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ServerConfigurationException($"{section.Path}: {e.Message}");
        }

        return options;
    }

    private static SurveySendTarget? Target(IConfigurationSection org)
    {
        if (!org.GetChildren().Any())
        {
            return null;
        }

        var instrument = org["Instrument"];
        if (string.IsNullOrWhiteSpace(instrument) || BuiltInInstruments.Find(instrument) is null)
        {
            throw Bad(org.GetSection("Instrument"), string.IsNullOrWhiteSpace(instrument)
                ? "is required: the id of a built-in instrument (" + string.Join(", ", BuiltInInstruments.All.Select(i => i.Id)) + ")"
                : $"'{instrument}' is not a built-in instrument (" + string.Join(", ", BuiltInInstruments.All.Select(i => i.Id)) + ")");
        }

        var url = org["Url"];
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw Bad(org.GetSection("Url"), string.IsNullOrWhiteSpace(url)
                ? "is required: the webhook that receives each send for delivery"
                : $"'{url}' is not an absolute http or https URL");
        }

        var secret = org["Secret"];
        if (secret is null || secret.Length < 16)
        {
            throw Bad(org.GetSection("Secret"), "is required and must be at least 16 characters");
        }

        var channels = new List<string>();
        foreach (var child in org.GetSection("Channels").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(child.Value))
            {
                throw Bad(child, "must be a channel name such as email");
            }

            channels.Add(child.Value.Trim());
        }

        return new SurveySendTarget(instrument, ConfiguredTime.Read(org, "Delay", ConfiguredTime.MaxHorizon) is { } delay ? Duration.FromTimeSpan(delay) : SurveySendTarget.DefaultDelay,
            new OutgoingWebhook(uri, secret), channels);
    }

    private static ServerConfigurationException Bad(IConfigurationSection section, string reason) => new($"{section.Path}: {reason}");
}

/// <summary>One organisation's survey sends.</summary>
public sealed record SurveySendTarget
{
    /// <summary>The default time between the solve and the send: 1 hour.</summary>
    public static readonly Duration DefaultDelay = Duration.FromHours(1);

    /// <summary>Creates the target, checking each value.</summary>
    /// <param name="instrument">A built-in instrument id such as <c>csat-5</c> (survey pages show built-in instruments only).</param>
    /// <param name="delay">Time after the solve before the survey is sent; positive.</param>
    /// <param name="webhook">Where each send is POSTed so the helpdesk or mail system can deliver it.</param>
    /// <param name="channels">Only tickets on these channels (ordinal, as stored); empty for every channel.</param>
    public SurveySendTarget(string instrument, Duration delay, OutgoingWebhook webhook, IReadOnlyList<string> channels)
    {
        Guard.NotBlank(instrument);
        if (BuiltInInstruments.Find(instrument) is null)
        {
            throw new ArgumentException($"'{instrument}' is not a built-in instrument", nameof(instrument));
        }

        Guard.InRange(delay > Duration.Zero, "must be positive", nameof(delay));
        Instrument = instrument;
        Delay = delay;
        Webhook = Guard.NotNull(webhook);
        Channels = [.. Guard.NotNull(channels)];
    }

    /// <summary>The instrument sent.</summary>
    public string Instrument { get; }

    /// <summary>Time after the (final) solve before the survey goes out.</summary>
    public Duration Delay { get; }

    /// <summary>The outgoing webhook receiving each send.</summary>
    public OutgoingWebhook Webhook { get; }

    /// <summary>The channels surveyed; empty for all.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>Whether a ticket on <paramref name="channel"/> is surveyed.</summary>
    public bool Surveys(string? channel) => Channels.Count == 0 || (channel is not null && Channels.Contains(channel, StringComparer.Ordinal));
}
