using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Utendaji.Core.Surveys;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// The frame of every dashboard page: a skip link, the navigation, the language picker and sign-out (for a
/// signed-in person), the page's body in <c>&lt;main id="main"&gt;</c>, one inline style sheet allowed by its hash
/// under a strict Content-Security-Policy (nothing from another origin, no script: every page works as plain HTML
/// forms), and the security headers <see cref="HtmlPage"/> sets.
/// </summary>
/// <remarks>
/// Classes pages may use: <c>table.data</c> (with <c>th[scope]</c>, <c>td.num</c> for numbers), <c>.notice</c> (a
/// confirmation), <c>.error</c> / <c>.summary</c> (problems), <c>.muted</c>, <c>form.inline</c> (a form on one line),
/// <c>.secret</c> (a value to copy), <c>.cards</c> with <c>.card</c> (KPI tiles).
/// </remarks>
public static class DashboardLayout
{
    /// <summary>The survey pages' sheet (colours, focus, forms) plus the dashboard's layout.</summary>
    public const string Css = HtmlPage.Css + """

        main{max-width:72rem}
        .skip{position:absolute;inset-inline-start:-999rem}
        .skip:focus{position:static;display:inline-block;padding:.5rem;background:#fff}
        header{background:#f3f5f8;border-bottom:1px solid #c8ccd2}
        .bar{max-width:72rem;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
        .brand{font-weight:700;font-size:1.125rem;color:#1b1b1b;text-decoration:none}
        nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        nav a{color:#0b4f9c}
        nav a[aria-current=page]{font-weight:700;color:#1b1b1b}
        .who{margin-inline-start:auto;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;font-size:.9375rem}
        form.inline{display:inline-flex;flex-wrap:wrap;gap:.375rem;align-items:center;margin:0}
        select,input[type=text],input[type=email],input[type=password]{font:inherit;padding:.375rem .5rem;border:1px solid #6b6b6b;border-radius:.375rem;max-width:100%}
        label.field{display:block;margin:.75rem 0 .25rem;font-weight:600}
        .field+input,.field+select{width:100%;max-width:24rem}
        button.link{background:none;color:#0b4f9c;text-decoration:underline;padding:0 .25rem;min-height:auto;font-weight:400}
        button.small{padding:.375rem .75rem;min-height:2.25rem}
        table.data{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.9375rem}
        table.data th,table.data td{border-bottom:1px solid #c8ccd2;padding:.375rem .5rem;text-align:start;vertical-align:top}
        table.data td.num,table.data th.num{text-align:end;font-variant-numeric:tabular-nums}
        .table-wrap{overflow-x:auto}
        .notice{border:2px solid #1d6b2f;border-radius:.5rem;padding:.75rem;margin:1rem 0}
        .muted{color:#4b4b4b}
        .secret{font-family:ui-monospace,monospace;overflow-wrap:anywhere;background:#f3f5f8;padding:.5rem;border-radius:.375rem;display:block}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem;margin:1rem 0}
        .card{border:1px solid #c8ccd2;border-radius:.5rem;padding:.75rem}
        section{margin:1.5rem 0}
        """;

    /// <summary>
    /// The dashboard's Content-Security-Policy: no script; only two style texts, each allowed by its hash —
    /// <see cref="Css"/> and the <c>&lt;style&gt;</c> inside the pages' inline SVG charts
    /// (<see cref="Utendaji.Reports.Charts.Svg.StyleSheet"/>); forms post to this origin only.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src '{Hash(Css)}' '{Hash(Utendaji.Reports.Charts.Svg.StyleSheet)}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The navigation: path, text key and the role a link needs.</summary>
    private static readonly (string Path, string Key, AccountRole Role)[] Links =
    [
        (DashboardRoutes.Prefix, "nav.overview", AccountRole.Viewer),
        (DashboardRoutes.Prefix + "/tickets", "nav.tickets", AccountRole.Viewer),
        (DashboardRoutes.Prefix + "/settings/calendars", "nav.calendars", AccountRole.Viewer),
        (DashboardRoutes.Prefix + "/settings/sla-policies", "nav.sla", AccountRole.Viewer),
        (DashboardRoutes.Prefix + "/settings/instruments", "nav.instruments", AccountRole.Viewer),
        (DashboardRoutes.Prefix + "/settings/users", "nav.users", AccountRole.Admin),
        (DashboardRoutes.Prefix + "/settings/tokens", "nav.tokens", AccountRole.Admin),
    ];

