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
        endpoints.MapDashboardSignIn();
        var group = endpoints.MapGroup(Prefix).ExcludeFromDescription();
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (DashboardUser.From(http) is null)
            {
                return TypedResults.Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
            }

            // Every change is a form post; each must carry the antiforgery token of this person's session.
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !await DashboardForms.IsValidAsync(http))
            {
                return TypedResults.BadRequest();
            }

            return await next(context);
        });
        group.MapDashboardLanguage();
        group.MapDashboardPeople();
        group.MapDashboardPages();
        return endpoints;
    }
}
