using NodaTime;
using Utendaji.Storage.Jobs;

namespace Utendaji.Storage.Tests.Jobs;

/// <summary>What every <see cref="IJobQueue"/> must do; run against SQLite and PostgreSQL by the subclasses.</summary>
public abstract class JobQueueContractTests
{
    protected static readonly Instant T0 = Instant.FromUtc(2026, 11, 23, 9, 0);

    private protected ManualClock Clock { get; } = new(T0);

    /// <summary>A queue on a database of this test's own (the same database on every call within one test).</summary>
    private protected abstract Task<IJobQueue> QueueAsync(JobQueueOptions? options = null);

    private static JobRequest Job(string key, Instant runAt, string organisation = "acme", string kind = "test-job", string payload = """{"n":1}""") =>
        new() { Organisation = organisation, Kind = kind, DedupeKey = key, Payload = payload, RunAt = runAt };

    [Fact]
    public async Task EnqueueAsync_SameOrganisationKindAndKey_OnlyFirstIsNew()
    {
        var queue = await QueueAsync();

        Assert.True(await queue.EnqueueAsync(Job("k1", T0)));
        Assert.False(await queue.EnqueueAsync(Job("k1", T0 + Duration.FromHours(1), payload: """{"n":2}""")));
        Assert.True(await queue.EnqueueAsync(Job("k1", T0, organisation: "globex")));
        Assert.True(await queue.EnqueueAsync(Job("k1", T0, kind: "other-job")));

        Assert.Equal(new JobCounts(Due: 3, Queued: 3, Running: 0, Dead: 0), await queue.CountAsync());
        var stored = await queue.FindAsync("acme", "test-job", "k1");
        Assert.NotNull(stored);
        Assert.Equal("""{"n":1}""", stored.Payload);
        Assert.Equal(T0, stored.RunAt);
    }

    [Theory]
    [InlineData("Kind", "Test Job", "key", """{}""")]
    [InlineData("DedupeKey", "test-job", "has space", """{}""")]
    [InlineData("DedupeKey", "test-job", "", """{}""")]
    [InlineData("Payload", "test-job", "key", """{"open":""")]
    [InlineData("Organisation", "test-job", "key", """{}""", "")]
    public async Task EnqueueAsync_InvalidField_RejectedNamingFieldAndNothingStored(string field, string kind, string key, string payload, string organisation = "acme")
    {
        var queue = await QueueAsync();

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => queue.EnqueueAsync(Job(key, T0, organisation, kind, payload)));

