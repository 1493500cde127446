using NodaTime;
using NodaTime.TimeZones;
using Utendaji.Core.Calendars;

namespace Utendaji.Core.Tests.Calendars;

/// <summary>
/// Business-time arithmetic against <see cref="NaiveCalendar"/> over random calendars (split shifts, overnight
/// intervals, 24:00 ends, holidays, special hours, breaks) in zones with and without DST, on windows around DST
/// transitions and chunk boundaries. Fixed seeds: a failure names its seed and case.
/// </summary>
public sealed class BusinessCalendarPropertyTests
{
    private static readonly string[] Zones =
    [
        "Europe/Helsinki", "America/New_York", "Asia/Karachi", "Asia/Kolkata", "Africa/Nairobi", "Asia/Manila",
        "Australia/Lord_Howe",
    ];

    public static TheoryData<string> ZoneNames()
    {
        var data = new TheoryData<string>();
        foreach (string zone in Zones)
        {
            data.Add(zone);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ZoneNames))]
    public void Elapsed_RandomCalendars_MatchesMinuteByMinuteReference(string zoneId)
    {
        DateTimeZone zone = DateTimeZoneProviders.Tzdb[zoneId];
        var random = new Random(HashCode(zoneId));
        for (int calendarCase = 0; calendarCase < 40; calendarCase++)
        {
            (Instant windowStart, int minutes) = RandomWindow(random, zone);
            CalendarDefinition definition = RandomCalendars.Definition(random, zone, windowStart, minutes);
            BusinessCalendar calendar = BusinessCalendar.FromDefinition(definition);
            var naive = new NaiveCalendar(definition, windowStart, minutes);
            string context = $"{zoneId} case {calendarCase} window {windowStart} +{minutes}m";

            for (int i = 0; i < 60; i++)
            {
                int a = random.Next(minutes + 1);
                int b = random.Next(minutes + 1);
                long expectedMinutes = a <= b ? naive.OpenMinutes(a, b) : -naive.OpenMinutes(b, a);
                Assert.True(
                    Duration.FromMinutes(expectedMinutes) == calendar.Elapsed(naive.At(a), naive.At(b)),
                    $"{context}: Elapsed({naive.At(a)}, {naive.At(b)}) = {calendar.Elapsed(naive.At(a), naive.At(b))}, reference {expectedMinutes} min");
            }

            for (int i = 0; i < 40; i++)
            {
                int m = random.Next(minutes);
                Assert.True(naive.IsOpen(m) == calendar.IsOpen(naive.At(m)), $"{context}: IsOpen({naive.At(m)})");
                if (naive.NextOpen(m) is { } next)
                {
                    Assert.True(naive.At(next) == calendar.NextOpen(naive.At(m)), $"{context}: NextOpen({naive.At(m)}) = {calendar.NextOpen(naive.At(m))}, reference {naive.At(next)}");
                }
            }

            for (int i = 0; i < 40; i++)
            {
                int from = random.Next(minutes + 1);
                long d = random.Next(1, 3 * 24 * 60);
                if (naive.AddForward(from, d) is { } forward)
                {
                    Assert.True(naive.At(forward) == calendar.Add(naive.At(from), Duration.FromMinutes(d)), $"{context}: Add({naive.At(from)}, {d} min) = {calendar.Add(naive.At(from), Duration.FromMinutes(d))}, reference {naive.At(forward)}");
                }

                if (naive.AddBackward(from, d) is { } backward)
                {
                    Assert.True(naive.At(backward) == calendar.Add(naive.At(from), Duration.FromMinutes(-d)), $"{context}: Add({naive.At(from)}, -{d} min) = {calendar.Add(naive.At(from), Duration.FromMinutes(-d))}, reference {naive.At(backward)}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ZoneNames))]
    public void Add_ThenElapsed_RoundTripsAnyDuration(string zoneId)
    {
        DateTimeZone zone = DateTimeZoneProviders.Tzdb[zoneId];
        var random = new Random(HashCode(zoneId) + 1);
        for (int calendarCase = 0; calendarCase < 30; calendarCase++)
        {
            (Instant windowStart, int minutes) = RandomWindow(random, zone);
            BusinessCalendar calendar = BusinessCalendar.FromDefinition(RandomCalendars.Definition(random, zone, windowStart, minutes));
            for (int i = 0; i < 50; i++)
            {
                // Any instant (to the nanosecond), any duration up to ~2 years either way, across chunk boundaries.
                Instant from = windowStart + Duration.FromNanoseconds(random.NextInt64(0, (long)minutes * 60_000_000_000));
                Duration d = Duration.FromNanoseconds(random.NextInt64(-60_000_000_000_000_000, 60_000_000_000_000_000) / (i % 3 == 0 ? 1 : 1000));
                Instant due = calendar.Add(from, d);
                Assert.True(d == calendar.Elapsed(from, due), $"{zoneId} case {calendarCase}: Elapsed({from}, Add({from}, {d}) = {due}) = {calendar.Elapsed(from, due)}");
                Assert.True(d > Duration.Zero ? due > from : due < from, $"{zoneId}: Add moves in the duration's direction");
                Assert.True(calendar.Elapsed(due, from) == -d);
            }
        }
    }

    private static (Instant Start, int Minutes) RandomWindow(Random random, DateTimeZone zone)
    {
        int minutes = random.Next(2, 7) * 24 * 60;
        Instant center;
        int kind = random.Next(3);
        List<Instant> transitions = [.. zone.GetZoneIntervals(Instant.FromUtc(2025, 1, 1, 0, 0), Instant.FromUtc(2028, 1, 1, 0, 0))
            .Where(z => z.HasStart).Select(z => z.Start).Skip(1)];
        if (kind == 0 && transitions.Count > 0)
        {
            center = transitions[random.Next(transitions.Count)];
        }
        else if (kind == 1)
        {
            // A chunk boundary of the precomputation (multiples of 2^48 ticks), e.g. 2026-03-12T05:52:33Z.
            center = Instant.FromUnixTimeTicks((long)random.Next(62, 66) << 48);
        }
        else
        {
            center = Instant.FromUtc(2025, 1, 1, 0, 0) + Duration.FromMinutes(random.Next(3 * 365 * 24 * 60));
        }

        long startMinute = (center.ToUnixTimeTicks() / TimeSpan.TicksPerMinute) - random.Next(minutes);
        return (Instant.FromUnixTimeTicks(startMinute * TimeSpan.TicksPerMinute), minutes);
    }

    private static int HashCode(string text) => text.Aggregate(17, (h, c) => unchecked((h * 31) + c));
}

/// <summary>Random calendar definitions for property tests and benchmarks.</summary>
internal static class RandomCalendars
{
    public static CalendarDefinition Definition(Random random, DateTimeZone zone, Instant windowStart, int minutes)
    {
        // Wall times around the DST transitions of the window, so that openings, closings and breaks fall into
        // repeated hours and gaps often, not by luck.
        Interesting.Clear();
        foreach (ZoneInterval z in zone.GetZoneIntervals(windowStart - Duration.FromDays(1), windowStart + Duration.FromMinutes(minutes + 1440)))
        {
            if (z.HasStart && z.Start > windowStart - Duration.FromDays(1))
            {
                Interesting.Add(z.Start.Minus(Duration.FromMinutes(1)).InZone(zone).LocalDateTime.PlusMinutes(1));
                Interesting.Add(z.Start.InZone(zone).LocalDateTime);
            }
        }

        var week = new Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>>();
        for (int day = 1; day <= 7; day++)
        {
            if (random.Next(8) > 0)
            {
                week[(IsoDayOfWeek)day] = Hours(random, random.Next(0, 4));
            }
        }

        LocalDate first = windowStart.InZone(zone).Date.PlusDays(-1);
        int days = (minutes / (24 * 60)) + 3;
        LocalDate RandomDate() => first.PlusDays(random.Next(days));

        var holidays = new HashSet<LocalDate>();
        var yearly = new HashSet<AnnualDate>();
        var special = new Dictionary<LocalDate, IReadOnlyList<OpenHours>>();
        var breaks = new Dictionary<LocalDate, IReadOnlyList<OpenHours>>();
        for (int i = random.Next(3); i > 0; i--)
        {
            holidays.Add(RandomDate());
        }

        if (random.Next(3) == 0)
        {
            LocalDate d = RandomDate();
            yearly.Add(new AnnualDate(d.Month, d.Day));
        }

        foreach (LocalDateTime around in Interesting)
        {
            if (random.Next(3) == 0)
            {
                breaks[around.Date] = Hours(random, 1);
            }
            else if (random.Next(3) == 0)
            {
                special[around.Date] = Hours(random, random.Next(1, 3));
            }
        }

        for (int i = random.Next(3); i > 0; i--)
        {
            special[RandomDate()] = Hours(random, random.Next(0, 3));
        }

        for (int i = random.Next(4); i > 0; i--)
        {
            breaks[RandomDate()] = Hours(random, random.Next(1, 3));
        }

        return new CalendarDefinition
        {
            Name = "random",
            Zone = zone,
            Week = week,
            Holidays = holidays,
            YearlyHolidays = yearly,
            SpecialHours = special,
            Breaks = breaks,
        };
    }

    private static OpenHours[] Hours(Random random, int count)
    {
        var result = new OpenHours[count];
        for (int i = 0; i < count; i++)
        {
            // Times cluster around the small hours so that DST transitions (00:00..04:00) cut through them.
            LocalTime open = RandomTime(random);
            int kind = random.Next(10);
            result[i] = kind switch
            {
                0 => new OpenHours(open, LocalTime.Midnight, CloseIsEndOfDay: true),
                1 => new OpenHours(open, RandomTime(random)), // may run overnight
                _ => new OpenHours(open, open.PlusMinutes(random.Next(1, 10) * (random.Next(2) == 0 ? 15 : 37)) is var c && c > open ? c : LocalTime.Midnight, c <= open),
            };
        }

        return result;
    }

    [ThreadStatic]
    private static List<LocalDateTime>? _interesting;

    private static List<LocalDateTime> Interesting => _interesting ??= [];

    private static LocalTime RandomTime(Random random) =>
        Interesting.Count > 0 && random.Next(2) == 0
        ? Interesting[random.Next(Interesting.Count)].TimeOfDay.PlusMinutes(random.Next(-4, 5) * 15)
        : random.Next(3) == 0
        ? new LocalTime(random.Next(0, 5), random.Next(0, 4) * 15)
        : new LocalTime(random.Next(0, 24), random.Next(0, 60));
}
