using System.Globalization;
using System.Text;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Server.Api;
using Utendaji.Reports;
using Utendaji.Reports.Charts;
using Utendaji.Storage;

namespace Utendaji.Server.Web.Dashboard.Pages;

/// <summary>
/// The KPI overview: one week or month against the one before (cards with value, n, 95% interval and the change,
/// marked only when significant), trends over the last periods, the first-reply-time distribution, SLA attainment by
/// group and the survey figures. Every figure comes from the engine's builders (<see cref="KpiPeriodComparison"/>,
/// <see cref="KpiReportBuilder"/>, <see cref="SurveyReportBuilder"/>), so the page says what the CLI and the API say.
/// </summary>
internal sealed class OverviewPage
{
    /// <summary>Periods in the trend charts, the current one included.</summary>
    public const int TrendPeriods = 6;

    /// <summary>A change is marked when its p-value is below this.</summary>
    public const double SignificanceLevel = 0.05;

    private OverviewPage(DashboardFilters filters, CalendarPeriod current, KpiComparison comparison, KpiReport trend, KpiReport grouped, SurveyReport? survey)
    {
        Filters = filters;
        CurrentPeriod = current;
        Comparison = comparison;
        Trend = trend;
        Grouped = grouped;
        Survey = survey;
    }

    public DashboardFilters Filters { get; }

    public CalendarPeriod CurrentPeriod { get; }

    public KpiComparison Comparison { get; }

    /// <summary>Figures per period over the trend range (all groups).</summary>
    public KpiReport Trend { get; }

    /// <summary>The current period by <see cref="DashboardFilters.By"/>; its histogram is the distribution shown.</summary>
    public KpiReport Grouped { get; }

    /// <summary>Survey figures of the current period; null when no response was submitted in it.</summary>
    public SurveyReport? Survey { get; }

    /// <summary>Reads the organisation's facts once (filtered by attributes) and builds every figure of the page.</summary>
    public static async Task<OverviewPage> BuildAsync(IUtendajiStore store, DashboardFilters filters, Instant now, CancellationToken ct)
    {
        var current = filters.Current(now);
        var facts = new List<TicketFacts>();
        await foreach (var f in store.ReadFactsAsync(filters.Facts(), ct))
        {
            facts.Add(f);
        }

        var comparison = KpiPeriodComparison.Compare(facts, current, KpiReportOptions.Default, SignificanceLevel, ct);
        var first = current;
        for (var i = 1; i < TrendPeriods; i++)
        {
            first = first.Previous;
        }

        var trend = KpiReportBuilder.Build(facts, KpiReportOptions.Default with { Period = current.Granularity, From = first.Start, To = current.End }, ct);
        var grouped = KpiReportBuilder.Build(facts, KpiReportOptions.Default with { GroupBy = [filters.By], From = current.Start, To = current.End }, ct);
        var survey = await SurveyAsync(store, filters, current, ct);
        return new OverviewPage(filters, current, comparison, trend, grouped, survey);
    }

    private static async Task<SurveyReport?> SurveyAsync(IUtendajiStore store, DashboardFilters filters, CalendarPeriod current, CancellationToken ct)
    {
        // Responses carry team, agent, channel and language but no priority: that filter does not apply to them.
        var query = new SurveyResponseQuery
        {
            SubmittedFrom = current.Start, SubmittedTo = current.End,
            Team = filters.Team, Agent = filters.Agent, Channel = filters.Channel, Language = filters.Language,
        };
        var responses = new List<Core.Surveys.SurveyResponse>();
        await foreach (var r in store.ReadSurveyResponsesAsync(query, ct))
        {
            responses.Add(r);
        }

        if (responses.Count == 0)
        {
            return null;
        }

        var catalog = await InstrumentCatalog.LoadAsync(store, ct);
        var options = SurveyReportOptions.Default with { From = current.Start, To = current.End };
        return SurveyReportBuilder.Build(responses, catalog.Values.ToList(), options, null, ct);
    }

    /// <summary>The tickets list showing tickets created in [start, end) with the page's filters and <paramref name="extra"/>.</summary>
    public string TicketsLink(Instant start, Instant end, params (string Name, string? Value)[] extra)
    {
        var parameters = new List<(string, string?)> { ("from", DashboardFilters.Stamp(start)), ("to", DashboardFilters.Stamp(end)) };
        foreach (var (name, value) in Filters.AttributeParameters())
        {
            // A drill-down by a dimension replaces that dimension's filter (they agree anyway when both are set).
            if (!extra.Any(e => e.Name == name))
            {
                parameters.Add((name, value));
            }
        }

        parameters.AddRange(extra);
        return DashboardFilters.Link(DashboardRoutes.Prefix + "/tickets", parameters);
    }