    private static string Hash(string style) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));

    /// <summary>Writes <paramref name="page"/> inside the frame, for the signed-in user of the request.</summary>
    public static Task WriteAsync(HttpContext context, DashboardPage page)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        var user = DashboardUser.From(context);
        return WriteAsync(context, page, user?.Language ?? SurveyLanguages.Fallback);
    }

    /// <summary>Writes <paramref name="page"/> in <paramref name="language"/> (the sign-in page, before anyone is signed in).</summary>
    public static async Task WriteAsync(HttpContext context, DashboardPage page, string language)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        var user = DashboardUser.From(context);
        language = SurveyLanguages.Find(language)?.Code ?? SurveyLanguages.Fallback;
        var rightToLeft = SurveyLanguages.Direction(language) == TextDirection.RightToLeft;
        var response = context.Response;
        response.StatusCode = page.Status;
        response.ContentType = "text/html; charset=utf-8";
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        string T(string key) => HtmlPage.E(DashboardTexts.Get(language, key));

        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"").Append(HtmlPage.E(language)).Append("\" dir=\"").Append(rightToLeft ? "rtl" : "ltr").Append("\">")
            .Append("<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>").Append(HtmlPage.E(page.Title)).Append(" – ").Append(T("app.name"))
            .Append("</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<a class=\"skip\" href=\"#main\">").Append(T("frame.skip")).Append("</a>")
            .Append("<header><div class=\"bar\"><a class=\"brand\" href=\"").Append(user is null ? "/sign-in" : DashboardRoutes.Prefix).Append("\">").Append(T("app.name")).Append("</a>");
        if (user is not null)
        {
            AppendNavigation(html, context, user, T);
            AppendUserTools(html, context, user, T);
        }

        html.Append("</div></header><main id=\"main\" tabindex=\"-1\">").Append(page.Body).Append("</main></body></html>");
        await response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    private static void AppendNavigation(StringBuilder html, HttpContext context, DashboardUser user, Func<string, string> t)
    {
        var path = context.Request.Path.Value ?? "";
        html.Append("<nav aria-label=\"").Append(t("frame.nav")).Append("\"><ul>");
        foreach (var (href, key, role) in Links.Where(link => user.Has(link.Role)))
        {
            // The overview is current only on itself; the others also on their sub-pages (a ticket under /tickets).
            var current = href == DashboardRoutes.Prefix
                ? path is DashboardRoutes.Prefix or DashboardRoutes.Prefix + "/"
                : path == href || path.StartsWith(href + "/", StringComparison.Ordinal);
            html.Append("<li><a href=\"").Append(href).Append('"').Append(current ? " aria-current=\"page\"" : "").Append('>').Append(t(key)).Append("</a></li>");
        }

        html.Append("</ul></nav>");
    }

    private static void AppendUserTools(StringBuilder html, HttpContext context, DashboardUser user, Func<string, string> t)
    {
        var here = context.Request.Path + context.Request.QueryString;
        html.Append("<div class=\"who\"><span>").Append(HtmlPage.E(user.Email)).Append(" · ").Append(HtmlPage.E(user.Organisation)).Append("</span>")
            .Append("<form class=\"inline\" method=\"post\" action=\"").Append(DashboardRoutes.Prefix).Append("/language\">")
            .Append(DashboardForms.AntiforgeryField(context))
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(HtmlPage.E(HttpMethods.IsGet(context.Request.Method) ? here : DashboardRoutes.Prefix)).Append("\">")
            .Append("<label for=\"language-picker\">").Append(t("frame.language")).Append("</label><select id=\"language-picker\" name=\"language\">");
        foreach (var language in SurveyLanguages.All)
        {
            html.Append("<option value=\"").Append(language.Code).Append("\" lang=\"").Append(language.Code).Append('"')
                .Append(language.Code == user.Language ? " selected" : "").Append('>').Append(HtmlPage.E(language.NativeName)).Append("</option>");
        }

        html.Append("</select><button class=\"small\" type=\"submit\">").Append(t("frame.language_change")).Append("</button></form>")
            .Append("<form class=\"inline\" method=\"post\" action=\"/sign-out\">").Append(DashboardForms.AntiforgeryField(context))
            .Append("<button class=\"small\" type=\"submit\">").Append(t("frame.sign_out")).Append("</button></form></div>");
    }
}
