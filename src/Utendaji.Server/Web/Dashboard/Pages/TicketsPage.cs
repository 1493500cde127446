using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Reports;
using Utendaji.Storage;

namespace Utendaji.Server.Web.Dashboard.Pages;

/// <summary>
/// Which tickets the list shows: the attribute filters, a creation range, and what a drill-down adds — a range of
/// business first reply time (a histogram bin) or a decided SLA target (an attainment bar or point).
/// </summary>
internal sealed record TicketSelection(DashboardFilters Filters, Instant? From, Instant? To, double? FirstReplyMin, double? FirstReplyMax, SlaMetric? Sla, int Page)
{
    /// <summary>Tickets per page.</summary>
    public const int PageSize = 50;

    public static TicketSelection Parse(IQueryCollection query, List<FilterError> errors)
    {
        var filters = DashboardFilters.Parse(query, errors) with { From = null, To = null, Period = Core.Reporting.PeriodGranularity.Month };
        // The ticket list's from and to are instants (or dates), not the overview's period dates: drop that reading.
        errors.RemoveAll(e => e.Field is "from" or "to");
        var from = Instant(query, "from", errors);
        var to = Instant(query, "to", errors);
        if (from is { } f && to is { } t && f >= t)
        {
            errors.Add(new FilterError("to", "lies before from"));
        }

        var min = Number(query, "frt_min", errors);
        var max = Number(query, "frt_max", errors);
        SlaMetric? sla = null;
        switch (DashboardFilters.Text(query, "sla"))
        {
            case null: break;
            case "first_reply": sla = SlaMetric.FirstReply; break;
            case "next_reply": sla = SlaMetric.NextReply; break;
            case "resolution": sla = SlaMetric.Resolution; break;
            case var other: errors.Add(new FilterError("sla", $"'{other}' is not one of first_reply, next_reply, resolution")); break;
        }

        var page = 1;
        if (DashboardFilters.Text(query, "page") is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            errors.Add(new FilterError("page", $"'{p}' is not a page number (1, 2, …)"));
            page = 1;
        }

        return new TicketSelection(filters, from, to, min, max, sla, page);
    }

    private static Instant? Instant(IQueryCollection query, string name, List<FilterError> errors)
    {
        if (DashboardFilters.Text(query, name) is not { } text)
        {
            return null;
        }

        if (SupportedInstants.TryParseBound(text, out var instant, out var error))
        {
            return instant;
        }

        errors.Add(new FilterError(name, error!));
        return null;
    }

    private static double? Number(IQueryCollection query, string name, List<FilterError> errors)
    {
        if (DashboardFilters.Text(query, name) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0)
        {
            return value;
        }

        errors.Add(new FilterError(name, $"'{text}' is not a number of seconds (0 or more)"));
        return null;
    }

    /// <summary>The store query: attributes and creation range.</summary>
    public FactsQuery Query() => Filters.Facts() with { CreatedFrom = From, CreatedTo = To };

    /// <summary>
    /// Whether a ticket from <see cref="Query"/> belongs: the drill-down conditions are the report's own placement
    /// rules (histogram: Lower ≤ business first reply &lt; Upper; SLA: a met or breached target of the metric).
    /// </summary>
    public bool Matches(TicketFacts ticket)
    {
        if (FirstReplyMin is not null || FirstReplyMax is not null)
        {
            if (ticket.FirstReply is not { } reply)
            {
                return false;
            }

            var seconds = reply.Business.TotalSeconds;
            if ((FirstReplyMin is { } lo && seconds < lo) || (FirstReplyMax is { } hi && seconds >= hi))
            {
                return false;
            }
        }

        return Sla is not { } metric || ticket.Sla.Any(o => o.Metric == metric && o.State != SlaState.Running);
    }

    /// <summary>The query parameters of this selection (page aside).</summary>
    public IEnumerable<(string, string?)> Parameters() =>
        Filters.AttributeParameters().Concat(
        [
            ("from", From is { } f ? DashboardFilters.Stamp(f) : null),
            ("to", To is { } t ? DashboardFilters.Stamp(t) : null),
            ("frt_min", FirstReplyMin is { } lo ? DashboardFilters.Stamp(lo) : null),
            ("frt_max", FirstReplyMax is { } hi ? DashboardFilters.Stamp(hi) : null),
            ("sla", Sla switch { SlaMetric.FirstReply => "first_reply", SlaMetric.NextReply => "next_reply", SlaMetric.Resolution => "resolution", _ => null }),
        ]);

