using NodaTime;

namespace Utendaji.Storage.Accounts;

/// <summary>
/// Organisations, their people and the API tokens people call the server with. Storage-neutral: SQLite
/// (<see cref="SqliteAccountStore"/>) or PostgreSQL (<see cref="PostgresAccountStore"/>, shared by several server
/// processes). One long-lived, thread-safe object per process.
/// </summary>
/// <remarks>
/// Names and e-mail addresses are compared exactly after trimming; e-mail addresses are kept lower-case. What may be
/// stored is <see cref="AccountText"/>'s rule; a look-up by a value that could never be stored (a control character)
/// finds nothing, as for an unknown one.
/// </remarks>
public interface IAccountStore : IAsyncDisposable
{
    /// <summary>Creates an organisation.</summary>
    /// <exception cref="AccountException">The name is taken or breaks <see cref="AccountText.Organisation"/>'s rules.</exception>
    Task CreateOrganisationAsync(string organisation, CancellationToken cancellationToken = default);

    /// <summary>Whether the organisation exists.</summary>
    Task<bool> OrganisationExistsAsync(string organisation, CancellationToken cancellationToken = default);

    /// <summary>Adds a person to an organisation.</summary>
    /// <exception cref="AccountException">No such organisation, or the address is already a member.</exception>
    Task<AccountUser> CreateUserAsync(string organisation, string email, AccountRole role, Instant now, CancellationToken cancellationToken = default);

    /// <summary>The people of an organisation, by e-mail address.</summary>
    Task<IReadOnlyList<AccountUser>> ListUsersAsync(string organisation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues a personal token for a member. The returned <see cref="IssuedToken.Secret"/> is the only copy:
    /// only its SHA-256 is stored.
    /// </summary>
    /// <exception cref="AccountException">No such organisation or member.</exception>
    Task<IssuedToken> CreateTokenAsync(string organisation, string email, TokenScope scope, string? name, Instant now, CancellationToken cancellationToken = default);

    /// <summary>
    /// The caller a token belongs to, or null when the token is unknown or revoked (the same answer for both, so a
    /// caller learns nothing). Records <paramref name="now"/> as the token's last use (at most once a minute).
    /// </summary>
    Task<TokenPrincipal?> AuthenticateAsync(ReadOnlyMemory<byte> tokenHash, Instant now, CancellationToken cancellationToken = default);

    /// <summary>Revokes a token of the organisation; false when it has no such token or it was already revoked.</summary>
    Task<bool> RevokeTokenAsync(string organisation, long tokenId, Instant now, CancellationToken cancellationToken = default);

    /// <summary>The organisation's tokens (never their secrets), by id.</summary>
    Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string organisation, CancellationToken cancellationToken = default);

