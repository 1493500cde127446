using System.Collections.Concurrent;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Ingest;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Importing;
using Utendaji.Server.Api;
using Utendaji.Server.Caching;
using Utendaji.Server.Infrastructure;

namespace Utendaji.Server.Performance;

/// <summary>
/// Group commit for event requests (JSON, up to MaxEventsPerRequest): requests for one organisation that arrive while its writer is busy
/// are queued, and the writer stores the whole queue in one store transaction (one gate wait, one configuration
/// look-up, one commit) instead of one each. Each request is answered only after that transaction has committed,
/// so a 2xx still means the request's events are stored.
/// </summary>
/// <remarks>
/// A request must succeed or fail alone, as if it had been sent by itself. So a request whose rows do not read is
/// never queued, and when anything in a group goes differently from a clean run (an id stored with other content,
/// a request partly new and partly known, an exception), the group's transaction is rolled back and every request
/// in it is handed back (null) to take the ordinary one-request path, which gives its own answer.
/// </remarks>
internal sealed class EventGroupCommit(OrganisationStores stores, OrganisationCache cache, ServerOptions options)
{
    /// <summary>
    /// Requests up to this size take this path (the API's default batch limit): besides sharing transactions, it
    /// reads the events before taking the store gate (so one request is read while another is written) and stages
    /// nothing in a temporary file. A request larger than a group is written as a group of its own.
    /// </summary>
    public const int MaxEventsPerRequest = 10_000;

    /// <summary>Events written by one group transaction at most (the rest wait for the next one).</summary>
    public const int MaxEventsPerGroup = 4096;

    private const int FactsBatchSize = 2048;

    private readonly ConcurrentDictionary<string, Writer> _writers = new(StringComparer.Ordinal);

    /// <summary>How long a writer waits at most for requests on their way before it writes what is queued.</summary>
    private static readonly TimeSpan ArrivalWait = TimeSpan.FromMilliseconds(0.5);

    private long _sharedCommits;
    private long _waiting;

    /// <summary>Requests answered from a transaction they shared with at least one other (for tests and diagnosis).</summary>
    public long SharedCommits => Interlocked.Read(ref _sharedCommits);

    /// <summary>Requests queued or being written and not yet answered (for tests and diagnosis).</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>
    /// Counts an event request from the moment it arrives until it is queued or leaves (dispose the result), so a
    /// writer about to start a transaction can wait a moment for the requests still being read and parsed.
    /// </summary>
    /// <remarks>
    /// Under load a request spends most of its time being read and parsed, and the writer, which is quick, used to
    /// find one or two requests queued (1.9 on average with 32 connections on 2 cores): nearly a transaction per
    /// request. Waiting for requests already on their way fills the group instead. With one client, nothing is on
    /// its way and nothing waits.
    /// </remarks>
    public IDisposable Arrive(string organisation)
    {
        var writer = _writers.GetOrAdd(organisation, static _ => new Writer());
        Interlocked.Increment(ref writer.Arriving);
        return new Arrival(writer);
    }

    /// <summary>
    /// Stores <paramref name="batch"/> (events) together with other requests queued for <paramref name="organisation"/>;
    /// null when the request has to go the ordinary way instead (too large, rows that do not read, or its group
    /// could not be committed as a whole). Nothing of the request is stored when null is returned.
    /// </summary>
    public async Task<IngestResponse?> TryStoreAsync(string organisation, JsonBatch batch, IDisposable? arrival, CancellationToken cancellationToken)
    {
        if (batch.Lines.Count > MaxEventsPerRequest || Read(batch, cancellationToken) is not { } events)
        {
            return null;
        }

        var request = new Request(events, events.Select(e => e.TicketId).Distinct(StringComparer.Ordinal).Count());
        var writer = _writers.GetOrAdd(organisation, static _ => new Writer());
        bool start;
        Interlocked.Increment(ref _waiting);
        lock (writer)
        {
            writer.Queue.Enqueue(request);
            start = !writer.Draining;
            writer.Draining = true;
        }

        arrival?.Dispose();

        if (start)
        {
            _ = Task.Run(() => DrainAsync(organisation, writer), CancellationToken.None);
        }

        // Not cancelled with the request: once queued, the answer is whatever the group's commit decides.
        return await request.Done.Task;
    }

    /// <summary>The request's events as the ordinary path would read them, or null when any row does not read.</summary>
    private static List<TicketEvent>? Read(JsonBatch batch, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(batch.Lines.Sum(l => l.Length + 1));
        foreach (var line in batch.Lines)
        {
            stream.Write(line);
            stream.WriteByte((byte)'\n');
        }

        stream.Position = 0;
        var events = new List<TicketEvent>(batch.Lines.Count);
        try
        {
            using var reader = EventNdjsonReader.Open(stream, "request", EventNdjsonReaderOptions.Default with { RejectDuplicateIds = false }, leaveOpen: true);
            foreach (var row in reader.ReadRows(cancellationToken))
            {
                if (!row.IsValid)
                {
                    return null;
                }

                events.Add(row.Value!);
            }
        }
        catch (ImportFileException)
        {
            return null;
        }

        return events.Count == batch.Lines.Count ? events : null;
    }

