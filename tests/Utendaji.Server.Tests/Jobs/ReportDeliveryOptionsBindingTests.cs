using System.Text;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Server.Jobs;

namespace Utendaji.Server.Tests.Jobs;

public class ReportDeliveryOptionsBindingTests
{
    /// <summary>The fragment shown in docs/jobs.md, "Scheduled reports"; kept identical so the docs cannot rot.</summary>
    private static string DocsFragment()
    {
        var docs = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "jobs.md"));
        var section = docs[docs.IndexOf("## Scheduled reports", StringComparison.Ordinal)..];
        var start = section.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Utendaji.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Utendaji.sln not found above the test binaries");
    }

    [Fact]
    public void Bind_DocsExample_GivesValidOptions()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(DocsFragment()))).Build();

        var options = configuration.GetSection("Utendaji:Reports").Get<ReportDeliveryOptions>()!;
        options.Validate();

        Assert.Equal(TimeSpan.FromMinutes(5), options.ScanInterval);
        var schedules = options.Schedules["acme"];
        Assert.Equal(2, schedules.Count);
        var weekly = schedules[0];
        Assert.Equal(("weekly-by-team", ReportCadence.Weekly, "Europe/Helsinki", IsoDayOfWeek.Monday, "08:00", GroupDimension.Team),
            (weekly.Name, weekly.Cadence, weekly.TimeZone, weekly.Weekday, weekly.Time, weekly.GroupBy));
        Assert.Equal(new Uri("https://hooks.acme.example/utendaji"), weekly.Webhook!.Url);
        Assert.Null(weekly.Email);
        var monthly = schedules[1];
        Assert.Equal((ReportCadence.Monthly, 1, "07:30"), (monthly.Cadence, monthly.DayOfMonth, monthly.Time));
        Assert.Equal(("smtp.acme.example", 587, true), (monthly.Email!.Host, monthly.Email.Port, monthly.Email.StartTls));
        Assert.Equal(["support-leads@acme.example"], monthly.Email.To);
        Assert.Equal("utendaji", monthly.Email.UserName);
        Assert.Null(monthly.Webhook);
    }
}
