using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace Utendaji.Core.Calendars;

/// <summary>
/// Reads and writes business calendars as JSON (schema in docs/formats.md):
/// <c>{"name", "time_zone", "week": {"mon": [["09:00","12:00"], ...], ...}, "holidays", "special_hours", "breaks",
/// "holiday_calendars", "teams", "recurring_holidays"}</c>. Pure: included .ics files are read by the caller.
/// </summary>
public static class CalendarJson
{
    private static readonly string[] DayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    private static readonly string[] TopKeys =
        ["name", "time_zone", "week", "holidays", "special_hours", "breaks", "holiday_calendars", "teams", "recurring_holidays"];
    private static readonly string[] RecurringKeys =
        ["start", "days", "interval", "count", "until", "by_month", "by_month_day", "by_day", "except", "summary"];
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>
    /// Parses a calendar. Every problem is reported (not only the first), each naming
    /// <paramref name="sourceName"/>, the JSON path and the reason; nothing throws for bad data.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">The file name used in errors, e.g. <c>support-eu.json</c>.</param>
    /// <param name="readIncludedFile">
    /// Returns the text of an .ics file named in <c>holiday_calendars</c> (as written there), or null when it does not
    /// exist. Null when the caller has no files: then naming any .ics file is an error.
    /// </param>
    public static CalendarParseResult Parse(string json, string sourceName, Func<string, string?>? readIncludedFile = null)
    {
        Guard.NotNull(json);
        Guard.NotNull(sourceName);
        var reader = new Reader(sourceName, readIncludedFile);
        CalendarDefinition? definition = reader.Read(json);
        return new CalendarParseResult
        {
            Definition = reader.Errors.Count == 0 ? definition : null,
            Errors = reader.Errors,
            Warnings = reader.Warnings,
        };
    }

    /// <summary>
    /// Writes <paramref name="definition"/> as self-contained JSON: holidays imported from .ics files are written
    /// out (single dates under <c>holidays</c>, yearly rules under <c>recurring_holidays</c>), so the result parses
    /// back to an equivalent definition without the .ics files.
    /// </summary>
    public static string Serialize(CalendarDefinition definition)
    {
        Guard.NotNull(definition);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("name", definition.Name);
            writer.WriteString("time_zone", definition.Zone.Id);
            writer.WriteStartObject("week");
            for (int day = 1; day <= 7; day++)
            {
                writer.WritePropertyName(DayKeys[day - 1]);
                WriteHours(writer, definition.Week.TryGetValue((IsoDayOfWeek)day, out IReadOnlyList<OpenHours>? hours) ? hours : []);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("holidays");
            foreach (LocalDate date in definition.Holidays.Distinct().Order())
            {
                writer.WriteStringValue(Date(date));
            }

            foreach (AnnualDate annual in definition.YearlyHolidays.Distinct().Order())
            {
                writer.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"*-{annual.Month:00}-{annual.Day:00}"));
            }

            writer.WriteEndArray();
            WriteDated(writer, "special_hours", definition.SpecialHours);
            WriteDated(writer, "breaks", definition.Breaks);
            if (definition.RecurringHolidays.Count > 0)
            {
                writer.WriteStartArray("recurring_holidays");
                foreach (RecurringHoliday rule in definition.RecurringHolidays)
                {
                    WriteRecurring(writer, rule);
                }

                writer.WriteEndArray();
            }

