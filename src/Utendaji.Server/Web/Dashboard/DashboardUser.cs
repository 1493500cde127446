using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Utendaji.Core.Surveys;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>The claims a signed-in dashboard user carries (written at sign-in, read on every page).</summary>
public static class DashboardClaims
{
    /// <summary>The organisation the person signed in to.</summary>
    public const string Organisation = "utendaji:org";

    /// <summary>The dashboard language code (one of <see cref="SurveyLanguages.All"/>).</summary>
    public const string Language = "utendaji:lang";

    /// <summary>The authentication scheme of the dashboard's cookie.</summary>
    public const string Scheme = "UtendajiDashboard";
}

/// <summary>The person a dashboard page is rendered for: organisation, e-mail, role and language.</summary>
public sealed record DashboardUser(string Organisation, string Email, AccountRole Role, string Language)
{
    /// <summary>Numbers and dates are formatted for this culture (the language's main country).</summary>
    public CultureInfo Culture => DashboardLanguages.Culture(Language);

    /// <summary>Whether the page should be laid out right to left (Urdu).</summary>
    public bool RightToLeft => SurveyLanguages.Find(Language)?.Direction == TextDirection.RightToLeft;

    /// <summary>Whether the person's role includes <paramref name="role"/>.</summary>
    public bool Has(AccountRole role) => Role >= role;

    /// <summary>The signed-in person of the request, or null when nobody (or something incomplete) is signed in.</summary>
    public static DashboardUser? From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return From(context.User);
    }

    /// <summary>The person <paramref name="principal"/> describes, or null when it is not a complete dashboard session.</summary>
    public static DashboardUser? From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var organisation = principal.FindFirstValue(DashboardClaims.Organisation);
        var email = principal.FindFirstValue(ClaimTypes.Email);
        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (organisation is null || email is null || !Enum.TryParse<AccountRole>(role, ignoreCase: false, out var parsed))
        {
            return null;
        }

        var language = SurveyLanguages.Find(principal.FindFirstValue(DashboardClaims.Language) ?? "")?.Code ?? SurveyLanguages.Fallback;
        return new DashboardUser(organisation, email, parsed, language);
    }
}

/// <summary>The dashboard's six languages and the culture each formats numbers and dates with.</summary>
public static class DashboardLanguages
{
    /// <summary>The culture for a language code; English (United Kingdom: 24-hour clock, day-month-year) otherwise.</summary>
    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language switch
    {
        "sw" => "sw-KE",
        "tl" => "fil-PH",
        "fi" => "fi-FI",
        "gu" => "gu-IN",
        "ur" => "ur-PK",
        _ => "en-GB",
    });
}
