using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// The dashboard's session: an ASP.NET Core authentication cookie (scheme <see cref="DashboardClaims.Scheme"/>),
/// encrypted with data-protection keys kept in <see cref="DashboardOptions.KeysDirectory"/> so sessions survive a
/// restart and every node sharing that folder accepts every node's cookies. The API's bearer tokens are separate
/// (<c>Access/AccessMiddleware</c>) and never look at this cookie.
/// </summary>
public static class DashboardAuthentication
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "utendaji-session";

    /// <summary>Registers data protection and the cookie scheme.</summary>
    public static IServiceCollection AddDashboardAuthentication(this IServiceCollection services, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        var protection = services.AddDataProtection().SetApplicationName("utendaji");
        if (options.KeysDirectory is { } folder)
        {
            // Whoever reads the keys can forge sessions: a new folder is the service user's alone.
            var keys = Directory.Exists(folder) || OperatingSystem.IsWindows()
                ? Directory.CreateDirectory(folder)
                : Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            protection.PersistKeysToFileSystem(keys);
        }
        else
        {
            // No folder: keys live in this process only; sessions end when it stops.
            services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        }

        services.AddAuthentication(DashboardClaims.Scheme).AddCookie(DashboardClaims.Scheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            // Always Secure, even when the server itself speaks plain HTTP behind a TLS-terminating proxy.
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.Path = "/";
            cookie.ExpireTimeSpan = options.Session;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/sign-in";
            cookie.LogoutPath = "/sign-out";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnValidatePrincipal = RecheckAsync;
        });
        return services;
    }

    /// <summary>The claims written at sign-in (and again when the language changes).</summary>
    public static ClaimsPrincipal Principal(string organisation, string email, AccountRole role, string language)
    {
        var identity = new ClaimsIdentity(
            [
                // The antiforgery tokens are bound to this one claim, so they survive a change of language.
                new Claim(ClaimTypes.NameIdentifier, organisation + "\n" + email),
                new Claim(ClaimTypes.Name, email),
                new Claim(ClaimTypes.Email, email),
                new Claim(ClaimTypes.Role, role.ToString()),
                new Claim(DashboardClaims.Organisation, organisation),
                new Claim(DashboardClaims.Language, language),
            ],
            DashboardClaims.Scheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// On every request with a session: the person must still be a member with the same role, else the session ends
    /// at once (a removed or demoted person does not keep a cookie's worth of access).
    /// </summary>
    private static async Task RecheckAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal is { } principal ? DashboardUser.From(principal) : null;
        var current = user is null
            ? null
            : await context.HttpContext.RequestServices.GetRequiredService<IAccountStore>()
                .FindSignInAsync(user.Organisation, user.Email, context.HttpContext.RequestAborted);
        if (user is null || current is null || current.User.Role != user.Role)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardClaims.Scheme);
        }
    }
}
