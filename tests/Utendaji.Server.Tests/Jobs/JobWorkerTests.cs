using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Utendaji.Server.Jobs;
using Utendaji.Storage.Jobs;
using static Utendaji.Server.Tests.Jobs.JobsHarness;

namespace Utendaji.Server.Tests.Jobs;

public sealed class JobWorkerTests : IAsyncLifetime
{
    private JobsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await JobsHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JobRequest Job(string kind, string key = "k") =>
        new() { Organisation = Organisation, Kind = kind, DedupeKey = key, Payload = "{}", RunAt = T0 };

    [Fact]
    public async Task RunOnceAsync_NothingDue_False()
    {
        var node = await _harness.NodeAsync();

        Assert.False(await node.Worker.RunOnceAsync());
    }

    [Fact]
    public async Task RunOnceAsync_UnknownKind_FailedNamingTheKind()
    {
        var node = await _harness.NodeAsync();
        await node.Queue.EnqueueAsync(Job("no-such-kind"));

        Assert.True(await node.Worker.RunOnceAsync());

        var job = await node.Queue.FindAsync(Organisation, "no-such-kind", "k");
        Assert.Equal(JobState.Queued, job!.State);
        Assert.Equal("no handler for job kind 'no-such-kind' on worker node-1", job.LastError);
    }

    [Fact]
    public async Task RunOnceAsync_HandlerThrowsUnexpected_OnlyTheTypeIsStored()
    {
        var handler = new ScriptedHandler("scripted", _ => throw new InvalidOperationException("customer wrote: " + CustomerText));
        var node = await _harness.NodeAsync(extraHandlers: handler);
        await node.Queue.EnqueueAsync(Job("scripted"));

        await node.Worker.RunOnceAsync();

        var job = await node.Queue.FindAsync(Organisation, "scripted", "k");
        Assert.Equal("unexpected InvalidOperationException in the scripted handler", job!.LastError);
    }

    [Fact]
    public async Task RunOnceAsync_HandlerFailsOnLastAttempt_DeadWithItsMessage()
    {
        var handler = new ScriptedHandler("scripted", _ => throw new JobFailedException("receiver said no"));
        var node = await _harness.NodeAsync(queueOptions: JobQueueOptions.Default with { MaxAttempts = 1 }, extraHandlers: handler);
        await node.Queue.EnqueueAsync(Job("scripted"));

        await node.Worker.RunOnceAsync();

        var job = await node.Queue.FindAsync(Organisation, "scripted", "k");
        Assert.Equal(JobState.Dead, job!.State);
        Assert.Equal("receiver said no", job.LastError);
        Assert.Equal(1, (await node.Queue.CountAsync()).Dead);
    }

    [Fact]
    public async Task StopAsync_DuringHandler_JobLeftToItsLeaseThenRunByAnotherNode()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocking = new ScriptedHandler("slow", async cancellationToken =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });
        var dying = await _harness.NodeAsync(extraHandlers: blocking);
        await dying.Queue.EnqueueAsync(Job("slow"));

        await dying.Worker.StartAsync(CancellationToken.None);
        await started.Task;
        await dying.Worker.StopAsync(CancellationToken.None);

        var interrupted = await dying.Queue.FindAsync(Organisation, "slow", "k");
        Assert.Equal(JobState.Running, interrupted!.State);
        Assert.Equal(1, interrupted.Attempts);
        Assert.Null(interrupted.LastError);

        var ran = 0;
        var survivor = await _harness.NodeAsync(extraHandlers: new ScriptedHandler("slow", _ => { ran++; return Task.CompletedTask; }));
        Assert.False(await survivor.Worker.RunOnceAsync());
        _harness.Clock.Advance(JobQueueOptions.Default.LeaseDuration);
        Assert.True(await survivor.Worker.RunOnceAsync());

        Assert.Equal(1, ran);
        var done = await survivor.Queue.FindAsync(Organisation, "slow", "k");
        Assert.Equal(JobState.Done, done!.State);
        Assert.Equal(2, done.Attempts);
        Assert.Equal("node-2", done.LeaseOwner);
    }

    [Fact]
    public async Task Constructor_TwoHandlersForOneKind_Rejected()
    {
        var node = await _harness.NodeAsync();
        IJobHandler[] handlers = [new ScriptedHandler("x", _ => Task.CompletedTask), new ScriptedHandler("x", _ => Task.CompletedTask)];

        var error = Assert.Throws<ArgumentException>(() => new JobWorker(node.Queue, handlers, JobWorkerOptions.Default, NullLogger<JobWorker>.Instance));

        Assert.Equal("handlers", error.ParamName);
    }

    private sealed class ScriptedHandler(string kind, Func<CancellationToken, Task> run) : IJobHandler
    {
        public string Kind => kind;

        public Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken) => run(cancellationToken);
    }
}