    private async Task DrainAsync(string organisation, Writer writer)
    {
        while (true)
        {
            await WaitForArrivalsAsync(writer);
            var group = new List<Request>();
            var size = 0;
            lock (writer)
            {
                while (writer.Queue.TryPeek(out var next) && (group.Count == 0 || size + next.Events.Count <= MaxEventsPerGroup))
                {
                    group.Add(writer.Queue.Dequeue());
                    size += next.Events.Count;
                }

                if (group.Count == 0)
                {
                    writer.Draining = false;
                    return;
                }
            }

            IngestResponse[]? answers = null;
            try
            {
                answers = await CommitAsync(organisation, group);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Rolled back; each request tries again alone and meets the error (or not) by itself.
                answers = null;
            }
            finally
            {
                cache.DataChanged(organisation);
            }

            if (answers is not null && group.Count > 1)
            {
                Interlocked.Add(ref _sharedCommits, group.Count);
            }

            for (var i = 0; i < group.Count; i++)
            {
                Interlocked.Decrement(ref _waiting);
                group[i].Done.TrySetResult(answers?[i]);
            }
        }
    }

    /// <summary>
    /// Waits while requests are on their way (counted by <see cref="Arrive"/>, not yet queued), for at most
    /// <see cref="ArrivalWait"/>. It wakes when one of them is queued or leaves (<see cref="Arrival.Dispose"/>
    /// signals), so it does not spin: yielding in a loop kept the thread pool's workers busy looking for work.
    /// </summary>
    private async Task WaitForArrivalsAsync(Writer writer)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            // Read before the checks: an arrival that ends after them completes this signal.
            var signal = Volatile.Read(ref writer.ArrivalEnded);
            if (Interlocked.Read(ref writer.Arriving) == 0)
            {
                return;
            }

            lock (writer)
            {
                if (writer.Queue.Count >= MaxEventsPerGroup)
                {
                    return;
                }
            }

            var left = ArrivalWait - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.WhenAny(signal.Task, Task.Delay(left));
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One transaction for the group; null (rolled back) when a request would not have gone cleanly alone.</summary>
    private Task<IngestResponse[]?> CommitAsync(string organisation, List<Request> group) =>
        stores.UseAsync(organisation, async store =>
        {
            var context = await cache.EngineContextAsync(organisation, store, options.Clock.GetCurrentInstant(), CancellationToken.None);
            await using var transaction = await store.BeginImportAsync(CancellationToken.None);
            var answers = new IngestResponse[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                var request = group[i];
                var result = await transaction.AddEventsAsync(request.Events, CancellationToken.None);
                // A conflict is answered 409 for that request alone; a mix of new and known events leaves its
                // count of re-derived tickets unknown. Either way the ordinary path answers.
                if (result.Conflicts.Count > 0 || (result.Added != 0 && result.Added != request.Events.Count))
                {
                    return null;
                }

                // Alone, a request re-derives the tickets it changed: all of its tickets when all its events are new.
                answers[i] = new IngestResponse(request.Events.Count, result.Added, result.Unchanged, result.Added == 0 ? 0 : request.Tickets);
            }

            var facts = new List<TicketFacts>(FactsBatchSize);
            await foreach (var source in transaction.ReadChangedTicketsAsync(CancellationToken.None))
            {
                facts.Add(ImportPipeline.Derive(source, context));
                if (facts.Count == FactsBatchSize)
                {
                    await transaction.PutFactsAsync(facts, CancellationToken.None);
                    facts.Clear();
                }
            }

            if (facts.Count > 0)
            {
                await transaction.PutFactsAsync(facts, CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
            return answers;
        }, CancellationToken.None);

    /// <summary>A request counted by <see cref="Arrive"/>; disposing it (once) ends the count and wakes a waiting writer.</summary>
    private sealed class Arrival(Writer writer) : IDisposable
    {
        private readonly Writer _writer = writer;
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref _writer.Arriving);
                Interlocked.Exchange(ref _writer.ArrivalEnded, NewSignal()).TrySetResult();
            }
        }
    }

    /// <summary>One organisation's queue, and the event requests on their way to it.</summary>
    private sealed class Writer
    {
        public long Arriving;
        public TaskCompletionSource ArrivalEnded = NewSignal();

        public Queue<Request> Queue { get; } = new();

        public bool Draining { get; set; }
    }

    private sealed record Request(List<TicketEvent> Events, int Tickets)
    {
        public TaskCompletionSource<IngestResponse?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
