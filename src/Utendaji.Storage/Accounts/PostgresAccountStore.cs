using Npgsql;
using NodaTime;
using Utendaji.Core;
using Utendaji.Storage.Postgres;

namespace Utendaji.Storage.Accounts;

/// <summary>
/// Accounts in a PostgreSQL database (tables of <c>Postgres/Migrations/0004_accounts.sql</c>), shared by every server
/// process on it. Behaves as <see cref="SqliteAccountStore"/> does (the same contract tests run on both).
/// </summary>
/// <remarks>
/// Thread-safe: each call takes its own pooled connection. Ids within an organisation are allocated as
/// <c>max + 1</c> while holding the organisation's row lock (<c>FOR NO KEY UPDATE</c>, which imports' foreign-key
/// checks do not wait for), so processes creating users or tokens at once queue for a moment instead of colliding.
/// </remarks>
public sealed class PostgresAccountStore : IAccountStore
{
    private static readonly Duration LastUsedResolution = Duration.FromMinutes(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresDatabase? _owned;
    private bool _disposed;

    /// <summary>Accounts on <paramref name="database"/>'s pool; the database stays the caller's to dispose.</summary>
    public PostgresAccountStore(PostgresDatabase database)
        : this(Guard.NotNull(database).DataSource, null)
    {
    }

    private PostgresAccountStore(NpgsqlDataSource dataSource, PostgresDatabase? owned)
    {
        _dataSource = dataSource;
        _owned = owned;
    }

    /// <summary>Connects to (and migrates when needed) the database <paramref name="connectionString"/> names; disposing the store closes its pool.</summary>
    /// <exception cref="StoreSchemaException">The database was written by a newer Utendaji, or a migration failed.</exception>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refused the login.</exception>
    public static async Task<PostgresAccountStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var database = await PostgresDatabase.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        return new PostgresAccountStore(database.DataSource, database);
    }

