using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using NodaTime;
using Utendaji.Storage.Jobs;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Tests.Jobs;

/// <summary>The queue contract on SQLite, plus sharing one file with the store and with a second queue object.</summary>
public sealed class SqliteJobQueueTests : JobQueueContractTests, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "utendaji-jobs-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteJobQueue> _queues = [];

    private string DatabasePath => Path.Combine(_directory, "utendaji.db");

    private protected override async Task<IJobQueue> QueueAsync(JobQueueOptions? options = null)
    {
        var queue = await SqliteJobQueue.OpenAsync(DatabasePath, Clock, options);
        _queues.Add(queue);
        return queue;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            await queue.DisposeAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task OpenAsync_StoreFile_JobsTableCreatedByMigrationAndOrganisationShared()
    {
        await using (var store = await SqliteStore.OpenAsync(DatabasePath, "acme"))
        {
            Assert.Equal(SqliteStore.LatestSchemaVersion, store.SchemaVersion);
        }

        var queue = await QueueAsync();
        await queue.EnqueueAsync(new JobRequest { Organisation = "acme", Kind = "k", DedupeKey = "1", Payload = "{}", RunAt = T0 });

        using var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        raw.Open();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT count(*) FROM organisations";
        Assert.Equal(1L, command.ExecuteScalar());
        command.CommandText = "SELECT count(*) FROM schema_migrations WHERE version = 5";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public async Task ClaimAsync_TwoQueueObjectsOnOneFileInParallel_EachJobClaimedOnce()
    {
        var first = await QueueAsync();
        var second = await QueueAsync();
        const int Jobs = 60;
        for (var i = 0; i < Jobs; i++)
        {
            await first.EnqueueAsync(new JobRequest { Organisation = "acme", Kind = "k", DedupeKey = $"j{i}", Payload = "{}", RunAt = T0 - Duration.FromSeconds(i) });
        }

        var claimed = new ConcurrentBag<long>();
        await Task.WhenAll(new[] { first, second }.Select((queue, n) => Task.Run(async () =>
        {
            while (await queue.ClaimAsync($"node-{n}") is { } job)
            {
                claimed.Add(job.JobId);
                Assert.True(await queue.CompleteAsync(job));
            }
        })));

        Assert.Equal(Jobs, claimed.Count);
        Assert.Equal(Jobs, claimed.Distinct().Count());
    }
}
