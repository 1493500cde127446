using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Tickets;
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

    /// <summary>The exclusive end date of the period shown, when given instead of (or with) <see cref="From"/>.</summary>
    public LocalDate? To { get; init; }

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
    public CalendarPeriod Current(Instant now) => (From, To) switch
    {
        ({ } from, _) => CalendarPeriod.Containing(Period, from, DateTimeZone.Utc),
        (null, { } to) => CalendarPeriod.Containing(Period, to.PlusDays(-1), DateTimeZone.Utc),
        _ => CalendarPeriod.Containing(Period, now, DateTimeZone.Utc).Previous,
    };

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
            filters = !parsed.Success ? Error(filters, errors, "from", $"'{from}' is not a date (YYYY-MM-DD)")
                : !Supported(parsed.Value) ? Error(filters, errors, "from", $"'{from}' is outside the supported range, 1900-01-01 to 2199-12-31")
                : filters with { From = parsed.Value };
        }

        if (Text(query, "to") is { } to)
        {
            var parsed = LocalDatePattern.Iso.Parse(to);
            filters = !parsed.Success ? Error(filters, errors, "to", $"'{to}' is not a date (YYYY-MM-DD)")
                : !Supported(parsed.Value) ? Error(filters, errors, "to", $"'{to}' is outside the supported range, 1900-01-01 to 2199-12-31")
                : filters with { To = parsed.Value };
        }

        // Periods are whole weeks or months (the comparison needs the one before): from and to must bound one.
        if (filters.To is { } end)
        {
            var bounded = filters.Current(default);
            if (bounded.EndDate != end || (filters.From is { } start && bounded.StartDate != start))
            {
                var unit = filters.Period == PeriodGranularity.Week ? "ISO week (Monday to Monday)" : "calendar month";
                var dates = LocalDatePattern.Iso.Format(bounded.StartDate) + " to " + LocalDatePattern.Iso.Format(bounded.EndDate);
                filters = Error(filters with { To = null }, errors, "to", $"from and to do not bound one {unit}; the one starting at from is {dates}");
            }
        }

        if (Text(query, "by") is { } by)
        {
            filters = Enum.TryParse<GroupDimension>(by, ignoreCase: true, out var dimension) && !int.TryParse(by, out _)
                ? filters with { By = dimension }
                : Error(filters, errors, "by", $"'{by}' is not one of team, channel, agent, priority, language");
        }

        return filters;
    }

    /// <summary>Within the instants the store accepts (a week starting 9999-12-30 overflowed the calendar arithmetic).</summary>
    private static bool Supported(LocalDate date) => SupportedInstants.Contains(date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant());

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