            if (definition.Teams.Count > 0)
            {
                writer.WriteStartArray("teams");
                foreach (string team in definition.Teams)
                {
                    writer.WriteStringValue(team);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteDated(Utf8JsonWriter writer, string name, IReadOnlyDictionary<LocalDate, IReadOnlyList<OpenHours>> byDate)
    {
        writer.WriteStartObject(name);
        foreach (KeyValuePair<LocalDate, IReadOnlyList<OpenHours>> entry in byDate.OrderBy(e => e.Key))
        {
            writer.WritePropertyName(Date(entry.Key));
            WriteHours(writer, entry.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteHours(Utf8JsonWriter writer, IReadOnlyList<OpenHours> hours)
    {
        writer.WriteStartArray();
        foreach (OpenHours h in hours)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(Time(h.Open));
            writer.WriteStringValue(h.CloseIsEndOfDay ? "24:00" : Time(h.Close));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static void WriteRecurring(Utf8JsonWriter writer, RecurringHoliday rule)
    {
        writer.WriteStartObject();
        writer.WriteString("start", Date(rule.FirstStart));
        writer.WriteNumber("days", rule.Days);
        writer.WriteNumber("interval", rule.IntervalYears);
        if (rule.Count is { } count)
        {
            writer.WriteNumber("count", count);
        }

        if (rule.Until is { } until)
        {
            writer.WriteString("until", Date(until));
        }

        WriteInts(writer, "by_month", rule.ByMonth);
        WriteInts(writer, "by_month_day", rule.ByMonthDay);
        writer.WriteStartArray("by_day");
        foreach (WeekdayOccurrence day in rule.ByDay)
        {
            writer.WriteStringValue(WeekdayCode.Format(day));
        }

        writer.WriteEndArray();
        writer.WriteStartArray("except");
        foreach (LocalDate date in rule.ExceptDates.Order())
        {
            writer.WriteStringValue(Date(date));
        }

        writer.WriteEndArray();
        if (rule.Summary is { } summary)
        {
            writer.WriteString("summary", summary);
        }

        writer.WriteEndObject();
    }

    private static void WriteInts(Utf8JsonWriter writer, string name, IReadOnlyList<int> values)
    {
        writer.WriteStartArray(name);
        foreach (int value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }

    private static string Date(LocalDate date) => DatePattern.Format(date);

    private static string Time(LocalTime time) => time.ToString("HH':'mm", CultureInfo.InvariantCulture);

    private sealed class Reader(string source, Func<string, string?>? readIncludedFile)
    {
        private readonly HashSet<LocalDate> _holidays = [];
        private readonly HashSet<AnnualDate> _yearly = [];
        private readonly List<RecurringHoliday> _recurring = [];
        private readonly Dictionary<LocalDate, IReadOnlyList<OpenHours>> _special = [];
        private readonly Dictionary<LocalDate, IReadOnlyList<OpenHours>> _breaks = [];
        private readonly Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>> _week = [];
        private readonly List<string> _teams = [];

        public List<CalendarError> Errors { get; } = [];

        public List<CalendarError> Warnings { get; } = [];

        public CalendarDefinition? Read(string json)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, DocumentOptions);
            }
            catch (JsonException e)
            {
                string message = e.Message;
                int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
                cut = cut < 0 ? message.IndexOf(" LineNumber:", StringComparison.Ordinal) : cut;
                int? line = e.LineNumber is { } l ? (int)l + 1 : null;
                Errors.Add(new CalendarError(source, line, null, "invalid JSON: " + (cut < 0 ? message : message[..cut])));
                return null;
            }

            using (document)
            {
                if (JsonText.FindLoneSurrogate(json) is { } surrogatePath)
                {
                    Error(surrogatePath.Length == 0 ? "$" : surrogatePath, JsonText.LoneSurrogateReason);
                    return null;
                }

                return ReadRoot(document.RootElement);
            }
        }

        private CalendarDefinition? ReadRoot(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", $"a calendar is a JSON object, not {Kind(root)}");
                return null;
            }

            string? name = null;
            DateTimeZone? zone = null;
            foreach (JsonProperty property in Properties(root, string.Empty, TopKeys))
            {
                JsonElement value = property.Value;
                string path = property.Name;
                switch (property.Name)
                {
                    case "name":
                        name = String(value, path);
                        if (name is not null && string.IsNullOrWhiteSpace(name))
                        {
                            Error(path, "must not be empty");
                            name = null;
                        }

                        break;
                    case "time_zone":
                        string? id = String(value, path);
                        if (id is not null)
                        {
                            zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
                            if (zone is null)
                            {
                                Error(path, $"'{id}' is not an IANA time zone (e.g. Europe/Helsinki)");
                            }
                        }

                        break;
                    case "week":
                        ReadWeek(value, path);
                        break;
                    case "holidays":
                        ReadHolidays(value, path);
                        break;
                    case "special_hours":
                        ReadDated(value, path, _special, allowEmpty: true);
                        break;
                    case "breaks":
                        ReadDated(value, path, _breaks, allowEmpty: false);
                        break;
                    case "holiday_calendars":
                        ReadIncludes(value, path);
                        break;
                    case "teams":
                        foreach ((JsonElement item, string itemPath) in Items(value, path))
                        {
                            if (String(item, itemPath) is { } team)
                            {
                                _teams.Add(team);
                            }
                        }

                        break;
                    case "recurring_holidays":
                        foreach ((JsonElement item, string itemPath) in Items(value, path))
                        {
                            if (ReadRecurring(item, itemPath) is { } rule)
                            {
                                _recurring.Add(rule);
                            }
                        }

                        break;
                }
            }

            if (!root.TryGetProperty("name", out _))
            {
                Error("name", "is required");
            }

            if (!root.TryGetProperty("time_zone", out _))
            {
                Error("time_zone", "is required (an IANA zone such as Europe/Helsinki)");
            }

            if (Errors.Count > 0 || name is null || zone is null)
            {
                return null;
            }

            if (_holidays.Count > CalendarLimits.MaxHolidayDates)
            {
                Error("holidays", $"the calendar and its holiday files close {_holidays.Count} single dates; a calendar holds at most {CalendarLimits.MaxHolidayDates}");
            }

            if (_recurring.Count > CalendarLimits.MaxRecurringHolidays)
            {
                Error("recurring_holidays", $"the calendar and its holiday files hold {_recurring.Count} recurring holidays; a calendar holds at most {CalendarLimits.MaxRecurringHolidays}");
            }

            int recurringPerYear = _recurring.Sum(r => r.MaxDatesPerYear);
            if (recurringPerYear > CalendarLimits.MaxRecurringDatesPerYear)
            {
                Error("recurring_holidays", $"the calendar's recurring holidays close up to {recurringPerYear} dates a year; a calendar's close at most {CalendarLimits.MaxRecurringDatesPerYear} a year together");
            }

            if (Errors.Count > 0)
            {
                return null;
            }

            if (_week.Values.All(h => h.Count == 0) && _special.Values.All(h => h.Count == 0))
            {
                Error("week", "the calendar is never open: no day of the week and no special_hours date has hours");
                return null;
            }

            return new CalendarDefinition
            {
                Name = name,
                Zone = zone,
                Week = _week,
                Holidays = _holidays,
                YearlyHolidays = _yearly,
                RecurringHolidays = _recurring,
                SpecialHours = _special,
                Breaks = _breaks,
                Teams = _teams,
            };
        }

        private void ReadWeek(JsonElement value, string path)
        {
            foreach (JsonProperty day in Properties(value, path, DayKeys))
            {
                var isoDay = (IsoDayOfWeek)(Array.IndexOf(DayKeys, day.Name) + 1);
                _week[isoDay] = ReadHours(day.Value, $"{path}.{day.Name}") ?? [];
            }
        }

        private void ReadHolidays(JsonElement value, string path)
        {
            foreach ((JsonElement item, string itemPath) in Items(value, path))
            {
                string? text = String(item, itemPath);
                if (text is null)
                {
                    continue;
                }

                if (text.StartsWith("*-", StringComparison.Ordinal))
                {
                    if (TryAnnual(text, out AnnualDate annual))
                    {
                        _yearly.Add(annual);
                    }
                    else
                    {
                        Error(itemPath, $"'{text}' is not a yearly date (*-MM-DD)");
                    }
                }
                else if (TryDate(text, out LocalDate date))
                {
                    if (InRange(date, itemPath, text))
                    {
                        _holidays.Add(date);
                    }
                }
                else
                {
                    Error(itemPath, $"'{text}' is not a date (YYYY-MM-DD) or a yearly date (*-MM-DD)");
                }
            }
        }

        private void ReadDated(JsonElement value, string path, Dictionary<LocalDate, IReadOnlyList<OpenHours>> target, bool allowEmpty)
        {
            foreach (JsonProperty entry in Properties(value, path, null))
            {
                string entryPath = $"{path}.{entry.Name}";
                if (!TryDate(entry.Name, out LocalDate date))
                {
                    Error(entryPath, $"'{entry.Name}' is not a date (YYYY-MM-DD)");
                    continue;
                }

                if (!InRange(date, entryPath, entry.Name))
                {
                    continue;
                }

                if (target.ContainsKey(date))
                {
                    Error(entryPath, $"{DatePattern.Format(date)} is given twice");
                    continue;
                }

                if (ReadHours(entry.Value, entryPath) is { } hours)
                {
                    if (hours.Count == 0 && !allowEmpty)
                    {
                        Warnings.Add(new CalendarError(source, null, entryPath, "an empty list removes nothing"));
                    }

                    target[date] = hours;
                }
            }
        }

        private void ReadIncludes(JsonElement value, string path)
        {
            foreach ((JsonElement item, string itemPath) in Items(value, path))
            {
                string? file = String(item, itemPath);
                if (file is null)
                {
                    continue;
                }

                string? text = readIncludedFile?.Invoke(file);
                if (text is null)
                {
                    Error(itemPath, $"'{file}' not found");
                    continue;
                }

                IcsHolidaysResult ics = IcsHolidays.Parse(text, file);
                Errors.AddRange(ics.Errors);
                Warnings.AddRange(ics.Warnings);
                _holidays.UnionWith(ics.Dates);
                _recurring.AddRange(ics.Recurring);
            }
        }

        private RecurringHoliday? ReadRecurring(JsonElement value, string path)
        {
            int before = Errors.Count;
            LocalDate? start = null;
            int days = 1;
            int interval = 1;
            int? count = null;
            LocalDate? until = null;
            List<int> byMonth = [];
            List<int> byMonthDay = [];
            List<WeekdayOccurrence> byDay = [];
            HashSet<LocalDate> except = [];
            string? summary = null;
            foreach (JsonProperty p in Properties(value, path, RecurringKeys))
            {
                string at = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "start":
                        start = DateValue(p.Value, at);
                        break;
                    case "until":
                        until = DateValue(p.Value, at);
                        break;
                    case "days":
                        days = Int(p.Value, at, 1, 366) ?? 1;
                        break;
                    case "interval":
                        interval = Int(p.Value, at, 1, 1000) ?? 1;
                        break;
                    case "count":
                        count = Int(p.Value, at, 1, 100_000);
                        break;
                    case "by_month":
                        byMonth.AddRange(Items(p.Value, at).Select(i => Int(i.Item, i.Path, 1, 12) ?? 1));
                        break;
                    case "by_month_day":
                        foreach ((JsonElement item, string itemPath) in Items(p.Value, at))
                        {
                            int? d = Int(item, itemPath, -31, 31);
                            if (d == 0)
                            {
                                Error(itemPath, "a month day is 1..31 or -31..-1");
                            }

                            byMonthDay.Add(d ?? 1);
                        }

                        break;
                    case "by_day":
                        foreach ((JsonElement item, string itemPath) in Items(p.Value, at))
                        {
                            string? text = String(item, itemPath);
                            if (text is not null)
                            {
                                if (WeekdayCode.TryParse(text, out WeekdayOccurrence w))
                                {
                                    byDay.Add(w);
                                }
                                else
                                {
                                    Error(itemPath, $"'{text}' is not a weekday (e.g. MO, 4TH, -1SU)");
                                }
                            }
                        }

                        break;
                    case "except":
                        foreach ((JsonElement item, string itemPath) in Items(p.Value, at))
                        {
                            if (DateValue(item, itemPath) is { } d)
                            {
                                except.Add(d);
                            }
                        }

                        break;
                    case "summary":
                        summary = String(p.Value, at);
                        break;
                }
            }

            if (start is null && value.ValueKind == JsonValueKind.Object && !value.TryGetProperty("start", out _))
            {
                Error($"{path}.start", "is required");
            }

            if (count is not null && until is not null)
            {
                Error(path, "count and until cannot both be given");
            }

            // As in .ics files: a rule may start before 1900, being expanded only for the years asked about, unless
            // a count would have to be spent in those earlier centuries. until and except only limit, so any date.
            if (start is { } s && s > CalendarLimits.LastDate)
            {
                Error($"{path}.start", $"'{DatePattern.Format(s)}' {CalendarLimits.DateReason}");
            }
            else if (start is { } early && early < CalendarLimits.FirstDate && count is not null)
            {
                Error($"{path}.start", $"'{DatePattern.Format(early)}' is before 1900-01-01: a rule with a count starts within the supported range, 1900-01-01 to 2199-12-31");
            }

            return Errors.Count == before && start is { } first
                ? new RecurringHoliday(first, days, interval, count, until, byMonth, byMonthDay, byDay, summary, except)
                : null;
        }

        /// <summary>A list of [open, close] pairs; null after reporting errors.</summary>
        private List<OpenHours>? ReadHours(JsonElement value, string path)
        {
            int before = Errors.Count;
            var result = new List<OpenHours>();
            foreach ((JsonElement pair, string pairPath) in Items(value, path))
            {
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                {
                    Error(pairPath, $"an interval is [\"HH:MM\", \"HH:MM\"], not {Kind(pair)}");
                    continue;
                }

                string? openText = String(pair[0], $"{pairPath}[0]");
                string? closeText = String(pair[1], $"{pairPath}[1]");
                LocalTime? open = null;
                if (openText == "24:00")
                {
                    Error($"{pairPath}[0]", "'24:00' is only allowed as a closing time");
                }
                else if (openText is not null)
                {
                    open = TimeValue(openText, $"{pairPath}[0]");
                }

                bool endOfDay = closeText == "24:00";
                LocalTime? close = endOfDay ? LocalTime.Midnight : closeText is null ? null : TimeValue(closeText, $"{pairPath}[1]");
                if (open is { } o && close is { } c)
                {
                    result.Add(new OpenHours(o, c, endOfDay));
                }
            }

            return Errors.Count == before ? result : null;
        }

        private LocalTime? TimeValue(string text, string path)
        {
            // Strictly HH:MM, two digits each: "9:00" and "09:00:00" are typos more often than intent.
            if (text.Length == 5 && text[2] == ':' && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1])
                && char.IsAsciiDigit(text[3]) && char.IsAsciiDigit(text[4]))
            {
                int hour = ((text[0] - '0') * 10) + (text[1] - '0');
                int minute = ((text[3] - '0') * 10) + (text[4] - '0');
                if (hour < 24 && minute < 60)
                {
                    return new LocalTime(hour, minute);
                }
            }

            Error(path, $"'{text}' is not a time (HH:MM)");
            return null;
        }

        private LocalDate? DateValue(JsonElement value, string path)
        {
            string? text = String(value, path);
            if (text is null)
            {
                return null;
            }

            if (TryDate(text, out LocalDate date))
            {
                return date;
            }

            Error(path, $"'{text}' is not a date (YYYY-MM-DD)");
            return null;
        }

        /// <summary>Whether a date a calendar names lies in the supported years; reports it if not.</summary>
        private bool InRange(LocalDate date, string path, string text)
        {
            if (CalendarLimits.Contains(date))
            {
                return true;
            }

            Error(path, $"'{text}' {CalendarLimits.DateReason}");
            return false;
        }

        private int? Int(JsonElement value, string path, int min, int max)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n >= min && n <= max)
            {
                return n;
            }