    /// <inheritdoc />
    public async Task CreateOrganisationAsync(string organisation, CancellationToken cancellationToken = default)
    {
        var name = AccountText.Organisation(organisation);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("INSERT INTO organisations (name) VALUES (@name) ON CONFLICT (name) DO NOTHING", connection);
        command.Parameters.AddWithValue("name", name);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new AccountException($"organisation '{name}' already exists");
        }
    }

    /// <inheritdoc />
    public async Task<bool> OrganisationExistsAsync(string organisation, CancellationToken cancellationToken = default)
    {
        if (AccountText.LookUp(organisation) is not { } name)
        {
            return false;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await OrgKeyAsync(connection, name, lockRow: false, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async Task<AccountUser> CreateUserAsync(string organisation, string email, AccountRole role, Instant now, CancellationToken cancellationToken = default)
    {
        var address = AccountText.Email(email);
        if (!Enum.IsDefined(role))
        {
            throw new AccountException($"role {(int)role} is not one of owner, admin, manager, agent, viewer");
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var org = await RequireOrgAsync(connection, organisation, lockRow: true, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO users (org, user_id, email, role, created_at) " +
            "SELECT @org, coalesce(max(user_id), 0) + 1, @email, @role, @now FROM users WHERE org = @org " +
            "ON CONFLICT (org, email) DO NOTHING RETURNING user_id", connection, transaction);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("email", address);
        command.Parameters.AddWithValue("role", (short)role);
        command.Parameters.AddWithValue("now", now.ToUnixTimeTicks());
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long id)
        {
            throw new AccountException($"'{address}' is already a member of organisation '{organisation.Trim()}'");
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AccountUser(organisation.Trim(), id, address, role, now);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AccountUser>> ListUsersAsync(string organisation, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var org = await RequireOrgAsync(connection, organisation, lockRow: false, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT user_id, email, role, created_at FROM users WHERE org = @org ORDER BY email", connection);
        command.Parameters.AddWithValue("org", org);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = new List<AccountUser>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(new AccountUser(organisation.Trim(), reader.GetInt64(0), reader.GetString(1), (AccountRole)reader.GetInt16(2), Instant.FromUnixTimeTicks(reader.GetInt64(3))));
        }

        return users;
    }

    /// <inheritdoc />
    public async Task<IssuedToken> CreateTokenAsync(string organisation, string email, TokenScope scope, string? name, Instant now, CancellationToken cancellationToken = default)
    {
        var address = AccountText.Email(email);
        var label = AccountText.TokenName(name);
        if (!Enum.IsDefined(scope))
        {
            throw new AccountException($"scope {(int)scope} is not read or write");
        }

        var secret = ApiTokens.NewSecret();
        var prefix = ApiTokens.Prefix(secret);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var org = await RequireOrgAsync(connection, organisation, lockRow: true, cancellationToken).ConfigureAwait(false);
        await using var find = new NpgsqlCommand("SELECT user_id FROM users WHERE org = @org AND email = @email", connection, transaction);
        find.Parameters.AddWithValue("org", org);
        find.Parameters.AddWithValue("email", address);
        if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long userId)
        {
            throw new AccountException($"'{address}' is not a member of organisation '{organisation.Trim()}' (add them with 'utendaji admin create-user')");
        }

        await using var insert = new NpgsqlCommand(
            "INSERT INTO api_tokens (org, token_id, user_id, sha256, prefix, scope, name, created_at) " +
            "SELECT @org, coalesce(max(token_id), 0) + 1, @user, @hash, @prefix, @scope, @name, @now FROM api_tokens WHERE org = @org " +
            "RETURNING token_id", connection, transaction);
        insert.Parameters.AddWithValue("org", org);
        insert.Parameters.AddWithValue("user", userId);
        insert.Parameters.AddWithValue("hash", ApiTokens.Hash(secret));
        insert.Parameters.AddWithValue("prefix", prefix);
        insert.Parameters.AddWithValue("scope", (short)scope);
        insert.Parameters.AddWithValue("name", label is null ? DBNull.Value : label);
        insert.Parameters.AddWithValue("now", now.ToUnixTimeTicks());
        var tokenId = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var info = new TokenInfo(organisation.Trim(), tokenId, address, scope, label, prefix, now, null, null);
        return new IssuedToken(info, secret);
    }

    /// <inheritdoc />
    public async Task<TokenPrincipal?> AuthenticateAsync(ReadOnlyMemory<byte> tokenHash, Instant now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT o.name, t.org, t.token_id, t.prefix, u.email, u.role, t.scope, t.last_used_at " +
            "FROM api_tokens t JOIN users u ON u.org = t.org AND u.user_id = t.user_id JOIN organisations o ON o.org = t.org " +
            "WHERE t.sha256 = @hash AND t.revoked_at IS NULL", connection);
        command.Parameters.AddWithValue("hash", tokenHash.ToArray());
        TokenPrincipal principal;
        long org;
        long? lastUsed;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            org = reader.GetInt64(1);
            lastUsed = reader.IsDBNull(7) ? null : reader.GetInt64(7);
            principal = new TokenPrincipal(reader.GetString(0), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), (AccountRole)reader.GetInt16(5), (TokenScope)reader.GetInt16(6));
        }

        // A write per request would make every request a write; a minute's precision is enough.
        if (lastUsed is null || now.ToUnixTimeTicks() - lastUsed.Value >= LastUsedResolution.BclCompatibleTicks)
        {
            await using var touch = new NpgsqlCommand("UPDATE api_tokens SET last_used_at = @now WHERE org = @org AND token_id = @id", connection);
            touch.Parameters.AddWithValue("now", now.ToUnixTimeTicks());
            touch.Parameters.AddWithValue("org", org);
            touch.Parameters.AddWithValue("id", principal.TokenId);
            await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return principal;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeTokenAsync(string organisation, long tokenId, Instant now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var org = await RequireOrgAsync(connection, organisation, lockRow: false, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("UPDATE api_tokens SET revoked_at = @now WHERE org = @org AND token_id = @id AND revoked_at IS NULL", connection);
        command.Parameters.AddWithValue("now", now.ToUnixTimeTicks());
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("id", tokenId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string organisation, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var org = await RequireOrgAsync(connection, organisation, lockRow: false, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT t.token_id, u.email, t.scope, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at " +
            "FROM api_tokens t JOIN users u ON u.org = t.org AND u.user_id = t.user_id WHERE t.org = @org ORDER BY t.token_id", connection);
        command.Parameters.AddWithValue("org", org);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tokens = new List<TokenInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(new TokenInfo(
                organisation.Trim(), reader.GetInt64(0), reader.GetString(1), (TokenScope)reader.GetInt16(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                Instant.FromUnixTimeTicks(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(7))));
        }

        return tokens;
    }

    /// <inheritdoc />
    public async Task<AccountSignIn?> FindSignInAsync(string organisation, string email, CancellationToken cancellationToken = default)
    {
        if (AccountText.LookUp(organisation) is not { } name || AccountText.LookUp(email) is not { } address)
        {
            return null;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT " + AccountSql.SignInColumns + " FROM users WHERE org = (SELECT org FROM organisations WHERE name = @name) AND email = @email", connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("email", address.ToLowerInvariant());
        return await ReadSignInAsync(command, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetPasswordAsync(string organisation, string email, string passwordHash, CancellationToken cancellationToken = default)
    {
        var address = AccountText.Email(email);
        AccountSql.RequireHash(passwordHash);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var org = await RequireOrgAsync(connection, organisation, lockRow: false, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("UPDATE users SET password_hash = @hash, failed_sign_ins = 0, locked_until = NULL WHERE org = @org AND email = @email", connection);
        command.Parameters.AddWithValue("hash", passwordHash);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("email", address);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new AccountException($"'{address}' is not a member of organisation '{organisation.Trim()}' (add them with 'utendaji admin create-user')");
        }
    }

    /// <inheritdoc />
    public async Task<AccountSignIn?> RecordFailedSignInAsync(string organisation, string email, Instant now, SignInLockout lockout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lockout);
        if (AccountText.LookUp(organisation) is not { } name || AccountText.LookUp(email) is not { } address)
        {
            return null;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One UPDATE: the row lock makes concurrent failures on several nodes count one after the other.
        await using var command = new NpgsqlCommand(AccountSql.RecordFailure("@name", "@email", "@now", "@max", "@until"), connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("email", address.ToLowerInvariant());
        command.Parameters.AddWithValue("now", now.ToUnixTimeTicks());
        command.Parameters.AddWithValue("max", lockout.MaxFailures);
        command.Parameters.AddWithValue("until", (now + lockout.LockDuration).ToUnixTimeTicks());
        return await ReadSignInAsync(command, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordSignInAsync(string organisation, string email, CancellationToken cancellationToken = default)
    {
        if (AccountText.LookUp(organisation) is null || AccountText.LookUp(email) is null)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL " +
            "WHERE org = (SELECT org FROM organisations WHERE name = @name) AND email = @email AND (failed_sign_ins <> 0 OR locked_until IS NOT NULL)", connection);
        command.Parameters.AddWithValue("name", organisation?.Trim() ?? "");
        command.Parameters.AddWithValue("email", email?.Trim().ToLowerInvariant() ?? "");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> SetLanguageAsync(string organisation, string email, string? language, CancellationToken cancellationToken = default)
    {
        if (AccountText.LookUp(organisation) is null || AccountText.LookUp(email) is null)
        {
            return false;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("UPDATE users SET language = @language WHERE org = (SELECT org FROM organisations WHERE name = @name) AND email = @email", connection);
        command.Parameters.Add(new NpgsqlParameter("language", NpgsqlTypes.NpgsqlDbType.Text) { Value = string.IsNullOrWhiteSpace(language) ? DBNull.Value : language.Trim() });
        command.Parameters.AddWithValue("name", organisation?.Trim() ?? "");
        command.Parameters.AddWithValue("email", email?.Trim().ToLowerInvariant() ?? "");
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> SetRoleAsync(string organisation, string email, AccountRole role, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(role))
        {
            throw new AccountException($"role {(int)role} is not one of owner, admin, manager, agent, viewer");
        }

        if (AccountText.LookUp(email) is null)
        {
            return false;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var org = await RequireOrgAsync(connection, organisation, lockRow: false, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("UPDATE users SET role = @role WHERE org = @org AND email = @email", connection);
        command.Parameters.AddWithValue("role", (short)role);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("email", email?.Trim().ToLowerInvariant() ?? "");
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static async Task<AccountSignIn?> ReadSignInAsync(NpgsqlCommand command, string organisation, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var user = new AccountUser(organisation, reader.GetInt64(0), reader.GetString(1), (AccountRole)reader.GetInt16(2), Instant.FromUnixTimeTicks(reader.GetInt64(3)));
        return new AccountSignIn(
            user,
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetInt32(5),
            reader.IsDBNull(6) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(6)),
            reader.IsDBNull(7) ? null : reader.GetString(7));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _dataSource.OpenConnectionAsync(cancellationToken);
    }

    private static async Task<long> RequireOrgAsync(NpgsqlConnection connection, string organisation, bool lockRow, CancellationToken cancellationToken) =>
        (AccountText.LookUp(organisation) is { } name ? await OrgKeyAsync(connection, name, lockRow, cancellationToken).ConfigureAwait(false) : null)
        ?? throw AccountText.NoOrganisation(organisation);

    private static async Task<long?> OrgKeyAsync(NpgsqlConnection connection, string name, bool lockRow, CancellationToken cancellationToken)
    {
        // The row lock serialises id allocation (max + 1) within the organisation across processes.
        await using var command = new NpgsqlCommand(
            "SELECT org FROM organisations WHERE name = @name" + (lockRow ? " FOR NO KEY UPDATE" : ""), connection);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }
}