    // ---- tables: each shown on the page and offered as CSV from the same cells ----

    /// <summary>The ids of the page's tables, as the CSV export names them.</summary>
    public static readonly string[] TableIds = ["kpis", "trend", "first-reply", "sla", "surveys", "servqual"];

    /// <summary>The table called <paramref name="id"/>; null when it is not one of <see cref="TableIds"/> or has no data.</summary>
    public PageTable? Table(string id, string language) => id switch
    {
        "kpis" => KpiTable(language),
        "trend" => TrendTable(language),
        "first-reply" => FirstReplyTable(language),
        "sla" => SlaTable(language),
        "surveys" => Survey is null ? null : SurveyTable(language),
        "servqual" => Survey is null ? null : ServqualTable(language),
        _ => null,
    };

    private static string T(string language, string key) => DashboardTexts.Get(language, key);

    /// <summary>Whether a figure is a duration (seconds), a rate (0–1) or a count.</summary>
    private static CellKind KindOf(KpiChangeFigure figure) => figure switch
    {
        KpiChangeFigure.Created or KpiChangeFigure.Solved or KpiChangeFigure.BacklogAtEnd => CellKind.Count,
        KpiChangeFigure.FirstReplyBusiness or KpiChangeFigure.FullResolutionBusiness => CellKind.Hours,
        _ => CellKind.Percent,
    };

    /// <summary>
    /// The tickets behind a figure of the period shown, for the figures placed by creation (created, first reply,
    /// first- and next-reply SLA); null for those placed by the solve, which the ticket list cannot select.
    /// </summary>
    public string? FigureLink(KpiChangeFigure figure) => figure switch
    {
        KpiChangeFigure.Created => TicketsLink(CurrentPeriod.Start, CurrentPeriod.End),
        KpiChangeFigure.FirstReplyBusiness => TicketsLink(CurrentPeriod.Start, CurrentPeriod.End, ("frt_min", "0")),
        KpiChangeFigure.SlaFirstReply => TicketsLink(CurrentPeriod.Start, CurrentPeriod.End, ("sla", "first_reply")),
        KpiChangeFigure.SlaNextReply => TicketsLink(CurrentPeriod.Start, CurrentPeriod.End, ("sla", "next_reply")),
        _ => null,
    };

    /// <summary>The name of a figure in the person's language.</summary>
    public static string FigureName(string language, KpiChangeFigure figure) => T(language, "kpi." + figure.ToString());

    private PageTable KpiTable(string language)
    {
        var rows = new List<IReadOnlyList<TableCell>>();
        foreach (var change in Comparison.Total.Changes)
        {
            var kind = KindOf(change.Figure);
            var cur = change.Current;
            rows.Add(
            [
                TableCell.Of(FigureName(language, change.Figure)),
                new TableCell(kind, null, cur.Value, FigureLink(change.Figure)),
                TableCell.Count(cur.N),
                new TableCell(kind, null, cur.Interval95?.Lower),
                new TableCell(kind, null, cur.Interval95?.Upper),
                new TableCell(kind, null, change.Previous.Value),
                new TableCell(kind == CellKind.Percent ? CellKind.Points : kind, null, change.Difference),
                TableCell.Decimal(change.Test?.PValue is { } p ? Math.Round(p, 4) : null),
                TableCell.Of(change.Significant ? T(language, "overview.yes") : T(language, "overview.no")),
            ]);
        }

        return new PageTable("kpis", T(language, "overview.kpis") + " " + CurrentPeriod.Label, [
            T(language, "col.figure"), T(language, "col.value"), "n", T(language, "col.lower95"), T(language, "col.upper95"),
            T(language, "col.previous"), T(language, "col.change"), "p", T(language, "col.significant"),
        ], rows);
    }

