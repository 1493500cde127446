using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Utendaji.Core;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Jobs;

/// <summary>
/// One node's worker loop: claim the next due job, dispatch it by kind to its <see cref="IJobHandler"/>, complete or
/// fail it; wait <see cref="JobWorkerOptions.PollInterval"/> when nothing is due. Any number of nodes run one each.
/// </summary>
/// <remarks>
/// Stopping cancels the running handler and leaves its job claimed: nothing is marked done or failed that did not
/// finish, and the lease expires so another node (or this one, restarted) runs it again. Nothing is lost.
/// </remarks>
public sealed class JobWorker : BackgroundService
{
    private readonly IJobQueue _queue;
    private readonly Dictionary<string, IJobHandler> _handlers;
    private readonly JobWorkerOptions _options;
    private readonly ILogger<JobWorker> _logger;

    /// <summary>Creates the worker over <paramref name="queue"/> with one handler per kind.</summary>
    /// <exception cref="ArgumentException">Two handlers claim the same kind.</exception>
    public JobWorker(IJobQueue queue, IEnumerable<IJobHandler> handlers, JobWorkerOptions options, ILogger<JobWorker> logger)
    {
        _queue = Guard.NotNull(queue);
        _options = Guard.NotNull(options);
        _options.Validate();
        _logger = Guard.NotNull(logger);
        _handlers = new Dictionary<string, IJobHandler>(StringComparer.Ordinal);
        foreach (var handler in Guard.NotNull(handlers))
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new ArgumentException($"two handlers are registered for job kind '{handler.Kind}'", nameof(handlers));
            }
        }
    }

    /// <summary>
    /// Claims and runs at most one job. False when nothing was due. Cancellation while a handler runs leaves the job
    /// to its lease and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var job = await _queue.ClaimAsync(_options.WorkerName, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        JobLog.Claimed(_logger, job.Kind, job.JobId, job.Organisation, job.Attempt);
        string error;
        NodaTime.Instant? retryAt = null;
        if (!_handlers.TryGetValue(job.Kind, out var handler))
        {
            error = $"no handler for job kind '{job.Kind}' on worker {_options.WorkerName}";
        }
        else
        {
            try
            {
                await handler.HandleAsync(job, cancellationToken).ConfigureAwait(false);
                // The effect happened: record it even when shutdown began meanwhile.
                if (await _queue.CompleteAsync(job, CancellationToken.None).ConfigureAwait(false))
                {
                    JobLog.Completed(_logger, job.Kind, job.JobId, job.Organisation, job.Attempt);
                }
                else
                {
                    JobLog.LeaseLost(_logger, job.Kind, job.JobId, job.Organisation);
                }

                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                JobLog.Interrupted(_logger, job.Kind, job.JobId, job.Organisation);
                throw;
            }
            catch (JobFailedException e)
            {
                error = e.Message;
                retryAt = e.RetryAt;
            }
#pragma warning disable CA1031 // A handler's bug must fail its job, not stop the node's worker.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // The type only: an unexpected exception's message may quote data.
                error = string.Create(CultureInfo.InvariantCulture, $"unexpected {e.GetType().Name} in the {job.Kind} handler");
            }
        }

        var failure = await _queue.FailAsync(job, error, retryAt, CancellationToken.None).ConfigureAwait(false);
        JobLog.Failed(_logger, job.Kind, job.JobId, job.Organisation, job.Attempt, error, failure.Outcome switch
        {
            JobFailureOutcome.Retrying => "retry at " + failure.RetryAt!.Value.ToString(),
            JobFailureOutcome.Dead => "no attempts left, job is dead",
            _ => "the claim had been lost",
        });
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool worked;
            try
            {
                worked = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database may be briefly unreachable: keep the loop alive and try again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                JobLog.QueueError(_logger, e.GetType().Name);
                worked = false;
            }

            if (!worked)
            {
                try
                {
                    await Task.Delay(_options.PollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
