using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// Maps the dashboard: sign-in and sign-out outside, everything else under <see cref="Prefix"/> for a signed-in
/// person only (others are sent to the sign-in page).
/// </summary>
public static class DashboardRoutes
{
    /// <summary>Where the dashboard lives.</summary>
    public const string Prefix = "/dashboard";

    /// <summary>Maps every dashboard route.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(Prefix).ExcludeFromDescription();
        group.AddEndpointFilter(async (context, next) =>
            DashboardUser.From(context.HttpContext) is null
                ? TypedResults.Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(context.HttpContext.Request.Path + context.HttpContext.Request.QueryString))
                : await next(context));
        group.MapDashboardPages();
        return endpoints;
    }
}
