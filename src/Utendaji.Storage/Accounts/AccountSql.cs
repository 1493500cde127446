namespace Utendaji.Storage.Accounts;

/// <summary>SQL of the sign-in columns shared by both engines (the same text runs on SQLite and PostgreSQL).</summary>
internal static class AccountSql
{
    /// <summary>The columns <c>ReadSignIn</c> reads, in its order.</summary>
    public const string SignInColumns = "user_id, email, role, created_at, password_hash, failed_sign_ins, locked_until, language";

    /// <summary>
    /// One UPDATE … RETURNING that counts a failure: a running lock is left alone; an expired lock starts the count
    /// at 1; reaching the maximum sets the lock. Every SET expression sees the old row, hence the repeated CASE.
    /// </summary>
    public static string RecordFailure(string name, string email, string now, string max, string until)
    {
        var next = $"(CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END)";
        return "UPDATE users SET " +
            $"failed_sign_ins = CASE WHEN locked_until IS NOT NULL AND locked_until > {now} THEN failed_sign_ins ELSE {next} END, " +
            $"locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until > {now} THEN locked_until WHEN {next} >= {max} THEN {until} ELSE NULL END " +
            $"WHERE org = (SELECT org FROM organisations WHERE name = {name}) AND email = {email} " +
            "RETURNING " + SignInColumns;
    }

    /// <summary>Refuses a text that is not a password hash (a password passed by mistake must never be stored).</summary>
    public static void RequireHash(string passwordHash)
    {
        if (passwordHash is null || !passwordHash.StartsWith(PasswordHashes.Algorithm + "$", StringComparison.Ordinal) || passwordHash.Split('$').Length != 4)
        {
            throw new AccountException($"the password must be stored as a '{PasswordHashes.Algorithm}$…' hash (PasswordHashes.Hash), never as text");
        }
    }
}