    /// <summary>Every matching ticket, by creation instant (the store's order).</summary>
    public async Task<List<TicketFacts>> ReadAsync(IUtendajiStore store, CancellationToken ct)
    {
        var tickets = new List<TicketFacts>();
        await foreach (var ticket in store.ReadFactsAsync(Query(), ct))
        {
            if (Matches(ticket))
            {
                tickets.Add(ticket);
            }
        }

        return tickets;
    }
}

/// <summary>The ticket list and one ticket's page.</summary>
internal static class TicketsPage
{
    private static string T(string language, string key) => DashboardTexts.Get(language, key);

    /// <summary>A ticket's page address.</summary>
    public static string TicketLink(string ticketId) => DashboardRoutes.Prefix + "/tickets/" + Uri.EscapeDataString(ticketId);

    /// <summary>When something happened, in the person's culture (UTC, as every period on the dashboard).</summary>
    public static string When(Instant? at, CultureInfo culture) =>
        at is { } value ? value.ToDateTimeUtc().ToString("g", culture) + " UTC" : "–";

    private static string Status(SlaMetric metric, TicketFacts ticket) =>
        ticket.Sla.FirstOrDefault(o => o.Metric == metric)?.State.ToString() ?? "";

    /// <summary>The list as a table (one page of it, or every matching ticket for the CSV).</summary>
    public static PageTable Table(IReadOnlyList<TicketFacts> tickets, string language, CultureInfo culture) => new(
        "tickets",
        T(language, "tickets.title"),
        [
            T(language, "col.ticket"), T(language, "col.created"), T(language, "col.status"), T(language, "dim.team"), T(language, "dim.channel"),
            T(language, "dim.agent"), T(language, "dim.priority"), T(language, "dim.language"), T(language, "col.frtHours"), T(language, "col.resolutionHours"),
            FigureName(language, Core.Reporting.KpiChangeFigure.SlaFirstReply),
        ],
        tickets.Select(t => (IReadOnlyList<TableCell>)
        [
            TableCell.Of(t.TicketId, TicketLink(t.TicketId)),
            TableCell.Of(When(t.CreatedAt, culture)),
            TableCell.Of(t.Status.ToString()),
            TableCell.Of(t.Team),
            TableCell.Of(t.Channel),
            TableCell.Of(t.Agent),
            TableCell.Of(t.Priority),
            TableCell.Of(t.Language),
            TableCell.Hours(t.FirstReply?.Business.TotalSeconds),
            TableCell.Hours(t.FullResolution?.Business.TotalSeconds),
            TableCell.Of(Status(SlaMetric.FirstReply, t)),
        ]).ToList());

    private static string FigureName(string language, Core.Reporting.KpiChangeFigure figure) => OverviewPage.FigureName(language, figure);

    /// <summary>The list page's body.</summary>
    public static string ListHtml(DashboardUser user, TicketSelection selection, IReadOnlyList<TicketFacts> all, IReadOnlyList<FilterError> errors)
    {
        var language = user.Language;
        var html = new StringBuilder();
        html.Append("<h1>").Append(HtmlPage.E(T(language, "tickets.title"))).Append("</h1>\n");
        html.Append(OverviewPage.Errors(language, errors));
        html.Append("<form method=\"get\" action=\"").Append(DashboardRoutes.Prefix).Append("/tickets\" class=\"filters\">");
        html.Append(OverviewPage.AttributeInputs(language, selection.Filters));
        foreach (var (name, value) in selection.Parameters().Where(p => p.Item1 is "from" or "to" or "frt_min" or "frt_max" or "sla"))
        {
            html.Append("<label>").Append(HtmlPage.E(T(language, "filter." + name))).Append(" <input type=\"text\" name=\"").Append(name).Append("\" value=\"").Append(HtmlPage.E(value)).Append("\"></label> ");
        }

        html.Append("<button type=\"submit\">").Append(HtmlPage.E(T(language, "filter.apply"))).Append("</button></form>\n");
        var pages = Math.Max(1, (all.Count + TicketSelection.PageSize - 1) / TicketSelection.PageSize);
        var page = Math.Min(selection.Page, pages);
        var shown = all.Skip((page - 1) * TicketSelection.PageSize).Take(TicketSelection.PageSize).ToList();
        html.Append("<p class=\"count\" data-count=\"").Append(all.Count.ToString(CultureInfo.InvariantCulture)).Append("\">")
            .Append(HtmlPage.E(string.Format(user.Culture, T(language, "tickets.count"), all.Count.ToString("#,0", user.Culture), page, pages))).Append("</p>\n");
        var csv = DashboardFilters.Link(DashboardRoutes.Prefix + "/export/tickets.csv", selection.Parameters());
        html.Append(Table(shown, language, user.Culture).Html(user.Culture, csv, T(language, "export.csv")));
        html.Append("<nav class=\"pages\">");
        if (page > 1)
        {
            html.Append("<a rel=\"prev\" href=\"").Append(HtmlPage.E(DashboardFilters.Link(DashboardRoutes.Prefix + "/tickets", selection.Parameters().Append(("page", (page - 1).ToString(CultureInfo.InvariantCulture)))))).Append("\">")
                .Append(HtmlPage.E(T(language, "tickets.previous"))).Append("</a> ");
        }

        if (page < pages)
        {
            html.Append("<a rel=\"next\" href=\"").Append(HtmlPage.E(DashboardFilters.Link(DashboardRoutes.Prefix + "/tickets", selection.Parameters().Append(("page", (page + 1).ToString(CultureInfo.InvariantCulture)))))).Append("\">")
                .Append(HtmlPage.E(T(language, "tickets.next"))).Append("</a>");
        }

        html.Append("</nav>\n");
        return html.ToString();
    }

