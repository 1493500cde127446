using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Utendaji.Core.Calendars;

/// <summary>Holidays read from an iCalendar file: single dates and yearly rules, or the errors found.</summary>
public sealed record IcsHolidaysResult
{
    /// <summary>Closed dates from non-recurring events (every date of a multi-day event) and RDATEs.</summary>
    public IReadOnlyList<LocalDate> Dates { get; init; } = [];

    /// <summary>Yearly rules from events with <c>RRULE:FREQ=YEARLY</c>.</summary>
    public IReadOnlyList<RecurringHoliday> Recurring { get; init; } = [];

    /// <summary>Errors, each with the file and line.</summary>
    public IReadOnlyList<CalendarError> Errors { get; init; } = [];

    /// <summary>Events ignored on purpose (timed events, cancelled events).</summary>
    public IReadOnlyList<CalendarError> Warnings { get; init; } = [];

    /// <summary>True when there are no errors.</summary>
    public bool Success => Errors.Count == 0;
}

/// <summary>
/// Reads holidays from iCalendar (RFC 5545) text: all-day <c>VEVENT</c>s (<c>DTSTART;VALUE=DATE:20261224</c>, with
/// <c>DTEND</c> exclusive or <c>DURATION:P2D</c> for several days), recurring with <c>RRULE:FREQ=YEARLY</c>
/// (<c>INTERVAL</c>, <c>COUNT</c>, <c>UNTIL</c>, <c>BYMONTH</c>, <c>BYMONTHDAY</c>, <c>BYDAY</c>) plus <c>EXDATE</c> and
/// <c>RDATE</c>. Timed events are not holidays: they are skipped with a warning. Pure: the caller reads the file.
/// </summary>
public static class IcsHolidays
{
    private static readonly LocalDatePattern BasicDate = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    /// <summary>Parses <paramref name="text"/>; <paramref name="sourceName"/> names the file in errors.</summary>
    public static IcsHolidaysResult Parse(string text, string sourceName)
    {
        Guard.NotNull(text);
        var parser = new Parser(sourceName);
        parser.Run(text);
        return new IcsHolidaysResult
        {
            Dates = parser.Dates,
            Recurring = parser.Recurring,
            Errors = parser.Errors,
            Warnings = parser.Warnings,
        };
    }

    private sealed record ContentLine(int Line, string Name, Dictionary<string, string> Parameters, string Value);

    private sealed class Parser(string source)
    {
        public List<LocalDate> Dates { get; } = [];

        public List<RecurringHoliday> Recurring { get; } = [];

        public List<CalendarError> Errors { get; } = [];

        public List<CalendarError> Warnings { get; } = [];

        private int _events;
        private bool _tooManyDates;
        private bool _tooManyRules;

        public void Run(string text)
        {
            var components = new Stack<(string Name, int Line)>();
            List<ContentLine>? eventLines = null;
            int eventLine = 0;
            bool sawCalendar = false;
            foreach ((int line, string raw) in Unfold(text))
            {
                if (!TrySplit(line, raw, out ContentLine? content))
                {
                    continue;
                }

                if (content.Name == "BEGIN")
                {
                    string component = content.Value.ToUpperInvariant();
                    sawCalendar |= component == "VCALENDAR";
                    if (component == "VEVENT" && components.Count > 0 && components.Peek().Name == "VCALENDAR")
                    {
                        eventLines = [];
                        eventLine = line;
                    }

                    components.Push((component, line));
                    continue;
                }

                if (content.Name == "END")
                {
                    string component = content.Value.ToUpperInvariant();
                    if (components.Count == 0 || components.Peek().Name != component)
                    {
                        Error(line, "END", $"'END:{content.Value}' does not close an open component");
                        continue;
                    }

                    components.Pop();
                    if (component == "VEVENT" && eventLines is not null)
                    {
                        // Bounded so that a large file of cheap events cannot make the calendar slow to build and use.
                        if (++_events <= CalendarLimits.MaxEventsPerFile)
                        {
                            ReadEvent(eventLine, eventLines);
                        }
                        else if (_events == CalendarLimits.MaxEventsPerFile + 1)
                        {
                            Error(eventLine, "VEVENT", $"the file holds more than {CalendarLimits.MaxEventsPerFile} events; a holiday file holds at most that many");
                        }

                        eventLines = null;
                    }

                    continue;
                }

                // Properties of the event itself, not of a VALARM inside it.
                if (eventLines is not null && components.Peek().Name == "VEVENT")
                {
                    eventLines.Add(content);
                }
            }

            foreach ((string name, int line) in components)
            {
                Error(line, "BEGIN", $"'BEGIN:{name}' is never closed");
            }

            // The calendar that includes the file checks these again with its own holidays; checked here too so that
            // a file that no calendar could include is refused when it is stored, not when it is first named.
            if (Recurring.Sum(r => r.MaxDatesPerYear) is int perYear && perYear > CalendarLimits.MaxRecurringDatesPerYear)
            {
                Error(1, "RRULE", $"the file's recurring events close up to {perYear} dates a year; a calendar's close at most {CalendarLimits.MaxRecurringDatesPerYear} a year together");
            }

            if (!sawCalendar)
            {
                Error(1, null, "not an iCalendar file (no BEGIN:VCALENDAR)");
            }
        }

