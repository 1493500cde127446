using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Utendaji.Core.Calendars;
using Utendaji.Core.Tickets;

namespace Utendaji.Cli.Tests.Demo;

/// <summary>Canonical text of events and a naive open-hours reference, independent of the generator's clock.</summary>
internal static class DemoTestSupport
{
    /// <summary>SHA-256 over one invariant line per event, every field included.</summary>
    public static string Hash(IEnumerable<TicketEvent> events)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder(256);
        foreach (var e in events)
        {
            line.Clear();
            line.Append(e.Id).Append('|').Append(e.TicketId).Append('|')
                .Append(e.At.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture)).Append('|')
                .Append(e.Type.ToString()).Append('|').Append(e.ActorKind.ToString()).Append('|')
                .Append(e.ActorId).Append('|').Append(e.Public ? '1' : '0').Append('|')
                .Append(e.Channel).Append('|').Append(e.Team).Append('|').Append(e.Priority).Append('|')
                .Append(e.Status?.ToString()).Append('|');
            foreach (var (key, value) in e.Attributes ?? new Dictionary<string, string>())
            {
                line.Append(key).Append('=').Append(value).Append(';');
            }

            line.Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Whether a calendar is open at an instant, by reading its definition day by day.</summary>
    public static bool IsOpenNaive(CalendarDefinition calendar, Instant at)
    {
        var local = at.InZone(calendar.Zone).LocalDateTime;
        var date = local.Date;
        var time = local.TimeOfDay;
        if (calendar.Holidays.Contains(date) || calendar.YearlyHolidays.Any(h => h.Month == date.Month && h.Day == date.Day))
        {
            return false;
        }

        var hours = calendar.SpecialHours.TryGetValue(date, out var special) ? special
            : calendar.Week.TryGetValue(date.DayOfWeek, out var week) ? week
            : [];
        var open = hours.Any(h => time >= h.Open && time < h.Close);
        var inBreak = calendar.Breaks.TryGetValue(date, out var breaks) && breaks.Any(b => time >= b.Open && time < b.Close);
        return open && !inBreak;
    }
}
