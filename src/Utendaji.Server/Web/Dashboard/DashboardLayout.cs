using Microsoft.AspNetCore.Http;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>The frame of every dashboard page. (Skeleton: the sign-in work gives it navigation, picker and sign-out.)</summary>
public static class DashboardLayout
{
    /// <summary>Writes <paramref name="page"/> inside the frame, for the signed-in user of the request.</summary>
    public static Task WriteAsync(HttpContext context, DashboardPage page)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        var user = DashboardUser.From(context);
        var language = user?.Language ?? "en";
        return HtmlPage.WriteAsync(context, page.Status, language, user?.RightToLeft ?? false, page.Title, page.Body);
    }
}
