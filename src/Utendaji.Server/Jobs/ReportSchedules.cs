using System.Globalization;
using System.Net.Mail;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core;
using Utendaji.Core.Reporting;

namespace Utendaji.Server.Jobs;

/// <summary>How often a summary is sent.</summary>
public enum ReportCadence
{
    /// <summary>Every ISO week (Monday–Sunday), about the week before.</summary>
    Weekly,
    /// <summary>Every calendar month, about the month before.</summary>
    Monthly,
}

/// <summary>Scheduled report deliveries: how often each node scans, and each organisation's schedules. Immutable; change with <c>with</c>.</summary>
public sealed record ReportDeliveryOptions
{
    /// <summary>The defaults: no schedules, so nothing is scanned or sent.</summary>
    public static ReportDeliveryOptions Default { get; } = new();

    /// <summary>How often each node scans (default 5 minutes). Every node may scan: the dedupe key keeps one delivery per period.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one webhook POST or SMTP conversation may take before it counts as failed (default 30 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A change is marked significant when its test's p-value is below this (default 0.05).</summary>
    public double SignificanceLevel { get; init; } = 0.05;

    /// <summary>A value whose n is below this is flagged small (default 30, as in the KPI report).</summary>
    public int MinimumN { get; init; } = 30;

    /// <summary>The schedules of each organisation (by name).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ReportSchedule>> Schedules { get; init; } =
        new Dictionary<string, IReadOnlyList<ReportSchedule>>(StringComparer.Ordinal);

    /// <summary>The schedule named <paramref name="name"/> of <paramref name="organisation"/>, or null.</summary>
    public ReportSchedule? Find(string organisation, string name) =>
        Schedules.TryGetValue(organisation, out var list) ? list.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal)) : null;

    /// <summary>Throws when a value is out of range, naming it (schedules as <c>Schedules:org[i].Field</c>).</summary>
    public void Validate()
    {
        Guard.InRange(ScanInterval > TimeSpan.Zero, "must be positive", nameof(ScanInterval));
        Guard.InRange(Timeout > TimeSpan.Zero, "must be positive", nameof(Timeout));
        Guard.InRange(SignificanceLevel is > 0 and < 1, "must lie strictly between 0 and 1", nameof(SignificanceLevel));
        Guard.InRange(MinimumN >= 0, "must not be negative", nameof(MinimumN));
        Guard.NotNull(Schedules, nameof(Schedules));
        foreach (var (organisation, list) in Schedules)
        {
            Guard.NotBlank(organisation, nameof(Schedules));
            Guard.NotNull(list, $"Schedules:{organisation}");
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < list.Count; i++)
            {
                var where = $"Schedules:{organisation}[{i}]";
                Guard.NotNull(list[i], where);
                list[i].Validate(where);
                if (!names.Add(list[i].Name))
                {
                    throw new ArgumentException($"the schedule name '{list[i].Name}' is used twice", $"{where}.Name");
                }
            }
        }
    }
}

/// <summary>
/// One scheduled summary: the KPIs of the last completed week or month against the one before, sent once its send
/// time (local, in <see cref="TimeZone"/>) has passed, to a webhook or by email (exactly one of the two).
/// </summary>
public sealed record ReportSchedule
{
    /// <summary>Names the schedule within its organisation: 1–64 of A–Z, a–z, 0–9, '-', '_' and '.' (it is part of the dedupe key).</summary>
    public string Name { get; init; } = "";

    /// <summary>Weekly (default) or monthly.</summary>
    public ReportCadence Cadence { get; init; } = ReportCadence.Weekly;

    /// <summary>IANA time zone whose weeks, months and send time count (default <c>UTC</c>).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Weekly: the day of the week to send on (default Monday), about the ISO week that ended before it.</summary>
    public IsoDayOfWeek Weekday { get; init; } = IsoDayOfWeek.Monday;

    /// <summary>Monthly: the day of the month to send on, 1–28 so every month has it (default 1), about the month before.</summary>
    public int DayOfMonth { get; init; } = 1;

    /// <summary>Local send time <c>HH:mm</c> (default <c>08:00</c>). On a day when it does not exist (a DST gap) it moves forward by the length of the gap (03:30 in a 03:00–04:00 gap is sent at 04:30); when it occurs twice, the first counts.</summary>
    public string Time { get; init; } = "08:00";

    /// <summary>Break the summary down by this dimension as well as the total (default none).</summary>
    public GroupDimension? GroupBy { get; init; }

    /// <summary>Where to POST the JSON summary, signed with the secret (<see cref="WebhookSignature"/>).</summary>
    public OutgoingWebhook? Webhook { get; init; }

    /// <summary>The SMTP server and addresses to mail the summary to.</summary>
    public ReportEmail? Email { get; init; }

    // Methods, not properties: configuration binding reads every property, and these throw on invalid text.

