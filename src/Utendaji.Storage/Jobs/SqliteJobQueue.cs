using System.Globalization;
using Microsoft.Data.Sqlite;
using NodaTime;
using Utendaji.Core;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Jobs;

/// <summary>
/// The job queue in the embedded SQLite file (one node). Every claim is one IMMEDIATE (write-locked) transaction
/// with <c>UPDATE … RETURNING</c>, so two processes on the same file never claim the same job either.
/// </summary>
/// <remarks>
/// One connection serialised by a semaphore: safe to share between the worker and the scanner of one process.
/// Everything completes synchronously under the lock (SQLite is in-process); the signatures are the contract's.
/// </remarks>
public sealed class SqliteJobQueue : IJobQueue, IAsyncDisposable
{
    private const int BusyTimeoutSeconds = 30;

    private const string Columns = "job_id, (SELECT name FROM organisations o WHERE o.org = jobs.org), kind, dedupe_key, payload, run_at, attempts, lease_until";

    private readonly SqliteConnection _connection;
    private readonly IClock _clock;
    private readonly JobQueueOptions _options;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, long> _organisations = new(StringComparer.Ordinal);

    private SqliteJobQueue(SqliteConnection connection, IClock clock, JobQueueOptions options)
    {
        _connection = connection;
        _clock = clock;
        _options = options;
    }

