using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Access;

/// <summary>
/// Authenticates the bearer token and authorises the call before anything is bound or read, in this order:
/// no or unknown or revoked token → 401; a token of another organisation (or an organisation that does not
/// exist) → 404, the same answer as for a missing resource, so nothing is hinted; role or scope too low → 403.
/// Helpdesk webhook endpoints (<see cref="SignedWebhook"/>) are the one exception: they carry no bearer token and
/// authenticate by signature in the endpoint, answering 404 for an organisation without a secret.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, IAccountStore accounts, IClock clock)
{
    public const string OrgRouteValue = "org";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var requirement = endpoint?.Metadata.GetMetadata<AccessRequirement>();
        var org = context.GetRouteValue(OrgRouteValue) as string;
        if (requirement is null && org is null)
        {
            await next(context); // operations and OpenAPI endpoints: public
            return;
        }

        if (endpoint?.Metadata.GetMetadata<SignedWebhook>() is not null)
        {
            await next(context); // authenticated by the helpdesk's signature, checked by the endpoint
            return;
        }

        var token = BearerToken(context.Request);
        if (token is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Unauthorized("Give a personal API token: 'Authorization: Bearer utd_…'.").ExecuteAsync(context);
            return;
        }

        var principal = await accounts.AuthenticateAsync(ApiTokens.Hash(token), clock.GetCurrentInstant(), context.RequestAborted);
        if (principal is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await Problems.Unauthorized("The token is unknown or revoked.").ExecuteAsync(context);
            return;
        }

        context.Features.Set(principal);
        if (org is null || !string.Equals(org, principal.Organisation, StringComparison.Ordinal))
        {
            await Problems.NotFound("No such resource.").ExecuteAsync(context);
            return;
        }

        // An endpoint of the group without a declared requirement is a programming error: refuse, do not guess.
        requirement ??= new AccessRequirement(AccountRole.Owner, Write: true);
        if (requirement.Write && principal.Scope != TokenScope.Write)
        {
            await Problems.Forbidden("This token has read scope; the request needs a write-scoped token.").ExecuteAsync(context);
            return;
        }

        if (principal.Role < requirement.Role)
        {
            await Problems.Forbidden($"The request needs the role {requirement.Role.ToString().ToLowerInvariant()} or higher.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(value.Parameter))
        {
            return null;
        }

        return value.Parameter.Trim();
    }
}
