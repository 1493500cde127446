using NodaTime;
using Utendaji.Core;

namespace Utendaji.Storage.Jobs;

/// <summary>How long claims last and how failed jobs are retried. Immutable; change with <c>with</c>.</summary>
public sealed record JobQueueOptions
{
    /// <summary>The defaults.</summary>
    public static JobQueueOptions Default { get; } = new();

    /// <summary>
    /// How long a claim lasts (default 5 minutes). A handler must finish well within it: after it, another worker
    /// may claim the job, which is how the job of a dead node is recovered.
    /// </summary>
    public Duration LeaseDuration { get; init; } = Duration.FromMinutes(5);

    /// <summary>Claims allowed per job, the first included (default 8); after the last failure the job is dead.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Delay before the second attempt (default 30 s); each later one doubles it.</summary>
    public Duration RetryBaseDelay { get; init; } = Duration.FromSeconds(30);

    /// <summary>The longest delay between attempts (default 1 hour).</summary>
    public Duration RetryMaxDelay { get; init; } = Duration.FromHours(1);

    /// <summary>The exponential backoff after failed attempt <paramref name="attempt"/> (1-based): base × 2^(attempt−1), capped.</summary>
    public Duration RetryDelay(int attempt)
    {
        Guard.InRange(attempt >= 1, "attempts are numbered from 1");
        // Doubling past 2^20 only matters beyond any sane cap; stop there so the arithmetic cannot overflow.
        var factor = 1L << Math.Min(attempt - 1, 20);
        var ticks = RetryBaseDelay.BclCompatibleTicks;
        return ticks > RetryMaxDelay.BclCompatibleTicks / factor ? RetryMaxDelay : Duration.FromTicks(ticks * factor);
    }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    internal void Validate()
    {
        Guard.InRange(LeaseDuration > Duration.Zero, "must be positive", nameof(LeaseDuration));
        Guard.InRange(MaxAttempts >= 1, "must be at least 1", nameof(MaxAttempts));
        Guard.InRange(RetryBaseDelay >= Duration.Zero, "must not be negative", nameof(RetryBaseDelay));
        Guard.InRange(RetryMaxDelay >= RetryBaseDelay, "must not be shorter than RetryBaseDelay", nameof(RetryMaxDelay));
    }
}
