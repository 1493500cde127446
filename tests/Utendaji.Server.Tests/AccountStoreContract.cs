using NodaTime;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests;

/// <summary>
/// What every <see cref="IAccountStore"/> does, run on SQLite (<see cref="SqliteAccountStoreTests"/>) and on
/// PostgreSQL (<see cref="PostgresAccountStoreTests"/>); each test has a database of its own.
/// </summary>
public abstract class AccountStoreContract : IAsyncLifetime
{
    protected static readonly Instant Now = Instant.FromUtc(2026, 6, 30, 12, 0);

    protected IAccountStore Accounts { get; private set; } = null!;

    public async Task InitializeAsync() => Accounts = await OpenAnotherAsync();

    public virtual async Task DisposeAsync() => await Accounts.DisposeAsync();

    /// <summary>Another store object on this test's database (as another process would open it).</summary>
    protected abstract Task<IAccountStore> OpenAnotherAsync();

    /// <summary>Everything the database holds, as text (to prove a secret is not in it).</summary>
    protected abstract Task<string> StoredTextAsync();

    [Fact]
    public async Task CreateToken_SecretShapeAndOnlyItsHashAuthenticates()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "Ann@Example.org", AccountRole.Manager, Now);

        var issued = await Accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Write, "ci", Now);
        var caller = await Accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret), Now);

        Assert.Matches("^utd_[A-Za-z0-9_-]{43}$", issued.Secret);
        Assert.Equal(new TokenPrincipal("acme", issued.Token.TokenId, issued.Secret[..10], "ann@example.org", AccountRole.Manager, TokenScope.Write), caller);
        Assert.Null(await Accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret + "x"), Now));
        // The secret is nowhere in the database.
        Assert.DoesNotContain(issued.Secret, await StoredTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_TokenNoLongerAuthenticatesAndListShowsIt()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, Now);
        var issued = await Accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Read, null, Now);
        await Accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret), Now + Duration.FromMinutes(5));

        Assert.True(await Accounts.RevokeTokenAsync("acme", issued.Token.TokenId, Now + Duration.FromHours(1)));
        Assert.False(await Accounts.RevokeTokenAsync("acme", issued.Token.TokenId, Now + Duration.FromHours(2)));

        Assert.Null(await Accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret), Now));
        var listed = Assert.Single(await Accounts.ListTokensAsync("acme"));
        Assert.Equal(Now + Duration.FromMinutes(5), listed.LastUsedAt);
        Assert.Equal(Now + Duration.FromHours(1), listed.RevokedAt);
    }

    [Fact]
    public async Task RevokeToken_OfAnotherOrganisation_False()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateOrganisationAsync("globex");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, Now);
        var issued = await Accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Write, null, Now);

        Assert.False(await Accounts.RevokeTokenAsync("globex", issued.Token.TokenId, Now));
        Assert.NotNull(await Accounts.AuthenticateAsync(ApiTokens.Hash(issued.Secret), Now));
        Assert.Empty(await Accounts.ListTokensAsync("globex"));
    }

    [Fact]
    public async Task Duplicates_AndUnknowns_AccountExceptionWithReason()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, Now);

        Assert.Contains("already exists", (await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateOrganisationAsync("acme"))).Message, StringComparison.Ordinal);
        Assert.Contains("already a member", (await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateUserAsync("acme", "ANN@example.org", AccountRole.Agent, Now))).Message, StringComparison.Ordinal);
        Assert.Contains("no organisation", (await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateUserAsync("initech", "bob@example.org", AccountRole.Agent, Now))).Message, StringComparison.Ordinal);
        Assert.Contains("not a member", (await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateTokenAsync("acme", "bob@example.org", TokenScope.Read, null, Now))).Message, StringComparison.Ordinal);
        Assert.Contains("not an e-mail address", (await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateUserAsync("acme", "bob", AccountRole.Agent, Now))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTokensAndUsers_FromSeveralStoresAtOnce_IdsDistinctAndDense()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, Now);
        // Separate store objects stand for separate server processes (each with its own connections).
        var nodes = new List<IAccountStore>();
        for (var i = 0; i < 4; i++)
        {
            nodes.Add(await OpenAnotherAsync());
        }

        try
        {
            var work = nodes.SelectMany((node, n) => Enumerable.Range(0, 5).Select(async k =>
            {
                await Task.Yield();
                var user = await node.CreateUserAsync("acme", $"u{n}-{k}@example.org", AccountRole.Agent, Now);
                var token = await node.CreateTokenAsync("acme", "ann@example.org", TokenScope.Read, null, Now);
                return (user.UserId, token.Token.TokenId);
            })).ToList();
            var ids = await Task.WhenAll(work);

            Assert.Equal(Enumerable.Range(2, 20).Select(i => (long)i), ids.Select(i => i.UserId).Order());
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), ids.Select(i => i.TokenId).Order());
            Assert.Equal(21, (await Accounts.ListUsersAsync("acme")).Count);
            Assert.Equal(20, (await Accounts.ListTokensAsync("acme")).Count);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    // A low iteration count keeps the contract tests fast; the count is part of the stored text either way.
    private static readonly string SomeHash = PasswordHashes.Hash("correct horse battery", 1000);

    [Fact]
    public async Task SetPassword_StoresOnlyTheHashAndClearsTheLock()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Admin, Now);
        Assert.Null((await Accounts.FindSignInAsync("acme", "ann@example.org"))!.PasswordHash);
        for (var i = 0; i < 5; i++)
        {
            await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now, SignInLockout.Default);
        }

        await Accounts.SetPasswordAsync("acme", "Ann@Example.org", SomeHash);
        await Accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Read, null, Now);

        var found = await Accounts.FindSignInAsync(" acme ", "ANN@example.org");
        Assert.NotNull(found);
        Assert.Equal(SomeHash, found.PasswordHash);
        Assert.Equal(0, found.FailedSignIns);
        Assert.Null(found.LockedUntil);
        Assert.Equal(AccountRole.Admin, found.User.Role);
        Assert.True(PasswordHashes.Verify("correct horse battery", found.PasswordHash));
        Assert.DoesNotContain("correct horse battery", await StoredTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetPassword_PlainTextOrUnknownMember_Refused()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Admin, Now);

        var plain = await Assert.ThrowsAsync<AccountException>(() => Accounts.SetPasswordAsync("acme", "ann@example.org", "correct horse battery"));
        var unknown = await Assert.ThrowsAsync<AccountException>(() => Accounts.SetPasswordAsync("acme", "bob@example.org", SomeHash));

        Assert.Contains("hash", plain.Message, StringComparison.Ordinal);
        Assert.Contains("bob@example.org", unknown.Message, StringComparison.Ordinal);
        Assert.Null((await Accounts.FindSignInAsync("acme", "ann@example.org"))!.PasswordHash);
    }

    [Fact]
    public async Task FindSignIn_OtherOrganisationOrUnknown_Null()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateOrganisationAsync("globex");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, Now);

        Assert.Null(await Accounts.FindSignInAsync("globex", "ann@example.org"));
        Assert.Null(await Accounts.FindSignInAsync("nowhere", "ann@example.org"));
        Assert.Null(await Accounts.FindSignInAsync("acme", "bob@example.org"));
        Assert.Null(await Accounts.RecordFailedSignInAsync("globex", "ann@example.org", Now, SignInLockout.Default));
    }

    [Fact]
    public async Task RecordFailedSignIn_LocksAtTheMaximumAndStartsAgainAfterTheLock()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Viewer, Now);
        var lockout = new SignInLockout(3, Duration.FromMinutes(15));

        var first = await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now, lockout);
        var second = await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now + Duration.FromMinutes(1), lockout);
        var third = await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now + Duration.FromMinutes(2), lockout);
        // While locked, further failures neither count nor lengthen the lock.
        var whileLocked = await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now + Duration.FromMinutes(10), lockout);
        var afterLock = await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now + Duration.FromMinutes(17), lockout);

        Assert.Equal((1, (Instant?)null), (first!.FailedSignIns, first.LockedUntil));
        Assert.Equal((2, (Instant?)null), (second!.FailedSignIns, second.LockedUntil));
        Assert.Equal((3, Now + Duration.FromMinutes(17)), (third!.FailedSignIns, third.LockedUntil));
        Assert.True(third.IsLockedAt(Now + Duration.FromMinutes(16)));
        Assert.False(third.IsLockedAt(Now + Duration.FromMinutes(17)));
        Assert.Equal((3, Now + Duration.FromMinutes(17)), (whileLocked!.FailedSignIns, whileLocked.LockedUntil));
        Assert.Equal((1, (Instant?)null), (afterLock!.FailedSignIns, afterLock.LockedUntil));
    }

    [Fact]
    public async Task RecordFailedSignIn_FromTwoStoreObjectsAtOnce_CountsEveryFailure()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Viewer, Now);
        await using var other = await OpenAnotherAsync();
        var lockout = new SignInLockout(100, Duration.FromMinutes(15));

        // Two "nodes" failing 20 times each, concurrently: an increment read-then-written would lose some.
        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 20; i++) { await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now, lockout); } }),
            Task.Run(async () => { for (var i = 0; i < 20; i++) { await other.RecordFailedSignInAsync("acme", "ann@example.org", Now, lockout); } }));

        Assert.Equal(40, (await Accounts.FindSignInAsync("acme", "ann@example.org"))!.FailedSignIns);
    }

    [Fact]
    public async Task RecordSignIn_ClearsFailures()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Viewer, Now);
        await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now, SignInLockout.Default);
        await Accounts.RecordFailedSignInAsync("acme", "ann@example.org", Now, SignInLockout.Default);

        await Accounts.RecordSignInAsync("acme", "ann@example.org");

        Assert.Equal(0, (await Accounts.FindSignInAsync("acme", "ann@example.org"))!.FailedSignIns);
    }

    [Fact]
    public async Task SetLanguageAndRole_RememberedPerMemberAndOrganisation()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateOrganisationAsync("globex");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Viewer, Now);
        await Accounts.CreateUserAsync("globex", "ann@example.org", AccountRole.Viewer, Now);

        Assert.True(await Accounts.SetLanguageAsync("acme", "ann@example.org", "fi"));
        Assert.True(await Accounts.SetRoleAsync("acme", "ann@example.org", AccountRole.Manager));
        Assert.False(await Accounts.SetLanguageAsync("acme", "bob@example.org", "fi"));
        Assert.False(await Accounts.SetRoleAsync("acme", "bob@example.org", AccountRole.Manager));

        var acme = await Accounts.FindSignInAsync("acme", "ann@example.org");
        var globex = await Accounts.FindSignInAsync("globex", "ann@example.org");
        Assert.Equal(("fi", AccountRole.Manager), (acme!.Language, acme.User.Role));
        Assert.Equal(((string?)null, AccountRole.Viewer), (globex!.Language, globex.User.Role));
        Assert.True(await Accounts.SetLanguageAsync("acme", "ann@example.org", null));
        Assert.Null((await Accounts.FindSignInAsync("acme", "ann@example.org"))!.Language);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x7F)]
    [InlineData(0x85)]
    [InlineData(0xD800)] // an unpaired surrogate (built here: xunit would turn it into U+FFFD on the way)
    public async Task Email_WithAControlCharacter_RefusedAndNothingStored(int code)
    {
        var email = "a" + (char)code + "b@x.example";
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, Now);

        var refused = await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateUserAsync("acme", email, AccountRole.Viewer, Now));
        Assert.Equal("email", refused.Field);
        Assert.Equal("email", (await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateTokenAsync("acme", email, TokenScope.Read, null, Now))).Field);
        Assert.Equal("email", (await Assert.ThrowsAsync<AccountException>(() => Accounts.SetPasswordAsync("acme", email, PasswordHashes.Hash("correct horse battery")))).Field);
        Assert.Equal(["ann@example.org"], (await Accounts.ListUsersAsync("acme")).Select(u => u.Email));
        // Look-ups by such a value find nothing, as for an unknown person (PostgreSQL would refuse a NUL outright).
        Assert.Null(await Accounts.FindSignInAsync("acme", email));
        Assert.Null(await Accounts.RecordFailedSignInAsync("acme", email, Now, SignInLockout.Default));
        await Accounts.RecordSignInAsync("acme", email);
        Assert.False(await Accounts.SetLanguageAsync("acme", email, "sw"));
        Assert.False(await Accounts.SetRoleAsync("acme", email, AccountRole.Agent));
    }

    [Fact]
    public async Task Email_LengthLimitIs254()
    {
        await Accounts.CreateOrganisationAsync("acme");
        var longest = new string('a', 254 - "@x.example".Length) + "@x.example";

        var user = await Accounts.CreateUserAsync("acme", longest, AccountRole.Viewer, Now);
        var refused = await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateUserAsync("acme", "a" + longest, AccountRole.Viewer, Now));
        var huge = await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateUserAsync("acme", new string('a', 100_000) + "@x.example", AccountRole.Viewer, Now));

        Assert.Equal(254, user.Email.Length);
        Assert.Contains("254", refused.Message, StringComparison.Ordinal);
        // The message does not repeat a 100,000-character input.
        Assert.True(huge.Message.Length < 200, huge.Message);
        Assert.Equal([longest], (await Accounts.ListUsersAsync("acme")).Select(u => u.Email));
    }

    [Theory]
    [InlineData("n\u0000m")]
    [InlineData("n\u001Fm")]
    [InlineData("n\u007Fm")]
    public async Task TokenName_WithAControlCharacter_RefusedAndNothingStored(string name)
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, Now);

        var refused = await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Read, name, Now));

        Assert.Equal("name", refused.Field);
        Assert.Empty(await Accounts.ListTokensAsync("acme"));
    }

    [Fact]
    public async Task TokenName_LengthLimitIs100()
    {
        await Accounts.CreateOrganisationAsync("acme");
        await Accounts.CreateUserAsync("acme", "ann@example.org", AccountRole.Owner, Now);

        var kept = await Accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Read, "  " + new string('n', 100) + "  ", Now);
        var refused = await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateTokenAsync("acme", "ann@example.org", TokenScope.Read, new string('n', 101), Now));

        Assert.Equal(new string('n', 100), kept.Token.Name);
        Assert.Equal("name", refused.Field);
        Assert.Equal([kept.Token.TokenId], (await Accounts.ListTokensAsync("acme")).Select(t => t.TokenId));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("ac\u0000me")]
    [InlineData("ac\u0001me")]
    [InlineData("two words")]
    [InlineData("a/b")]
    [InlineData("a%2Fb")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("   ")]
    public async Task OrganisationName_UnusableInAPath_Refused(string name)
    {
        var refused = await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateOrganisationAsync(name));

        Assert.Equal("organisation", refused.Field);
        Assert.False(await Accounts.OrganisationExistsAsync(name));
        // Every operation by such a name is "no organisation", never a database error.
        Assert.Contains("no ", (await Assert.ThrowsAsync<AccountException>(() => Accounts.ListUsersAsync(name))).Message, StringComparison.Ordinal);
        Assert.Null(await Accounts.FindSignInAsync(name, "ann@example.org"));
    }

    [Fact]
    public async Task OrganisationName_LengthLimitIs100()
    {
        var longest = new string('o', 100);

        await Accounts.CreateOrganisationAsync(longest);
        var refused = await Assert.ThrowsAsync<AccountException>(() => Accounts.CreateOrganisationAsync(longest + "o"));

        Assert.True(await Accounts.OrganisationExistsAsync(longest));
        Assert.Contains("100", refused.Message, StringComparison.Ordinal);
        Assert.False(await Accounts.OrganisationExistsAsync(longest + "o"));
        // Dots inside a name are fine; only the path segments '.' and '..' are not.
        await Accounts.CreateOrganisationAsync("acme.co");
        await Accounts.CreateOrganisationAsync("...");
        Assert.True(await Accounts.OrganisationExistsAsync("..."));
    }
}
