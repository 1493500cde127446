using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// <c>/dashboard/settings/users</c> and <c>/dashboard/settings/tokens</c>: the organisation's people and API tokens,
/// for admins and owners only (others get a 403 page), always of the signed-in person's own organisation. As in the
/// API, nobody grants a role above their own, and nobody changes their own role.
/// </summary>
public static class DashboardPeople
{
    private const string UsersPath = DashboardRoutes.Prefix + "/settings/users";
    private const string TokensPath = DashboardRoutes.Prefix + "/settings/tokens";

    /// <summary>Maps the two pages and their forms onto the signed-in group.</summary>
    public static RouteGroupBuilder MapDashboardPeople(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/settings/users", async (HttpContext context, IAccountStore accounts) =>
            Forbidden(context) ?? await UsersPageAsync(context, accounts, null, StatusCodes.Status200OK, "", AccountRole.Viewer));
        group.MapPost("/settings/users", AddUserAsync);
        group.MapPost("/settings/users/role", ChangeRoleAsync);
        group.MapGet("/settings/tokens", async (HttpContext context, IAccountStore accounts) =>
            Forbidden(context) ?? await TokensPageAsync(context, accounts, null, null, StatusCodes.Status200OK));
        group.MapPost("/settings/tokens", CreateTokenAsync);
        group.MapPost("/settings/tokens/{id:long}/revoke", RevokeTokenAsync);
        return group;
    }

    /// <summary>The 403 page for anyone below admin, or null for admins and owners.</summary>
    private static DashboardPage? Forbidden(HttpContext context)
    {
        var user = DashboardUser.From(context)!;
        if (user.Has(AccountRole.Admin))
        {
            return null;
        }

        var title = DashboardTexts.Get(user.Language, "forbidden.title");
        return new DashboardPage(title, "<h1>" + HtmlPage.E(title) + "</h1><p>" + HtmlPage.E(DashboardTexts.Get(user.Language, "forbidden.text")) + "</p>", StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> AddUserAsync(HttpContext context, IAccountStore accounts, IClock clock)
    {
        if (Forbidden(context) is { } forbidden)
        {
            return forbidden;
        }

        var user = DashboardUser.From(context)!;
        if (await PostedForm.ReadAsync(context) is not { } form)
        {
            return Results.BadRequest();
        }

        var email = form["email"].ToString().Trim();
        var password = form["password"].ToString();
        var roleText = form["role"].ToString();
        string? error = null;
        if (!Enum.TryParse<AccountRole>(roleText, ignoreCase: false, out var role) || !Enum.IsDefined(role))
        {
            error = DashboardTexts.Get(user.Language, "people.role_unknown");
        }
        else if (role > user.Role)
        {
            error = DashboardTexts.Get(user.Language, "people.role_above");
        }
        else if (!LooksLikeEmail(email))
        {
            error = DashboardTexts.Get(user.Language, "people.email_invalid");
        }
        else if (password.Length < PasswordHashes.MinimumLength)
        {
            error = DashboardTexts.Format(user.Language, "people.password_short", ("min", PasswordHashes.MinimumLength.ToString(user.Culture)));
        }

        if (error is null)
        {
            // Hash first: a failure after the person is added would leave them without the password they were given.
            var hash = PasswordHashes.Hash(password);
            try
            {
                await accounts.CreateUserAsync(user.Organisation, email, role, clock.GetCurrentInstant(), context.RequestAborted);
                await accounts.SetPasswordAsync(user.Organisation, email, hash, context.RequestAborted);
                Log(context, $"person added as {role}", user);
                return Results.Redirect(UsersPath + "?done=added");
            }
            catch (AccountException)
            {
                error = DashboardTexts.Get(user.Language, "people.exists");
            }
        }

        return await UsersPageAsync(context, accounts, error, StatusCodes.Status400BadRequest, email, Enum.IsDefined(role) ? role : AccountRole.Viewer);
    }

    private static async Task<IResult> ChangeRoleAsync(HttpContext context, IAccountStore accounts)
    {
        if (Forbidden(context) is { } forbidden)
        {
            return forbidden;
        }

        var user = DashboardUser.From(context)!;
        if (await PostedForm.ReadAsync(context) is not { } form)
        {
            return Results.BadRequest();
        }

        var email = form["email"].ToString().Trim().ToLowerInvariant();
        var target = await accounts.FindSignInAsync(user.Organisation, email, context.RequestAborted);
        string? error = null;
        if (!Enum.TryParse<AccountRole>(form["role"].ToString(), ignoreCase: false, out var role) || !Enum.IsDefined(role))
        {
            error = DashboardTexts.Get(user.Language, "people.role_unknown");
        }
        else if (target is null)
        {
            error = DashboardTexts.Get(user.Language, "people.not_found");
        }
        else if (string.Equals(target.User.Email, user.Email, StringComparison.Ordinal))
        {
            error = DashboardTexts.Get(user.Language, "people.not_self");
        }
        else if (role > user.Role || target.User.Role > user.Role)
        {
            error = DashboardTexts.Get(user.Language, "people.role_above");
        }

        if (error is null && await accounts.SetRoleAsync(user.Organisation, email, role, context.RequestAborted))
        {
            Log(context, $"role changed from {target!.User.Role} to {role}", user);
            return Results.Redirect(UsersPath + "?done=role");
        }

        return await UsersPageAsync(context, accounts, error ?? DashboardTexts.Get(user.Language, "people.not_found"), StatusCodes.Status400BadRequest, "", AccountRole.Viewer);
    }

    private static async Task<IResult> UsersPageAsync(HttpContext context, IAccountStore accounts, string? error, int status, string email, AccountRole role)
    {
        var user = DashboardUser.From(context)!;
        string T(string key) => HtmlPage.E(DashboardTexts.Get(user.Language, key));
        var people = await accounts.ListUsersAsync(user.Organisation, context.RequestAborted);
        var body = new StringBuilder().Append("<h1>").Append(T("people.title")).Append("</h1>");
        AppendOutcome(body, context, user, error, "added", "role");
        body.Append("<div class=\"table-wrap\"><table class=\"data\"><caption class=\"muted\">").Append(T("people.caption")).Append("</caption><thead><tr>")
            .Append("<th scope=\"col\">").Append(T("people.email")).Append("</th><th scope=\"col\">").Append(T("people.role"))
            .Append("</th><th scope=\"col\">").Append(T("people.since")).Append("</th><th scope=\"col\">").Append(T("people.change_role")).Append("</th></tr></thead><tbody>");
        foreach (var person in people)
        {
            body.Append("<tr><td>").Append(Ltr(person.Email)).Append("</td><td>").Append(T("role." + Name(person.Role)))
                .Append("</td><td>").Append(Ltr(Date(person.CreatedAt, user.Culture))).Append("</td><td>");
            if (person.Email != user.Email && person.Role <= user.Role)
            {
                var id = "role-" + person.UserId.ToString(CultureInfo.InvariantCulture);
                body.Append("<form class=\"inline\" method=\"post\" action=\"").Append(UsersPath).Append("/role\">").Append(DashboardForms.AntiforgeryField(context))
                    .Append("<input type=\"hidden\" name=\"email\" value=\"").Append(HtmlPage.E(person.Email)).Append("\">")
                    .Append("<label class=\"muted\" for=\"").Append(id).Append("\">").Append(T("people.new_role")).Append("</label>");
                AppendRoleSelect(body, id, user, person.Role);
                body.Append("<button class=\"small\" type=\"submit\">").Append(T("people.change")).Append("</button></form>");
            }
            else
            {
                body.Append("<span class=\"muted\">–</span>");
            }

            body.Append("</td></tr>");
        }

        body.Append("</tbody></table></div><section aria-labelledby=\"add-heading\"><h2 id=\"add-heading\">").Append(T("people.add")).Append("</h2>")
            .Append("<form method=\"post\" action=\"").Append(UsersPath).Append("\">").Append(DashboardForms.AntiforgeryField(context))
            .Append("<label class=\"field\" for=\"new-email\">").Append(T("people.email")).Append("</label>")
            .Append("<input type=\"email\" id=\"new-email\" name=\"email\" required autocomplete=\"off\" value=\"").Append(HtmlPage.E(email)).Append("\">")
            .Append("<label class=\"field\" for=\"new-role\">").Append(T("people.role")).Append("</label>");
        AppendRoleSelect(body, "new-role", user, role);
        body.Append("<label class=\"field\" for=\"new-password\">").Append(T("people.initial_password")).Append("</label>")
            .Append("<input type=\"password\" id=\"new-password\" name=\"password\" required autocomplete=\"new-password\" minlength=\"")
            .Append(PasswordHashes.MinimumLength.ToString(CultureInfo.InvariantCulture)).Append("\">")
            .Append("<p class=\"muted\">").Append(HtmlPage.E(DashboardTexts.Format(user.Language, "people.password_hint", ("min", PasswordHashes.MinimumLength.ToString(user.Culture))))).Append("</p>")
            .Append("<p><button type=\"submit\" id=\"add-person\">").Append(T("people.add_button")).Append("</button></p></form></section>");
        return new DashboardPage(DashboardTexts.Get(user.Language, "people.title"), body.ToString(), status);
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext context, IAccountStore accounts, IClock clock)
    {
        if (Forbidden(context) is { } forbidden)
        {
            return forbidden;
        }

        var user = DashboardUser.From(context)!;
        if (await PostedForm.ReadAsync(context) is not { } form)
        {
            return Results.BadRequest();
        }

        if (form["scope"].ToString() is not ("read" or "write"))
        {
            return await TokensPageAsync(context, accounts, DashboardTexts.Get(user.Language, "tokens.scope_unknown"), null, StatusCodes.Status400BadRequest);
        }

        var scope = form["scope"].ToString() == "write" ? TokenScope.Write : TokenScope.Read;
        var name = form["name"].ToString().Trim();
        if (name.Length > AccountText.MaxTokenNameLength)
        {
            return await TokensPageAsync(context, accounts, DashboardTexts.Get(user.Language, "tokens.name_long"), null, StatusCodes.Status400BadRequest);
        }

        if (!AccountText.IsPlain(name))
        {
            // A control character cannot be typed into the field: only a crafted request has one.
            return Results.BadRequest();
        }

        var issued = await accounts.CreateTokenAsync(user.Organisation, user.Email, scope, name.Length == 0 ? null : name, clock.GetCurrentInstant(), context.RequestAborted);
        Log(context, $"{scope} token {issued.Token.TokenId} issued", user);
        // The secret is in this one response only (no redirect, Cache-Control: no-store); only its hash is stored.
        return await TokensPageAsync(context, accounts, null, issued, StatusCodes.Status200OK);
    }

    private static async Task<IResult> RevokeTokenAsync(HttpContext context, IAccountStore accounts, IClock clock, long id)
    {
        if (Forbidden(context) is { } forbidden)
        {
            return forbidden;
        }

        var user = DashboardUser.From(context)!;
        if (await accounts.RevokeTokenAsync(user.Organisation, id, clock.GetCurrentInstant(), context.RequestAborted))
        {
            Log(context, $"token {id} revoked", user);
            return Results.Redirect(TokensPath + "?done=revoked");
        }

        return await TokensPageAsync(context, accounts, DashboardTexts.Get(user.Language, "tokens.not_found"), null, StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> TokensPageAsync(HttpContext context, IAccountStore accounts, string? error, IssuedToken? issued, int status)
    {
        var user = DashboardUser.From(context)!;
        string T(string key) => HtmlPage.E(DashboardTexts.Get(user.Language, key));
        var tokens = await accounts.ListTokensAsync(user.Organisation, context.RequestAborted);
        var body = new StringBuilder().Append("<h1>").Append(T("tokens.title")).Append("</h1>");
        AppendOutcome(body, context, user, error, "revoked");
        if (issued is not null)
        {
            body.Append("<div class=\"notice\" role=\"status\"><p>").Append(T("tokens.created")).Append("</p><code class=\"secret\" id=\"new-token\">")
                .Append(HtmlPage.E(issued.Secret)).Append("</code></div>");
        }

        body.Append("<div class=\"table-wrap\"><table class=\"data\"><thead><tr>")
            .Append("<th scope=\"col\" class=\"num\">").Append(T("tokens.id")).Append("</th><th scope=\"col\">").Append(T("tokens.prefix"))
            .Append("</th><th scope=\"col\">").Append(T("tokens.holder")).Append("</th><th scope=\"col\">").Append(T("tokens.scope"))
            .Append("</th><th scope=\"col\">").Append(T("tokens.name")).Append("</th><th scope=\"col\">").Append(T("tokens.created_at"))
            .Append("</th><th scope=\"col\">").Append(T("tokens.last_used")).Append("</th><th scope=\"col\">").Append(T("tokens.status")).Append("</th></tr></thead><tbody>");
        foreach (var token in tokens)
        {
            body.Append("<tr><td class=\"num\">").Append(token.TokenId.ToString(user.Culture)).Append("</td><td><code>").Append(HtmlPage.E(token.Prefix)).Append("…</code></td><td>")
                .Append(HtmlPage.E(token.Email)).Append("</td><td>").Append(T("tokens.scope_" + (token.Scope == TokenScope.Write ? "write" : "read"))).Append("</td><td>")
                .Append(HtmlPage.E(token.Name ?? "–")).Append("</td><td>").Append(Ltr(Date(token.CreatedAt, user.Culture))).Append("</td><td>")
                .Append(token.LastUsedAt is { } used ? Ltr(Date(used, user.Culture)) : T("tokens.never")).Append("</td><td>");
            if (token.RevokedAt is { } revoked)
            {
                body.Append(HtmlPage.E(DashboardTexts.Format(user.Language, "tokens.revoked_at", ("date", Date(revoked, user.Culture)))));
            }
            else
            {
                body.Append("<form class=\"inline\" method=\"post\" action=\"").Append(TokensPath).Append('/').Append(token.TokenId.ToString(CultureInfo.InvariantCulture))
                    .Append("/revoke\">").Append(DashboardForms.AntiforgeryField(context))
                    .Append("<button class=\"small\" type=\"submit\" aria-label=\"").Append(HtmlPage.E(DashboardTexts.Format(user.Language, "tokens.revoke_label", ("prefix", token.Prefix))))
                    .Append("\">").Append(T("tokens.revoke")).Append("</button></form>");
            }

            body.Append("</td></tr>");
        }

        body.Append("</tbody></table></div><section aria-labelledby=\"create-heading\"><h2 id=\"create-heading\">").Append(T("tokens.create")).Append("</h2>")
            .Append("<p class=\"muted\">").Append(T("tokens.create_hint")).Append("</p>")
            .Append("<form method=\"post\" action=\"").Append(TokensPath).Append("\">").Append(DashboardForms.AntiforgeryField(context))
            .Append("<label class=\"field\" for=\"token-name\">").Append(T("tokens.name")).Append("</label>")
            .Append("<input type=\"text\" id=\"token-name\" name=\"name\" maxlength=\"100\" autocomplete=\"off\">")
            .Append("<label class=\"field\" for=\"token-scope\">").Append(T("tokens.scope")).Append("</label>")
            .Append("<select id=\"token-scope\" name=\"scope\"><option value=\"read\">").Append(T("tokens.scope_read")).Append("</option><option value=\"write\">")
            .Append(T("tokens.scope_write")).Append("</option></select>")
            .Append("<p><button type=\"submit\" id=\"create-token\">").Append(T("tokens.create_button")).Append("</button></p></form></section>");
        return new DashboardPage(DashboardTexts.Get(user.Language, "tokens.title"), body.ToString(), status);
    }

    private static void AppendOutcome(StringBuilder body, HttpContext context, DashboardUser user, string? error, params string[] outcomes)
    {
        if (error is not null)
        {
            body.Append("<p class=\"error summary\" role=\"alert\">").Append(HtmlPage.E(error)).Append("</p>");
            return;
        }

        var done = context.Request.Query["done"].ToString();
        if (outcomes.Contains(done, StringComparer.Ordinal))
        {
            body.Append("<p class=\"notice\" role=\"status\">").Append(HtmlPage.E(DashboardTexts.Get(user.Language, "done." + done))).Append("</p>");
        }
    }

    private static void AppendRoleSelect(StringBuilder body, string id, DashboardUser user, AccountRole selected)
    {
        body.Append("<select id=\"").Append(id).Append("\" name=\"role\">");
        foreach (var role in Enum.GetValues<AccountRole>().Where(r => r <= user.Role).Reverse())
        {
            body.Append("<option value=\"").Append(role.ToString()).Append('"').Append(role == selected ? " selected" : "").Append('>')
                .Append(HtmlPage.E(DashboardTexts.Get(user.Language, "role." + Name(role)))).Append("</option>");
        }

        body.Append("</select>");
    }

    private static void Log(HttpContext context, string change, DashboardUser user) =>
        DashboardLog.PeopleChanged(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(DashboardLog.Category), change, user.Organisation, user.Role.ToString());

    private static bool LooksLikeEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < email.Length - 1 && email.Length <= AccountText.MaxEmailLength && !email.Any(char.IsWhiteSpace) && AccountText.IsPlain(email);
    }

    private static string Name(AccountRole role) => role.ToString().ToLowerInvariant();

    /// <summary>Escaped text kept left to right as one unit inside a right-to-left page (addresses, dates with "UTC").</summary>
    private static string Ltr(string text) => "<bdi dir=\"ltr\">" + HtmlPage.E(text) + "</bdi>";

    /// <summary>An instant as a date and time (UTC) in the person's culture.</summary>
    private static string Date(Instant instant, CultureInfo culture) =>
        instant.ToDateTimeUtc().ToString("g", culture) + " UTC";
}
