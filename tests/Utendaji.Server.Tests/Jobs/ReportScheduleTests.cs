using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Server.Jobs;

namespace Utendaji.Server.Tests.Jobs;

public class ReportScheduleTests
{
    private static readonly OutgoingWebhook Hook = new(new Uri("https://hooks.example.test/utendaji"), "0123456789abcdef");

    private static ReportSchedule Weekly(string zone = "Europe/Helsinki", string time = "08:00", IsoDayOfWeek day = IsoDayOfWeek.Monday) =>
        new() { Name = "weekly", Cadence = ReportCadence.Weekly, TimeZone = zone, Weekday = day, Time = time, Webhook = Hook };

    private static ReportSchedule Monthly(string zone = "Europe/Helsinki", int day = 1) =>
        new() { Name = "monthly", Cadence = ReportCadence.Monthly, TimeZone = zone, DayOfMonth = day, Time = "08:00", Webhook = Hook };

    [Fact]
    public void DuePeriod_WeeklyBeforeAndAtSendTime_SwitchesAtLocalEightOClock()
    {
        var schedule = Weekly();
        // Monday 23 November 2026 08:00 in Helsinki is 06:00 UTC.
        var before = schedule.DuePeriod(Instant.FromUtc(2026, 11, 23, 5, 59, 59));
        var at = schedule.DuePeriod(Instant.FromUtc(2026, 11, 23, 6, 0));

        Assert.Equal("2026-W46", before.Label);
        Assert.Equal("2026-W47", at.Label);
        Assert.Equal(Instant.FromUtc(2026, 11, 15, 22, 0), at.Start);
        Assert.Equal(Instant.FromUtc(2026, 11, 22, 22, 0), at.End);
    }

    [Fact]
    public void DuePeriod_ScannedDaysLater_StillTheSamePeriod()
    {
        var schedule = Weekly();
        var due = schedule.DuePeriod(Instant.FromUtc(2026, 11, 23, 6, 0));

        Assert.Equal(due, schedule.DuePeriod(Instant.FromUtc(2026, 11, 26, 12, 0)));
        Assert.Equal(due, schedule.DuePeriod(Instant.FromUtc(2026, 11, 30, 5, 59)));
        Assert.Equal(due.Next, schedule.DuePeriod(Instant.FromUtc(2026, 11, 30, 6, 0)));
    }

    [Fact]
    public void DuePeriod_WeeklyOnFriday_WaitsUntilFridayOfTheNextWeek()
    {
        var schedule = Weekly(zone: "UTC", day: IsoDayOfWeek.Friday);

        Assert.Equal("2026-W46", schedule.DuePeriod(Instant.FromUtc(2026, 11, 26, 23, 0)).Label);
        Assert.Equal("2026-W47", schedule.DuePeriod(Instant.FromUtc(2026, 11, 27, 8, 0)).Label);
    }

    [Fact]
    public void DuePeriod_Monthly_SwitchesOnTheFirstAtEight()
    {
        var schedule = Monthly();
        // 1 December 2026 08:00 in Helsinki is 06:00 UTC.
        Assert.Equal("2026-10", schedule.DuePeriod(Instant.FromUtc(2026, 12, 1, 5, 59)).Label);
        var november = schedule.DuePeriod(Instant.FromUtc(2026, 12, 1, 6, 0));
        Assert.Equal("2026-11", november.Label);
        Assert.Equal(Duration.FromDays(30), november.End - november.Start);
    }

    [Fact]
    public void DuePeriod_MonthlyOnThe28th_CoversFebruaryInALeapYear()
    {
        var schedule = Monthly(zone: "UTC", day: 28);

        // January is sent on 28 February; before that the summary of December is the latest due.
        Assert.Equal("2027-12", schedule.DuePeriod(Instant.FromUtc(2028, 2, 28, 7, 59)).Label);
        Assert.Equal("2028-01", schedule.DuePeriod(Instant.FromUtc(2028, 2, 28, 8, 0)).Label);
        var february = schedule.DuePeriod(Instant.FromUtc(2028, 3, 28, 8, 0));
        Assert.Equal("2028-02", february.Label);
        Assert.Equal(Duration.FromDays(29), february.End - february.Start);
    }