    /// <summary>
    /// A member with what dashboard sign-in needs (password hash, failures, lock, language), or null when the
    /// organisation or the member does not exist (the same answer for both).
    /// </summary>
    Task<AccountSignIn?> FindSignInAsync(string organisation, string email, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a member's password hash (<see cref="PasswordHashes.Hash(string)"/>; never the password) and clears
    /// their failed sign-ins and lock.
    /// </summary>
    /// <exception cref="AccountException">No such organisation or member, or the text is not a password hash.</exception>
    Task SetPasswordAsync(string organisation, string email, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failed sign-in in one atomic statement (several processes count together): a lock that has run out
    /// starts the count again; reaching <see cref="SignInLockout.MaxFailures"/> locks the member until
    /// <paramref name="now"/> + <see cref="SignInLockout.LockDuration"/>. A member who is still locked is left as is.
    /// Returns the state afterwards, or null when there is no such member.
    /// </summary>
    Task<AccountSignIn?> RecordFailedSignInAsync(string organisation, string email, Instant now, SignInLockout lockout, CancellationToken cancellationToken = default);

    /// <summary>Clears a member's failed sign-ins and lock after a successful sign-in.</summary>
    Task RecordSignInAsync(string organisation, string email, CancellationToken cancellationToken = default);

    /// <summary>Remembers a member's dashboard language (a language code; null: English); false when there is no such member.</summary>
    Task<bool> SetLanguageAsync(string organisation, string email, string? language, CancellationToken cancellationToken = default);

    /// <summary>Changes a member's role; false when there is no such member.</summary>
    /// <exception cref="AccountException">The role is not defined, or no such organisation.</exception>
    Task<bool> SetRoleAsync(string organisation, string email, AccountRole role, CancellationToken cancellationToken = default);
}

/// <summary>How many failed sign-ins lock a person out, and for how long.</summary>
/// <param name="MaxFailures">Failures in a row that lock the account (at least 1).</param>
/// <param name="LockDuration">How long the lock lasts (positive).</param>
public sealed record SignInLockout(int MaxFailures, Duration LockDuration)
{
    /// <summary>5 failures lock for 15 minutes.</summary>
    public static SignInLockout Default { get; } = new(5, Duration.FromMinutes(15));
}

/// <summary>A member as dashboard sign-in sees them.</summary>
/// <param name="User">The member.</param>
/// <param name="PasswordHash">The stored hash, or null when no password was ever set (token-only member).</param>
/// <param name="FailedSignIns">Failed sign-ins since the last success or lock.</param>
/// <param name="LockedUntil">When the lock ends (exclusive), or null.</param>
/// <param name="Language">The remembered dashboard language, or null.</param>
public sealed record AccountSignIn(AccountUser User, string? PasswordHash, int FailedSignIns, Instant? LockedUntil, string? Language)
{
    /// <summary>Whether sign-in is refused at <paramref name="now"/> because of the lock.</summary>
    public bool IsLockedAt(Instant now) => LockedUntil is { } until && now < until;
}

/// <summary>What a person may do in their organisation; each role includes every lower one.</summary>
public enum AccountRole
{
    /// <summary>Reads reports and tickets.</summary>
    Viewer = 0,
    /// <summary>Also sends events, survey sends and responses, and imports files.</summary>
    Agent = 1,
    /// <summary>Also changes calendars, SLA policies and survey instruments.</summary>
    Manager = 2,
    /// <summary>Also manages people and tokens.</summary>
    Admin = 3,
    /// <summary>Everything; the person who set the organisation up.</summary>
    Owner = 4,
}

/// <summary>What a token may be used for, whatever its holder's role allows.</summary>
public enum TokenScope
{
    /// <summary>GET requests only.</summary>
    Read = 0,
    /// <summary>Reads and writes (as far as the role allows).</summary>
    Write = 1,
}

/// <summary>A member of an organisation.</summary>
public sealed record AccountUser(string Organisation, long UserId, string Email, AccountRole Role, Instant CreatedAt);

/// <summary>A token as listed: never its secret.</summary>
/// <param name="Organisation">The organisation the token belongs to.</param>
/// <param name="TokenId">Id within the organisation (for revoking).</param>
/// <param name="Email">The holder.</param>
/// <param name="Scope">Read or write.</param>
/// <param name="Name">An optional label given when it was issued.</param>
/// <param name="Prefix">The first characters of the token, enough to recognise it in logs, never to use it.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="LastUsedAt">When it last authenticated a request (to the minute), or null.</param>
/// <param name="RevokedAt">When it was revoked, or null while it is valid.</param>
public sealed record TokenInfo(
    string Organisation, long TokenId, string Email, TokenScope Scope, string? Name, string Prefix,
    Instant CreatedAt, Instant? LastUsedAt, Instant? RevokedAt);

/// <summary>A token just issued, with its secret (shown once).</summary>
public sealed record IssuedToken(TokenInfo Token, string Secret);

/// <summary>Who is calling: the token's organisation, holder, role and scope.</summary>
public sealed record TokenPrincipal(string Organisation, long TokenId, string TokenPrefix, string Email, AccountRole Role, TokenScope Scope);

/// <summary>An account operation that cannot be done (unknown organisation, duplicate member …); the message says why.</summary>
public sealed class AccountException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AccountException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public AccountException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public AccountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message about one input (<c>organisation</c>, <c>email</c>, <c>name</c>).</summary>
    public AccountException(string message, string field)
        : base(message) => Field = field;

    /// <summary>The input the message is about (<c>organisation</c>, <c>email</c>, <c>name</c>), or null when not one input.</summary>
    public string? Field { get; }
}