        private void ReadEvent(int line, List<ContentLine> lines)
        {
            ContentLine? start = lines.Find(l => l.Name == "DTSTART");
            ContentLine? end = lines.Find(l => l.Name == "DTEND");
            ContentLine? duration = lines.Find(l => l.Name == "DURATION");
            ContentLine? rule = lines.Find(l => l.Name == "RRULE");
            string? summary = lines.Find(l => l.Name == "SUMMARY") is { } s ? Unescape(s.Value) : null;
            string label = summary is null ? "event" : $"event '{summary}'";

            if (lines.Find(l => l.Name == "STATUS") is { } status && status.Value.Equals("CANCELLED", StringComparison.OrdinalIgnoreCase))
            {
                Warnings.Add(new CalendarError(source, line, null, $"{label} is cancelled; ignored"));
                return;
            }

            if (start is null)
            {
                Error(line, "VEVENT", $"{label} has no DTSTART");
                return;
            }

            if (!IsAllDay(start))
            {
                Warnings.Add(new CalendarError(source, start.Line, "DTSTART", $"{label} at '{start.Value}' is a timed event, not an all-day holiday; ignored"));
                return;
            }

            if (!TryDate(start, out LocalDate first))
            {
                return;
            }

            // A yearly rule may start before 1900 (a holiday first kept in 1776 is written so): it is expanded only for
            // the years a lookup asks about, so the early start costs nothing. A COUNT from such a start would have to
            // be counted through the centuries before 1900, so that, like any single date outside, is refused.
            bool countsFromStart = rule is not null && rule.Value.Contains("COUNT=", StringComparison.OrdinalIgnoreCase);
            if (first > CalendarLimits.LastDate || (first < CalendarLimits.FirstDate && rule is null))
            {
                Error(start.Line, "DTSTART", $"'{start.Value}' {CalendarLimits.DateReason}");
                return;
            }

            if (first < CalendarLimits.FirstDate && countsFromStart)
            {
                Error(start.Line, "DTSTART", $"'{start.Value}' is before 1900-01-01: a rule with COUNT starts within the supported range, 1900-01-01 to 2199-12-31");
                return;
            }

            int days = 1;
            if (end is not null)
            {
                if (!IsAllDay(end))
                {
                    Error(end.Line, "DTEND", $"'{end.Value}' is a date-time but DTSTART is a date");
                    return;
                }

                if (!TryDate(end, out LocalDate last))
                {
                    return;
                }

                long span = Period.Between(first, last, PeriodUnits.Days).Days;
                if (span < 1)
                {
                    Error(end.Line, "DTEND", $"'{end.Value}' is not after DTSTART (DTEND is exclusive)");
                    return;
                }

                if (span > CalendarLimits.MaxEventDays)
                {
                    Error(end.Line, "DTEND", $"'{end.Value}' makes {label} {span} days long; a holiday event closes at most {CalendarLimits.MaxEventDays} days");
                    return;
                }

                days = (int)span;
            }
            else if (duration is not null && !TryDays(duration, label, out days))
            {
                return;
            }

            if (rule is null && first.PlusDays(days - 1) > CalendarLimits.LastDate)
            {
                ContentLine ending = end ?? duration ?? start;
                Error(ending.Line, ending.Name, $"'{ending.Value}' ends {label} after 2199-12-31, the last date of the supported range (1900-01-01 to 2199-12-31)");
                return;
            }

            // EXDATEs only remove occurrences, so one outside the supported years is harmless and kept.
            var exceptions = new HashSet<LocalDate>();
            foreach (ContentLine exdate in lines.Where(l => l.Name == "EXDATE"))
            {
                exceptions.UnionWith(DateList(exdate));
            }

            foreach (ContentLine rdate in lines.Where(l => l.Name == "RDATE"))
            {
                foreach (LocalDate extra in DateList(rdate))
                {
                    if (CalendarLimits.Contains(extra) && CalendarLimits.Contains(extra.PlusDays(days - 1)))
                    {
                        AddDays(rdate.Line, extra, days);
                    }
                    else
                    {
                        Error(rdate.Line, "RDATE", $"{LocalDatePattern.Iso.Format(extra)} {CalendarLimits.DateReason}");
                    }
                }
            }

            if (rule is null)
            {
                AddDays(start.Line, first, days);
                return;
            }

            if (Recurring.Count == CalendarLimits.MaxRecurringHolidays)
            {
                // Refused before the rule is built: building one with a COUNT walks its years.
                if (!_tooManyRules)
                {
                    _tooManyRules = true;
                    Error(rule.Line, "RRULE", $"the file holds more than {CalendarLimits.MaxRecurringHolidays} recurring events; a calendar holds at most that many");
                }

                return;
            }

            if (ReadRule(rule, first, days, summary, exceptions) is { } recurring)
            {
                Recurring.Add(recurring);
            }
        }

