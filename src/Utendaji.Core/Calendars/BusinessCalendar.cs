using NodaTime;

namespace Utendaji.Core.Calendars;

/// <summary>
/// Open hours of a support organisation in one IANA time zone, precomputed as UTC intervals with a running
/// total so that every lookup is O(log n). Immutable and safe to share between threads.
/// </summary>
public sealed class BusinessCalendar
{
    private BusinessCalendar(string name, DateTimeZone zone)
    {
        Name = name;
        Zone = zone;
    }

    /// <summary>The calendar's name, as referenced by SLA policies and team mappings.</summary>
    public string Name { get; }

    /// <summary>The zone the open hours are written in.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>A calendar that is always open (24×7), used where no business calendar applies.</summary>
    public static BusinessCalendar AlwaysOpen(string name = "24x7") => new(name, DateTimeZone.Utc);

    /// <summary>Builds a calendar from its definition (parsed from JSON, holidays from .ics already merged).</summary>
    public static BusinessCalendar FromDefinition(CalendarDefinition definition) =>
        throw new NotImplementedException("issue #2: calendar engine");

    /// <summary>Business time between two instants; negative when <paramref name="to"/> is before <paramref name="from"/>.</summary>
    public Duration Elapsed(Instant from, Instant to) => throw new NotImplementedException();

    /// <summary>
    /// The instant at which <paramref name="duration"/> of business time has passed since <paramref name="from"/>
    /// (negative goes backwards). A duration used up exactly at a closing time gives that closing instant,
    /// not the next opening.
    /// </summary>
    public Instant Add(Instant from, Duration duration) => throw new NotImplementedException();

    /// <summary><paramref name="at"/> itself when inside open hours (start inclusive, end exclusive), else the next opening.</summary>
    public Instant NextOpen(Instant at) => throw new NotImplementedException();

    /// <summary>Whether <paramref name="at"/> is inside open hours; interval starts are inclusive, ends exclusive.</summary>
    public bool IsOpen(Instant at) => throw new NotImplementedException();

    /// <summary>The open intervals overlapping [from, to), clipped to it; used by "explain".</summary>
    public IEnumerable<Interval> OpenIntervals(Instant from, Instant to) => throw new NotImplementedException();
}