            Error(path, $"{Show(value)} is not a whole number from {min} to {max}");
            return null;
        }

        private static bool TryDate(string text, out LocalDate date)
        {
            // Exactly YYYY-MM-DD: the ISO pattern alone would also take a signed or 5-digit year.
            ParseResult<LocalDate>? parsed = text.Length == 10 ? DatePattern.Parse(text) : null;
            date = parsed is { Success: true } ? parsed.Value : default;
            return parsed is { Success: true };
        }

        private static bool TryAnnual(string text, out AnnualDate annual)
        {
            annual = default;
            if (text.Length != 7 || text[4] != '-'
                || !int.TryParse(text.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int month)
                || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int day)
                || month is < 1 or > 12
                || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(2000, month))
            {
                return false;
            }

            annual = new AnnualDate(month, day);
            return true;
        }

        private string? String(JsonElement value, string path)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            Error(path, $"expected a string, not {Kind(value)}");
            return null;
        }

        private IEnumerable<(JsonElement Item, string Path)> Items(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                Error(path, $"expected a list, not {Kind(value)}");
                yield break;
            }

            int i = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                yield return (item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"));
            }
        }

        /// <summary>An object's properties in document order, reporting unknown and repeated keys (and skipping them).</summary>
        private IEnumerable<JsonProperty> Properties(JsonElement value, string path, string[]? allowed)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                Error(path.Length == 0 ? "$" : path, $"expected an object, not {Kind(value)}");
                yield break;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in value.EnumerateObject())
            {
                string at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (allowed is not null && !allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    Error(at, $"unknown key '{property.Name}' (expected one of {string.Join(", ", allowed)})");
                }
                else if (!seen.Add(property.Name))
                {
                    Error(at, $"'{property.Name}' is given twice");
                }
                else
                {
                    yield return property;
                }
            }
        }

        private static string Kind(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => $"the string '{value.GetString()}'",
            JsonValueKind.Number => $"the number {value.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => "null",
        };

        private static string Show(JsonElement value) =>
            value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : value.GetRawText();

        private void Error(string path, string reason) => Errors.Add(new CalendarError(source, null, path, reason));
    }
}

