using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Utendaji.Core.Surveys;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// <c>GET/POST /sign-in</c>, <c>POST /sign-out</c> and <c>POST /dashboard/language</c>. Sign-in gives one answer for
/// an unknown organisation or person, a wrong password and a locked account, and spends the time of a password
/// check in each case, so neither the page nor its timing tells which addresses have accounts.
/// </summary>
public static class DashboardSignIn
{
    /// <summary>Maps sign-in and sign-out (outside the signed-in group).</summary>
    public static IEndpointRouteBuilder MapDashboardSignIn(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/sign-in", (HttpContext context) =>
        {
            if (DashboardUser.From(context) is not null)
            {
                return Results.Redirect(LocalOrDashboard(context.Request.Query["returnUrl"]));
            }

            return Page(context, PageLanguage(context), "", "", context.Request.Query["returnUrl"], error: null, StatusCodes.Status200OK);
        }).ExcludeFromDescription();
        endpoints.MapPost("/sign-in", SignInAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost("/sign-out", async (HttpContext context) =>
        {
            if (!await DashboardForms.IsValidAsync(context))
            {
                return Results.BadRequest();
            }

            await context.SignOutAsync(DashboardClaims.Scheme);
            return Results.Redirect("/sign-in", permanent: false, preserveMethod: false);
        }).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    /// <summary>Maps <c>POST /language</c> onto the signed-in group (antiforgery checked by the group).</summary>
    public static RouteGroupBuilder MapDashboardLanguage(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost("/language", async (HttpContext context, IAccountStore accounts) =>
        {
            var user = DashboardUser.From(context)!;
            if (await PostedForm.ReadAsync(context) is not { } form)
            {
                return Results.BadRequest();
            }

            var language = SurveyLanguages.Find(form["language"].ToString());
            if (language is null || !string.Equals(language.Code, form["language"].ToString(), StringComparison.Ordinal))
            {
                return (IResult)new DashboardPage(DashboardTexts.Get(user.Language, "error.title"),
                    "<h1>" + HtmlPage.E(DashboardTexts.Get(user.Language, "error.title")) + "</h1><p class=\"error\">" + HtmlPage.E(DashboardTexts.Get(user.Language, "language.unknown")) + "</p>",
                    StatusCodes.Status400BadRequest);
            }

            await accounts.SetLanguageAsync(user.Organisation, user.Email, language.Code, context.RequestAborted);
            // A new cookie with the new language; the session's other claims stay as they were.
            await context.SignInAsync(DashboardClaims.Scheme, DashboardAuthentication.Principal(user.Organisation, user.Email, user.Role, language.Code));
            return Results.Redirect(LocalOrDashboard(form["returnUrl"]));
        });
        return group;
    }

    /// <summary>
    /// <paramref name="returnUrl"/> when it is a path on this server, else the dashboard: never another site (no
    /// <c>//host</c>, no <c>/\host</c>, no scheme), so a link to the sign-in page cannot send a person elsewhere.
    /// </summary>
    public static string LocalOrDashboard(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/' || returnUrl.Length > 2000)
        {
            return DashboardRoutes.Prefix;
        }

        if (returnUrl.Length > 1 && (returnUrl[1] == '/' || returnUrl[1] == '\\'))
        {
            return DashboardRoutes.Prefix;
        }

        return returnUrl.Any(c => char.IsControl(c) || c == '\\') ? DashboardRoutes.Prefix : returnUrl;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAccountStore accounts, IClock clock, DashboardOptions options, ILoggerFactory loggers)
    {
        var language = PageLanguage(context);
        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest();
        }

        if (await PostedForm.ReadAsync(context) is not { } form)
        {
            return Page(context, language, "", "", null, DashboardTexts.Get(language, "signin.missing"), StatusCodes.Status400BadRequest);
        }

        var organisation = form["organisation"].ToString().Trim();
        var email = form["email"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (!await DashboardForms.IsValidAsync(context))
        {
            return Page(context, language, organisation, email, returnUrl, DashboardTexts.Get(language, "signin.expired"), StatusCodes.Status400BadRequest);
        }

        if (organisation.Length == 0 || email.Length == 0 || password.Length == 0)
        {
            return Page(context, language, organisation, email, returnUrl, DashboardTexts.Get(language, "signin.missing"), StatusCodes.Status400BadRequest);
        }

        var now = clock.GetCurrentInstant();
        var account = await accounts.FindSignInAsync(organisation, email, context.RequestAborted);
        var ok = account?.PasswordHash is { } hash ? PasswordHashes.Verify(password, hash) : VerifyNothing(password);
        if (account is null || !ok || account.IsLockedAt(now))
        {
            if (account is not null && !account.IsLockedAt(now))
            {
                var after = await accounts.RecordFailedSignInAsync(organisation, email, now, options.SignInLockout, context.RequestAborted);
                if (after?.LockedUntil is { } until && after.IsLockedAt(now))
                {
                    DashboardLog.Locked(loggers.CreateLogger(DashboardLog.Category), account.User.Organisation, until.ToString(), after.FailedSignIns);
                }
            }

            return Page(context, language, organisation, email, returnUrl, DashboardTexts.Get(language, "signin.failed"), StatusCodes.Status400BadRequest);
        }

        await accounts.RecordSignInAsync(organisation, email, context.RequestAborted);
        var user = account.User;
        var chosen = SurveyLanguages.Find(account.Language ?? "")?.Code ?? language;
        await context.SignInAsync(DashboardClaims.Scheme, DashboardAuthentication.Principal(user.Organisation, user.Email, user.Role, chosen));
        DashboardLog.SignedIn(loggers.CreateLogger(DashboardLog.Category), user.Organisation, user.Role.ToString());
        return Results.Redirect(LocalOrDashboard(returnUrl));
    }

    private static bool VerifyNothing(string password)
    {
        PasswordHashes.VerifyNothing(password);
        return false;
    }

    /// <summary>The sign-in page's language: <c>?lang=</c>, else the browser's first of the six, else English.</summary>
    private static string PageLanguage(HttpContext context)
    {
        if (SurveyLanguages.Find(context.Request.Query["lang"].ToString()) is { } chosen)
        {
            return chosen.Code;
        }

        var accepted = context.Request.GetTypedHeaders().AcceptLanguage;
        foreach (var value in accepted.OrderByDescending(a => a.Quality ?? 1))
        {
            if (SurveyLanguages.Find(value.Value.ToString()) is { } language)
            {
                return language.Code;
            }
        }

        return SurveyLanguages.Fallback;
    }

    private static DashboardSignInPage Page(HttpContext context, string language, string organisation, string email, string? returnUrl, string? error, int status)
    {
        string T(string key) => HtmlPage.E(DashboardTexts.Get(language, key));
        var body = new StringBuilder().Append("<h1>").Append(T("signin.title")).Append("</h1>");
        if (error is not null)
        {
            body.Append("<p class=\"error summary\" role=\"alert\" id=\"signin-error\">").Append(HtmlPage.E(error)).Append("</p>");
        }

        body.Append("<form method=\"post\" action=\"/sign-in").Append(context.Request.Query.ContainsKey("lang") ? "?lang=" + HtmlPage.E(language) : "").Append("\">")
            .Append(DashboardForms.AntiforgeryField(context))
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(HtmlPage.E(LocalOrDashboard(returnUrl))).Append("\">")
            .Append("<label class=\"field\" for=\"organisation\">").Append(T("signin.organisation")).Append("</label>")
            .Append("<input type=\"text\" id=\"organisation\" name=\"organisation\" autocomplete=\"organization\" required value=\"").Append(HtmlPage.E(organisation)).Append("\">")
            .Append("<label class=\"field\" for=\"email\">").Append(T("signin.email")).Append("</label>")
            .Append("<input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" required value=\"").Append(HtmlPage.E(email)).Append("\">")
            .Append("<label class=\"field\" for=\"password\">").Append(T("signin.password")).Append("</label>")
            .Append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>")
            .Append("<p><button type=\"submit\" id=\"sign-in\">").Append(T("signin.submit")).Append("</button></p></form>")
            .Append("<p class=\"muted\">");
        foreach (var other in SurveyLanguages.All)
        {
            body.Append("<a lang=\"").Append(other.Code).Append("\" href=\"/sign-in?lang=").Append(other.Code)
                .Append(returnUrl is { Length: > 0 } ? "&amp;returnUrl=" + HtmlPage.E(Uri.EscapeDataString(LocalOrDashboard(returnUrl))) : "").Append("\">")
                .Append(HtmlPage.E(other.NativeName)).Append("</a> ");
        }

        body.Append("</p>");
        return new DashboardSignInPage(new DashboardPage(DashboardTexts.Get(language, "signin.title"), body.ToString(), status), language);
    }

    /// <summary>The sign-in page in the language it was asked in (nobody is signed in to give one).</summary>
    private sealed record DashboardSignInPage(DashboardPage Page, string Language) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => DashboardLayout.WriteAsync(httpContext, Page, Language);
    }
}
