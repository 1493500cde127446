using System.Collections.Concurrent;
using NodaTime;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Access;

/// <summary>
/// The account store with token look-ups remembered for a short time (<see cref="ServerOptions.TokenCacheDuration"/>).
/// Every API request authenticates its token; without this, each one queried the account store under its lock,
/// which halved the rate of the cheapest authenticated request.
/// </summary>
/// <remarks>
/// Only successful look-ups are remembered, keyed by the token's SHA-256 (never the token). A revocation or role
/// change made through this server forgets every remembered token at once, so it takes effect on the next request.
/// One made elsewhere (the CLI, another node on the same PostgreSQL) takes effect on this node within the cache
/// duration. The token's last use is recorded when it is looked up in the store, at most once a minute anyway.
/// </remarks>
internal sealed class CachingAccountStore(IAccountStore inner, Duration lifetime) : IAccountStore
{
    /// <summary>Remembered tokens at most; beyond that the cache starts again (only valid tokens get in).</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The store this one delegates to.</summary>
    public IAccountStore Inner => inner;

    /// <inheritdoc />
    public async Task<TokenPrincipal?> AuthenticateAsync(ReadOnlyMemory<byte> tokenHash, Instant now, CancellationToken cancellationToken = default)
    {
        var key = Convert.ToHexString(tokenHash.Span);
        if (_tokens.TryGetValue(key, out var entry) && now < entry.Until && now >= entry.Since)
        {
            return entry.Principal;
        }

        // A revocation or role change through this server bumps the generation when it is done; a look-up that
        // overlapped it may have read the old state, so it is answered but not remembered.
        var generation = Volatile.Read(ref _generation);
        var principal = await inner.AuthenticateAsync(tokenHash, now, cancellationToken);
        if (principal is null)
        {
            _tokens.TryRemove(key, out _);
            return null;
        }

        if (lifetime > Duration.Zero)
        {
            if (_tokens.Count >= MaxEntries)
            {
                _tokens.Clear();
            }

            lock (_tokens)
            {
                if (generation == _generation)
                {
                    _tokens[key] = new Entry(principal, now, now + lifetime);
                }
            }
        }

        return principal;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeTokenAsync(string organisation, long tokenId, Instant now, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.RevokeTokenAsync(organisation, tokenId, now, cancellationToken);
        }
        finally
        {
            Forget();
        }
    }

    /// <inheritdoc />
    public async Task<bool> SetRoleAsync(string organisation, string email, AccountRole role, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.SetRoleAsync(organisation, email, role, cancellationToken);
        }
        finally
        {
            Forget();
        }
    }

    /// <inheritdoc />
    public Task CreateOrganisationAsync(string organisation, CancellationToken cancellationToken = default) =>
        inner.CreateOrganisationAsync(organisation, cancellationToken);

    /// <inheritdoc />
    public Task<bool> OrganisationExistsAsync(string organisation, CancellationToken cancellationToken = default) =>
        inner.OrganisationExistsAsync(organisation, cancellationToken);

    /// <inheritdoc />
    public Task<AccountUser> CreateUserAsync(string organisation, string email, AccountRole role, Instant now, CancellationToken cancellationToken = default) =>
        inner.CreateUserAsync(organisation, email, role, now, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AccountUser>> ListUsersAsync(string organisation, CancellationToken cancellationToken = default) =>
        inner.ListUsersAsync(organisation, cancellationToken);

    /// <inheritdoc />
    public Task<IssuedToken> CreateTokenAsync(string organisation, string email, TokenScope scope, string? name, Instant now, CancellationToken cancellationToken = default) =>
        inner.CreateTokenAsync(organisation, email, scope, name, now, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string organisation, CancellationToken cancellationToken = default) =>
        inner.ListTokensAsync(organisation, cancellationToken);

    /// <inheritdoc />
    public Task<AccountSignIn?> FindSignInAsync(string organisation, string email, CancellationToken cancellationToken = default) =>
        inner.FindSignInAsync(organisation, email, cancellationToken);

    /// <inheritdoc />
    public Task SetPasswordAsync(string organisation, string email, string passwordHash, CancellationToken cancellationToken = default) =>
        inner.SetPasswordAsync(organisation, email, passwordHash, cancellationToken);

    /// <inheritdoc />
    public Task<AccountSignIn?> RecordFailedSignInAsync(string organisation, string email, Instant now, SignInLockout lockout, CancellationToken cancellationToken = default) =>
        inner.RecordFailedSignInAsync(organisation, email, now, lockout, cancellationToken);

    /// <inheritdoc />
    public Task RecordSignInAsync(string organisation, string email, CancellationToken cancellationToken = default) =>
        inner.RecordSignInAsync(organisation, email, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetLanguageAsync(string organisation, string email, string? language, CancellationToken cancellationToken = default) =>
        inner.SetLanguageAsync(organisation, email, language, cancellationToken);

    /// <summary>Not disposed here: the caller owns the inner store (<see cref="ServerOptions.Accounts"/>).</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Forgets every remembered token, and any look-up still in flight.</summary>
    private void Forget()
    {
        lock (_tokens)
        {
            _generation++;
            _tokens.Clear();
        }
    }

    /// <summary>A remembered principal, good from <paramref name="Since"/> until <paramref name="Until"/> (a clock set back forgets it).</summary>
    private readonly record struct Entry(TokenPrincipal Principal, Instant Since, Instant Until);
}