        Assert.Equal(field, error.ParamName);
        Assert.Equal(new JobCounts(0, 0, 0, 0), await queue.CountAsync());
    }

    [Fact]
    public async Task ClaimAsync_NotYetDue_NullUntilRunAt()
    {
        var queue = await QueueAsync();
        await queue.EnqueueAsync(Job("later", T0 + Duration.FromMinutes(10)));

        Assert.Null(await queue.ClaimAsync("node-1"));
        Clock.Advance(Duration.FromMinutes(10));
        var claimed = await queue.ClaimAsync("node-1");

        Assert.NotNull(claimed);
        Assert.Equal("later", claimed.DedupeKey);
    }

    [Fact]
    public async Task ClaimAsync_SeveralDue_EarliestRunAtFirstWithItsFields()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { LeaseDuration = Duration.FromMinutes(2) });
        await queue.EnqueueAsync(Job("second", T0 - Duration.FromMinutes(5), organisation: "globex", payload: """{"x":"ü"}"""));
        await queue.EnqueueAsync(Job("third", T0));
        await queue.EnqueueAsync(Job("first", T0 - Duration.FromMinutes(9)));

        var first = await queue.ClaimAsync("node-1");
        var second = await queue.ClaimAsync("node-1");
        var third = await queue.ClaimAsync("node-1");

        Assert.Equal(["first", "second", "third"], new[] { first!.DedupeKey, second!.DedupeKey, third!.DedupeKey });
        Assert.Equal("globex", second.Organisation);
        Assert.Equal("test-job", second.Kind);
        Assert.Equal("""{"x":"ü"}""", second.Payload);
        Assert.Equal(T0 - Duration.FromMinutes(5), second.RunAt);
        Assert.Equal(1, second.Attempt);
        Assert.Equal(T0 + Duration.FromMinutes(2), second.LeaseUntil);
        Assert.Null(await queue.ClaimAsync("node-1"));
        Assert.Equal(new JobCounts(Due: 0, Queued: 0, Running: 3, Dead: 0), await queue.CountAsync());
    }

    [Fact]
    public async Task ClaimAsync_LeaseExpired_ClaimedAgainAndOldClaimLost()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { LeaseDuration = Duration.FromMinutes(5) });
        await queue.EnqueueAsync(Job("k", T0));
        var dying = await queue.ClaimAsync("node-1");

        Clock.Advance(Duration.FromMinutes(4));
        Assert.Null(await queue.ClaimAsync("node-2"));
        Clock.Advance(Duration.FromMinutes(1));
        Assert.Equal(1, (await queue.CountAsync()).Due);
        var rescued = await queue.ClaimAsync("node-2");

        Assert.NotNull(rescued);
        Assert.Equal(dying!.JobId, rescued.JobId);
        Assert.Equal(2, rescued.Attempt);
        Assert.False(await queue.CompleteAsync(dying));
        Assert.Equal(JobFailureOutcome.LeaseLost, (await queue.FailAsync(dying, "late")).Outcome);
        Assert.True(await queue.CompleteAsync(rescued));
        var stored = await queue.FindAsync("acme", "test-job", "k");
        Assert.Equal(JobState.Done, stored!.State);
        Assert.Equal("node-2", stored.LeaseOwner);
    }

    [Fact]
    public async Task ClaimAsync_ExpiredLeaseAndEarlierQueuedJob_ExpiredLeaseRescuedFirst()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { LeaseDuration = Duration.FromMinutes(5) });
        await queue.EnqueueAsync(Job("orphan", T0));
        await queue.ClaimAsync("node-1");
        await queue.EnqueueAsync(Job("older", T0 - Duration.FromHours(1)));
        Clock.Advance(Duration.FromMinutes(5));

        var first = await queue.ClaimAsync("node-2");
        var second = await queue.ClaimAsync("node-2");

        Assert.Equal(("orphan", 2), (first!.DedupeKey, first.Attempt));
        Assert.Equal(("older", 1), (second!.DedupeKey, second.Attempt));
    }

    [Fact]
    public async Task CompleteAsync_Done_NeverClaimedAgainAndKeyStillDeduplicates()
    {
        var queue = await QueueAsync();
        await queue.EnqueueAsync(Job("k", T0));
        var claimed = await queue.ClaimAsync("node-1");

        Assert.True(await queue.CompleteAsync(claimed!));
        Assert.False(await queue.CompleteAsync(claimed!));
        Clock.Advance(Duration.FromDays(1));

        Assert.Null(await queue.ClaimAsync("node-1"));
        Assert.False(await queue.EnqueueAsync(Job("k", Clock.Now)));
        Assert.Equal(new JobCounts(0, 0, 0, 0), await queue.CountAsync());
    }

    [Fact]
    public async Task FailAsync_AttemptsLeft_RequeuedWithExponentialBackoff()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { RetryBaseDelay = Duration.FromSeconds(30), MaxAttempts = 5 });
        await queue.EnqueueAsync(Job("k", T0));

        var first = await queue.FailAsync((await queue.ClaimAsync("node-1"))!, "HTTP 500");
        Assert.Equal(new JobFailure(JobFailureOutcome.Retrying, T0 + Duration.FromSeconds(30)), first);
        Assert.Null(await queue.ClaimAsync("node-1"));
        Assert.Equal(new JobCounts(Due: 0, Queued: 1, Running: 0, Dead: 0), await queue.CountAsync());

        Clock.Advance(Duration.FromSeconds(30));
        var again = await queue.ClaimAsync("node-1");
        Assert.Equal(2, again!.Attempt);
        var second = await queue.FailAsync(again, "HTTP 503");

        Assert.Equal(new JobFailure(JobFailureOutcome.Retrying, Clock.Now + Duration.FromSeconds(60)), second);
        var stored = await queue.FindAsync("acme", "test-job", "k");
        Assert.Equal(JobState.Queued, stored!.State);
        Assert.Equal(2, stored.Attempts);
        Assert.Equal("HTTP 503", stored.LastError);
    }

    [Fact]
    public async Task FailAsync_RetryAtGiven_UsedInsteadOfBackoff()
    {
        var queue = await QueueAsync();
        await queue.EnqueueAsync(Job("k", T0));

        var failure = await queue.FailAsync((await queue.ClaimAsync("node-1"))!, "429", T0 + Duration.FromMinutes(7));

        Assert.Equal(new JobFailure(JobFailureOutcome.Retrying, T0 + Duration.FromMinutes(7)), failure);
        Assert.Equal(T0 + Duration.FromMinutes(7), (await queue.FindAsync("acme", "test-job", "k"))!.RunAt);
    }

    [Fact]
    public async Task FailAsync_LastAttempt_DeadWithLastErrorKeptAndNotClaimed()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { MaxAttempts = 2, RetryBaseDelay = Duration.FromSeconds(1) });
        await queue.EnqueueAsync(Job("k", T0));
        await queue.FailAsync((await queue.ClaimAsync("node-1"))!, "first");
        Clock.Advance(Duration.FromSeconds(1));

        var failure = await queue.FailAsync((await queue.ClaimAsync("node-1"))!, "HTTP 500\nfrom receiver" + new string('x', 2000));

        Assert.Equal(new JobFailure(JobFailureOutcome.Dead, null), failure);
        Clock.Advance(Duration.FromDays(1));
        Assert.Null(await queue.ClaimAsync("node-1"));
        Assert.Equal(new JobCounts(Due: 0, Queued: 0, Running: 0, Dead: 1), await queue.CountAsync());
        var stored = await queue.FindAsync("acme", "test-job", "k");
        Assert.Equal(JobState.Dead, stored!.State);
        Assert.Equal(JobRequest.MaxErrorLength, stored.LastError!.Length);
        Assert.StartsWith("HTTP 500 from receiver", stored.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimAsync_LeaseExpiredOnLastAttempt_JobDeadInsteadOfClaimed()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { MaxAttempts = 1, LeaseDuration = Duration.FromMinutes(1) });
        await queue.EnqueueAsync(Job("poison", T0));
        await queue.ClaimAsync("node-1");
        Clock.Advance(Duration.FromMinutes(1));

        Assert.Null(await queue.ClaimAsync("node-2"));

        var stored = await queue.FindAsync("acme", "test-job", "poison");
        Assert.Equal(JobState.Dead, stored!.State);
        Assert.Contains("expired", stored.LastError, StringComparison.Ordinal);
        Assert.Equal(new JobCounts(0, 0, 0, 1), await queue.CountAsync());
    }

    [Fact]
    public async Task CountAsync_MixedStates_EachCounted()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { MaxAttempts = 1, LeaseDuration = Duration.FromMinutes(10) });
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            await queue.EnqueueAsync(Job(key, T0));
        }

        await queue.EnqueueAsync(Job("future", T0 + Duration.FromHours(1)));
        await queue.FailAsync((await queue.ClaimAsync("node-1"))!, "boom");        // a: dead
        await queue.CompleteAsync((await queue.ClaimAsync("node-1"))!);            // b: done
        await queue.ClaimAsync("node-1");                                          // c: running

        Assert.Equal(new JobCounts(Due: 1, Queued: 2, Running: 1, Dead: 1), await queue.CountAsync());
    }

    [Fact]
    public async Task PurgeAsync_FinishedBeforeCutoff_DeletedOthersKept()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { MaxAttempts = 1 });
        foreach (var key in new[] { "done-old", "dead-old", "done-new", "claimed", "waiting" })
        {
            await queue.EnqueueAsync(Job(key, T0));
        }

        await queue.CompleteAsync((await queue.ClaimAsync("node-1"))!);            // done-old at T0
        await queue.FailAsync((await queue.ClaimAsync("node-1"))!, "boom");        // dead-old at T0
        Clock.Advance(Duration.FromDays(8));
        await queue.CompleteAsync((await queue.ClaimAsync("node-1"))!);            // done-new at T0 + 8 days
        await queue.EnqueueAsync(Job("queued-later", Clock.Now + Duration.FromDays(1)));
        await queue.ClaimAsync("node-1");                                          // claimed: running; waiting: queued and due

        var purged = await queue.PurgeAsync(Clock.Now - Duration.FromDays(7));

        Assert.Equal(2, purged);
        Assert.Null(await queue.FindAsync("acme", "test-job", "done-old"));
        Assert.Null(await queue.FindAsync("acme", "test-job", "dead-old"));
        Assert.Equal(JobState.Done, (await queue.FindAsync("acme", "test-job", "done-new"))!.State);
        Assert.Equal(new JobCounts(Due: 1, Queued: 2, Running: 1, Dead: 0), await queue.CountAsync());
        Assert.True(await queue.EnqueueAsync(Job("done-old", Clock.Now)));
    }

    [Fact]
    public async Task FailAsync_ErrorCutInsideSurrogatePair_NoHalfCharacterKept()
    {
        var queue = await QueueAsync(JobQueueOptions.Default with { MaxAttempts = 1 });
        await queue.EnqueueAsync(Job("k", T0));

        await queue.FailAsync((await queue.ClaimAsync("node-1"))!, new string('x', JobRequest.MaxErrorLength - 1) + "😀tail");

        var error = (await queue.FindAsync("acme", "test-job", "k"))!.LastError!;
        Assert.Equal(new string('x', JobRequest.MaxErrorLength - 1), error);
    }
}