    /// <summary>The zone resolved from <see cref="TimeZone"/>; throws when unknown.</summary>
    public DateTimeZone ResolveZone() => DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone)
        ?? throw new ArgumentException($"'{TimeZone}' is not an IANA time zone id", nameof(TimeZone));

    /// <summary>The period granularity of the cadence.</summary>
    public PeriodGranularity ToGranularity() => Cadence == ReportCadence.Weekly ? PeriodGranularity.Week : PeriodGranularity.Month;

    /// <summary>The local send time parsed from <see cref="Time"/>; throws when it is not <c>HH:mm</c>.</summary>
    public LocalTime ParseTime() => LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(Time) is { Success: true } r
        ? r.Value
        : throw new ArgumentException($"'{Time}' is not a time HH:mm", nameof(Time));

    /// <summary>
    /// When the summary of <paramref name="period"/> is due: on the send weekday of the week after it (weekly) or on
    /// <see cref="DayOfMonth"/> of the month after it (monthly), at <see cref="Time"/> in the zone; a time skipped
    /// by a DST gap moves forward by the gap's length, a time that occurs twice counts at its first occurrence.
    /// </summary>
    public Instant SendInstant(CalendarPeriod period)
    {
        Guard.NotNull(period);
        var next = period.Next.StartDate;
        var day = Cadence == ReportCadence.Weekly ? next.PlusDays((int)Weekday - (int)IsoDayOfWeek.Monday) : next.PlusDays(DayOfMonth - 1);
        return period.Zone.AtLeniently(day + ParseTime()).ToInstant();
    }

    /// <summary>
    /// The most recent completed period whose send instant is at or before <paramref name="now"/>: the period to
    /// deliver. Scanning at any later time before the next send instant gives the same period.
    /// </summary>
    public CalendarPeriod DuePeriod(Instant now)
    {
        var zone = ResolveZone();
        // The period before the one containing now has ended; if its send instant has not come, the one before it is due.
        var candidate = CalendarPeriod.Containing(ToGranularity(), now, zone).Previous;
        return SendInstant(candidate) <= now ? candidate : candidate.Previous;
    }

    /// <summary>Throws when a field is invalid, naming it as <paramref name="where"/>.Field.</summary>
    public void Validate(string where = nameof(ReportSchedule))
    {
        if (string.IsNullOrEmpty(Name) || Name.Length > 64 || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"must be 1–64 characters of A–Z, a–z, 0–9, '-', '_' and '.'; got '{Name}'", $"{where}.Name");
        }

        Guard.InRange(Enum.IsDefined(Cadence), "must be Weekly or Monthly", $"{where}.Cadence");
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone ?? "") is null)
        {
            throw new ArgumentException($"'{TimeZone}' is not an IANA time zone id", $"{where}.TimeZone");
        }

        Guard.InRange(Weekday is >= IsoDayOfWeek.Monday and <= IsoDayOfWeek.Sunday, "must be a day Monday–Sunday", $"{where}.Weekday");
        Guard.InRange(DayOfMonth is >= 1 and <= 28, "must be 1–28 (a day every month has)", $"{where}.DayOfMonth");
        if (LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(Time ?? "") is not { Success: true })
        {
            throw new ArgumentException($"'{Time}' is not a time HH:mm", $"{where}.Time");
        }

        Guard.InRange(GroupBy is null || Enum.IsDefined(GroupBy.Value), "must be team, channel, agent, priority or language", $"{where}.GroupBy");
        Guard.InRange((Webhook is null) != (Email is null), "exactly one of Webhook and Email must be given", $"{where}.Webhook");
        Email?.Validate($"{where}.Email");
    }
}

/// <summary>An SMTP server and the addresses of a scheduled summary.</summary>
public sealed record ReportEmail
{
    /// <summary>The SMTP server's host name or address.</summary>
    public string Host { get; init; } = "";

    /// <summary>The SMTP port (default 587, submission).</summary>
    public int Port { get; init; } = 587;

    /// <summary>Whether to upgrade the connection with STARTTLS before sending (default true). Off only for a relay on a trusted network.</summary>
    public bool StartTls { get; init; } = true;

    /// <summary>The sender address.</summary>
    public string From { get; init; } = "";

    /// <summary>The recipients (at least one).</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>The user name to authenticate with; none when null.</summary>
    public string? UserName { get; init; }

    /// <summary>The password. Never logged: <see cref="ToString"/> leaves it out.</summary>
    public string? Password { get; init; }

    /// <summary>Throws when a field is invalid, naming it as <paramref name="where"/>.Field.</summary>
    public void Validate(string where = nameof(ReportEmail))
    {
        Guard.InRange(!string.IsNullOrWhiteSpace(Host), "must name the SMTP server", $"{where}.Host");
        Guard.InRange(Port is >= 1 and <= 65535, "must be 1–65535", $"{where}.Port");
        Address(From, $"{where}.From");
        Guard.InRange(To is { Count: > 0 }, "must name at least one recipient", $"{where}.To");
        for (var i = 0; i < To.Count; i++)
        {
            Address(To[i], string.Create(CultureInfo.InvariantCulture, $"{where}.To[{i}]"));
        }

        Guard.InRange(UserName is null || Password is not null, "a password must be given with a user name", $"{where}.Password");
    }

    /// <inheritdoc />
    public override string ToString() => $"ReportEmail {{ Host = {Host}, Port = {Port}, StartTls = {StartTls}, To = {To.Count} }}";

    private static void Address(string? address, string name)
    {
        if (string.IsNullOrWhiteSpace(address) || !MailAddress.TryCreate(address, out _))
        {
            throw new ArgumentException($"'{address}' is not an email address", name);
        }
    }
}
