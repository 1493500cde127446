using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Jobs;

/// <summary>Runs the jobs of one kind. Registered in DI; the <see cref="JobWorker"/> dispatches by <see cref="Kind"/>.</summary>
/// <remarks>
/// A job may run more than once (at-least-once delivery: a lease can expire while the handler still works, or the
/// node can die after the effect but before completion), so the effect must be idempotent or carry an idempotency key.
/// </remarks>
public interface IJobHandler
{
    /// <summary>The job kind handled, as in <see cref="JobRequest.Kind"/>.</summary>
    string Kind { get; }

    /// <summary>
    /// Does the job. Returning completes it; throwing <see cref="JobFailedException"/> fails the attempt with its
    /// message (retried later). Cancellation through <paramref name="cancellationToken"/> means the node is
    /// stopping: the job is left to its lease.
    /// </summary>
    Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken);
}

/// <summary>
/// A failed attempt with a message safe to store and log (no customer text, no secrets), and optionally when to
/// retry (a receiver's Retry-After).
/// </summary>
public sealed class JobFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobFailedException()
    {
    }

    /// <summary>Creates the exception with a safe message.</summary>
    public JobFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a safe message and its cause (the cause's text is not stored).</summary>
    public JobFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>When to try again instead of the queue's backoff; null for the backoff.</summary>
    public NodaTime.Instant? RetryAt { get; init; }
}