    private PageTable TrendTable(string language)
    {
        var rows = Trend.ByPeriod.Select(r => (IReadOnlyList<TableCell>)
        [
            TableCell.Of(r.Period.Label),
            TableCell.Count(r.Figures.Created, TicketsLink(r.Period.Start!.Value, r.Period.End!.Value)),
            TableCell.Count(r.Figures.Solved),
            TableCell.Count(r.Figures.BacklogAtEnd),
            TableCell.Hours(r.Figures.FirstReply.Business.Median),
            TableCell.Percent(r.Figures.SlaFirstReply.Rate, TicketsLink(r.Period.Start!.Value, r.Period.End!.Value, ("sla", "first_reply"))),
            TableCell.Percent(r.Figures.SlaResolution.Rate),
            TableCell.Percent(r.Figures.FirstContactResolution.Rate),
            TableCell.Percent(r.Figures.Satisfied.Rate),
        ]).ToList();
        return new PageTable("trend", T(language, "overview.trend"), [
            T(language, "col.period"), FigureName(language, KpiChangeFigure.Created), FigureName(language, KpiChangeFigure.Solved),
            FigureName(language, KpiChangeFigure.BacklogAtEnd), T(language, "col.frtMedian"), FigureName(language, KpiChangeFigure.SlaFirstReply),
            FigureName(language, KpiChangeFigure.SlaResolution), FigureName(language, KpiChangeFigure.FirstContactResolution), FigureName(language, KpiChangeFigure.Satisfied),
        ], rows);
    }

    /// <summary>The ticket-list link of a histogram bin: tickets created in the period whose business first reply lies in the bin.</summary>
    public string BinLink(HistogramBin bin) => TicketsLink(
        CurrentPeriod.Start, CurrentPeriod.End, ("frt_min", DashboardFilters.Stamp(bin.Lower)), ("frt_max", bin.Upper is { } u ? DashboardFilters.Stamp(u) : null));

    private PageTable FirstReplyTable(string language)
    {
        var rows = Grouped.FirstReplyBusinessHistogram.Select(b => (IReadOnlyList<TableCell>)
        [
            TableCell.Of(ChartLabels.Bin(b)),
            TableCell.Count(b.Count, BinLink(b)),
        ]).ToList();
        return new PageTable("first-reply", T(language, "overview.distribution"), [T(language, "col.bin"), T(language, "col.tickets")], rows);
    }

    /// <summary>The ticket-list link of a group's SLA bar (null for the "(none)" group, which no filter can name).</summary>
    public string? GroupLink(KpiRow row, string sla) => row.Group.Values.Count == 1 && row.Group.Values[0] is { } value
        ? TicketsLink(CurrentPeriod.Start, CurrentPeriod.End, (DashboardFilters.ParameterOf(Filters.By), value), ("sla", sla))
        : null;

    private PageTable SlaTable(string language)
    {
        var rows = Grouped.ByGroup.Select(r => (IReadOnlyList<TableCell>)
        [
            TableCell.Of(ChartLabels.Group(r.Group)),
            TableCell.Percent(r.Figures.SlaFirstReply.Rate, GroupLink(r, "first_reply")),
            TableCell.Count(r.Figures.SlaFirstReply.Trials),
            TableCell.Percent(r.Figures.SlaFirstReply.Wilson95?.Lower),
            TableCell.Percent(r.Figures.SlaFirstReply.Wilson95?.Upper),
            TableCell.Percent(r.Figures.SlaNextReply.Rate, GroupLink(r, "next_reply")),
            TableCell.Count(r.Figures.SlaNextReply.Trials),
            TableCell.Percent(r.Figures.SlaResolution.Rate),
            TableCell.Count(r.Figures.SlaResolution.Trials),
        ]).ToList();
        return new PageTable("sla", T(language, "overview.sla") + " (" + T(language, "dim." + DashboardFilters.ParameterOf(Filters.By)) + ")", [
            T(language, "dim." + DashboardFilters.ParameterOf(Filters.By)),
            FigureName(language, KpiChangeFigure.SlaFirstReply), "n", T(language, "col.lower95"), T(language, "col.upper95"),
            FigureName(language, KpiChangeFigure.SlaNextReply), "n", FigureName(language, KpiChangeFigure.SlaResolution), "n",
        ], rows);
    }

    private PageTable SurveyTable(string language)
    {
        var rows = Survey!.Overall.Instruments.Select(i =>
        {
            var csat = i.Csat.FirstOrDefault()?.Satisfied;
            var nps = i.Nps.FirstOrDefault()?.Estimate;
            return (IReadOnlyList<TableCell>)
            [
                TableCell.Of(i.InstrumentId),
                TableCell.Count(i.Responses),
                TableCell.Percent(csat?.Rate),
                TableCell.Percent(csat?.Wilson95?.Lower),
                TableCell.Percent(csat?.Wilson95?.Upper),
                TableCell.Decimal(nps?.Score),
                TableCell.Decimal(nps?.Interval95?.Lower),
                TableCell.Decimal(nps?.Interval95?.Upper),
            ];
        }).ToList();
        return new PageTable("surveys", T(language, "overview.surveys"), [
            T(language, "col.instrument"), T(language, "col.responses"), "CSAT", T(language, "col.lower95"), T(language, "col.upper95"),
            "NPS", T(language, "col.lower95"), T(language, "col.upper95"),
        ], rows);
    }

