using System.Collections.Concurrent;
using NodaTime;
using Npgsql;
using Utendaji.Core;

namespace Utendaji.Storage.Jobs;

/// <summary>
/// The job queue in PostgreSQL, shared by several server processes. A claim is one short transaction: it picks the
/// earliest due job with <c>SELECT … FOR UPDATE SKIP LOCKED</c> and sets the lease, so concurrent claimers in any
/// number of processes never get the same job and never wait for each other's row.
/// </summary>
/// <remarks>Thread-safe: every call takes its own pooled connection from the data source.</remarks>
public sealed class PostgresJobQueue : IJobQueue
{
    private const string Returning =
        "j.job_id, (SELECT name FROM organisations o WHERE o.org = j.org), j.kind, j.dedupe_key, j.payload, j.run_at, j.attempts, j.lease_until";

    private const string ByClaim =
        "org = (SELECT org FROM organisations WHERE name = $1) AND job_id = $2 AND state = 1 AND attempts = $3";

    private readonly NpgsqlDataSource _dataSource;
    private readonly IClock _clock;
    private readonly JobQueueOptions _options;
    private readonly ConcurrentDictionary<string, long> _organisations = new(StringComparer.Ordinal);

    /// <summary>
    /// A queue over <paramref name="dataSource"/>, whose database must have the <c>jobs</c> table of
    /// <c>Postgres/Migrations/0005_jobs.sql</c> (applied by the store's migration runner).
    /// </summary>
    public PostgresJobQueue(NpgsqlDataSource dataSource, IClock clock, JobQueueOptions? options = null)
    {
        _dataSource = Guard.NotNull(dataSource);
        _clock = Guard.NotNull(clock);
        _options = options ?? JobQueueOptions.Default;
        _options.Validate();
    }