        private void AddDays(int line, LocalDate first, int days)
        {
            if (Dates.Count + days > CalendarLimits.MaxHolidayDates)
            {
                if (!_tooManyDates)
                {
                    _tooManyDates = true;
                    Error(line, null, $"the file closes more than {CalendarLimits.MaxHolidayDates} dates; a calendar holds at most that many single holiday dates");
                }

                return;
            }

            for (int i = 0; i < days; i++)
            {
                Dates.Add(first.PlusDays(i));
            }
        }

        private RecurringHoliday? ReadRule(ContentLine rule, LocalDate first, int days, string? summary, HashSet<LocalDate> exceptions)
        {
            string? frequency = null;
            int interval = 1;
            int? count = null;
            LocalDate? until = null;
            List<int> byMonth = [];
            List<int> byMonthDay = [];
            List<WeekdayOccurrence> byDay = [];
            bool ok = true;
            foreach (string part in rule.Value.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                string key = (eq < 0 ? part : part[..eq]).ToUpperInvariant();
                string value = eq < 0 ? string.Empty : part[(eq + 1)..];
                switch (key)
                {
                    case "FREQ":
                        frequency = value.ToUpperInvariant();
                        break;
                    case "INTERVAL":
                        ok &= TryInt(rule, key, value, 1, 1000, out interval);
                        break;
                    case "COUNT":
                        ok &= TryInt(rule, key, value, 1, 100_000, out int c);
                        count = c;
                        break;
                    case "UNTIL":
                        // Any date: an end after 2199 (or before 1900) only limits a rule that is expanded for the
                        // years asked about anyway, and far ends are common in real files.
                        ParseResult<LocalDate> u = BasicDate.Parse(value.Length >= 8 ? value[..8] : value);
                        if (u.Success)
                        {
                            until = u.Value;
                        }
                        else
                        {
                            ok = false;
                            Error(rule.Line, "RRULE", $"UNTIL '{value}' is not a date (YYYYMMDD)");
                        }

                        break;
                    case "BYMONTH":
                        foreach (string item in value.Split(','))
                        {
                            ok &= TryInt(rule, key, item, 1, 12, out int m);
                            byMonth.Add(m);
                        }

                        break;
                    case "BYMONTHDAY":
                        foreach (string item in value.Split(','))
                        {
                            ok &= TryInt(rule, key, item, -31, 31, out int d);
                            if (d == 0)
                            {
                                ok = false;
                                Error(rule.Line, "RRULE", "BYMONTHDAY 0 is not a day (1..31 or -31..-1)");
                            }

                            byMonthDay.Add(d);
                        }

                        break;
                    case "BYDAY":
                        foreach (string item in value.Split(','))
                        {
                            if (WeekdayCode.TryParse(item, out WeekdayOccurrence w))
                            {
                                byDay.Add(w);
                            }
                            else
                            {
                                ok = false;
                                Error(rule.Line, "RRULE", $"BYDAY '{item}' is not a weekday (e.g. MO, 4TH, -1SU)");
                            }
                        }

                        break;
                    case "WKST":
                        break; // only matters for WEEKLY rules and BYWEEKNO, neither of which is supported
                    default:
                        ok = false;
                        Error(rule.Line, "RRULE", $"{key} is not supported (supported: FREQ=YEARLY, INTERVAL, COUNT, UNTIL, BYMONTH, BYMONTHDAY, BYDAY)");
                        break;
                }
            }

            if (frequency != "YEARLY")
            {
                Error(rule.Line, "RRULE", frequency is null ? "FREQ is missing" : $"FREQ={frequency} is not supported (only YEARLY)");
                return null;
            }

            if (count is not null && until is not null)
            {
                Error(rule.Line, "RRULE", "COUNT and UNTIL cannot both be given (RFC 5545)");
                return null;
            }

            return ok
                ? new RecurringHoliday(first, days, interval, count, until, byMonth, byMonthDay, byDay, summary, exceptions)
                : null;
        }

