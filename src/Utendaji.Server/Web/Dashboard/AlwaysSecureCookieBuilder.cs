using Microsoft.AspNetCore.Http;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// A cookie builder that always marks its cookie <c>Secure</c>, whatever the request's scheme. Used for the
/// antiforgery cookie: ASP.NET Core's antiforgery with <see cref="CookieSecurePolicy.Always"/> refuses to work at all
/// on a request that arrived over plain HTTP, which is every request behind a TLS-terminating proxy; this keeps the
/// cookie's attribute (the browser still sends it only over HTTPS or to a loopback origin) without that check.
/// </summary>
public sealed class AlwaysSecureCookieBuilder : CookieBuilder
{
    /// <inheritdoc />
    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        options.Secure = true;
        return options;
    }
}
