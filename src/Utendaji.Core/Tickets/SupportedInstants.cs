using NodaTime;

namespace Utendaji.Core.Tickets;

/// <summary>
/// The instants a ticket, event or survey row may carry: from 1900-01-01 to the end of 2199 (UTC). Every reader checks
/// its date-times against it, so the engine never meets an instant it cannot compute with: business calendars work
/// within years 1 to 9998 and threw on an event stamped 9999-12-30 (a crash of the whole import), and reports list every
/// period between their first and last figure. No helpdesk's data lies outside; a value that does is a typing error.
/// </summary>
public static class SupportedInstants
{
    /// <summary>The earliest supported instant, 1900-01-01T00:00:00Z.</summary>
    public static readonly Instant Earliest = Instant.FromUtc(1900, 1, 1, 0, 0);

    /// <summary>The first instant after the supported range, 2200-01-01T00:00:00Z.</summary>
    public static readonly Instant End = Instant.FromUtc(2200, 1, 1, 0, 0);

    /// <summary>Why a value outside the range is rejected, as a reader's issue says it.</summary>
    public const string Reason = "is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z";

    /// <summary>Whether <paramref name="at"/> lies in the supported range.</summary>
    public static bool Contains(Instant at) => at >= Earliest && at < End;
}
