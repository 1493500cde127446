using NodaTime;
using Utendaji.Storage.Jobs;

namespace Utendaji.Storage.Tests.Jobs;

public class JobQueueOptionsTests
{
    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]   // 3840 s capped at the 1-hour maximum
    [InlineData(60, 3600)]
    public void RetryDelay_Default_DoublesFromThirtySecondsCappedAtOneHour(int attempt, int seconds) =>
        Assert.Equal(Duration.FromSeconds(seconds), JobQueueOptions.Default.RetryDelay(attempt));

    [Fact]
    public void RetryDelay_AttemptZero_Rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => JobQueueOptions.Default.RetryDelay(0));
}