    [Fact]
    public void SendInstant_TimeInDstGap_MovesForwardByTheGap()
    {
        // Sunday 29 March 2026 in Helsinki: 03:00–04:00 does not exist; 03:30 is sent at 04:30 EEST (01:30 UTC).
        var schedule = Weekly(time: "03:30", day: IsoDayOfWeek.Sunday);
        var week = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 3, 16), DateTimeZoneProviders.Tzdb["Europe/Helsinki"]);

        Assert.Equal(Instant.FromUtc(2026, 3, 29, 1, 30), schedule.SendInstant(week));
    }

    [Fact]
    public void SendInstant_SouthernZone_FollowsItsOffset()
    {
        // Monday 6 April 2026 08:00 in Sydney, the day after daylight time ended: AEST +10.
        var schedule = Weekly(zone: "Australia/Sydney");
        var week = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 4, 1), DateTimeZoneProviders.Tzdb["Australia/Sydney"]);

        Assert.Equal(Instant.FromUtc(2026, 4, 5, 22, 0), schedule.SendInstant(week));
        Assert.Equal("2026-W14", schedule.DuePeriod(Instant.FromUtc(2026, 4, 5, 22, 0)).Label);
    }

    [Theory]
    [InlineData("Name", "")]
    [InlineData("Name", "has space")]
    [InlineData("TimeZone", "Mars/Olympus")]
    [InlineData("Time", "8 o'clock")]
    [InlineData("DayOfMonth", "31")]
    public void Validate_BadField_NamesIt(string field, string value)
    {
        var schedule = field switch
        {
            "Name" => Weekly() with { Name = value },
            "TimeZone" => Weekly() with { TimeZone = value },
            "Time" => Weekly() with { Time = value },
            _ => Monthly() with { DayOfMonth = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
        };
        var options = ReportDeliveryOptions.Default with
        {
            Schedules = new Dictionary<string, IReadOnlyList<ReportSchedule>>(StringComparer.Ordinal) { ["acme"] = [schedule] },
        };

        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal($"Schedules:acme[0].{field}", error.ParamName);
    }

    [Fact]
    public void Validate_BothOrNoDestination_IsRejected()
    {
        var email = new ReportEmail { Host = "smtp.example.test", From = "a@example.test", To = ["b@example.test"] };

        Assert.Equal("s.Webhook", Assert.ThrowsAny<ArgumentException>(() => (Weekly() with { Email = email }).Validate("s")).ParamName);
        Assert.Equal("s.Webhook", Assert.ThrowsAny<ArgumentException>(() => (Weekly() with { Webhook = null }).Validate("s")).ParamName);
        (Weekly() with { Webhook = null, Email = email }).Validate("s");
    }

    [Fact]
    public void Validate_BadEmail_NamesTheField()
    {
        var email = new ReportEmail { Host = "smtp.example.test", From = "a@example.test", To = ["b@example.test", "not an address"] };

        var error = Assert.ThrowsAny<ArgumentException>(() => (Weekly() with { Webhook = null, Email = email }).Validate("s"));
        Assert.Equal("s.Email.To[1]", error.ParamName);
    }

    [Fact]
    public void Validate_DuplicateScheduleName_IsRejected()
    {
        var options = ReportDeliveryOptions.Default with
        {
            Schedules = new Dictionary<string, IReadOnlyList<ReportSchedule>>(StringComparer.Ordinal) { ["acme"] = [Weekly(), Weekly()] },
        };

        Assert.Equal("Schedules:acme[1].Name", Assert.ThrowsAny<ArgumentException>(options.Validate).ParamName);
    }

    [Fact]
    public void ReportEmail_ToString_LeavesThePasswordOut()
    {
        var email = new ReportEmail { Host = "smtp.example.test", From = "a@example.test", To = ["b@example.test"], UserName = "u", Password = "hunter2-secret" };

        Assert.DoesNotContain("hunter2", email.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_IsScheduleAndPeriodStart()
    {
        var week = CalendarPeriod.Containing(PeriodGranularity.Week, new LocalDate(2026, 11, 18), DateTimeZone.Utc);

        Assert.Equal("weekly:2026-11-16", ReportDelivery.Key("weekly", week));
    }
}
