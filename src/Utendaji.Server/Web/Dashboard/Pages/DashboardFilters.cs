using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Storage;

namespace Utendaji.Server.Web.Dashboard.Pages;

/// <summary>A query parameter the page could not use, and why (shown to the person, naming the parameter).</summary>
internal sealed record FilterError(string Field, string Reason);

/// <summary>
/// The filters of the overview and the ticket list, from the query string of a GET form (so everything works with
/// JavaScript off and every view is a link). Periods are ISO weeks or calendar months in UTC.
/// </summary>
internal sealed record DashboardFilters
{
    /// <summary>The ticket attributes a page can be filtered by, as query parameter names.</summary>
    public static readonly string[] Attributes = ["team", "channel", "agent", "priority", "language"];

    public string? Team { get; init; }

    public string? Channel { get; init; }

    public string? Agent { get; init; }

    public string? Priority { get; init; }

    public string? Language { get; init; }

    /// <summary>Week or month (default month).</summary>
    public PeriodGranularity Period { get; init; } = PeriodGranularity.Month;

    /// <summary>A date inside the period shown; null: the last complete period.</summary>
    public LocalDate? From { get; init; }

    /// <summary>The dimension SLA attainment is broken down by (default team).</summary>
    public GroupDimension By { get; init; } = GroupDimension.Team;

    /// <summary>The value of a ticket attribute filter by its parameter name.</summary>
    public string? Attribute(string name) => name switch
    {
        "team" => Team,
        "channel" => Channel,
        "agent" => Agent,
        "priority" => Priority,
        "language" => Language,
        _ => null,
    };

    /// <summary>The store query of the attribute filters (no time range: solves and backlogs need older tickets).</summary>
    public FactsQuery Facts() => new() { Team = Team, Channel = Channel, Agent = Agent, Priority = Priority, Language = Language };

    /// <summary>The period shown: the one containing <see cref="From"/>, else the last complete one before <paramref name="now"/>.</summary>
    public CalendarPeriod Current(Instant now) => From is { } date
        ? CalendarPeriod.Containing(Period, date, DateTimeZone.Utc)
        : CalendarPeriod.Containing(Period, now, DateTimeZone.Utc).Previous;

    /// <summary>Reads the filters; unusable parameters are reported and left at their defaults.</summary>
    public static DashboardFilters Parse(IQueryCollection query, List<FilterError> errors)
    {
        var filters = new DashboardFilters
        {
            Team = Text(query, "team"),
            Channel = Text(query, "channel"),
            Agent = Text(query, "agent"),
            Priority = Text(query, "priority"),
            Language = Text(query, "language"),
        };
        if (Text(query, "period") is { } period)
        {
            filters = period switch
            {
                "week" => filters with { Period = PeriodGranularity.Week },
                "month" => filters with { Period = PeriodGranularity.Month },
                _ => Error(filters, errors, "period", $"'{period}' is not week or month"),
            };
        }

        if (Text(query, "from") is { } from)
        {
            var parsed = LocalDatePattern.Iso.Parse(from);
            filters = parsed.Success ? filters with { From = parsed.Value } : Error(filters, errors, "from", $"'{from}' is not a date (YYYY-MM-DD)");
        }

        if (Text(query, "by") is { } by)
        {
            filters = Enum.TryParse<GroupDimension>(by, ignoreCase: true, out var dimension) && !int.TryParse(by, out _)
                ? filters with { By = dimension }
                : Error(filters, errors, "by", $"'{by}' is not one of team, channel, agent, priority, language");
        }

        return filters;
    }

    private static DashboardFilters Error(DashboardFilters filters, List<FilterError> errors, string field, string reason)
    {
        errors.Add(new FilterError(field, reason));
        return filters;
    }

    /// <summary>A non-empty trimmed parameter, else null.</summary>
    public static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.ToString().Trim() is { Length: > 0 } text ? text : null;

    /// <summary>The attribute filters as query parameters (for links that keep them).</summary>
    public IEnumerable<(string Name, string? Value)> AttributeParameters() => Attributes.Select(a => (a, Attribute(a)));

    /// <summary>The name of a dimension as a query parameter.</summary>
    public static string ParameterOf(GroupDimension dimension) => dimension.ToString().ToLowerInvariant();

    /// <summary>A path with the non-empty parameters as its query string.</summary>
    public static string Link(string path, IEnumerable<(string Name, string? Value)> parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return path + query;
    }

    /// <summary>An instant as a query value (extended ISO, UTC).</summary>
    public static string Stamp(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    /// <summary>A number as a query value.</summary>
    public static string Stamp(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
