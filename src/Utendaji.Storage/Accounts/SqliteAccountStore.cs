using Microsoft.Data.Sqlite;
using NodaTime;
using Utendaji.Core;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Accounts;

/// <summary>
/// Accounts in the same SQLite file as the data (tables of migration 0004). Thread-safe: one connection, one
/// statement at a time, which is plenty for account operations and token look-ups.
/// </summary>
public sealed class SqliteAccountStore : IAccountStore
{
    private const int BusyTimeoutSeconds = 30;
    private static readonly Duration LastUsedResolution = Duration.FromMinutes(1);

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private bool _disposed;

    private SqliteAccountStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating and migrating when needed) the database at <paramref name="path"/>.</summary>
    /// <exception cref="StoreSchemaException">The database was written by a newer Utendaji, or a migration failed.</exception>
    public static async Task<SqliteAccountStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(path);
        var location = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(location)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = location,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA foreign_keys = ON");
            SqliteMigrations.Apply(connection, location);
            return new SqliteAccountStore(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public Task CreateOrganisationAsync(string organisation, CancellationToken cancellationToken = default)
    {
        var name = AccountText.Organisation(organisation);
        lock (_gate)
        {
            using var command = Command("INSERT INTO organisations (name) VALUES ($name) ON CONFLICT (name) DO NOTHING");
            command.Parameters.AddWithValue("$name", name);
            if (command.ExecuteNonQuery() == 0)
            {
                throw new AccountException($"organisation '{name}' already exists");
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> OrganisationExistsAsync(string organisation, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(AccountText.LookUp(organisation) is { } name && OrgKey(name) is not null);
        }
    }

    /// <inheritdoc />
    public Task<AccountUser> CreateUserAsync(string organisation, string email, AccountRole role, Instant now, CancellationToken cancellationToken = default)
    {
        var address = AccountText.Email(email);
        if (!Enum.IsDefined(role))
        {
            throw new AccountException($"role {(int)role} is not one of owner, admin, manager, agent, viewer");
        }

        lock (_gate)
        {
            var org = RequireOrg(organisation);
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var command = Command(
                "INSERT INTO users (org, user_id, email, role, created_at) " +
                "SELECT $org, coalesce(max(user_id), 0) + 1, $email, $role, $now FROM users WHERE org = $org " +
                "ON CONFLICT (org, email) DO NOTHING RETURNING user_id");
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$org", org);
            command.Parameters.AddWithValue("$email", address);
            command.Parameters.AddWithValue("$role", (int)role);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeTicks());
            if (command.ExecuteScalar() is not long id)
            {
                throw new AccountException($"'{address}' is already a member of organisation '{organisation.Trim()}'");
            }

            transaction.Commit();
            return Task.FromResult(new AccountUser(organisation.Trim(), id, address, role, now));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccountUser>> ListUsersAsync(string organisation, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var org = RequireOrg(organisation);
            using var command = Command("SELECT user_id, email, role, created_at FROM users WHERE org = $org ORDER BY email");
            command.Parameters.AddWithValue("$org", org);
            using var reader = command.ExecuteReader();
            var users = new List<AccountUser>();
            while (reader.Read())
            {
                users.Add(new AccountUser(organisation.Trim(), reader.GetInt64(0), reader.GetString(1), (AccountRole)reader.GetInt32(2), Instant.FromUnixTimeTicks(reader.GetInt64(3))));
            }

            return Task.FromResult<IReadOnlyList<AccountUser>>(users);
        }
    }

    /// <inheritdoc />
    public Task<IssuedToken> CreateTokenAsync(string organisation, string email, TokenScope scope, string? name, Instant now, CancellationToken cancellationToken = default)
    {
        var address = AccountText.Email(email);
        var label = AccountText.TokenName(name);
        if (!Enum.IsDefined(scope))
        {
            throw new AccountException($"scope {(int)scope} is not read or write");
        }

        var secret = ApiTokens.NewSecret();
        var prefix = ApiTokens.Prefix(secret);
        lock (_gate)
        {
            var org = RequireOrg(organisation);
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var find = Command("SELECT user_id FROM users WHERE org = $org AND email = $email");
            find.Transaction = transaction;
            find.Parameters.AddWithValue("$org", org);
            find.Parameters.AddWithValue("$email", address);
            if (find.ExecuteScalar() is not long userId)
            {
                throw new AccountException($"'{address}' is not a member of organisation '{organisation.Trim()}' (add them with 'utendaji admin create-user')");
            }

            using var insert = Command(
                "INSERT INTO api_tokens (org, token_id, user_id, sha256, prefix, scope, name, created_at) " +
                "SELECT $org, coalesce(max(token_id), 0) + 1, $user, $hash, $prefix, $scope, $name, $now FROM api_tokens WHERE org = $org " +
                "RETURNING token_id");
            insert.Transaction = transaction;
            insert.Parameters.AddWithValue("$org", org);
            insert.Parameters.AddWithValue("$user", userId);
            insert.Parameters.AddWithValue("$hash", ApiTokens.Hash(secret));
            insert.Parameters.AddWithValue("$prefix", prefix);
            insert.Parameters.AddWithValue("$scope", (int)scope);
            insert.Parameters.AddWithValue("$name", label is null ? DBNull.Value : label);
            insert.Parameters.AddWithValue("$now", now.ToUnixTimeTicks());
            var tokenId = (long)insert.ExecuteScalar()!;
            transaction.Commit();
            var info = new TokenInfo(organisation.Trim(), tokenId, address, scope, label, prefix, now, null, null);
            return Task.FromResult(new IssuedToken(info, secret));
        }
    }

    /// <inheritdoc />
    public Task<TokenPrincipal?> AuthenticateAsync(ReadOnlyMemory<byte> tokenHash, Instant now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            using var command = Command(
                "SELECT o.name, t.org, t.token_id, t.prefix, u.email, u.role, t.scope, t.last_used_at " +
                "FROM api_tokens t JOIN users u ON u.org = t.org AND u.user_id = t.user_id JOIN organisations o ON o.org = t.org " +
                "WHERE t.sha256 = $hash AND t.revoked_at IS NULL");
            command.Parameters.AddWithValue("$hash", tokenHash.ToArray());
            TokenPrincipal principal;
            long org;
            long? lastUsed;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return Task.FromResult<TokenPrincipal?>(null);
                }

                org = reader.GetInt64(1);
                lastUsed = reader.IsDBNull(7) ? null : reader.GetInt64(7);
                principal = new TokenPrincipal(reader.GetString(0), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), (AccountRole)reader.GetInt32(5), (TokenScope)reader.GetInt32(6));
            }

            // A write per request would serialise every reader behind the write lock; a minute's precision is enough.
            if (lastUsed is null || now.ToUnixTimeTicks() - lastUsed.Value >= LastUsedResolution.BclCompatibleTicks)
            {
                using var touch = Command("UPDATE api_tokens SET last_used_at = $now WHERE org = $org AND token_id = $id");
                touch.Parameters.AddWithValue("$now", now.ToUnixTimeTicks());
                touch.Parameters.AddWithValue("$org", org);
                touch.Parameters.AddWithValue("$id", principal.TokenId);
                touch.ExecuteNonQuery();
            }

            return Task.FromResult<TokenPrincipal?>(principal);
        }
    }

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string organisation, long tokenId, Instant now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var org = RequireOrg(organisation);
            using var command = Command("UPDATE api_tokens SET revoked_at = $now WHERE org = $org AND token_id = $id AND revoked_at IS NULL");
            command.Parameters.AddWithValue("$now", now.ToUnixTimeTicks());
            command.Parameters.AddWithValue("$org", org);
            command.Parameters.AddWithValue("$id", tokenId);
            return Task.FromResult(command.ExecuteNonQuery() > 0);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string organisation, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var org = RequireOrg(organisation);
            using var command = Command(
                "SELECT t.token_id, u.email, t.scope, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at " +
                "FROM api_tokens t JOIN users u ON u.org = t.org AND u.user_id = t.user_id WHERE t.org = $org ORDER BY t.token_id");
            command.Parameters.AddWithValue("$org", org);
            using var reader = command.ExecuteReader();
            var tokens = new List<TokenInfo>();
            while (reader.Read())
            {
                tokens.Add(new TokenInfo(
                    organisation.Trim(), reader.GetInt64(0), reader.GetString(1), (TokenScope)reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                    Instant.FromUnixTimeTicks(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(6)),
                    reader.IsDBNull(7) ? null : Instant.FromUnixTimeTicks(reader.GetInt64(7))));
            }

            return Task.FromResult<IReadOnlyList<TokenInfo>>(tokens);
        }
    }

    /// <inheritdoc />
    public Task<AccountSignIn?> FindSignInAsync(string organisation, string email, CancellationToken cancellationToken = default)
    {
        if (AccountText.LookUp(organisation) is not { } name || AccountText.LookUp(email) is not { } given)
        {
            return Task.FromResult<AccountSignIn?>(null);
        }

        var address = given.ToLowerInvariant();
        lock (_gate)
        {
            using var command = Command(
                "SELECT " + AccountSql.SignInColumns + " FROM users WHERE org = (SELECT org FROM organisations WHERE name = $name) AND email = $email");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$email", address);
            return Task.FromResult(ReadSignIn(command, name));
        }
    }

    /// <inheritdoc />
    public Task SetPasswordAsync(string organisation, string email, string passwordHash, CancellationToken cancellationToken = default)
    {
        var address = AccountText.Email(email);
        AccountSql.RequireHash(passwordHash);
        lock (_gate)
        {
            var org = RequireOrg(organisation);
            using var command = Command("UPDATE users SET password_hash = $hash, failed_sign_ins = 0, locked_until = NULL WHERE org = $org AND email = $email");
            command.Parameters.AddWithValue("$hash", passwordHash);
            command.Parameters.AddWithValue("$org", org);
            command.Parameters.AddWithValue("$email", address);
            if (command.ExecuteNonQuery() == 0)
            {
                throw new AccountException($"'{address}' is not a member of organisation '{organisation.Trim()}' (add them with 'utendaji admin create-user')");
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<AccountSignIn?> RecordFailedSignInAsync(string organisation, string email, Instant now, SignInLockout lockout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lockout);
        if (AccountText.LookUp(organisation) is not { } name || AccountText.LookUp(email) is not { } address)
        {
            return Task.FromResult<AccountSignIn?>(null);
        }

        lock (_gate)
        {
            using var command = Command(AccountSql.RecordFailure("$name", "$email", "$now", "$max", "$until"));
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$email", address.ToLowerInvariant());
            command.Parameters.AddWithValue("$now", now.ToUnixTimeTicks());
            command.Parameters.AddWithValue("$max", lockout.MaxFailures);
            command.Parameters.AddWithValue("$until", (now + lockout.LockDuration).ToUnixTimeTicks());
            return Task.FromResult(ReadSignIn(command, name));
        }
    }

    /// <inheritdoc />
    public Task RecordSignInAsync(string organisation, string email, CancellationToken cancellationToken = default)
    {
        if (AccountText.LookUp(organisation) is null || AccountText.LookUp(email) is null)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            using var command = Command(
                "UPDATE users SET failed_sign_ins = 0, locked_until = NULL " +
                "WHERE org = (SELECT org FROM organisations WHERE name = $name) AND email = $email AND (failed_sign_ins <> 0 OR locked_until IS NOT NULL)");
            command.Parameters.AddWithValue("$name", organisation?.Trim() ?? "");
            command.Parameters.AddWithValue("$email", email?.Trim().ToLowerInvariant() ?? "");
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> SetLanguageAsync(string organisation, string email, string? language, CancellationToken cancellationToken = default)
    {
        if (AccountText.LookUp(organisation) is null || AccountText.LookUp(email) is null)
        {
            return Task.FromResult(false);
        }

        lock (_gate)
        {
            using var command = Command("UPDATE users SET language = $language WHERE org = (SELECT org FROM organisations WHERE name = $name) AND email = $email");
            command.Parameters.AddWithValue("$language", string.IsNullOrWhiteSpace(language) ? DBNull.Value : language.Trim());
            command.Parameters.AddWithValue("$name", organisation?.Trim() ?? "");
            command.Parameters.AddWithValue("$email", email?.Trim().ToLowerInvariant() ?? "");
            return Task.FromResult(command.ExecuteNonQuery() > 0);
        }
    }

    /// <inheritdoc />
    public Task<bool> SetRoleAsync(string organisation, string email, AccountRole role, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(role))
        {
            throw new AccountException($"role {(int)role} is not one of owner, admin, manager, agent, viewer");
        }

        if (AccountText.LookUp(email) is null)
        {
            return Task.FromResult(false);
        }

        lock (_gate)
        {
            var org = RequireOrg(organisation);
            using var command = Command("UPDATE users SET role = $role WHERE org = $org AND email = $email");
            command.Parameters.AddWithValue("$role", (int)role);
            command.Parameters.AddWithValue("$org", org);
            command.Parameters.AddWithValue("$email", email?.Trim().ToLowerInvariant() ?? "");
            return Task.FromResult(command.ExecuteNonQuery() > 0);
        }
    }

    private static AccountSignIn? ReadSignIn(SqliteCommand command, string organisation)
    {
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var user = new AccountUser(organisation, reader.GetInt64(0), reader.GetString(1), (AccountRole)reader.GetInt32(2), Instant.FromUnixTimeTicks(reader.GetInt64(3)));
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
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private long RequireOrg(string organisation) =>
        (AccountText.LookUp(organisation) is { } name ? OrgKey(name) : null) ?? throw AccountText.NoOrganisation(organisation);

    private long? OrgKey(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var command = Command("SELECT org FROM organisations WHERE name = $name");
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as long?;
    }

    private SqliteCommand Command(string sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
