using System.Collections.Concurrent;
using NodaTime;
using Utendaji.Storage.Jobs;

namespace Utendaji.Storage.Tests.Jobs;

/// <summary>The queue contract on PostgreSQL, plus several processes' claimers racing on separate connections.</summary>
public sealed class PostgresJobQueueTests : JobQueueContractTests, IAsyncLifetime
{
    private PostgresJobDatabase? _database;

    private PostgresJobDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    private protected override Task<IJobQueue> QueueAsync(JobQueueOptions? options = null) =>
        Task.FromResult<IJobQueue>(new PostgresJobQueue(Database.DataSource(), Clock, options));

    public async Task InitializeAsync() => _database = await PostgresJobDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migration_AppliedTwice_NoError()
    {
        await using var source = Database.DataSource();
        await using var command = source.CreateCommand(PostgresJobDatabase.Migration("0005_jobs.sql"));

        await command.ExecuteNonQueryAsync();

        Assert.NotNull(await QueueAsync());
    }

    [Fact]
    public async Task ClaimAsync_ParallelClaimersOnSeparateConnections_EveryJobClaimedExactlyOnce()
    {
        const int Claimers = 8;
        const int Jobs = 300;
        var producer = await QueueAsync();
        for (var i = 0; i < Jobs; i++)
        {
            // Two organisations, run-at instants interleaved, all due.
            await producer.EnqueueAsync(new JobRequest
            {
                Organisation = i % 2 == 0 ? "acme" : "globex", Kind = "race", DedupeKey = $"j{i}", Payload = "{}",
                RunAt = T0 - Duration.FromSeconds(i % 17),
            });
        }

        // Each claimer stands for a server process: its own data source, so its own connections.
        var claimers = new List<IJobQueue>();
        for (var n = 0; n < Claimers; n++)
        {
            claimers.Add(await QueueAsync());
        }

        var claimed = new ConcurrentBag<(string Organisation, long JobId, int Attempt)>();
        using var start = new ManualResetEventSlim();
        var running = claimers.Select((queue, n) => Task.Run(async () =>
        {
            start.Wait();
            while (await queue.ClaimAsync($"node-{n}") is { } job)
            {
                claimed.Add((job.Organisation, job.JobId, job.Attempt));
                Assert.True(await queue.CompleteAsync(job));
            }
        })).ToList();
        start.Set();
        await Task.WhenAll(running);

        Assert.Equal(Jobs, claimed.Count);
        Assert.Equal(Jobs, claimed.Select(c => (c.Organisation, c.JobId)).Distinct().Count());
        Assert.All(claimed, c => Assert.Equal(1, c.Attempt));
        Assert.Equal(new JobCounts(0, 0, 0, 0), await producer.CountAsync());
    }

    [Fact]
    public async Task EnqueueAsync_ParallelProducersSameKeys_EachKeyStoredOnce()
    {
        var producers = new List<IJobQueue>();
        for (var n = 0; n < 4; n++)
        {
            producers.Add(await QueueAsync());
        }

        var added = await Task.WhenAll(producers.Select(queue => Task.Run(async () =>
        {
            var mine = 0;
            for (var i = 0; i < 50; i++)
            {
                mine += await queue.EnqueueAsync(new JobRequest { Organisation = "new-org", Kind = "scan", DedupeKey = $"w{i}", Payload = "{}", RunAt = T0 }) ? 1 : 0;
            }

            return mine;
        })));

        Assert.Equal(50, added.Sum());
        Assert.Equal(50, (await producers[0].CountAsync()).Queued);
    }
}
