using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>The KPI overview, drill-down, ticket and settings pages (all under <see cref="DashboardRoutes.Prefix"/>).</summary>
public static class DashboardPages
{
    /// <summary>Maps the pages onto the signed-in group.</summary>
    public static RouteGroupBuilder MapDashboardPages(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/", (HttpContext context) =>
        {
            var user = DashboardUser.From(context)!;
            return new DashboardPage(DashboardTexts.Get(user.Language, "overview.title"), "<h1>" + HtmlPage.E(DashboardTexts.Get(user.Language, "overview.title")) + "</h1>");
        });
        return group;
    }
}