    /// <summary>One ticket's figures as a table of name and value.</summary>
    public static PageTable MetricsTable(TicketFacts t, string language, CultureInfo culture)
    {
        var rows = new List<IReadOnlyList<TableCell>>
        {
            new[] { TableCell.Of(T(language, "col.created")), TableCell.Of(When(t.CreatedAt, culture)) },
            new[] { TableCell.Of(T(language, "col.status")), TableCell.Of(t.Status.ToString()) },
            new[] { TableCell.Of(T(language, "dim.team")), TableCell.Of(t.Team) },
            new[] { TableCell.Of(T(language, "dim.channel")), TableCell.Of(t.Channel) },
            new[] { TableCell.Of(T(language, "dim.agent")), TableCell.Of(t.Agent) },
            new[] { TableCell.Of(T(language, "dim.priority")), TableCell.Of(t.Priority) },
            new[] { TableCell.Of(T(language, "dim.language")), TableCell.Of(t.Language) },
            new[] { TableCell.Of(T(language, "col.calendar")), TableCell.Of(t.Calendar) },
            new[] { TableCell.Of(T(language, "col.frtHours")), TableCell.Hours(t.FirstReply?.Business.TotalSeconds) },
            new[] { TableCell.Of(T(language, "col.frtCalendarHours")), TableCell.Hours(t.FirstReply?.Calendar.TotalSeconds) },
            new[] { TableCell.Of(T(language, "col.resolutionHours")), TableCell.Hours(t.FullResolution?.Business.TotalSeconds) },
            new[] { TableCell.Of(T(language, "col.solved")), TableCell.Of(When(t.SolvedAt, culture)) },
            new[] { TableCell.Of(T(language, "col.agentReplies")), TableCell.Count(t.AgentReplies) },
            new[] { TableCell.Of(T(language, "col.reopens")), TableCell.Count(t.Reopens) },
            new[] { TableCell.Of(T(language, "col.satisfaction")), new TableCell(CellKind.Count, null, t.Satisfaction) },
        };
        foreach (var outcome in t.Sla)
        {
            rows.Add([TableCell.Of("SLA " + outcome.Metric + " (" + outcome.Policy + ")"), TableCell.Of(outcome.State.ToString())]);
        }

        return new PageTable("ticket", T(language, "ticket.figures"), [T(language, "col.figure"), T(language, "col.value")], rows);
    }

    /// <summary>One ticket's page body: its figures and how each was reached (what <c>utendaji explain</c> prints).</summary>
    public static string TicketHtml(DashboardUser user, TicketExplanation explanation)
    {
        var language = user.Language;
        var html = new StringBuilder();
        html.Append("<h1>").Append(HtmlPage.E(T(language, "ticket.title"))).Append(" <bdi>").Append(HtmlPage.E(explanation.TicketId)).Append("</bdi></h1>\n");
        var csv = DashboardFilters.Link(DashboardRoutes.Prefix + "/export/ticket.csv", [("id", explanation.TicketId)]);
        html.Append(MetricsTable(explanation.Facts, language, user.Culture).Html(user.Culture, csv, T(language, "export.csv")));
        html.Append("<h2>").Append(HtmlPage.E(T(language, "ticket.explanation"))).Append("</h2>\n");
        html.Append(ExplanationRenderer.Html(explanation));
        return html.ToString();
    }
}
