using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Utendaji.Core.Metrics;
using Utendaji.Server.Caching;
using Utendaji.Server.Infrastructure;
using Utendaji.Server.Web.Dashboard.Pages;
using Utendaji.Storage;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>The KPI overview, drill-down, ticket and settings pages (all under <see cref="DashboardRoutes.Prefix"/>).</summary>
public static class DashboardPages
{
    /// <summary>Maps the pages onto the signed-in group. Every page reads and writes the signed-in person's organisation only.</summary>
    public static RouteGroupBuilder MapDashboardPages(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/", OverviewAsync);
        group.MapGet("/tickets", TicketsAsync);
        group.MapGet("/tickets/{ticketId}", TicketAsync);
        group.MapGet("/export/{table}.csv", ExportAsync);
        foreach (var kind in SettingsKind.All)
        {
            group.MapGet("/settings/" + kind.Path, (HttpContext context, OrganisationStores stores, string? stored, string? rederived, CancellationToken ct) =>
                SettingsPages.ListAsync(context, kind, stores, Stored(context, stored, rederived), null, ct));
            group.MapGet("/settings/" + kind.Path + "/{name}", (HttpContext context, string name, OrganisationStores stores, CancellationToken ct) =>
                SettingsPages.ViewAsync(DashboardUser.From(context)!, kind, name, stores, ct));
            group.MapPost("/settings/" + kind.Path, (HttpContext context, OrganisationStores stores, OrganisationCache cache, ServerOptions options, ILogger<SettingsKind> logger, CancellationToken ct) =>
                SettingsPages.UploadAsync(context, kind, stores, cache, options, logger, ct));
        }

        return group;
    }

    /// <summary>The note after an upload (the redirect names what was stored); only a number is taken as the count.</summary>
    private static string? Stored(HttpContext context, string? stored, string? rederived)
    {
        if (stored is null)
        {
            return null;
        }

        var user = DashboardUser.From(context)!;
        var count = int.TryParse(rederived, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        return string.Format(user.Culture, DashboardTexts.Get(user.Language, "settings.stored"), stored, count.ToString("#,0", user.Culture));
    }

    private static async Task<DashboardPage> OverviewAsync(HttpContext context, OrganisationStores stores, OrganisationCache cache, ServerOptions options, CancellationToken ct)
    {
        var user = DashboardUser.From(context)!;
        var errors = new List<FilterError>();
        var filters = DashboardFilters.Parse(context.Request.Query, errors);
        var page = await OverviewPageAsync(user.Organisation, filters, stores, cache, options, ct);
        return new DashboardPage(DashboardTexts.Get(user.Language, "overview.title"), page.Html(user, errors), errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    /// <summary>
    /// The overview's figures, from the report cache when the server caches (<c>--cache</c>): building them reads
    /// every ticket of the filtered selection. The key holds the filters and the current period, so a new week or
    /// month is built afresh; the figures are rendered per person (language, culture) from the shared object.
    /// </summary>
    private static async Task<OverviewPage> OverviewPageAsync(string organisation, DashboardFilters filters, OrganisationStores stores, OrganisationCache cache, ServerOptions options, CancellationToken ct)
    {
        var now = options.Clock.GetCurrentInstant();
        var current = filters.Current(now);
        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"dashboard overview {filters} {current.Granularity} {current.StartDate:yyyy-MM-dd}");
        if (cache.Report<OverviewPage>(organisation, key) is { } cached)
        {
            return cached;
        }

        return await stores.UseAsync(organisation, async store =>
        {
            var version = cache.ReportVersion(organisation);
            var page = await OverviewPage.BuildAsync(store, filters, now, ct);
            cache.KeepReport(organisation, key, version, page);
            return page;
        }, ct);
    }

    private static async Task<DashboardPage> TicketsAsync(HttpContext context, OrganisationStores stores, CancellationToken ct)
    {
        var user = DashboardUser.From(context)!;
        var errors = new List<FilterError>();
        var selection = TicketSelection.Parse(context.Request.Query, errors);
        var tickets = await stores.UseAsync(user.Organisation, store => selection.ReadAsync(store, ct), ct);
        return new DashboardPage(DashboardTexts.Get(user.Language, "tickets.title"), TicketsPage.ListHtml(user, selection, tickets, errors), errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static async Task<DashboardPage> TicketAsync(HttpContext context, string ticketId, OrganisationStores stores, OrganisationCache cache, ServerOptions options, CancellationToken ct)
    {
        var user = DashboardUser.From(context)!;
        var explanation = await ExplainAsync(user.Organisation, ticketId, stores, cache, options, ct);
        if (explanation is null)
        {
            var title = DashboardTexts.Get(user.Language, "ticket.notFound");
            return new DashboardPage(title, "<h1>" + HtmlPage.E(title) + "</h1>", StatusCodes.Status404NotFound);
        }

        return new DashboardPage(DashboardTexts.Get(user.Language, "ticket.title") + " " + ticketId, TicketsPage.TicketHtml(user, explanation));
    }

    /// <summary>A ticket's explanation, as the API's <c>GET /tickets/{id}</c> and <c>utendaji explain</c> compute it.</summary>
    private static Task<TicketExplanation?> ExplainAsync(string org, string ticketId, OrganisationStores stores, OrganisationCache cache, ServerOptions options, CancellationToken ct) =>
        stores.UseAsync(org, async store =>
        {
            var context = await cache.EngineContextAsync(org, store, options.Clock.GetCurrentInstant(), ct);
            var events = await store.ReadEventsAsync(ticketId, ct);
            if (events.Count > 0)
            {
                return TicketMetricsEngine.Explain(ticketId, events, context);
            }

            return await store.GetSummaryAsync(ticketId, ct) is { } summary ? TicketMetricsEngine.Explain(summary, context) : null;
        }, ct);

    private static async Task<IResult> ExportAsync(HttpContext context, string table, OrganisationStores stores, OrganisationCache cache, ServerOptions options, CancellationToken ct)
    {
        var user = DashboardUser.From(context)!;
        var errors = new List<FilterError>();
        PageTable? result;
        if (table == "tickets")
        {
            var selection = TicketSelection.Parse(context.Request.Query, errors);
            var tickets = await stores.UseAsync(user.Organisation, store => selection.ReadAsync(store, ct), ct);
            result = TicketsPage.Table(tickets, user.Language, user.Culture);
        }
        else if (table == "ticket")
        {
            var id = DashboardFilters.Text(context.Request.Query, "id");
            var explanation = id is null ? null : await ExplainAsync(user.Organisation, id, stores, cache, options, ct);
            result = explanation is null ? null : TicketsPage.MetricsTable(explanation.Facts, user.Language, user.Culture);
        }
        else if (OverviewPage.TableIds.Contains(table))
        {
            var filters = DashboardFilters.Parse(context.Request.Query, errors);
            var page = await OverviewPageAsync(user.Organisation, filters, stores, cache, options, ct);
            result = page.Table(table, user.Language);
        }
        else
        {
            result = null;
        }

        if (errors.Count > 0)
        {
            return TypedResults.Problem(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")), statusCode: StatusCodes.Status400BadRequest);
        }

        if (result is null)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{table}.csv\"";
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(result.Csv(), "text/csv", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