        private bool TryInt(ContentLine line, string key, string text, int min, int max, out int value)
        {
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            {
                return true;
            }

            Error(line.Line, line.Name, $"{key} '{text}' is not a whole number from {min} to {max}");
            return false;
        }

        private bool TryDays(ContentLine duration, string label, out int days)
        {
            // All-day events use whole days or weeks: P1D, P2W.
            string v = duration.Value.ToUpperInvariant();
            days = 0;
            if (v.Length >= 3 && v[0] == 'P' && (v[^1] == 'D' || v[^1] == 'W')
                && long.TryParse(v.AsSpan(1, v.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n >= 1)
            {
                // Weeks are multiplied only once known small, so no count of weeks overflows.
                long total = n > CalendarLimits.MaxEventDays ? long.MaxValue : v[^1] == 'W' ? n * 7 : n;
                if (total > CalendarLimits.MaxEventDays)
                {
                    Error(duration.Line, "DURATION", $"'{duration.Value}' makes {label} longer than {CalendarLimits.MaxEventDays} days; a holiday event closes at most that many");
                    return false;
                }

                days = (int)total;
                return true;
            }

            Error(duration.Line, "DURATION", $"'{duration.Value}' is not a whole number of days or weeks (e.g. P1D)");
            return false;
        }

        private List<LocalDate> DateList(ContentLine line)
        {
            var result = new List<LocalDate>();
            foreach (string item in line.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                // A date-time exception of an all-day rule still names its date.
                ParseResult<LocalDate> parsed = BasicDate.Parse(item.Length >= 8 ? item[..8] : item);
                if (parsed.Success)
                {
                    result.Add(parsed.Value);
                }
                else
                {
                    Error(line.Line, line.Name, $"'{item}' is not a date (YYYYMMDD)");
                }
            }

            return result;
        }

        private static bool IsAllDay(ContentLine line) =>
            (line.Parameters.TryGetValue("VALUE", out string? type) && type.Equals("DATE", StringComparison.OrdinalIgnoreCase))
            || !line.Value.Contains('T', StringComparison.OrdinalIgnoreCase);

        private bool TryDate(ContentLine line, out LocalDate date)
        {
            ParseResult<LocalDate> parsed = BasicDate.Parse(line.Value.Trim());
            date = parsed.Success ? parsed.Value : default;
            if (!parsed.Success)
            {
                Error(line.Line, line.Name, $"'{line.Value}' is not a date (YYYYMMDD)");
            }

            return parsed.Success;
        }

        private bool TrySplit(int line, string raw, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ContentLine? content)
        {
            content = null;
            // name *(";" param) ":" value, where a quoted parameter value may hold ';' and ':'.
            int i = 0;
            bool quoted = false;
            int colon = -1;
            for (; i < raw.Length; i++)
            {
                char c = raw[i];
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ':' && !quoted)
                {
                    colon = i;
                    break;
                }
            }

            if (colon < 0)
            {
                Error(line, null, $"'{Shorten(raw)}' is not a content line (NAME:value)");
                return false;
            }

            string[] head = raw[..colon].Split(';');
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string p in head.Skip(1))
            {
                int eq = p.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    parameters[p[..eq]] = p[(eq + 1)..].Trim('"');
                }
            }

            content = new ContentLine(line, head[0].Trim().ToUpperInvariant(), parameters, raw[(colon + 1)..]);
            return true;
        }

        private static IEnumerable<(int Line, string Text)> Unfold(string text)
        {
            string[] lines = text.Split('\n');
            var current = new StringBuilder();
            int currentLine = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].TrimEnd('\r');
                if (i == 0 && line.Length > 0 && line[0] == '\uFEFF')
                {
                    line = line[1..];
                }

                if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && currentLine > 0)
                {
                    current.Append(line, 1, line.Length - 1); // RFC 5545 §3.1: drop the break and one blank
                    continue;
                }

                if (currentLine > 0 && current.Length > 0)
                {
                    yield return (currentLine, current.ToString());
                }

                current.Clear().Append(line);
                currentLine = i + 1;
            }

            if (current.Length > 0)
            {
                yield return (currentLine, current.ToString());
            }
        }

        private static string Unescape(string text) => text
            .Replace("\\n", " ", StringComparison.OrdinalIgnoreCase)
            .Replace("\\,", ",", StringComparison.Ordinal)
            .Replace("\\;", ";", StringComparison.Ordinal)
            .Replace("\\\\", "\\", StringComparison.Ordinal);

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

        private void Error(int line, string? path, string reason) => Errors.Add(new CalendarError(source, line, path, reason));
    }
}
