using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NodaTime;
using Utendaji.Storage;
using Utendaji.Server.Hosting;
using Utendaji.Storage.Accounts;
using Utendaji.Storage.Jobs;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji admin</c>: organisations, people and API tokens of the server (docs/server.md).</summary>
internal static class AdminCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("admin", "Organisations, users and API tokens for 'utendaji serve'");
        command.Subcommands.Add(CreateOrg(environment));
        command.Subcommands.Add(CreateUser(environment));
        command.Subcommands.Add(ListUsers(environment));
        command.Subcommands.Add(SetPassword(environment));
        command.Subcommands.Add(CreateToken(environment));
        command.Subcommands.Add(RevokeToken(environment));
        command.Subcommands.Add(ListTokens(environment));
        return command;
    }

    /// <summary>The account store of <paramref name="db"/> (a SQLite path or a PostgreSQL connection string, as <see cref="StoreSession.Target"/> gives it).</summary>
    public static Task<IAccountStore> OpenAccountsAsync(string db, CancellationToken cancellationToken) =>
        StoreSession.GuardedAsync<IAccountStore>(db, async () => StoreConnector.IsPostgres(db)
            ? await PostgresAccountStore.OpenAsync(db, cancellationToken)
            : await SqliteAccountStore.OpenAsync(db, cancellationToken));

    /// <summary>The server's storage on <paramref name="db"/> (see <see cref="ServerBackend"/>).</summary>
    public static Task<ServerBackend> OpenBackendAsync(string db, IClock clock, CancellationToken cancellationToken, JobQueueOptions? jobs = null) =>
        StoreSession.GuardedAsync(db, () => ServerBackend.OpenAsync(db, clock, jobs, cancellationToken));

    private static Option<string> Org() => new("--org") { Description = "Organisation name", Required = true };

    private static Option<string> Email() => new("--email") { Description = "The person's e-mail address", Required = true };

    private static Command CreateOrg(CliEnvironment environment)
    {
        var name = new Argument<string>("name") { Description = "Organisation name (used in API paths: /api/v1/orgs/NAME)" };
        var command = new Command("create-org", "Create an organisation") { name };
        command.SetAction((parseResult, ct) => WithAccountsAsync(parseResult, environment, ct, async accounts =>
        {
            var org = parseResult.GetValue(name)!.Trim();
            if (org.Any(c => c is '/' or '?' or '#' or '%' || char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new CliException($"'{org}' cannot be used in a URL path: use letters, digits, '-', '_' or '.'", ExitCodes.Usage);
            }

            await accounts.CreateOrganisationAsync(org, ct);
            await environment.Out.WriteLineAsync($"organisation '{org}' created; add its owner with 'utendaji admin create-user --org {org} --email ADDRESS --role owner'");
        }));
        return command;
    }

    private static Command CreateUser(CliEnvironment environment)
    {
        var org = Org();
        var email = Email();
        var role = new Option<string>("--role") { Description = "owner, admin, manager, agent or viewer", Required = true };
        role.AcceptOnlyFromAmong("owner", "admin", "manager", "agent", "viewer");
        var command = new Command("create-user", "Add a person to an organisation with a role") { org, email, role };
        command.SetAction((parseResult, ct) => WithAccountsAsync(parseResult, environment, ct, async accounts =>
        {
            var user = await accounts.CreateUserAsync(parseResult.GetValue(org)!, parseResult.GetValue(email)!,
                Enum.Parse<AccountRole>(parseResult.GetValue(role)!, ignoreCase: true), environment.Clock.GetCurrentInstant(), ct);
            await environment.Out.WriteLineAsync($"user {user.Email} added to '{user.Organisation}' as {Name(user.Role)}");
        }));
        return command;
    }

    private static Command ListUsers(CliEnvironment environment)
    {
        var org = Org();
        var command = new Command("list-users", "The people of an organisation") { org };
        command.SetAction((parseResult, ct) => WithAccountsAsync(parseResult, environment, ct, async accounts =>
        {
            foreach (var user in await accounts.ListUsersAsync(parseResult.GetValue(org)!, ct))
            {
                await environment.Out.WriteLineAsync($"{user.Email}\t{Name(user.Role)}\tsince {user.CreatedAt}");
            }
        }));
        return command;
    }

    private static Command SetPassword(CliEnvironment environment)
    {
        var org = Org();
        var email = Email();
        var command = new Command("set-password",
            $"Set a person's dashboard password, read from standard input (never an argument, which other users could see in the process list); at least {PasswordHashes.MinimumLength} characters. Also unlocks the account.")
        {
            org, email,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            // Read and check the password before opening the store, so a bad one changes nothing.
            string? password;
            if (environment.ReadSecretFromTerminal is { } prompt)
            {
                await environment.Error.WriteAsync("New password: ");
                password = prompt();
            }
            else
            {
                password = await environment.In.ReadLineAsync(ct);
            }

            password = password?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
            {
                throw new CliException("password: none on standard input (e.g. 'printf %s \"$PASSWORD\" | utendaji admin set-password …')", ExitCodes.Usage);
            }

            if (password.Length < PasswordHashes.MinimumLength)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"password: {password.Length} characters; at least {PasswordHashes.MinimumLength} are needed"), ExitCodes.Usage);
            }

            var hash = PasswordHashes.Hash(password);
            return await WithAccountsAsync(parseResult, environment, ct, async accounts =>
            {
                await accounts.SetPasswordAsync(parseResult.GetValue(org)!, parseResult.GetValue(email)!, hash, ct);
                await environment.Out.WriteLineAsync($"password set for {parseResult.GetValue(email)!.Trim().ToLowerInvariant()} in '{parseResult.GetValue(org)!.Trim()}'; they can sign in at /sign-in");
            });
        });
        return command;
    }

    private static Command CreateToken(CliEnvironment environment)
    {
        var org = Org();
        var email = Email();
        var scope = new Option<string>("--scope") { Description = "read (GET only) or write", Required = true };
        scope.AcceptOnlyFromAmong("read", "write");
        var label = new Option<string?>("--name") { Description = "A label to recognise the token by (e.g. the integration using it)" };
        var command = new Command("create-token", "Issue a personal API token; it is printed once and cannot be shown again") { org, email, scope, label };
        command.SetAction((parseResult, ct) => WithAccountsAsync(parseResult, environment, ct, async accounts =>
        {
            var issued = await accounts.CreateTokenAsync(parseResult.GetValue(org)!, parseResult.GetValue(email)!,
                Enum.Parse<TokenScope>(parseResult.GetValue(scope)!, ignoreCase: true), parseResult.GetValue(label), environment.Clock.GetCurrentInstant(), ct);
            // The secret alone on standard output, so `TOKEN=$(utendaji admin create-token …)` works; the rest on standard error.
            await environment.Out.WriteLineAsync(issued.Secret);
            await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"token {issued.Token.TokenId} ({issued.Token.Prefix}…, {Name(issued.Token.Scope)}) issued to {issued.Token.Email}; store it now: it is not shown again"));
        }));
        return command;
    }

    private static Command RevokeToken(CliEnvironment environment)
    {
        var org = Org();
        var id = new Option<long>("--id") { Description = "Token id (see 'admin list-tokens')", Required = true };
        var command = new Command("revoke-token", "Revoke a token: requests with it are refused from now on") { org, id };
        command.SetAction((parseResult, ct) => WithAccountsAsync(parseResult, environment, ct, async accounts =>
        {
            var tokenId = parseResult.GetValue(id);
            if (!await accounts.RevokeTokenAsync(parseResult.GetValue(org)!, tokenId, environment.Clock.GetCurrentInstant(), ct))
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture, $"organisation '{parseResult.GetValue(org)}' has no valid token {tokenId}"));
            }

            await environment.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"token {tokenId} revoked"));
        }));
        return command;
    }

    private static Command ListTokens(CliEnvironment environment)
    {
        var org = Org();
        var format = CommonOptions.Format("table", "json");
        var command = new Command("list-tokens", "The organisation's tokens (ids, prefixes, holders, last use; never the secrets)") { org, format };
        command.SetAction((parseResult, ct) => WithAccountsAsync(parseResult, environment, ct, async accounts =>
        {
            var tokens = await accounts.ListTokensAsync(parseResult.GetValue(org)!, ct);
            if (parseResult.GetValue(format) == "json")
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(tokens.Select(t => new
                {
                    id = t.TokenId,
                    prefix = t.Prefix,
                    email = t.Email,
                    scope = Name(t.Scope),
                    name = t.Name,
                    created_at = Text(t.CreatedAt),
                    last_used_at = Text(t.LastUsedAt),
                    revoked_at = Text(t.RevokedAt),
                }), CliJson.Options));
                return;
            }

            await environment.Out.WriteLineAsync("id\tprefix\temail\tscope\tname\tcreated\tlast used\trevoked");
            foreach (var t in tokens)
            {
                await environment.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{t.TokenId}\t{t.Prefix}…\t{t.Email}\t{Name(t.Scope)}\t{t.Name ?? "-"}\t{t.CreatedAt}\t{Text(t.LastUsedAt) ?? "never"}\t{Text(t.RevokedAt) ?? "-"}"));
            }
        }));
        return command;
    }

    private static async Task<int> WithAccountsAsync(ParseResult parseResult, CliEnvironment environment, CancellationToken ct, Func<IAccountStore, Task> work)
    {
        await using var accounts = await OpenAccountsAsync(StoreSession.Target(parseResult, environment), ct);
        try
        {
            await work(accounts);
        }
        catch (AccountException e)
        {
            throw new CliException(e.Message);
        }

        return ExitCodes.Ok;
    }

    private static string Name(AccountRole role) => role.ToString().ToLowerInvariant();

    private static string Name(TokenScope scope) => scope.ToString().ToLowerInvariant();

    private static string? Text(Instant? instant) => instant?.ToString();
}
