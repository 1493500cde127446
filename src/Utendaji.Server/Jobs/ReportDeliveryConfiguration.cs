using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Utendaji.Core.Reporting;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Reads <c>Utendaji:Reports</c> (docs/jobs.md, "Scheduled reports"). The configuration binder skips a list item it
/// cannot convert without a word, so a schedule with <c>"Cadence": "Daily"</c> would vanish and the node would start
/// with reports off. Here the typed fields of every schedule are checked as text first, and each schedule is bound on
/// its own, so any value the binder cannot use stops the start naming its key.
/// </summary>
internal static class ReportDeliveryConfiguration
{
    private static readonly string[] Cadences = Enum.GetNames<ReportCadence>();
    private static readonly string[] Weekdays = [.. Enum.GetNames<IsoDayOfWeek>().Where(d => d != nameof(IsoDayOfWeek.None))];
    private static readonly string[] Dimensions = Enum.GetNames<GroupDimension>();

    /// <summary>The options of <paramref name="section"/>; throws <see cref="ServerConfigurationException"/> naming the first bad key.</summary>
    public static ReportDeliveryOptions Read(IConfigurationSection section)
    {
        var scan = ConfiguredTime.Read(section, nameof(ReportDeliveryOptions.ScanInterval), ConfiguredTime.MaxInterval);
        var timeout = ConfiguredTime.Read(section, nameof(ReportDeliveryOptions.Timeout), ConfiguredTime.MaxTimeout);
        var schedules = new Dictionary<string, IReadOnlyList<ReportSchedule>>(StringComparer.Ordinal);
        foreach (var organisation in section.GetSection(nameof(ReportDeliveryOptions.Schedules)).GetChildren())
        {
            schedules[organisation.Key] = [.. organisation.GetChildren().Select(Schedule)];
        }

        ReportDeliveryOptions options;
        try
        {
            options = section.Get<ReportDeliveryOptions>() ?? ReportDeliveryOptions.Default;
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type, never the value.
            throw new ServerConfigurationException($"{section.Path}: {e.Message}");
        }

        options = options with
        {
            ScanInterval = scan ?? ReportDeliveryOptions.Default.ScanInterval,
            Timeout = timeout ?? ReportDeliveryOptions.Default.Timeout,
            Schedules = schedules,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ServerConfigurationException($"{section.Path}: {e.Message}");
        }

        return options;
    }

    private static ReportSchedule Schedule(IConfigurationSection item)
    {
        if (item.Value is not null)
        {
            throw Bad(item, "must be a schedule (an object with Name, Cadence, …) in the organisation's list");
        }

        Name(item, nameof(ReportSchedule.Cadence), Cadences);
        Name(item, nameof(ReportSchedule.Weekday), Weekdays);
        Name(item, nameof(ReportSchedule.GroupBy), Dimensions);
        Whole(item, nameof(ReportSchedule.DayOfMonth), "1–28");
        var email = item.GetSection(nameof(ReportSchedule.Email));
        Whole(email, nameof(ReportEmail.Port), "1–65535");
        if (email[nameof(ReportEmail.StartTls)] is { } startTls && !bool.TryParse(startTls, out _))
        {
            throw Bad(email.GetSection(nameof(ReportEmail.StartTls)), $"'{startTls}' is not true or false");
        }

        try
        {
            return item.Get<ReportSchedule>() ?? new ReportSchedule();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or TargetInvocationException)
        {
            // Whatever the checks above do not foresee (e.g. a webhook the constructor refuses) still names the schedule.
            var reason = e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message;
            throw Bad(item, reason);
        }
    }

    /// <summary>An enum field: one of <paramref name="names"/> (any case, as the binder reads them); numbers are not names.</summary>
    private static void Name(IConfigurationSection item, string key, string[] names)
    {
        if (item[key] is { } value && !names.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            throw Bad(item.GetSection(key), $"'{value}' is not one of {string.Join(", ", names)}");
        }
    }

    private static void Whole(IConfigurationSection section, string key, string range)
    {
        if (section[key] is { } value && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw Bad(section.GetSection(key), $"'{value}' is not a whole number {range}");
        }
    }

    private static ServerConfigurationException Bad(IConfigurationSection section, string reason) => new($"{section.Path}: {reason}");
}
