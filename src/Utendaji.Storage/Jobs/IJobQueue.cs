using NodaTime;

namespace Utendaji.Storage.Jobs;

/// <summary>
/// Background work shared by every node that uses the same database. A job is enqueued once per
/// (organisation, kind, dedupe key); a worker claims the next due job with a lease, then completes or fails it.
/// </summary>
/// <remarks>
/// <para>Delivery is at least once: a job whose worker dies (or overruns its lease) becomes claimable again when
/// the lease expires, so it is never lost, and a handler may therefore run more than once for one job. Handlers
/// make their effect idempotent (the SLA warning carries its dedupe key as <c>Idempotency-Key</c>).</para>
/// <para>Each claim is identified by the job and its attempt number: once a job is claimed again, the previous
/// claimer's <see cref="CompleteAsync"/> or <see cref="FailAsync"/> changes nothing and reports the lost lease.</para>
/// </remarks>
public interface IJobQueue
{
    /// <summary>
    /// Adds a job unless one with the same organisation, kind and dedupe key exists (in any state, finished ones
    /// included). True when the job is new.
    /// </summary>
    /// <exception cref="ArgumentException">A field of <paramref name="job"/> is blank, too long or not JSON.</exception>
    Task<bool> EnqueueAsync(JobRequest job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a due job for <paramref name="worker"/>, leasing it for <see cref="JobQueueOptions.LeaseDuration"/>: a
    /// running job whose lease expired (the oldest expiry first), else the queued job with the earliest run-at instant
    /// that has come (ties: organisation, then job id). Null when nothing is due.
    /// A running job whose lease expired after its last allowed attempt is marked dead instead of claimed.
    /// </summary>
    Task<ClaimedJob?> ClaimAsync(string worker, CancellationToken cancellationToken = default);

    /// <summary>Marks a claimed job done. False when the claim was lost (the lease expired and the job was claimed again).</summary>
    Task<bool> CompleteAsync(ClaimedJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a failed attempt: the job is queued again at <paramref name="retryAt"/> (or after the exponential
    /// backoff of <see cref="JobQueueOptions.RetryDelay"/>) while attempts remain, else it is dead. The error is
    /// kept (trimmed to <see cref="JobRequest.MaxErrorLength"/> characters, control characters replaced); it must
    /// not contain customer text.
    /// </summary>
    Task<JobFailure> FailAsync(ClaimedJob job, string error, Instant? retryAt = null, CancellationToken cancellationToken = default);

    /// <summary>Queue depth for metrics, over all organisations.</summary>
    Task<JobCounts> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes done and dead jobs that finished before <paramref name="finishedBefore"/>; how many. A deleted job's
    /// dedupe key can be enqueued again, so keep finished jobs longer than any scan could find the same work again
    /// (for SLA warnings: longer than the lead time).
    /// </summary>
    Task<long> PurgeAsync(Instant finishedBefore, CancellationToken cancellationToken = default);

    /// <summary>One job's state, or null; for operators and tests.</summary>
    Task<JobInfo?> FindAsync(string organisation, string kind, string dedupeKey, CancellationToken cancellationToken = default);
}

/// <summary>A job to enqueue.</summary>
public sealed record JobRequest
{
    /// <summary>The longest kind accepted.</summary>
    public const int MaxKindLength = 64;

    /// <summary>The longest dedupe key accepted.</summary>
    public const int MaxDedupeKeyLength = 256;

    /// <summary>The longest error text kept by <see cref="IJobQueue.FailAsync"/>.</summary>
    public const int MaxErrorLength = 1000;

    /// <summary>The organisation the job works for (its name, as the store knows it).</summary>
    public required string Organisation { get; init; }

    /// <summary>Which handler runs the job, e.g. <c>sla-warning</c>: lower-case letters, digits, '-' and '.'.</summary>
    public required string Kind { get; init; }

    /// <summary>
    /// Unique per organisation and kind: enqueuing the same key again does nothing, so several nodes scanning the
    /// same data enqueue one job. Printable ASCII without spaces (it travels in HTTP headers).
    /// </summary>
    public required string DedupeKey { get; init; }

    /// <summary>The handler's input as a JSON document. It is stored: keep customer text out of it.</summary>
    public required string Payload { get; init; }

    /// <summary>The job is not claimed before this instant.</summary>
    public required Instant RunAt { get; init; }
}

/// <summary>A job claimed by a worker; <see cref="Attempt"/> identifies the claim.</summary>
/// <param name="JobId">The job's id within its organisation.</param>
/// <param name="Organisation">The organisation's name.</param>
/// <param name="Kind">The handler kind.</param>
/// <param name="DedupeKey">The dedupe key it was enqueued with.</param>
/// <param name="Payload">The JSON payload.</param>
/// <param name="RunAt">When it was due.</param>
/// <param name="Attempt">1 for the first claim, 2 for the second, …</param>
/// <param name="LeaseUntil">The claim expires at this instant; another worker may then claim the job.</param>
public sealed record ClaimedJob(
    long JobId, string Organisation, string Kind, string DedupeKey, string Payload, Instant RunAt, int Attempt, Instant LeaseUntil);

/// <summary>Where a job stands.</summary>
public enum JobState
{
    /// <summary>Waiting for its run-at instant or for a worker.</summary>
    Queued,
    /// <summary>Claimed by a worker under a lease.</summary>
    Running,
    /// <summary>Completed.</summary>
    Done,
    /// <summary>Failed on its last allowed attempt; kept with its last error.</summary>
    Dead,
}

/// <summary>What <see cref="IJobQueue.FailAsync"/> did.</summary>
public enum JobFailureOutcome
{
    /// <summary>Queued again for another attempt.</summary>
    Retrying,
    /// <summary>No attempts left: the job is dead.</summary>
    Dead,
    /// <summary>The claim had been lost; nothing changed.</summary>
    LeaseLost,
}

/// <summary>The result of a failed attempt.</summary>
/// <param name="Outcome">Retrying, dead or lease lost.</param>
/// <param name="RetryAt">When retrying: the next run-at instant.</param>
public sealed record JobFailure(JobFailureOutcome Outcome, Instant? RetryAt);

/// <summary>Queue depth. Due counts queued jobs whose run-at has come plus running jobs whose lease expired.</summary>
/// <param name="Due">Claimable now.</param>
/// <param name="Queued">Queued, due or not.</param>
/// <param name="Running">Claimed and leased (expired leases included until reclaimed).</param>
/// <param name="Dead">Given up after the last attempt.</param>
public sealed record JobCounts(long Due, long Queued, long Running, long Dead);

/// <summary>One job as stored.</summary>
/// <param name="JobId">Its id within its organisation.</param>
/// <param name="State">Queued, running, done or dead.</param>
/// <param name="RunAt">Next (or last) run-at instant.</param>
/// <param name="Attempts">Claims so far.</param>
/// <param name="LeaseOwner">The worker of the latest claim.</param>
/// <param name="LastError">The error of the latest failed attempt.</param>
/// <param name="Payload">The JSON payload.</param>
public sealed record JobInfo(long JobId, JobState State, Instant RunAt, int Attempts, string? LeaseOwner, string? LastError, string Payload);