    private PageTable ServqualTable(string language)
    {
        var rows = new List<IReadOnlyList<TableCell>>();
        foreach (var instrument in Survey!.Overall.Instruments.Where(i => i.Servqual is not null))
        {
            foreach (var dimension in instrument.Servqual!.Dimensions)
            {
                var gap = dimension.Scales.FirstOrDefault(s => s.Scale == ServqualScale.Gap)?.Mean;
                rows.Add(
                [
                    TableCell.Of(instrument.InstrumentId),
                    TableCell.Of(dimension.Dimension.ToString()),
                    TableCell.Decimal(gap?.Mean is { } m ? Math.Round(m, 2) : null),
                    TableCell.Count(gap?.N ?? 0),
                    TableCell.Decimal(gap?.Interval95?.Lower is { } l ? Math.Round(l, 2) : null),
                    TableCell.Decimal(gap?.Interval95?.Upper is { } u ? Math.Round(u, 2) : null),
                ]);
            }
        }

        return new PageTable("servqual", T(language, "overview.servqual"), [
            T(language, "col.instrument"), T(language, "col.dimension"), T(language, "col.gap"), "n", T(language, "col.lower95"), T(language, "col.upper95"),
        ], rows);
    }

    // ---- the page ----

    /// <summary>The page body, in the person's language and culture.</summary>
    public string Html(DashboardUser user, IReadOnlyList<FilterError> errors)
    {
        var language = user.Language;
        var culture = user.Culture;
        var html = new StringBuilder();
        html.Append("<h1>").Append(HtmlPage.E(T(language, "overview.title"))).Append("</h1>\n");
        html.Append(FilterForm(language, errors));
        html.Append("<p class=\"period\">").Append(HtmlPage.E(string.Format(culture, T(language, "overview.periodLine"),
            CurrentPeriod.Label, Day(CurrentPeriod.StartDate, culture), Day(CurrentPeriod.EndDate.PlusDays(-1), culture), Comparison.Previous.Label))).Append("</p>\n");
        html.Append(Cards(language, culture));
        html.Append(Section("kpis", language, culture, null));

        var labels = Trend.ByPeriod.Select(r => r.Period.Label).ToArray();
        var rows = Trend.ByPeriod;
        var volume = rows.SelectMany(r => new[] { r.Figures.Created, r.Figures.Solved, r.Figures.BacklogAtEnd }).DefaultIfEmpty(1).Max();
        var tickets = Svg.LineChart(
            T(language, "chart.tickets"),
            labels,
            [
                new ChartSeries(FigureName(language, KpiChangeFigure.Created), rows.Select(r => (double?)r.Figures.Created).ToArray(), rows.Select(r => (string?)TicketsLink(r.Period.Start!.Value, r.Period.End!.Value)).ToArray()),
                new ChartSeries(FigureName(language, KpiChangeFigure.Solved), rows.Select(r => (double?)r.Figures.Solved).ToArray()),
                new ChartSeries(FigureName(language, KpiChangeFigure.BacklogAtEnd), rows.Select(r => (double?)r.Figures.BacklogAtEnd).ToArray()),
            ],
            T(language, "col.period"),
            T(language, "col.tickets"),
            0,
            Svg.Ticks(0, Math.Max(volume, 1), 5)[^1],
            v => v.ToString("#,0.##", culture));
        var rates = Svg.LineChart(
            T(language, "chart.rates"),
            labels,
            [
                new ChartSeries(FigureName(language, KpiChangeFigure.SlaFirstReply), rows.Select(r => r.Figures.SlaFirstReply.Rate).ToArray(), rows.Select(r => (string?)TicketsLink(r.Period.Start!.Value, r.Period.End!.Value, ("sla", "first_reply"))).ToArray()),
                new ChartSeries(FigureName(language, KpiChangeFigure.SlaResolution), rows.Select(r => r.Figures.SlaResolution.Rate).ToArray()),
                new ChartSeries(FigureName(language, KpiChangeFigure.FirstContactResolution), rows.Select(r => r.Figures.FirstContactResolution.Rate).ToArray()),
                new ChartSeries(FigureName(language, KpiChangeFigure.Satisfied), rows.Select(r => r.Figures.Satisfied.Rate).ToArray()),
            ],
            T(language, "col.period"),
            "%",
            0,
            1,
            v => (v * 100).ToString("0.#", culture) + "%");
        html.Append(Section("trend", language, culture, [tickets, rates]));

        var histogram = Svg.ColumnChart(
            T(language, "overview.distribution"),
            Grouped.FirstReplyBusinessHistogram.Select(b => new ColumnBar(ChartLabels.Bin(b), b.Count, BinLink(b))).ToArray(),
            T(language, "col.bin"),
            T(language, "col.tickets"));
        html.Append(Section("first-reply", language, culture, [histogram]));

        var bars = Grouped.ByGroup.Select(r =>
        {
            var p = r.Figures.SlaFirstReply;
            return new IntervalBar(ChartLabels.Group(r.Group), p.Rate, p.Wilson95?.Lower, p.Wilson95?.Upper, p.Trials, p.Trials > 0 && Grouped.IsSmall(p.Trials), GroupLink(r, "first_reply"));
        }).ToArray();
        html.Append(Section("sla", language, culture, [Svg.IntervalBarChart(FigureName(language, KpiChangeFigure.SlaFirstReply), bars, T(language, "chart.slaAxis"))]));

        if (Survey is null)
        {
            html.Append("<section><h2>").Append(HtmlPage.E(T(language, "overview.surveys"))).Append("</h2><p>").Append(HtmlPage.E(T(language, "overview.noInstruments"))).Append("</p></section>\n");
        }
        else
        {
            html.Append(Section("surveys", language, culture, null, T(language, "overview.surveyNote")));
            html.Append(Section("servqual", language, culture, null));
        }

        return html.ToString();
    }

