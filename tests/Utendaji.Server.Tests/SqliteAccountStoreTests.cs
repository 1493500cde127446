using NodaTime;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests;

public sealed class SqliteAccountStoreTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "utendaji-account-tests", Guid.NewGuid().ToString("N"));
    private readonly Instant _now = Instant.FromUtc(2026, 6, 30, 12, 0);
    private SqliteAccountStore _accounts = null!;

    public async Task InitializeAsync() => _accounts = await SqliteAccountStore.OpenAsync(Path.Combine(_folder, "store.db"));

    public async Task DisposeAsync()
    {
        await _accounts.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task CreateToken_SecretShapeAndOnlyItsHashAuthenticates()
    {
        await _accounts.CreateOrganisationAsync("acme");
        await _accounts.CreateUserAsync("acme", "Ann@Example.org", AccountRole.Manager, _now);

        var issued = await _accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Write, "ci", _now);
        var caller = await _accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret), _now);

        Assert.Matches("^utd_[A-Za-z0-9_-]{43}$", issued.Secret);
        Assert.Equal(new TokenPrincipal("acme", issued.Token.TokenId, issued.Secret[..10], "ann@example.org", AccountRole.Manager, TokenScope.Write), caller);
        Assert.Null(await _accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret + "x"), _now));
        // The secret is nowhere in the database file.
        await _accounts.DisposeAsync();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_folder, "store.db"));
        Assert.DoesNotContain(issued.Secret, System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        _accounts = await SqliteAccountStore.OpenAsync(Path.Combine(_folder, "store.db"));
    }

    [Fact]
    public async Task Revoke_TokenNoLongerAuthenticatesAndListShowsIt()
    {
        await _accounts.CreateOrganisationAsync("acme");
        await _accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, _now);
        var issued = await _accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Read, null, _now);
        await _accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret), _now + Duration.FromMinutes(5));

        Assert.True(await _accounts.RevokeTokenAsync("acme", issued.Token.TokenId, _now + Duration.FromHours(1)));
        Assert.False(await _accounts.RevokeTokenAsync("acme", issued.Token.TokenId, _now + Duration.FromHours(2)));

        Assert.Null(await _accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret), _now));
        var listed = Assert.Single(await _accounts.ListTokensAsync("acme"));
        Assert.Equal(_now + Duration.FromMinutes(5), listed.LastUsedAt);
        Assert.Equal(_now + Duration.FromHours(1), listed.RevokedAt);
    }

    [Fact]
    public async Task RevokeToken_OfAnotherOrganisation_False()
    {
        await _accounts.CreateOrganisationAsync("acme");
        await _accounts.CreateOrganisationAsync("globex");
        await _accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, _now);
        var issued = await _accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Write, null, _now);

        Assert.False(await _accounts.RevokeTokenAsync("globex", issued.Token.TokenId, _now));
        Assert.NotNull(await _accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret), _now));
        Assert.Empty(await _accounts.ListTokensAsync("globex"));
    }

    [Fact]
    public async Task Duplicates_AndUnknowns_AccountExceptionWithReason()
    {
        await _accounts.CreateOrganisationAsync("acme");
        await _accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, _now);

        Assert.Contains("already exists", (await Assert.ThrowsAsync<AccountException>(() => _accounts.CreateOrganisationAsync("acme"))).Message, StringComparison.Ordinal);
        Assert.Contains("already a member", (await Assert.ThrowsAsync<AccountException>(() => _accounts.CreateUserAsync("acme", "ANN@example.org", AccountRole.Agent, _now))).Message, StringComparison.Ordinal);
        Assert.Contains("no organisation", (await Assert.ThrowsAsync<AccountException>(() => _accounts.CreateUserAsync("initech", "bob@example.org", AccountRole.Agent, _now))).Message, StringComparison.Ordinal);
        Assert.Contains("not a member", (await Assert.ThrowsAsync<AccountException>(() => _accounts.CreateTokenAsync("acme", "bob@example.org", TokenScope.Read, null, _now))).Message, StringComparison.Ordinal);
        Assert.Contains("not an e-mail address", (await Assert.ThrowsAsync<AccountException>(() => _accounts.CreateUserAsync("acme", "bob", AccountRole.Agent, _now))).Message, StringComparison.Ordinal);
    }
}
