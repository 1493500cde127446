using Microsoft.Extensions.Configuration;
using Utendaji.Core.Reporting;
using Utendaji.Server.Jobs;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>Every duration setting has an upper bound, and a report schedule value the binder cannot use stops the start.</summary>
public class ServerSettingsRangeTests
{
    private const string Secret = "0123456789abcdef-sixteen+";

    private static ServerSettings Read(IDictionary<string, string?> values) =>
        ServerSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    /// <summary>A survey-send organisation, so the per-organisation Delay is read (and MaxAge at its bound, a year).</summary>
    private static Dictionary<string, string?> SurveyOrganisation() => new()
    {
        ["Utendaji:SurveyLinks:Secret"] = "survey-link-secret-of-at-least-32-bytes!",
        ["Utendaji:SurveySends:PublicOrigin"] = "https://surveys.example.org",
        ["Utendaji:SurveySends:MaxAge"] = "365.00:00:00",
        ["Utendaji:SurveySends:Organisations:acme:Instrument"] = "csat-5",
        ["Utendaji:SurveySends:Organisations:acme:Url"] = "https://hooks.example.org/surveys",
        ["Utendaji:SurveySends:Organisations:acme:Secret"] = Secret,
    };

    private static TimeSpan Value(ServerSettings settings, string key) => key switch
    {
        "Utendaji:Jobs:PollInterval" => settings.Worker.PollInterval,
        "Utendaji:Jobs:LeaseDuration" => settings.Queue.LeaseDuration.ToTimeSpan(),
        "Utendaji:Jobs:RetryBaseDelay" => settings.Queue.RetryBaseDelay.ToTimeSpan(),
        "Utendaji:Jobs:RetryMaxDelay" => settings.Queue.RetryMaxDelay.ToTimeSpan(),
        "Utendaji:SlaWarnings:LeadTime" => settings.SlaWarnings.LeadTime.ToTimeSpan(),
        "Utendaji:SlaWarnings:ScanInterval" => settings.SlaWarnings.ScanInterval,
        "Utendaji:SlaWarnings:Timeout" => settings.SlaWarnings.Timeout,
        "Utendaji:SurveySends:ScanInterval" => settings.SurveySends.ScanInterval,
        "Utendaji:SurveySends:MaxAge" => settings.SurveySends.MaxAge.ToTimeSpan(),
        "Utendaji:SurveySends:Timeout" => settings.SurveySends.Timeout,
        "Utendaji:SurveySends:Organisations:acme:Delay" => settings.SurveySends.Organisations["acme"].Delay.ToTimeSpan(),
        "Utendaji:Reports:ScanInterval" => settings.Reports.ScanInterval,
        "Utendaji:Reports:Timeout" => settings.Reports.Timeout,
        "Utendaji:Connectors:Tolerance" => settings.Connectors.Tolerance.ToTimeSpan(),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "no reader in this test"),
    };

    private static Dictionary<string, string?> With(string key, string value)
    {
        // RetryMaxDelay at its bound, so RetryBaseDelay may reach its own; the Delay needs a configured organisation.
        var values = key.Contains(":Organisations:", StringComparison.Ordinal) ? SurveyOrganisation() : new Dictionary<string, string?>();
        values["Utendaji:Jobs:RetryMaxDelay"] = "7.00:00:00";
        values[key] = value;
        return values;
    }

    [Theory]
    [InlineData("Utendaji:Jobs:PollInterval", "1.00:00:00", "1.00:00:00.0010000")]
    [InlineData("Utendaji:Jobs:LeaseDuration", "1.00:00:00", "1.00:00:01")]
    [InlineData("Utendaji:Jobs:RetryBaseDelay", "7.00:00:00", "7.00:00:01")]
    [InlineData("Utendaji:Jobs:RetryMaxDelay", "7.00:00:00", "7.00:00:01")]
    [InlineData("Utendaji:SlaWarnings:LeadTime", "365.00:00:00", "365.00:00:01")]
    [InlineData("Utendaji:SlaWarnings:ScanInterval", "1.00:00:00", "1.00:00:01")]
    [InlineData("Utendaji:SlaWarnings:Timeout", "01:00:00", "01:00:01")]
    [InlineData("Utendaji:SurveySends:ScanInterval", "1.00:00:00", "1.00:00:01")]
    [InlineData("Utendaji:SurveySends:MaxAge", "365.00:00:00", "365.00:00:01")]
    [InlineData("Utendaji:SurveySends:Timeout", "01:00:00", "01:00:01")]
    [InlineData("Utendaji:SurveySends:Organisations:acme:Delay", "364.23:59:59", "365.00:00:01")]
    [InlineData("Utendaji:Reports:ScanInterval", "1.00:00:00", "1.00:00:01")]
    [InlineData("Utendaji:Reports:Timeout", "01:00:00", "01:00:01")]
    [InlineData("Utendaji:Connectors:Tolerance", "01:00:00", "01:00:01")]
    public void Settings_DurationAtItsBound_Accepted_JustOver_RefusedNamingKeyAndRange(string key, string atBound, string over)
    {
        var accepted = Read(With(key, atBound));
        var error = Assert.Throws<ServerConfigurationException>(() => Read(With(key, over)));

        Assert.Equal(TimeSpan.Parse(atBound, System.Globalization.CultureInfo.InvariantCulture), Value(accepted, key));
        // The Delay's bound is the year of the look-back; it must also stay shorter than MaxAge, hence 364.23:59:59.
        var bound = key.EndsWith(":Delay", StringComparison.Ordinal) ? "365.00:00:00" : atBound;
        Assert.Equal($"{key}: '{over}' is not a positive time span of at most {bound} such as 00:30:00 (hh:mm:ss) or 1.00:00:00 (d.hh:mm:ss)", error.Message);
    }

    [Theory]
    [InlineData("Utendaji:SurveySends:ScanInterval", "60.00:00:00")]
    [InlineData("Utendaji:SlaWarnings:ScanInterval", "60.00:00:00")]
    [InlineData("Utendaji:Reports:ScanInterval", "60.00:00:00")]
    [InlineData("Utendaji:Jobs:PollInterval", "60.00:00:00")]
    [InlineData("Utendaji:Jobs:LeaseDuration", "10675199.02:48:05")]
    [InlineData("Utendaji:SlaWarnings:LeadTime", "10675199.02:48:05")]
    [InlineData("Utendaji:SurveySends:MaxAge", "10675199.02:48:05")]
    [InlineData("Utendaji:Connectors:Tolerance", "10675199.02:48:05")]
    [InlineData("Utendaji:Jobs:LeaseDuration", "00:00:00")]
    [InlineData("Utendaji:Jobs:LeaseDuration", "-00:05:00")]
    public void Settings_DurationThatFailedAtRunTime_RefusedAtStart(string key, string value)
    {
        var error = Assert.Throws<ServerConfigurationException>(() => Read(With(key, value)));

        Assert.StartsWith($"{key}: '{value}' is not a positive time span of at most ", error.Message, StringComparison.Ordinal);
    }

    private const string Schedule = "Utendaji:Reports:Schedules:acme:0";

    private static Dictionary<string, string?> OneSchedule(string? field = null, string? value = null)
    {
        var values = new Dictionary<string, string?>
        {
            [$"{Schedule}:Name"] = "weekly",
            [$"{Schedule}:Webhook:Url"] = "https://hooks.example.org/reports",
            [$"{Schedule}:Webhook:Secret"] = Secret,
        };
        if (field is not null)
        {
            values[$"{Schedule}:{field}"] = value;
        }

        return values;
    }

    [Fact]
    public void Reports_ValidSchedule_IsScheduled()
    {
        // The control for the refusals below: the same schedule without the bad value is read, not dropped.
        var schedule = Assert.Single(Read(OneSchedule()).Reports.Schedules["acme"]);

        Assert.Equal(("weekly", ReportCadence.Weekly), (schedule.Name, schedule.Cadence));
    }

    [Theory]
    [InlineData("Cadence", "monthly", "Monthly")]
    [InlineData("Weekday", "FRIDAY", "Friday")]
    [InlineData("GroupBy", "team", "Team")]
    public void Reports_NamesInAnyCase_ReadAsTheBinderDoes(string field, string value, string read)
    {
        var schedule = Assert.Single(Read(OneSchedule(field, value)).Reports.Schedules["acme"]);

        Assert.Equal(read, field switch
        {
            "Cadence" => schedule.Cadence.ToString(),
            "Weekday" => schedule.Weekday.ToString(),
            _ => schedule.GroupBy.ToString(),
        });
    }

    [Theory]
    [InlineData("Cadence", "Daily", "'Daily' is not one of Weekly, Monthly")]
    [InlineData("Cadence", "1", "'1' is not one of Weekly, Monthly")]
    [InlineData("Weekday", "Funday", "'Funday' is not one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday")]
    [InlineData("Weekday", "None", "'None' is not one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday")]
    [InlineData("Weekday", "Monday, Tuesday", "'Monday, Tuesday' is not one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday")]
    [InlineData("GroupBy", "Nothing", "'Nothing' is not one of Team, Channel, Agent, Priority, Language")]
    [InlineData("DayOfMonth", "first", "'first' is not a whole number 1–28")]
    [InlineData("Email:Port", "abc", "'abc' is not a whole number 1–65535")]
    [InlineData("Email:StartTls", "perhaps", "'perhaps' is not true or false")]
    public void Reports_ValueTheBinderCannotUse_StopsTheStartNamingTheKey(string field, string value, string reason)
    {
        var error = Assert.Throws<ServerConfigurationException>(() => Read(OneSchedule(field, value)));

        Assert.Equal($"{Schedule}:{field}: {reason}", error.Message);
    }

    [Fact]
    public void Reports_WebhookItsConstructorRefuses_StopsTheStartNamingTheSchedule()
    {
        // Not foreseen by the text checks: the binder's constructor call throws, which used to drop the schedule.
        var error = Assert.Throws<ServerConfigurationException>(() => Read(OneSchedule("Webhook:Secret", "short")));

        Assert.StartsWith($"{Schedule}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_ScheduleGivenAsText_StopsTheStart()
    {
        var error = Assert.Throws<ServerConfigurationException>(() => Read(new Dictionary<string, string?> { [Schedule] = "weekly" }));

        Assert.StartsWith($"{Schedule}: must be a schedule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_OutOfRangeFieldStillNamedAsBefore()
    {
        var error = Assert.Throws<ServerConfigurationException>(() => Read(OneSchedule("DayOfMonth", "29")));

        Assert.Contains("Schedules:acme[0].DayOfMonth", error.Message, StringComparison.Ordinal);
    }
}
