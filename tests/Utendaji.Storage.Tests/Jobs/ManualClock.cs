using NodaTime;

namespace Utendaji.Storage.Tests.Jobs;

/// <summary>A clock the test moves by hand (NodaTime.Testing is not on the package mirror).</summary>
internal sealed class ManualClock(Instant now) : IClock
{
    private long _ticks = now.ToUnixTimeTicks();

    public Instant Now => Instant.FromUnixTimeTicks(Interlocked.Read(ref _ticks));

    public Instant GetCurrentInstant() => Now;

    public void Advance(Duration by) => Interlocked.Add(ref _ticks, by.BclCompatibleTicks);
}
