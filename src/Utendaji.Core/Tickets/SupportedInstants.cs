using NodaTime;
using NodaTime.Text;

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

    /// <summary>
    /// A range bound as the CLI's <c>--from</c>/<c>--to</c> and the API's <c>from</c>/<c>to</c> take it: an ISO-8601
    /// date-time with offset, or a date (midnight UTC), from <see cref="Earliest"/> to <see cref="End"/> inclusive (so
    /// <c>--to 2200-01-01</c> reaches the end). Outside, a report's periods near year 9999 overflowed the calendar
    /// arithmetic and a bound such as <c>9999-12-31T23:59:59-14:00</c> overflowed NodaTime's range of instants.
    /// </summary>
    /// <param name="text">The value as given.</param>
    /// <param name="instant">The bound.</param>
    /// <param name="error">Why <paramref name="text"/> is refused, starting with it quoted; null when it is not.</param>
    public static bool TryParseBound(string text, out Instant instant, out string? error)
    {
        instant = default;
        error = null;
        try
        {
            if (OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } withOffset)
            {
                instant = withOffset.Value.ToInstant();
            }
            else if (LocalDatePattern.Iso.Parse(text) is { Success: true } date)
            {
                instant = date.Value.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
            }
            else
            {
                error = $"'{text}' is not an instant: give an ISO-8601 date-time with offset (2026-03-01T09:00:00+02:00) or a date (2026-03-01, read as UTC)";
                return false;
            }
        }
        catch (OverflowException)
        {
            instant = Instant.MaxValue; // beyond NodaTime's instants: out of range below
        }

        if (instant < Earliest || instant > End)
        {
            error = $"'{text}' is outside the supported range, 1900-01-01T00:00:00Z to 2200-01-01T00:00:00Z";
            return false;
        }

        return true;
    }
}
