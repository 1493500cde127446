using System.Text.Json;
using Utendaji.Storage.Accounts;

namespace Utendaji.Cli.Tests;

public sealed class AdminCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Bootstrap_OrgUserToken_TokenPrintedOnceAndAuthenticates()
    {
        Assert.Equal(0, (await _cli.RunAsync("admin", "create-org", "acme")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("admin", "create-user", "--org", "acme", "--email", "Ann@Example.org", "--role", "owner")).ExitCode);

        var issued = await _cli.RunAsync("admin", "create-token", "--org", "acme", "--email", "ann@example.org", "--scope", "write", "--name", "ci");

        Assert.Equal(0, issued.ExitCode);
        var secret = issued.Out.Trim();
        Assert.Matches("^utd_[A-Za-z0-9_-]{43}$", secret);
        Assert.Contains("not shown again", issued.Error, StringComparison.Ordinal);
        await using var accounts = await SqliteAccountStore.OpenAsync(_cli.DatabasePath);
        var caller = await accounts.AuthenticateAsync(ApiTokens.Hash(secret), _cli.Clock.Now);
        Assert.Equal(("acme", AccountRole.Owner, TokenScope.Write), (caller!.Organisation, caller.Role, caller.Scope));
    }

    [Fact]
    public async Task ListTokens_NeverShowsTheSecret_RevokeMarksIt()
    {
        await _cli.RunAsync("admin", "create-org", "acme");
        await _cli.RunAsync("admin", "create-user", "--org", "acme", "--email", "ann@example.org", "--role", "agent");
        var secret = (await _cli.RunAsync("admin", "create-token", "--org", "acme", "--email", "ann@example.org", "--scope", "read")).Out.Trim();

        var revoke = await _cli.RunAsync("admin", "revoke-token", "--org", "acme", "--id", "1");
        var table = await _cli.RunAsync("admin", "list-tokens", "--org", "acme");
        var json = await _cli.RunAsync("admin", "list-tokens", "--org", "acme", "--format", "json");

        Assert.Equal(0, revoke.ExitCode);
        Assert.DoesNotContain(secret, table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, json.Out, StringComparison.Ordinal);
        Assert.Contains(secret[..10], table.Out, StringComparison.Ordinal);
        var token = Assert.Single(JsonDocument.Parse(json.Out).RootElement.EnumerateArray());
        Assert.Equal("read", token.GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.String, token.GetProperty("revoked_at").ValueKind);
        Assert.Equal(1, (await _cli.RunAsync("admin", "revoke-token", "--org", "acme", "--id", "1")).ExitCode);
    }

    [Fact]
    public async Task CreateUser_UnknownOrganisation_DataError()
    {
        var result = await _cli.RunAsync("admin", "create-user", "--org", "nowhere", "--email", "ann@example.org", "--role", "owner");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no organisation 'nowhere'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateOrg_Twice_DataError()
    {
        await _cli.RunAsync("admin", "create-org", "acme");

        var again = await _cli.RunAsync("admin", "create-org", "acme");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create-user", "--org", "acme", "--email", "ann@example.org", "--role", "emperor")]
    [InlineData("create-token", "--org", "acme", "--email", "ann@example.org", "--scope", "admin")]
    [InlineData("create-org", "two words")]
    public async Task Admin_BadArguments_UsageError(params string[] args)
    {
        var result = await _cli.RunAsync(["admin", .. args]);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task SetPassword_FromStandardInput_StoresAVerifiableHash()
    {
        await _cli.RunAsync("admin", "create-org", "acme");
        await _cli.RunAsync("admin", "create-user", "--org", "acme", "--email", "ann@example.org", "--role", "admin");

        var result = await _cli.RunWithInputAsync("correct horse battery\n", "admin", "set-password", "--org", "acme", "--email", "Ann@Example.org");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("password set for ann@example.org", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse battery", result.Out + result.Error, StringComparison.Ordinal);
        await using var accounts = await SqliteAccountStore.OpenAsync(_cli.DatabasePath);
        var stored = (await accounts.FindSignInAsync("acme", "ann@example.org"))!.PasswordHash;
        Assert.StartsWith("pbkdf2-sha256$600000$", stored, StringComparison.Ordinal);
        Assert.True(PasswordHashes.Verify("correct horse battery", stored));
    }

    [Theory]
    [InlineData(null, "none on standard input")]
    [InlineData("\n", "none on standard input")]
    [InlineData("short pw 11\n", "11 characters; at least 12")]
    public async Task SetPassword_MissingOrShort_UsageErrorAndNothingStored(string? input, string message)
    {
        await _cli.RunAsync("admin", "create-org", "acme");
        await _cli.RunAsync("admin", "create-user", "--org", "acme", "--email", "ann@example.org", "--role", "admin");

        var result = await _cli.RunWithInputAsync(input, "admin", "set-password", "--org", "acme", "--email", "ann@example.org");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        await using var accounts = await SqliteAccountStore.OpenAsync(_cli.DatabasePath);
        Assert.Null((await accounts.FindSignInAsync("acme", "ann@example.org"))!.PasswordHash);
    }

    [Fact]
    public async Task SetPassword_UnknownPerson_DataError()
    {
        await _cli.RunAsync("admin", "create-org", "acme");

        var result = await _cli.RunWithInputAsync("correct horse battery\n", "admin", "set-password", "--org", "acme", "--email", "bob@example.org");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'bob@example.org' is not a member of organisation 'acme'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetPassword_AsAnArgument_Refused()
    {
        await _cli.RunAsync("admin", "create-org", "acme");

        var result = await _cli.RunWithInputAsync("correct horse battery\n", "admin", "set-password", "--org", "acme", "--email", "ann@example.org", "--password", "correct horse battery");

        Assert.Equal(2, result.ExitCode);
    }
}
