namespace Utendaji.Core.Calendars;

/// <summary>
/// A problem found in a calendar file, e.g. <c>support-eu.json: week.mon[1][0]: '25:00' is not a time (HH:MM)</c>
/// or <c>fi-holidays.ics:12: RRULE: FREQ=MONTHLY is not supported (only YEARLY)</c>.
/// </summary>
/// <param name="Source">File (or other source) name.</param>
/// <param name="Line">1-based line, when the format has lines that matter (.ics); else null.</param>
/// <param name="Path">Where in the document: a JSON path such as <c>week.mon[1][0]</c> or an .ics property name.</param>
/// <param name="Reason">What is wrong, quoting the offending value.</param>
public sealed record CalendarError(string Source, int? Line, string? Path, string Reason)
{
    /// <summary><c>source[:line]: [path: ]reason</c>.</summary>
    public override string ToString()
    {
        string where = Line is { } line ? $"{Source}:{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : Source;
        return string.IsNullOrEmpty(Path) ? $"{where}: {Reason}" : $"{where}: {Path}: {Reason}";
    }
}

/// <summary>The outcome of parsing a calendar: a definition, or the errors that prevented it.</summary>
public sealed record CalendarParseResult
{
    /// <summary>The definition; null when there are errors.</summary>
    public CalendarDefinition? Definition { get; init; }

    /// <summary>Every error found (parsing continues after an error to report them all).</summary>
    public IReadOnlyList<CalendarError> Errors { get; init; } = [];

    /// <summary>Things ignored on purpose that the author may want to know about (e.g. timed .ics events).</summary>
    public IReadOnlyList<CalendarError> Warnings { get; init; } = [];

    /// <summary>True when a definition was produced.</summary>
    public bool Success => Definition is not null;
}
