using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>Cross-site request forgery protection for the dashboard's forms (ASP.NET Core antiforgery).</summary>
public static class DashboardForms
{
    /// <summary>The hidden field every dashboard form that posts must contain.</summary>
    public static string AntiforgeryField(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{HtmlPage.E(tokens.FormFieldName)}\" value=\"{HtmlPage.E(tokens.RequestToken)}\">";
    }

    /// <summary>Whether a posted form carries a valid token (false also for a missing or foreign one).</summary>
    public static async Task<bool> IsValidAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }
}
