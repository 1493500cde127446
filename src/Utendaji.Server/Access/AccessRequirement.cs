using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Access;

/// <summary>
/// Endpoint metadata: the least role a caller needs, and whether the token must have write scope. Every endpoint
/// under <c>/api/v1/orgs/{org}</c> carries one; the access middleware refuses endpoints of the group without it.
/// </summary>
/// <param name="Role">The least role.</param>
/// <param name="Write">Whether a read-scoped token is refused.</param>
public sealed record AccessRequirement(AccountRole Role, bool Write);

/// <summary>Declaring what an endpoint needs.</summary>
internal static class AccessRequirementExtensions
{
    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder builder, AccountRole role, bool write = false) =>
        builder.WithMetadata(new AccessRequirement(role, write));

    /// <summary>The caller the access middleware authenticated.</summary>
    public static TokenPrincipal Caller(this HttpContext context) =>
        context.Features.Get<TokenPrincipal>() ?? throw new InvalidOperationException("no authenticated caller on this request");
}
