using BenchmarkDotNet.Attributes;
using NodaTime;
using Utendaji.Core.Calendars;

namespace Utendaji.Benchmarks.Calendars;

/// <summary>
/// Business-time lookups (Elapsed between random instant pairs) on a realistic calendar: the precomputed
/// <see cref="BusinessCalendar"/> against a naive walk over the local days between the two instants. Pairs are
/// ticket-like: a start anywhere in 2026–2027 and an end up to 14 days later (fixed seed).
/// </summary>
[MemoryDiagnoser]
public class BusinessTimeBenchmarks
{
    private const int Pairs = 4096;
    private readonly (Instant From, Instant To)[] _pairs = new (Instant, Instant)[Pairs];
    private readonly (Instant From, Duration Duration)[] _adds = new (Instant, Duration)[Pairs];
    private CalendarDefinition _definition = null!;
    private BusinessCalendar _calendar = null!;

    [GlobalSetup]
    public void Setup()
    {
        _definition = SupportEu();
        _calendar = BusinessCalendar.FromDefinition(_definition);
        var random = new Random(20261224);
        Instant origin = Instant.FromUtc(2026, 1, 1, 0, 0);
        for (int i = 0; i < Pairs; i++)
        {
            Instant from = origin + Duration.FromSeconds(random.NextInt64(0, 2L * 365 * 86_400));
            _pairs[i] = (from, from + Duration.FromSeconds(random.NextInt64(0, 14L * 86_400)));
            _adds[i] = (from, Duration.FromSeconds(random.NextInt64(-40L * 3600, 40L * 3600)));
        }

        // The baseline must compute the same numbers, or the ratio means nothing; this also warms the chunks.
        foreach ((Instant from, Instant to) in _pairs)
        {
            if (_calendar.Elapsed(from, to) != NaiveElapsed(from, to))
            {
                throw new InvalidOperationException($"naive and precomputed differ for {from} .. {to}");
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public Duration NaiveDayByDayWalk()
    {
        Duration sum = Duration.Zero;
        foreach ((Instant from, Instant to) in _pairs)
        {
            sum += NaiveElapsed(from, to);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Pairs)]
    public Duration PrecomputedElapsed()
    {
        Duration sum = Duration.Zero;
        BusinessCalendar calendar = _calendar;
        foreach ((Instant from, Instant to) in _pairs)
        {
            sum += calendar.Elapsed(from, to);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Pairs)]
    public Instant PrecomputedAdd()
    {
        Instant last = default;
        BusinessCalendar calendar = _calendar;
        foreach ((Instant from, Duration duration) in _adds)
        {
            last = calendar.Add(from, duration);
        }

        return last;
    }

    /// <summary>A fresh calendar's first lookup: builds one chunk (about 326 days of intervals) from the definition.</summary>
    [Benchmark]
    public Duration ColdCalendarFirstLookup() =>
        BusinessCalendar.FromDefinition(_definition).Elapsed(_pairs[0].From, _pairs[0].From + Duration.FromHours(1));

    /// <summary>
    /// What a calendar library without precomputation does: for each local date touching [from, to), resolve that
    /// date's hours (special hours, holidays, the week) to instants and add up their overlap with [from, to), minus
    /// the date's breaks. Correct for calendars whose intervals do not overlap, like the one benchmarked.
    /// </summary>
    private Duration NaiveElapsed(Instant from, Instant to)
    {
        DateTimeZone zone = _definition.Zone;
        Duration total = Duration.Zero;
        for (LocalDate date = from.InZone(zone).Date.PlusDays(-1); date <= to.InZone(zone).Date; date = date.PlusDays(1))
        {
            IReadOnlyList<OpenHours> hours = _definition.SpecialHours.TryGetValue(date, out IReadOnlyList<OpenHours>? special) ? special
                : _definition.Holidays.Contains(date) || _definition.YearlyHolidays.Contains(new AnnualDate(date.Month, date.Day)) ? []
                : _definition.Week.TryGetValue(date.DayOfWeek, out IReadOnlyList<OpenHours>? week) ? week : [];
            _definition.Breaks.TryGetValue(date, out IReadOnlyList<OpenHours>? breaks);
            foreach (OpenHours h in hours)
            {
                (Instant start, Instant end) = Resolve(zone, date, h);
                Duration open = Overlap(start, end, from, to);
                foreach (OpenHours b in breaks ?? [])
                {
                    (Instant bs, Instant be) = Resolve(zone, date, b);
                    open -= Overlap(Max(bs, start), Min(be, end), from, to);
                }

                total += open;
            }
        }

        return total;
    }

    private static (Instant Start, Instant End) Resolve(DateTimeZone zone, LocalDate date, OpenHours h)
    {
        LocalDateTime close = h.CloseIsEndOfDay || h.Close <= h.Open ? date.PlusDays(1) + h.Close : date + h.Close;
        return (
            (date + h.Open).InZone(zone, m => m.Count == 0 ? new ZonedDateTime(m.LateInterval.Start, zone) : m.First()).ToInstant(),
            close.InZone(zone, m => m.Count == 0 ? new ZonedDateTime(m.LateInterval.Start, zone) : m.Last()).ToInstant());
    }

    private static Duration Overlap(Instant start, Instant end, Instant from, Instant to)
    {
        Instant s = Max(start, from);
        Instant e = Min(end, to);
        return e > s ? e - s : Duration.Zero;
    }

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;

    /// <summary>The example calendar of docs/calendars.md, with a week of split shifts and an evening shift.</summary>
    private static CalendarDefinition SupportEu()
    {
        OpenHours H(int oh, int om, int ch, int cm) => new(new LocalTime(oh, om), new LocalTime(ch, cm));
        OpenHours[] weekday = [H(9, 0, 12, 0), H(13, 0, 17, 30)];
        return new CalendarDefinition
        {
            Name = "support-eu",
            Zone = DateTimeZoneProviders.Tzdb["Europe/Helsinki"],
            Week = new Dictionary<IsoDayOfWeek, IReadOnlyList<OpenHours>>
            {
                [IsoDayOfWeek.Monday] = weekday,
                [IsoDayOfWeek.Tuesday] = weekday,
                [IsoDayOfWeek.Wednesday] = weekday,
                [IsoDayOfWeek.Thursday] = weekday,
                [IsoDayOfWeek.Friday] = [H(9, 0, 12, 0), H(13, 0, 16, 0), H(20, 0, 2, 0)],
                [IsoDayOfWeek.Saturday] = [H(10, 0, 14, 0)],
            },
            Holidays = [new LocalDate(2026, 12, 24), new LocalDate(2027, 6, 25), new LocalDate(2026, 6, 19)],
            YearlyHolidays = [new AnnualDate(12, 25), new AnnualDate(12, 26), new AnnualDate(1, 1), new AnnualDate(5, 1), new AnnualDate(12, 6)],
            SpecialHours = new Dictionary<LocalDate, IReadOnlyList<OpenHours>>
            {
                [new LocalDate(2026, 12, 31)] = [H(9, 0, 12, 0)],
                [new LocalDate(2027, 12, 31)] = [H(9, 0, 12, 0)],
            },
            Breaks = new Dictionary<LocalDate, IReadOnlyList<OpenHours>>
            {
                [new LocalDate(2026, 6, 18)] = [H(14, 0, 15, 0)],
                [new LocalDate(2027, 3, 3)] = [H(10, 0, 11, 0)],
            },
        };
    }
}
