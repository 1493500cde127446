using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using Utendaji.Core;
using Utendaji.Server.Access;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Api;

/// <summary>A member as listed.</summary>
public sealed record UserResponse(string Email, string Role, string CreatedAt);

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenResponse(long Id, string Prefix, string Email, string Scope, string? Name, string CreatedAt, string? LastUsedAt, string? RevokedAt);

/// <summary>A token just issued: <see cref="Token"/> is shown this once.</summary>
public sealed record IssuedTokenResponse(string Token, TokenResponse Info);

/// <summary>
/// People and tokens of the caller's organisation, for owners and admins (what <c>utendaji admin</c> does on the
/// server's machine). Nobody grants a role above their own.
/// </summary>
internal static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/users", ListUsersAsync)
            .WithName("ListUsers")
            .WithSummary("The organisation's people and roles")
            .Produces<IReadOnlyList<UserResponse>>()
            .Requires(AccountRole.Admin);

        group.MapPost("/users", CreateUserAsync)
            .WithName("CreateUser")
            .WithSummary("Add a person: {\"email\", \"role\"} (no role above the caller's own)")
            .AcceptsBody("application/json")
            .Produces<UserResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Requires(AccountRole.Admin, write: true);

        group.MapGet("/tokens", ListTokensAsync)
            .WithName("ListTokens")
            .WithSummary("The organisation's tokens: ids, prefixes, holders, last use; never the secrets")
            .Produces<IReadOnlyList<TokenResponse>>()
            .Requires(AccountRole.Admin);

        group.MapPost("/tokens", CreateTokenAsync)
            .WithName("CreateToken")
            .WithSummary("Issue a token for a member: {\"email\", \"scope\": \"read\"|\"write\", \"name\"}; the secret is in this answer only")
            .AcceptsBody("application/json")
            .Produces<IssuedTokenResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .Requires(AccountRole.Admin, write: true);

        group.MapDelete("/tokens/{id}", RevokeTokenAsync)
            .WithName("RevokeToken")
            .WithSummary("Revoke a token; requests with it are refused from now on")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Requires(AccountRole.Admin, write: true);
        return group;
    }

    private static async Task<IResult> ListUsersAsync(string org, IAccountStore accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.ListUsersAsync(org, ct)).Select(u => new UserResponse(u.Email, Name(u.Role), u.CreatedAt.ToString())).ToList());

    private static async Task<IResult> ListTokensAsync(string org, IAccountStore accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.ListTokensAsync(org, ct)).Select(Response).ToList());

    private static async Task<IResult> CreateUserAsync(string org, HttpContext http, IAccountStore accounts, ServerOptions options, CancellationToken ct)
    {
        var (fields, problem) = await ReadObjectAsync(http, options, ["email", "role"], ["email", "role"], ct);
        if (problem is not null)
        {
            return problem;
        }

        if (!TryParse(fields["role"], out AccountRole role))
        {
            return Problems.Validation("role", $"'{fields["role"]}' is not one of owner, admin, manager, agent, viewer");
        }

        if (role > http.Caller().Role)
        {
            return Problems.Forbidden($"Nobody grants a role above their own ({Name(http.Caller().Role)}).");
        }

        try
        {
            var user = await accounts.CreateUserAsync(org, fields["email"]!, role, options.Clock.GetCurrentInstant(), ct);
            return TypedResults.Created($"/api/v1/orgs/{org}/users", new UserResponse(user.Email, Name(user.Role), user.CreatedAt.ToString()));
        }
        catch (AccountException e) when (e.Message.Contains("already a member", StringComparison.Ordinal))
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        catch (AccountException e)
        {
            // The field the store names (the token's name, the address); an unknown member is about the address.
            return Problems.Validation(e.Field ?? "email", e.Message);
        }
    }

    private static async Task<IResult> CreateTokenAsync(string org, HttpContext http, IAccountStore accounts, ServerOptions options, CancellationToken ct)
    {
        var (fields, problem) = await ReadObjectAsync(http, options, ["email", "scope", "name"], ["email", "scope"], ct);
        if (problem is not null)
        {
            return problem;
        }

        if (!TryParse(fields["scope"], out TokenScope scope))
        {
            return Problems.Validation("scope", $"'{fields["scope"]}' is not read or write");
        }

        try
        {
            var issued = await accounts.CreateTokenAsync(org, fields["email"]!, scope, fields.GetValueOrDefault("name"), options.Clock.GetCurrentInstant(), ct);
            return TypedResults.Created($"/api/v1/orgs/{org}/tokens", new IssuedTokenResponse(issued.Secret, Response(issued.Token)));
        }
        catch (AccountException e)
        {
            // The field the store names (the token's name, the address); an unknown member is about the address.
            return Problems.Validation(e.Field ?? "email", e.Message);
        }
    }

    private static async Task<IResult> RevokeTokenAsync(string org, string id, IAccountStore accounts, ServerOptions options, CancellationToken ct)
    {
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var tokenId))
        {
            return Problems.NotFound("No such token.");
        }

        return await accounts.RevokeTokenAsync(org, tokenId, options.Clock.GetCurrentInstant(), ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("No such valid token.");
    }

    /// <summary>A JSON object of string fields: every field known, the required ones present.</summary>
    private static async Task<(Dictionary<string, string?> Fields, IResult? Problem)> ReadObjectAsync(
        HttpContext http, ServerOptions options, string[] known, string[] required, CancellationToken ct)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var body = await RequestBody.ReadAsync(http.Request, options.JsonBodyLimit, ct);
        if (body is null)
        {
            return (fields, Problems.TooLarge(options.JsonBodyLimit));
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (fields, Problems.Validation("$", "is not a JSON object"));
            }

            if (JsonText.FindLoneSurrogate(body) is { } surrogatePath)
            {
                return (fields, Problems.Validation(surrogatePath.Length == 0 ? "$" : surrogatePath, JsonText.LoneSurrogateReason));
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    errors[property.Name] = [$"is not a field of this object (allowed: {string.Join(", ", known)})"];
                }
                else if (property.Value.ValueKind == JsonValueKind.String)
                {
                    fields[property.Name] = property.Value.GetString();
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    errors[property.Name] = [$"must be a string, not a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}"];
                }
            }
        }
        catch (JsonException e)
        {
            return (fields, Problems.Validation("$", $"is not valid JSON: {e.Message}"));
        }

        foreach (var name in required.Where(n => string.IsNullOrWhiteSpace(fields.GetValueOrDefault(n)) && !errors.ContainsKey(n)))
        {
            errors[name] = ["is required"];
        }

        return (fields, errors.Count > 0 ? Problems.Validation(errors) : null);
    }

    private static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && !int.TryParse(text, out _) && Enum.IsDefined(value);

    private static TokenResponse Response(TokenInfo t) => new(
        t.TokenId, t.Prefix, t.Email, Name(t.Scope), t.Name, t.CreatedAt.ToString(), Text(t.LastUsedAt), Text(t.RevokedAt));

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string? Text(Instant? instant) => instant?.ToString();
}