/// <summary>iCalendar weekday codes (<c>MO</c>, <c>4TH</c>, <c>-1SU</c>) as used by BYDAY.</summary>
internal static class WeekdayCode
{
    public static bool TryParse(string text, out WeekdayOccurrence weekday)
    {
        weekday = default;
        if (text.Length < 2)
        {
            return false;
        }

        IsoDayOfWeek? day = text[^2..].ToUpperInvariant() switch
        {
            "MO" => IsoDayOfWeek.Monday,
            "TU" => IsoDayOfWeek.Tuesday,
            "WE" => IsoDayOfWeek.Wednesday,
            "TH" => IsoDayOfWeek.Thursday,
            "FR" => IsoDayOfWeek.Friday,
            "SA" => IsoDayOfWeek.Saturday,
            "SU" => IsoDayOfWeek.Sunday,
            _ => null,
        };
        string ordinalText = text[..^2];
        int ordinal = 0;
        if (day is null || (ordinalText.Length > 0 &&
            (!int.TryParse(ordinalText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out ordinal) || ordinal == 0 || ordinal < -53 || ordinal > 53)))
        {
            return false;
        }

        weekday = new WeekdayOccurrence(day.Value, ordinal);
        return true;
    }

    public static string Format(WeekdayOccurrence weekday)
    {
        string code = weekday.Day.ToString()[..2].ToUpperInvariant();
        return weekday.Ordinal == 0 ? code : string.Create(CultureInfo.InvariantCulture, $"{weekday.Ordinal}{code}");
    }
}
