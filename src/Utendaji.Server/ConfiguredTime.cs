using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Utendaji.Server;

/// <summary>
/// Reads the time-span settings under <c>Utendaji</c>: one format and one message for all of them, and an upper bound
/// for each kind. A value past its bound is refused at start: otherwise a huge interval passes a "positive" check and
/// then throws inside a running timer (PeriodicTimer and Task.Delay refuse more than about 49 days), and a huge lease,
/// look-back or tolerance overflows instant arithmetic on every scan or claim, or turns a protection off.
/// </summary>
internal static class ConfiguredTime
{
    /// <summary>
    /// Scan and poll intervals: at most a day. Longer means the work (SLA warnings, survey sends, reports, claiming
    /// jobs) effectively never happens; to turn something off, leave it unconfigured or set <c>Jobs:Enabled</c> false.
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <summary>
    /// A job's lease: at most a day. A handler must finish well within it, and a dead node's job waits a whole lease
    /// before another node takes it over, so a longer lease only delays recovery.
    /// </summary>
    public static readonly TimeSpan MaxLease = TimeSpan.FromDays(1);

    /// <summary>Retry delays: at most a week; a job retried less often than weekly is better dead and looked at.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(7);

    /// <summary>
    /// Horizons measured back or ahead from now (the SLA warning lead time, the survey look-back and delay): at most a
    /// year, far beyond any SLA target or useful survey, and well inside the range of instants.
    /// </summary>
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(365);

    /// <summary>One outgoing POST or SMTP conversation: at most an hour; a call that takes longer has hung.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <summary>
    /// How far a webhook's signed timestamp may be from the server's clock (docs/connectors.md): at most an hour. It is
    /// the replay window, so every minute more lets a captured request be replayed for longer; an hour already
    /// covers any clock that NTP keeps in step.
    /// </summary>
    public static readonly TimeSpan MaxClockTolerance = TimeSpan.FromHours(1);

    /// <summary>
    /// The time span at <paramref name="key"/> of <paramref name="section"/>, or null when not set; throws
    /// <see cref="ServerConfigurationException"/> naming the key and the allowed range when it is not a time span
    /// greater than zero and at most <paramref name="max"/>.
    /// </summary>
    public static TimeSpan? Read(IConfigurationSection section, string key, TimeSpan max)
    {
        var value = section[key];
        if (value is null)
        {
            return null;
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero && parsed <= max
            ? parsed
            : throw new ServerConfigurationException(string.Create(CultureInfo.InvariantCulture,
                $"{section.GetSection(key).Path}: '{value}' is not a positive time span of at most {max:c} such as 00:30:00 (hh:mm:ss) or 1.00:00:00 (d.hh:mm:ss)"));
    }
}