    private static string Day(LocalDate date, CultureInfo culture) => date.ToDateTimeUnspecified().ToString("d", culture);

    private string Section(string id, string language, CultureInfo culture, IReadOnlyList<string>? charts, string? note = null)
    {
        var table = Table(id, language)!;
        var html = new StringBuilder();
        html.Append("<section id=\"s-").Append(id).Append("\"><h2>").Append(HtmlPage.E(table.Caption)).Append("</h2>\n");
        if (note is not null)
        {
            html.Append("<p class=\"note\">").Append(HtmlPage.E(note)).Append("</p>\n");
        }

        foreach (var chart in charts ?? [])
        {
            html.Append("<figure>").Append(chart).Append("</figure>\n");
        }

        var csv = DashboardFilters.Link(DashboardRoutes.Prefix + "/export/" + id + ".csv", QueryParameters());
        html.Append(table.Html(culture, csv, T(language, "export.csv")));
        html.Append("</section>\n");
        return html.ToString();
    }

    /// <summary>The page's own filters as query parameters (for the CSV links).</summary>
    public IEnumerable<(string, string?)> QueryParameters() =>
        Filters.AttributeParameters().Concat(
        [
            ("period", Filters.Period == PeriodGranularity.Week ? "week" : "month"),
            ("from", CurrentPeriod.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("by", DashboardFilters.ParameterOf(Filters.By)),
        ]);

    private string Cards(string language, CultureInfo culture)
    {
        var html = new StringBuilder("<div class=\"cards\">\n");
        foreach (var change in Comparison.Total.Changes)
        {
            var kind = KindOf(change.Figure);
            var cur = change.Current;
            html.Append("<article class=\"card\" data-figure=\"").Append(change.Figure).Append("\" data-significant=\"").Append(change.Significant ? "true" : "false").Append("\">");
            html.Append("<h3>").Append(HtmlPage.E(FigureName(language, change.Figure))).Append("</h3>");
            var value = HtmlPage.E(new TableCell(kind, null, cur.Value).Format(culture)) + (kind == CellKind.Hours ? " h" : "");
            html.Append("<p class=\"value\">").Append(FigureLink(change.Figure) is { } link ? $"<a href=\"{HtmlPage.E(link)}\">{value}</a>" : value).Append("</p>");
            html.Append("<p class=\"n\">n = ").Append(HtmlPage.E(TableCell.Count(cur.N).Format(culture)));
            if (cur.Small)
            {
                html.Append(" <span class=\"flag\">").Append(HtmlPage.E(T(language, "overview.small"))).Append("</span>");
            }

            html.Append("</p>");
            if (cur.Interval95 is { } ci)
            {
                html.Append("<p class=\"ci\">95%: ").Append(HtmlPage.E(new TableCell(kind, null, ci.Lower).Format(culture))).Append(" – ").Append(HtmlPage.E(new TableCell(kind, null, ci.Upper).Format(culture))).Append(kind == CellKind.Hours ? " h" : "").Append("</p>");
            }

            if (change.Difference is { } d)
            {
                var sign = d > 0 ? "+" : "";
                var text = sign + new TableCell(kind == CellKind.Percent ? CellKind.Points : kind, null, d).Format(culture) + (kind == CellKind.Hours ? " h" : "");
                html.Append("<p class=\"change\">").Append(HtmlPage.E(T(language, "col.change"))).Append(": ");
                if (change.Significant)
                {
                    html.Append("<strong class=\"significant\">").Append(HtmlPage.E(text)).Append(" ✱ ").Append(HtmlPage.E(string.Format(culture, T(language, "overview.significant"), PValue(change.Test!.PValue, culture)))).Append("</strong>");
                }
                else
                {
                    html.Append(HtmlPage.E(text));
                }

                html.Append("</p>");
            }

            html.Append("</article>\n");
        }

        return html.Append("</div>\n").ToString();
    }

    private string FilterForm(string language, IReadOnlyList<FilterError> errors)
    {
        var html = new StringBuilder();
        html.Append(Errors(language, errors));
        html.Append("<form method=\"get\" action=\"").Append(DashboardRoutes.Prefix).Append("\" class=\"filters\">");
        html.Append("<label>").Append(HtmlPage.E(T(language, "filter.period"))).Append(" <select name=\"period\">");
        foreach (var (value, key) in new[] { ("month", "filter.month"), ("week", "filter.week") })
        {
            var selected = (value == "week") == (Filters.Period == PeriodGranularity.Week);
            html.Append("<option value=\"").Append(value).Append('"').Append(selected ? " selected" : "").Append('>').Append(HtmlPage.E(T(language, key))).Append("</option>");
        }

        html.Append("</select></label> ");
        html.Append("<label>").Append(HtmlPage.E(T(language, "filter.from"))).Append(" <input type=\"date\" name=\"from\" value=\"")
            .Append(CurrentPeriod.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\"></label> ");
        html.Append(AttributeInputs(language, Filters));
        html.Append("<label>").Append(HtmlPage.E(T(language, "filter.by"))).Append(" <select name=\"by\">");
        foreach (var dimension in Enum.GetValues<GroupDimension>())
        {
            var name = DashboardFilters.ParameterOf(dimension);
            html.Append("<option value=\"").Append(name).Append('"').Append(dimension == Filters.By ? " selected" : "").Append('>').Append(HtmlPage.E(T(language, "dim." + name))).Append("</option>");
        }

        html.Append("</select></label> <button type=\"submit\">").Append(HtmlPage.E(T(language, "filter.apply"))).Append("</button></form>\n");
        return html.ToString();
    }

    /// <summary>Text inputs for the five attribute filters, filled with the current values (escaped).</summary>
    public static string AttributeInputs(string language, DashboardFilters filters)
    {
        var html = new StringBuilder();
        foreach (var name in DashboardFilters.Attributes)
        {
            html.Append("<label>").Append(HtmlPage.E(T(language, "dim." + name))).Append(" <input type=\"text\" name=\"").Append(name).Append("\" value=\"")
                .Append(HtmlPage.E(filters.Attribute(name))).Append("\"></label> ");
        }

        return html.ToString();
    }

    /// <summary>The list of unusable parameters, each naming the parameter and the reason.</summary>
    public static string Errors(string language, IReadOnlyList<FilterError> errors)
    {
        if (errors.Count == 0)
        {
            return "";
        }

        var html = new StringBuilder("<div class=\"summary\" role=\"alert\"><p>").Append(HtmlPage.E(T(language, "filter.errors"))).Append("</p><ul>");
        foreach (var error in errors)
        {
            html.Append("<li class=\"error\"><code>").Append(HtmlPage.E(error.Field)).Append("</code>: ").Append(HtmlPage.E(error.Reason)).Append("</li>");
        }

        return html.Append("</ul></div>\n").ToString();
    }

    /// <summary>"= 0.012", or "&lt; 0.001" for smaller values (never a bare 0, which would claim certainty).</summary>
    private static string PValue(double p, System.Globalization.CultureInfo culture) =>
        p < 0.001 ? "< " + 0.001.ToString("0.###", culture) : "= " + p.ToString("0.###", culture);
}
