using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Calendars;

namespace Utendaji.Cli.Demo;

/// <summary>Wall-clock open hours [Open, Close) on one day; the demo never needs overnight spans.</summary>
internal readonly record struct ShiftSpan(LocalTime Open, LocalTime Close);

/// <summary>
/// One team's business calendar as the demo authors it. The same object writes the JSON document, the shared
/// <see cref="CalendarDefinition"/> and feeds <see cref="TeamClock"/>, so the hours the simulation works in are
/// exactly the hours the documents state.
/// </summary>
internal sealed class DemoCalendar
{
    private static readonly string[] DayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public DemoCalendar(
        string name,
        string zoneId,
        IReadOnlyList<ShiftSpan>[] week,
        IReadOnlyList<AnnualDate> yearlyHolidays,
        IReadOnlyList<LocalDate> datedHolidays,
        SortedDictionary<LocalDate, ShiftSpan[]> specialHours,
        SortedDictionary<LocalDate, ShiftSpan[]> breaks,
        IReadOnlyList<string> teams)
    {
        Name = name;
        ZoneId = zoneId;
        Zone = DateTimeZoneProviders.Tzdb[zoneId];
        Week = week;
        YearlyHolidays = yearlyHolidays;
        DatedHolidays = datedHolidays;
        SpecialHours = specialHours;
        Breaks = breaks;
        Teams = teams;
    }

    public string Name { get; }
    public string ZoneId { get; }
    public DateTimeZone Zone { get; }

    /// <summary>Open hours per ISO weekday, index 0 = Monday.</summary>
    public IReadOnlyList<ShiftSpan>[] Week { get; }
    public IReadOnlyList<AnnualDate> YearlyHolidays { get; }
    public IReadOnlyList<LocalDate> DatedHolidays { get; }
    public SortedDictionary<LocalDate, ShiftSpan[]> SpecialHours { get; }
    public SortedDictionary<LocalDate, ShiftSpan[]> Breaks { get; }
    public IReadOnlyList<string> Teams { get; }

    public bool IsHoliday(LocalDate date)
    {
        foreach (var yearly in YearlyHolidays)
        {
            if (yearly.Month == date.Month && yearly.Day == date.Day)
            {
                return true;
            }
        }

        foreach (var dated in DatedHolidays)
        {
            if (dated == date)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The week's hours of a date, ignoring holidays and special hours.</summary>
    public IReadOnlyList<ShiftSpan> WeekHours(LocalDate date) => Week[(int)date.DayOfWeek - 1];

    /// <summary>Hours of a date before breaks: holidays close, special hours replace the week.</summary>
    public IReadOnlyList<ShiftSpan> HoursOn(LocalDate date) =>
        IsHoliday(date) ? []
        : SpecialHours.TryGetValue(date, out var special) ? special
        : WeekHours(date);

    /// <summary>The calendar in the JSON schema of docs/formats.md, keys in a fixed order, LF line ends.</summary>
    public string ToJson()
    {
        var json = new StringBuilder(2048);
        json.Append("{\n");
        json.Append("  \"name\": ").Append(Quote(Name)).Append(",\n");
        json.Append("  \"time_zone\": ").Append(Quote(ZoneId)).Append(",\n");
        json.Append("  \"week\": {\n");
        for (var day = 0; day < 7; day++)
        {
            json.Append("    ").Append(Quote(DayKeys[day])).Append(": ");
            AppendSpans(json, Week[day]);
            json.Append(day < 6 ? ",\n" : "\n");
        }

        json.Append("  },\n");
        json.Append("  \"holidays\": [");
        var holidays = YearlyHolidays
            .Select(h => string.Create(CultureInfo.InvariantCulture, $"*-{h.Month:00}-{h.Day:00}"))
            .Concat(DatedHolidays.Select(d => LocalDatePattern.Iso.Format(d)))
            .ToList();
        for (var i = 0; i < holidays.Count; i++)
        {
            json.Append(i == 0 ? "\n    " : ",\n    ").Append(Quote(holidays[i]));
        }

        json.Append(holidays.Count == 0 ? "],\n" : "\n  ],\n");
        AppendDated(json, "special_hours", SpecialHours);
        json.Append(",\n");
        AppendDated(json, "breaks", Breaks);
        json.Append(",\n");
        json.Append("  \"teams\": [").Append(string.Join(", ", Teams.Select(Quote))).Append("]\n");
        json.Append("}\n");
        return json.ToString();
    }

    /// <summary>The calendar as the shared contract type the engine builds a <see cref="BusinessCalendar"/> from.</summary>
    public CalendarDefinition ToDefinition()
    {
        var week = new Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>>();
        for (var day = 0; day < 7; day++)
        {
            week[(IsoDayOfWeek)(day + 1)] = ToOpenHours(Week[day]);
        }

        return new CalendarDefinition
        {
            Name = Name,
            Zone = Zone,
            Week = week,
            Holidays = DatedHolidays.ToArray(),
            YearlyHolidays = YearlyHolidays.ToArray(),
            SpecialHours = SpecialHours.ToDictionary(p => p.Key, p => ToOpenHours(p.Value)),
            Breaks = Breaks.ToDictionary(p => p.Key, p => ToOpenHours(p.Value)),
            Teams = Teams.ToArray(),
        };
    }

    private static IReadOnlyList<OpenHours> ToOpenHours(IReadOnlyList<ShiftSpan> spans) =>
        spans.Select(s => new OpenHours(s.Open, s.Close)).ToArray();

    private static void AppendDated(StringBuilder json, string key, SortedDictionary<LocalDate, ShiftSpan[]> byDate)
    {
        json.Append("  ").Append(Quote(key)).Append(": {");
        var first = true;
        foreach (var (date, spans) in byDate)
        {
            json.Append(first ? "\n    " : ",\n    ").Append(Quote(LocalDatePattern.Iso.Format(date))).Append(": ");
            AppendSpans(json, spans);
            first = false;
        }

        json.Append(first ? "}" : "\n  }");
    }

    private static void AppendSpans(StringBuilder json, IReadOnlyList<ShiftSpan> spans)
    {
        json.Append('[');
        for (var i = 0; i < spans.Count; i++)
        {
            json.Append(i == 0 ? "[" : ", [")
                .Append(Quote(TimePattern.Format(spans[i].Open))).Append(", ")
                .Append(Quote(TimePattern.Format(spans[i].Close))).Append(']');
        }

        json.Append(']');
    }

    internal static string Quote(string text) => JsonSerializer.Serialize(text);
}
