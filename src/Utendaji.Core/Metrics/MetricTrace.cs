using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Calendars;

namespace Utendaji.Core.Metrics;

/// <summary>
/// A clock to measure in: the open hours of a business calendar, or every hour (24×7) when
/// <see cref="Calendar"/> is null. 24×7 is computed directly (b − a) so it needs no calendar at all.
/// </summary>
internal sealed class TimeMeasure
{
    private TimeMeasure(string name, BusinessCalendar? calendar, DateTimeZone zone)
    {
        Name = name;
        Calendar = calendar;
        Zone = zone;
    }

    public string Name { get; }

    public BusinessCalendar? Calendar { get; }

    public DateTimeZone Zone { get; }

    public static TimeMeasure AllHours(string name) => new(name, null, DateTimeZone.Utc);

    public static TimeMeasure Of(BusinessCalendar calendar) => new(calendar.Name, calendar, calendar.Zone);

    public Duration Elapsed(Instant from, Instant to) => Calendar?.Elapsed(from, to) ?? to - from;

    /// <summary>
    /// Where <paramref name="duration"/> of this clock has passed. A calendar that never opens never uses a budget
    /// up: its due instants are the end of the supported range rather than an exception in the middle of a report.
    /// </summary>
    public Instant Add(Instant from, Duration duration) =>
        Calendar is null ? from + duration
        : Calendar.HasOpenHours || duration == Duration.Zero ? Calendar.Add(from, duration)
        : BusinessCalendar.MaxSupported;
}

/// <summary>
/// Where the engine writes how it reached each figure. <see cref="Off"/> discards everything, so Compute and
/// Explain run the very same code and differ only in the sink (callers test <see cref="Enabled"/> before
/// formatting text, so Compute pays nothing for explanations).
/// </summary>
internal sealed class MetricTrace
{
    private static readonly OffsetDateTimePattern OffsetPattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<Z+HH:mm>");

    private readonly List<ExplanationStep> _steps = [];
    private DateTimeZone _zone;

    private MetricTrace(bool enabled, DateTimeZone zone)
    {
        Enabled = enabled;
        _zone = zone;
    }

    public static MetricTrace Off { get; } = new(false, DateTimeZone.Utc);

    public bool Enabled { get; }

    /// <summary>Zone instants are shown in (the ticket calendar's, so "09:00" reads as the team's 09:00).</summary>
    /// <remarks>Ignored on <see cref="Off"/>, which is shared between threads and must never change.</remarks>
    public DateTimeZone Zone
    {
        get => _zone;
        set
        {
            if (Enabled)
            {
                _zone = value;
            }
        }
    }

    public IReadOnlyList<ExplanationStep> Steps => _steps;

    public static MetricTrace On() => new(true, DateTimeZone.Utc);

    public void Add(string metric, string text, params ExplanationValue[] values)
    {
        if (Enabled)
        {
            _steps.Add(new ExplanationStep(metric, text, values));
        }
    }

    /// <summary>Puts a step at <paramref name="index"/>, e.g. a summary known only at the end but read first.</summary>
    public void Insert(int index, string metric, string text, params ExplanationValue[] values)
    {
        if (Enabled)
        {
            _steps.Insert(index, new ExplanationStep(metric, text, values));
        }
    }

    public string Format(Instant instant) => OffsetPattern.Format(instant.InZone(Zone).ToOffsetDateTime());

    public string Format(Interval interval) => Format(interval.Start) + "/" + Format(interval.End);

    public static string Format(Duration duration) =>
        DurationPattern.Roundtrip.Format(duration);

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    public ExplanationValue Value(string name, Instant instant) => new(name, Format(instant));

    public static ExplanationValue Value(string name, Duration duration) => new(name, Format(duration));

    public static ExplanationValue Value(string name, string value) => new(name, value);
}