    /// <summary>
    /// Opens the queue in the database at <paramref name="path"/> (created when missing), applying pending
    /// migrations as <see cref="SqliteStore.OpenAsync"/> does.
    /// </summary>
    public static async Task<SqliteJobQueue> OpenAsync(string path, IClock clock, JobQueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(path);
        Guard.NotNull(clock);
        options ??= JobQueueOptions.Default;
        options.Validate();
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
            Execute(connection, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +
                string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};"));
            SqliteMigrations.Apply(connection, location);
            return new SqliteJobQueue(connection, clock, options);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<bool> EnqueueAsync(JobRequest job, CancellationToken cancellationToken = default)
    {
        JobRules.Validate(job);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var org = OrganisationKey(job.Organisation, transaction);
            using var command = Command(transaction,
                "INSERT INTO jobs (org, job_id, kind, dedupe_key, payload, state, run_at, attempts, created_at) " +
                "VALUES ($org, (SELECT coalesce(max(job_id), 0) + 1 FROM jobs WHERE org = $org), $kind, $key, $payload, 0, $run_at, 0, $now) " +
                "ON CONFLICT (org, kind, dedupe_key) DO NOTHING");
            command.Parameters.AddWithValue("$org", org);
            command.Parameters.AddWithValue("$kind", job.Kind);
            command.Parameters.AddWithValue("$key", job.DedupeKey);
            command.Parameters.AddWithValue("$payload", job.Payload);
            command.Parameters.AddWithValue("$run_at", job.RunAt.ToUnixTimeTicks());
            command.Parameters.AddWithValue("$now", _clock.GetCurrentInstant().ToUnixTimeTicks());
            var added = command.ExecuteNonQuery() == 1;
            transaction.Commit();
            return added;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<ClaimedJob?> ClaimAsync(string worker, CancellationToken cancellationToken = default)
    {
        JobRules.ValidateWorker(worker);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _clock.GetCurrentInstant();
            using var transaction = _connection.BeginTransaction(deferred: false);
            using (var bury = Command(transaction,
                "UPDATE jobs SET state = 3, finished_at = $now, lease_until = NULL, " +
                "last_error = 'lease of attempt ' || attempts || ' expired without completion (worker ' || coalesce(lease_owner, '?') || ')' " +
                "WHERE state = 1 AND lease_until <= $now AND attempts >= $max"))
            {
                bury.Parameters.AddWithValue("$now", now.ToUnixTimeTicks());
                bury.Parameters.AddWithValue("$max", _options.MaxAttempts);
                bury.ExecuteNonQuery();
            }

            // Expired leases first (few, and due since before they were claimed), then the earliest queued job: each
            // an ordered walk of one partial index, never a sort of the whole backlog.
            var claimed = Claim(transaction, "state = 1 AND lease_until <= $now ORDER BY lease_until", worker, now)
                ?? Claim(transaction, "state = 0 AND run_at <= $now ORDER BY run_at, org, job_id", worker, now);
            transaction.Commit();
            return claimed;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(ClaimedJob job, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(job);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(null,
                "UPDATE jobs SET state = 2, finished_at = $now, lease_until = NULL " +
                "WHERE org = (SELECT org FROM organisations WHERE name = $name) AND job_id = $id AND state = 1 AND attempts = $attempt");
            BindClaim(command, job);
            return command.ExecuteNonQuery() == 1;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<JobFailure> FailAsync(ClaimedJob job, string error, Instant? retryAt = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(job);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _clock.GetCurrentInstant();
            var dead = job.Attempt >= _options.MaxAttempts;
            var next = retryAt ?? now + _options.RetryDelay(job.Attempt);
            using var command = Command(null, dead
                ? "UPDATE jobs SET state = 3, finished_at = $now, lease_until = NULL, last_error = $error " +
                  "WHERE org = (SELECT org FROM organisations WHERE name = $name) AND job_id = $id AND state = 1 AND attempts = $attempt"
                : "UPDATE jobs SET state = 0, run_at = $next, lease_until = NULL, last_error = $error " +
                  "WHERE org = (SELECT org FROM organisations WHERE name = $name) AND job_id = $id AND state = 1 AND attempts = $attempt");
            BindClaim(command, job);
            command.Parameters.AddWithValue("$error", JobRules.Error(error));
            command.Parameters.AddWithValue("$next", next.ToUnixTimeTicks());
            return command.ExecuteNonQuery() != 1
                ? new JobFailure(JobFailureOutcome.LeaseLost, null)
                : dead ? new JobFailure(JobFailureOutcome.Dead, null) : new JobFailure(JobFailureOutcome.Retrying, next);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<JobCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(null,
                "SELECT (SELECT count(*) FROM jobs WHERE state = 0 AND run_at <= $now) + (SELECT count(*) FROM jobs WHERE state = 1 AND lease_until <= $now), " +
                "(SELECT count(*) FROM jobs WHERE state = 0), (SELECT count(*) FROM jobs WHERE state = 1), (SELECT count(*) FROM jobs WHERE state = 3)");
            command.Parameters.AddWithValue("$now", _clock.GetCurrentInstant().ToUnixTimeTicks());
            using var reader = command.ExecuteReader();
            reader.Read();
            return new JobCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<long> PurgeAsync(Instant finishedBefore, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(null, "DELETE FROM jobs WHERE (state = 2 AND finished_at < $before) OR (state = 3 AND finished_at < $before)");
            command.Parameters.AddWithValue("$before", finishedBefore.ToUnixTimeTicks());
            return command.ExecuteNonQuery();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<JobInfo?> FindAsync(string organisation, string kind, string dedupeKey, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(organisation);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(null,
                "SELECT job_id, state, run_at, attempts, lease_owner, last_error, payload FROM jobs " +
                "WHERE org = (SELECT org FROM organisations WHERE name = $name) AND kind = $kind AND dedupe_key = $key");
            command.Parameters.AddWithValue("$name", organisation);
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$key", dedupeKey);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new JobInfo(reader.GetInt64(0), JobRules.State(reader.GetInt32(1)), Instant.FromUnixTimeTicks(reader.GetInt64(2)), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6))
                : null;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _lock.Dispose();
    }

    private ClaimedJob? Claim(SqliteTransaction transaction, string candidates, string worker, Instant now)
    {
        using var claim = Command(transaction,
            "UPDATE jobs SET state = 1, attempts = attempts + 1, lease_owner = $worker, lease_until = $until " +
            $"WHERE rowid = (SELECT rowid FROM jobs WHERE {candidates} LIMIT 1) RETURNING {Columns}");
        claim.Parameters.AddWithValue("$worker", worker);
        claim.Parameters.AddWithValue("$now", now.ToUnixTimeTicks());
        claim.Parameters.AddWithValue("$until", (now + _options.LeaseDuration).ToUnixTimeTicks());
        using var reader = claim.ExecuteReader();
        return reader.Read()
            ? new ClaimedJob(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                Instant.FromUnixTimeTicks(reader.GetInt64(5)), reader.GetInt32(6), Instant.FromUnixTimeTicks(reader.GetInt64(7)))
            : null;
    }

    private void BindClaim(SqliteCommand command, ClaimedJob job)
    {
        command.Parameters.AddWithValue("$now", _clock.GetCurrentInstant().ToUnixTimeTicks());
        command.Parameters.AddWithValue("$name", job.Organisation);
        command.Parameters.AddWithValue("$id", job.JobId);
        command.Parameters.AddWithValue("$attempt", job.Attempt);
    }

    private long OrganisationKey(string organisation, SqliteTransaction transaction)
    {
        if (_organisations.TryGetValue(organisation, out var known))
        {
            return known;
        }

        // As SqliteStore does: the first job of an organisation the file has not seen yet registers it.
        using var command = Command(transaction,
            "INSERT INTO organisations (name) VALUES ($name) ON CONFLICT (name) DO NOTHING; SELECT org FROM organisations WHERE name = $name;");
        command.Parameters.AddWithValue("$name", organisation);
        var org = (long)command.ExecuteScalar()!;
        _organisations[organisation] = org;
        return org;
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
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
