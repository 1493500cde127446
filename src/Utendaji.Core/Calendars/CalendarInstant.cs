using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Utendaji.Core.Calendars;

/// <summary>The outcome of parsing an instant: the instant, or why the text is not one.</summary>
/// <param name="Value">The instant when parsing succeeded.</param>
/// <param name="Error">The reason when it failed, quoting the text.</param>
public readonly record struct InstantParseResult(Instant? Value, string? Error)
{
    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool Success => Value is not null;
}

/// <summary>Reads instants as users type them on the command line or in files.</summary>
public static class CalendarInstant
{
    private static readonly OffsetDateTimePattern[] WithOffset =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFFo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mmo<G>"),
    ];

    private static readonly LocalDateTimePattern[] WithoutOffset =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm"),
    ];

    /// <summary>
    /// Parses ISO-8601 text. With an offset (<c>Z</c>, <c>+03</c>, <c>+03:00</c>) it is that instant. Without
    /// one (<c>2026-06-15T09:00</c>, seconds and fractions optional, a space allowed for the <c>T</c>) it is
    /// wall-clock time in <paramref name="zone"/>: a time repeated by a DST fall-back is its earlier occurrence, a
    /// time skipped by a spring-forward gap is an error. A bare date (<c>2026-06-15</c>) is the start of that day
    /// in <paramref name="zone"/>.
    /// </summary>
    public static InstantParseResult Parse(string text, DateTimeZone zone)
    {
        Guard.NotNull(zone);
        string trimmed = (text ?? string.Empty).Trim();
        foreach (OffsetDateTimePattern pattern in WithOffset)
        {
            ParseResult<OffsetDateTime> result = pattern.Parse(trimmed);
            if (result.Success)
            {
                return new InstantParseResult(result.Value.ToInstant(), null);
            }
        }

        foreach (LocalDateTimePattern pattern in WithoutOffset)
        {
            ParseResult<LocalDateTime> result = pattern.Parse(trimmed);
            if (result.Success)
            {
                return FromLocal(text!, result.Value, zone);
            }
        }

        ParseResult<LocalDate> date = LocalDatePattern.Iso.Parse(trimmed);
        if (date.Success)
        {
            return new InstantParseResult(date.Value.AtStartOfDayInZone(zone).ToInstant(), null);
        }

        return new InstantParseResult(null, string.Create(CultureInfo.InvariantCulture,
            $"'{text}' is not an instant (ISO-8601, e.g. 2026-06-15T09:00:00+03:00, or 2026-06-15T09:00 in {zone.Id})"));
    }

    private static InstantParseResult FromLocal(string text, LocalDateTime local, DateTimeZone zone)
    {
        NodaTime.TimeZones.ZoneLocalMapping mapping = zone.MapLocal(local);
        return mapping.Count == 0
            ? new InstantParseResult(null, $"'{text}' does not exist in {zone.Id} (skipped by a daylight-saving change); give an offset")
            : new InstantParseResult(mapping.First().ToInstant(), null);
    }
}
