using Microsoft.Extensions.Logging;

namespace Utendaji.Server.Jobs;

/// <summary>Log messages of the job machinery; stable event ids 4100–4199. Never customer text or secrets.</summary>
internal static partial class JobLog
{
    [LoggerMessage(4100, LogLevel.Debug, "Job {Kind} {JobId} of {Organisation} claimed (attempt {Attempt})")]
    public static partial void Claimed(ILogger logger, string kind, long jobId, string organisation, int attempt);

    [LoggerMessage(4101, LogLevel.Information, "Job {Kind} {JobId} of {Organisation} done (attempt {Attempt})")]
    public static partial void Completed(ILogger logger, string kind, long jobId, string organisation, int attempt);

    [LoggerMessage(4102, LogLevel.Warning, "Job {Kind} {JobId} of {Organisation} failed (attempt {Attempt}): {Error}; {Outcome}")]
    public static partial void Failed(ILogger logger, string kind, long jobId, string organisation, int attempt, string error, string outcome);

    [LoggerMessage(4103, LogLevel.Information, "Job {Kind} {JobId} of {Organisation} interrupted by shutdown; its lease will expire and another worker will retry it")]
    public static partial void Interrupted(ILogger logger, string kind, long jobId, string organisation);

    [LoggerMessage(4104, LogLevel.Warning, "Job {Kind} {JobId} of {Organisation}: the claim was lost before it was recorded (lease expired); another worker owns it")]
    public static partial void LeaseLost(ILogger logger, string kind, long jobId, string organisation);

    [LoggerMessage(4105, LogLevel.Error, "The job queue failed ({ExceptionType}); retrying after the poll interval")]
    public static partial void QueueError(ILogger logger, string exceptionType);

    [LoggerMessage(4106, LogLevel.Information, "SLA warning {JobId} of {Organisation} not sent: the target is no longer running with that due instant")]
    public static partial void Obsolete(ILogger logger, long jobId, string organisation);

    [LoggerMessage(4110, LogLevel.Information, "SLA scan of {Organisation}: {Found} warning(s) due within the lead time, {Enqueued} new")]
    public static partial void Scanned(ILogger logger, string organisation, int found, int enqueued);

    [LoggerMessage(4111, LogLevel.Error, "SLA scan of {Organisation} failed ({ExceptionType})")]
    public static partial void ScanFailed(ILogger logger, string organisation, string exceptionType);
}
