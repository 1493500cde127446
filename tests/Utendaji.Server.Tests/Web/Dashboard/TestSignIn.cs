using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Utendaji.Server.Web.Dashboard;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests.Web.Dashboard;

/// <summary>
/// TEST ONLY — stands in for the dashboard's sign-in until it exists: a request carrying the header
/// <see cref="Header"/> (or, for the browser, the cookie <see cref="Cookie"/>) with "org|email|Role|language" is
/// treated as signed in with exactly the claims sign-in writes. Registered by <see cref="ServerHarness"/> only;
/// nothing like it exists in src/. Switch the page tests to real sign-in once it is merged.
/// </summary>
internal sealed class TestSignIn : IStartupFilter
{
    public const string Header = "X-Test-Dashboard-User";

    public const string Cookie = "test-dashboard-user";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var value = context.Request.Headers[Header].ToString();
            if (value.Length == 0 && context.Request.Cookies.TryGetValue(Cookie, out var cookie))
            {
                value = Uri.UnescapeDataString(cookie);
            }

            var parts = value.Split('|');
            if (parts.Length == 4)
            {
                context.User = Principal(parts[0], parts[1], Enum.Parse<AccountRole>(parts[2]), parts[3]);
            }

            await nextMiddleware(context);
        });
        next(app);
    };

    public static ClaimsPrincipal Principal(string organisation, string email, AccountRole role, string language) => new(new ClaimsIdentity(
        [
            new Claim(DashboardClaims.Organisation, organisation),
            new Claim(ClaimTypes.Email, email),
            new Claim(ClaimTypes.Role, role.ToString()),
            new Claim(DashboardClaims.Language, language),
        ],
        DashboardClaims.Scheme));

    /// <summary>The header or cookie value for a person.</summary>
    public static string Value(string organisation, AccountRole role, string language = "en") =>
        $"{organisation}|{role.ToString().ToLowerInvariant()}@example.org|{role}|{language}";
}
