using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Utendaji.Storage.Sqlite;

/// <summary>One numbered schema change, an embedded SQL script named <c>NNNN_name.sql</c>.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies the embedded migrations not yet recorded, in order, each recorded in <c>schema_migrations</c>, all pending ones in
/// one immediate (write-locked) transaction so two processes opening a fresh file cannot both migrate it.
/// </summary>
internal static class SqliteMigrations
{
    private const string ResourcePrefix = "Utendaji.Storage.Sqlite.Migrations.";

    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>The newest schema version this code knows.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>Migrates the database to <see cref="Latest"/> and returns the version it is at.</summary>
    public static int Apply(SqliteConnection connection, string location)
    {
        // Fast path without a write lock, so opening a store does not wait for another process's import.
        var known = Applied(connection, null);
        Refuse(known, location);
        if (All.All(m => known.Contains(m.Version)))
        {
            return Latest;
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (" +
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, " +
            "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))");

        var applied = Applied(connection, transaction);
        Refuse(applied, location);

        // Every migration not yet recorded, in order, even one numbered below the newest applied: numbers are
        // reserved per change while branches are developed in parallel, so 0004 can reach a database before 0003.
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            try
            {
                Execute(connection, transaction, migration.Sql);
            }
            catch (SqliteException e)
            {
                throw new StoreSchemaException(string.Create(CultureInfo.InvariantCulture,
                    $"Migration {migration.Version:D4}_{migration.Name} failed on '{location}': {e.Message}"), e);
            }

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, sha256) VALUES ($v, $n, $h)";
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$n", migration.Name);
            record.Parameters.AddWithValue("$h", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(migration.Sql))));
            record.ExecuteNonQuery();
        }

        // Mirrored into user_version so `sqlite3 FILE 'PRAGMA user_version'` shows it without our table.
        Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {Latest}"));
        transaction.Commit();
        return Latest;
    }

    /// <summary>The versions recorded in <c>schema_migrations</c> (empty on a fresh file).</summary>
    private static HashSet<int> Applied(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Two statements: one naming schema_migrations would not even compile on a fresh file.
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'";
        var versions = new HashSet<int>();
        if ((long)command.ExecuteScalar()! == 0)
        {
            return versions;
        }

        command.CommandText = "SELECT version FROM schema_migrations";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static void Refuse(HashSet<int> applied, string location)
    {
        var version = applied.Count == 0 ? 0 : applied.Max();
        if (version > Latest)
        {
            throw new StoreSchemaException(string.Create(CultureInfo.InvariantCulture,
                $"The database '{location}' has schema version {version}, but this version of Utendaji knows versions up to {Latest}. It was written by a newer Utendaji: upgrade Utendaji, or use --db to choose another database."));
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = resource[ResourcePrefix.Length..^".sql".Length];
            var separator = file.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(file.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(version, file[(separator + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        // Gaps are allowed (a number reserved by a change not merged yet); a number used twice is not.
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Migration number {migrations[i].Version} is used twice.");
            }
        }

        return migrations;
    }
}
