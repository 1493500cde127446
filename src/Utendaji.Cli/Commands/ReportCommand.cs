using System.CommandLine;
using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Reports;
using Utendaji.Reports.Surveys;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji report</c>: KPIs per group and period, every rate with n and a 95% Wilson interval.</summary>
internal static class ReportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var by = new Option<string?>("--by") { Description = "Group by any of: team, channel, agent, priority, language (comma-separated)" };
        var period = new Option<string>("--period") { Description = "Period: none, day, week (ISO, Monday) or month", DefaultValueFactory = _ => "none" };
        period.AcceptOnlyFromAmong("none", "day", "week", "month");
        var zone = new Option<string>("--time-zone") { Description = "IANA zone in which days, weeks and months begin (default UTC)", DefaultValueFactory = _ => "UTC" };
        var minN = new Option<int>("--min-n") { Description = "Groups with fewer tickets are flagged (never hidden)", DefaultValueFactory = _ => KpiReportOptions.Default.MinimumN };
        var from = CommonOptions.Instant("--from", "Report from this instant (ISO-8601 with offset, or a date: UTC midnight)");
        var to = CommonOptions.Instant("--to", "Report until this instant, exclusive (same forms)");
        var format = CommonOptions.Format("table", "json", "csv", "html");
        var output = CommonOptions.Out();
        var withSurveys = new Option<bool>("--with-surveys") { Description = "Add CSAT % and NPS from survey responses of the same group and period (not with --by priority)" };
        // --from/--to bound the report's periods here, so the filter's own created-range options are left out.
        var filter = new FactsFilter(withCreatedRange: false);
        var command = new Command("report", "KPI report per group and period") { by, period, zone, minN, from, to, format, output, withSurveys };
        filter.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var timeZone = ZoneOf(parseResult.GetValue(zone)!);
            var options = KpiReportOptions.Default with
            {
                GroupBy = Dimensions(parseResult.GetValue(by)),
                Period = Enum.Parse<PeriodGranularity>(parseResult.GetValue(period)!, ignoreCase: true),
                TimeZone = timeZone,
                MinimumN = parseResult.GetValue(minN) is var n && n >= 0 ? n : throw new CliException("--min-n must not be negative", ExitCodes.Usage),
                From = parseResult.GetValue(from),
                To = parseResult.GetValue(to),
            };
            if (options.From is { } f && options.To is { } t && t <= f)
            {
                throw new CliException("--to must be after --from", ExitCodes.Usage);
            }

            OutputTarget.Check(parseResult.GetValue(output), environment, StoreSession.Target(parseResult, environment));
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var report = await KpiReports.BuildAsync(store, filter.Read(parseResult), options, cancellationToken);
            var survey = parseResult.GetValue(withSurveys) ? await SurveyColumnsAsync(store, report, options, cancellationToken) : null;
            await using var target = await OutputTarget.OpenAsync(parseResult.GetValue(output), environment, StoreSession.Target(parseResult, environment));
            var reportFormat = Enum.Parse<ReportFormat>(parseResult.GetValue(format)!, ignoreCase: true);
            KpiReportRenderer.Write(report, reportFormat, target.Stream, survey: survey);
            await target.CompleteAsync();
            if (target.Path is not null)
            {
                await environment.Error.WriteLineAsync($"report written to {target.Path}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Survey CSAT and NPS for the same groups and periods as <paramref name="kpi"/>.</summary>
    private static async Task<SurveyColumns> SurveyColumnsAsync(Storage.IUtendajiStore store, KpiReport kpi, KpiReportOptions options, CancellationToken cancellationToken)
    {
        if (options.GroupBy.Contains(GroupDimension.Priority))
        {
            throw new CliException("--with-surveys: survey responses carry no priority; group by team, channel, agent or language", ExitCodes.Usage);
        }

        var surveyOptions = SurveyReportOptions.Default with
        {
            GroupBy = options.GroupBy.Select(d => Enum.Parse<SurveyGroupDimension>(d.ToString())).ToList(),
            Period = options.Period,
            TimeZone = options.TimeZone,
            From = kpi.Range.Start,
            To = kpi.Range.End,
            MinimumN = options.MinimumN,
        };
        var catalog = await SurveyCatalog.LoadAsync(store, cancellationToken);
        var responses = store.ReadSurveyResponsesAsync(Storage.SurveyResponseQuery.All, cancellationToken).ToBlockingEnumerable(cancellationToken);
        var survey = SurveyReportBuilder.Build(responses, catalog.Values.ToList(), surveyOptions, null, cancellationToken);
        return SurveyColumns.For(kpi, survey);
    }

    internal static DateTimeZone ZoneOf(string id) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
        ?? throw new CliException($"--time-zone: '{id}' is not an IANA time zone (e.g. Africa/Nairobi)", ExitCodes.Usage);

    internal static IReadOnlyList<GroupDimension> Dimensions(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var dimensions = new List<GroupDimension>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<GroupDimension>(part, ignoreCase: true, out var dimension) || int.TryParse(part, out _))
            {
                throw new CliException($"--by: '{part}' is not one of team, channel, agent, priority, language", ExitCodes.Usage);
            }

            if (dimensions.Contains(dimension))
            {
                throw new CliException($"--by: '{part}' is given twice", ExitCodes.Usage);
            }

            dimensions.Add(dimension);
        }

        return dimensions;
    }
}
