using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Postgres;

/// <summary>
/// Applies the embedded PostgreSQL migrations in order, each recorded in <c>schema_migrations</c>, all pending ones in
/// one transaction holding an advisory lock, so several server processes starting at once migrate a database once:
/// the first takes the lock and migrates, the others wait for it and then find nothing left to do.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock key migrations hold: "utendaji" in ASCII, an arbitrary constant of this application.</summary>
    private const long LockKey = 0x7574656e64616a69;

    private const string ResourcePrefix = "Utendaji.Storage.Postgres.Migrations.";

    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>The newest schema version this code knows.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>Migrates the database to <see cref="Latest"/> and returns the version it is at.</summary>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, string location, CancellationToken cancellationToken)
    {
        // Fast path without the lock: an up-to-date database is only read.
        var known = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        Refuse(known, location);
        if (All.All(m => known.Contains(m.Version)))
        {
            return Latest;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS schema_migrations (" +
            "version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken).ConfigureAwait(false);

        // Read again under the lock: another process may have migrated while we waited.
        var applied = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        Refuse(applied, location);
        // Every migration not yet recorded, in order, even one numbered below the newest applied: numbers are
        // reserved per change while branches are developed in parallel (as SqliteMigrations does).
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            try
            {
                await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                throw new StoreSchemaException(string.Create(CultureInfo.InvariantCulture,
                    $"Migration {migration.Version:D4}_{migration.Name} failed on '{location}': {e.MessageText}"), e);
            }

            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, sha256) VALUES (@v, @n, @h)", connection);
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("n", migration.Name);
            record.Parameters.AddWithValue("h", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(migration.Sql))));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Latest;
    }

    private static async Task<HashSet<int>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        // Two statements: one naming schema_migrations would not even plan on a fresh database.
        await using var command = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return versions;
        }

        command.CommandText = "SELECT version FROM schema_migrations";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
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