    /// <inheritdoc />
    public async Task<bool> EnqueueAsync(JobRequest job, CancellationToken cancellationToken = default)
    {
        JobRules.Validate(job);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var org = await OrganisationKeyAsync(connection, job.Organisation, cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(
                "INSERT INTO jobs (org, kind, dedupe_key, payload, state, run_at, attempts, created_at) " +
                "VALUES ($1, $2, $3, $4, 0, $5, 0, $6) ON CONFLICT (org, kind, dedupe_key) DO NOTHING", connection);
            command.Parameters.Add(new() { Value = org });
            command.Parameters.Add(new() { Value = job.Kind });
            command.Parameters.Add(new() { Value = job.DedupeKey });
            command.Parameters.Add(new() { Value = job.Payload });
            command.Parameters.Add(new() { Value = job.RunAt.ToUnixTimeTicks() });
            command.Parameters.Add(new() { Value = _clock.GetCurrentInstant().ToUnixTimeTicks() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task<ClaimedJob?> ClaimAsync(string worker, CancellationToken cancellationToken = default)
    {
        JobRules.ValidateWorker(worker);
        var now = _clock.GetCurrentInstant().ToUnixTimeTicks();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Expired leases on the last allowed attempt are given up, not claimed again (a job that kills its node
                // every time must not take the cluster down forever). SKIP LOCKED: a row another claimer holds is left.
                await using (var bury = new NpgsqlCommand(
                    "UPDATE jobs SET state = 3, finished_at = $1, lease_until = NULL, " +
                    "last_error = 'lease of attempt ' || attempts || ' expired without completion (worker ' || coalesce(lease_owner, '?') || ')' " +
                    "WHERE (org, job_id) IN (SELECT org, job_id FROM jobs WHERE state = 1 AND lease_until <= $1 AND attempts >= $2 FOR UPDATE SKIP LOCKED)",
                    connection, transaction))
                {
                    bury.Parameters.Add(new() { Value = now });
                    bury.Parameters.Add(new() { Value = _options.MaxAttempts });
                    await bury.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Expired leases first (few, and due since before they were claimed), then the earliest queued job: each
                // an ordered walk of one partial index that stops at the first row not locked by another claimer.
                var claimed = await ClaimAsync(connection, transaction, "state = 1 AND lease_until <= $1 ORDER BY lease_until", worker, now, cancellationToken).ConfigureAwait(false)
                    ?? await ClaimAsync(connection, transaction, "state = 0 AND run_at <= $1 ORDER BY run_at, org, job_id", worker, now, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return claimed;
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(ClaimedJob job, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(job);
        var changed = await ExecuteAsync(
            $"UPDATE jobs SET state = 2, finished_at = $4, lease_until = NULL WHERE {ByClaim}",
            [job.Organisation, job.JobId, job.Attempt, _clock.GetCurrentInstant().ToUnixTimeTicks()],
            cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async Task<JobFailure> FailAsync(ClaimedJob job, string error, Instant? retryAt = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(job);
        var now = _clock.GetCurrentInstant();
        var dead = job.Attempt >= _options.MaxAttempts;
        var next = retryAt ?? now + _options.RetryDelay(job.Attempt);
        var changed = await ExecuteAsync(
            dead
                ? $"UPDATE jobs SET state = 3, finished_at = $4, lease_until = NULL, last_error = $5 WHERE {ByClaim}"
                : $"UPDATE jobs SET state = 0, run_at = $4, lease_until = NULL, last_error = $5 WHERE {ByClaim}",
            [job.Organisation, job.JobId, job.Attempt, (dead ? now : next).ToUnixTimeTicks(), JobRules.Error(error)],
            cancellationToken).ConfigureAwait(false);
        return changed != 1
            ? new JobFailure(JobFailureOutcome.LeaseLost, null)
            : dead ? new JobFailure(JobFailureOutcome.Dead, null) : new JobFailure(JobFailureOutcome.Retrying, next);
    }

    /// <inheritdoc />
    public async Task<JobCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM jobs WHERE state = 0 AND run_at <= $1) + (SELECT count(*) FROM jobs WHERE state = 1 AND lease_until <= $1), " +
            "(SELECT count(*) FROM jobs WHERE state = 0), (SELECT count(*) FROM jobs WHERE state = 1), (SELECT count(*) FROM jobs WHERE state = 3)");
        command.Parameters.Add(new() { Value = _clock.GetCurrentInstant().ToUnixTimeTicks() });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new JobCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
    }

    /// <inheritdoc />
    public async Task<long> PurgeAsync(Instant finishedBefore, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM jobs WHERE (state = 2 AND finished_at < $1) OR (state = 3 AND finished_at < $1)", [finishedBefore.ToUnixTimeTicks()], cancellationToken)
            .ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<JobInfo?> FindAsync(string organisation, string kind, string dedupeKey, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(organisation);
        await using var command = _dataSource.CreateCommand(
            "SELECT job_id, state, run_at, attempts, lease_owner, last_error, payload FROM jobs " +
            "WHERE org = (SELECT org FROM organisations WHERE name = $1) AND kind = $2 AND dedupe_key = $3");
        command.Parameters.Add(new() { Value = organisation });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = dedupeKey });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new JobInfo(reader.GetInt64(0), JobRules.State(reader.GetInt16(1)), Instant.FromUnixTimeTicks(reader.GetInt64(2)), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6))
                : null;
        }
    }

    private async Task<ClaimedJob?> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string candidates, string worker, long now, CancellationToken cancellationToken)
    {
        await using var claim = new NpgsqlCommand(
            $"WITH next AS (SELECT org, job_id FROM jobs WHERE {candidates} LIMIT 1 FOR UPDATE SKIP LOCKED) " +
            "UPDATE jobs j SET state = 1, attempts = j.attempts + 1, lease_owner = $2, lease_until = $3 " +
            $"FROM next WHERE j.org = next.org AND j.job_id = next.job_id RETURNING {Returning}",
            connection, transaction);
        claim.Parameters.Add(new() { Value = now });
        claim.Parameters.Add(new() { Value = worker });
        claim.Parameters.Add(new() { Value = now + _options.LeaseDuration.BclCompatibleTicks });
        var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new ClaimedJob(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    Instant.FromUnixTimeTicks(reader.GetInt64(5)), reader.GetInt32(6), Instant.FromUnixTimeTicks(reader.GetInt64(7)))
                : null;
        }
    }

    private async Task<int> ExecuteAsync(string sql, object[] values, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> OrganisationKeyAsync(NpgsqlConnection connection, string organisation, CancellationToken cancellationToken)
    {
        if (_organisations.TryGetValue(organisation, out var known))
        {
            return known;
        }

        // The first job of an organisation the database has not seen yet registers it, as opening a store does.
        await using var command = new NpgsqlCommand(
            "WITH added AS (INSERT INTO organisations (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING org) " +
            "SELECT org FROM added UNION ALL SELECT org FROM organisations WHERE name = $1", connection);
        command.Parameters.Add(new() { Value = organisation });
        // A concurrent first insert by another process commits after this statement's snapshot was taken: then
        // neither branch sees a row, and the statement run again does.
        for (var attempt = 0; ; attempt++)
        {
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long org)
            {
                _organisations[organisation] = org;
                return org;
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException("The organisation could not be registered.");
            }
        }
    }
}
