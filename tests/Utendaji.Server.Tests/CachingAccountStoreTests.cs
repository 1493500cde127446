using NodaTime;
using Utendaji.Server.Access;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests;

/// <summary>
/// The server's token cache: the whole account-store contract through it (it must forward everything), and what
/// remembering a token for a while does to revocations and role changes made through it or behind its back.
/// </summary>
public sealed class CachingAccountStoreTests : SqliteAccountStoreTests
{
    private static readonly Duration Lifetime = Duration.FromSeconds(5);
    private readonly List<IAccountStore> _inner = [];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _inner)
        {
            await store.DisposeAsync(); // the cache leaves its inner store to the owner
        }
    }

    protected override async Task<IAccountStore> OpenAnotherAsync()
    {
        var inner = await base.OpenAnotherAsync();
        _inner.Add(inner);
        return new CachingAccountStore(inner, Lifetime);
    }

    [Fact]
    public async Task RevokedBehindItsBack_StillAcceptedUntilTheLifetimeRunsOut()
    {
        var (issued, other) = await TokenAndAnotherNodeAsync();
        var hash = ApiTokens.Hash(issued.Secret);
        Assert.NotNull(await Accounts.AuthenticateAsync(hash, Now));

        Assert.True(await other.RevokeTokenAsync("acme", issued.Token.TokenId, Now));

        Assert.NotNull(await Accounts.AuthenticateAsync(hash, Now + Lifetime - Duration.Epsilon));
        Assert.Null(await Accounts.AuthenticateAsync(hash, Now + Lifetime));
        // Refused once, not remembered as valid again.
        Assert.Null(await Accounts.AuthenticateAsync(hash, Now));
    }

    [Fact]
    public async Task RoleChangedThroughIt_NextLookUpHasTheNewRole()
    {
        var (issued, _) = await TokenAndAnotherNodeAsync();
        var hash = ApiTokens.Hash(issued.Secret);
        Assert.Equal(AccountRole.Admin, (await Accounts.AuthenticateAsync(hash, Now))!.Role);

        Assert.True(await Accounts.SetRoleAsync("acme", "ann@example.org", AccountRole.Viewer));

        Assert.Equal(AccountRole.Viewer, (await Accounts.AuthenticateAsync(hash, Now))!.Role);
    }

    [Fact]
    public async Task ClockSetBack_LookUpNotTrusted()
    {
        var (issued, other) = await TokenAndAnotherNodeAsync();
        var hash = ApiTokens.Hash(issued.Secret);
        Assert.NotNull(await Accounts.AuthenticateAsync(hash, Now));
        Assert.True(await other.RevokeTokenAsync("acme", issued.Token.TokenId, Now));

        Assert.Null(await Accounts.AuthenticateAsync(hash, Now - Duration.FromSeconds(1)));
    }

    [Fact]
    public async Task ZeroLifetime_EveryLookUpAsksTheStore()
    {
        var (issued, other) = await TokenAndAnotherNodeAsync();
        var uncached = new CachingAccountStore(other, Duration.Zero);
        var hash = ApiTokens.Hash(issued.Secret);
        Assert.NotNull(await uncached.AuthenticateAsync(hash, Now));

        Assert.True(await Accounts.RevokeTokenAsync("acme", issued.Token.TokenId, Now));

        Assert.Null(await uncached.AuthenticateAsync(hash, Now));
    }

    private async Task<(IssuedToken Token, IAccountStore Other)> TokenAndAnotherNodeAsync()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Admin, Now);
        var issued = await Accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Write, null, Now);
        var other = await base.OpenAnotherAsync();
        _inner.Add(other);
        return (issued, other);
    }
}
