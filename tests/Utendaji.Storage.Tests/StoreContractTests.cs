using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using static Utendaji.Storage.Tests.TestData;

namespace Utendaji.Storage.Tests;

/// <summary>
/// What every <see cref="IUtendajiStore"/> must do. An implementation passes by deriving from this class and
/// opening stores on one fresh database per test instance (xunit makes one instance per test).
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private readonly List<IUtendajiStore> _opened = [];

    /// <summary>Opens a store for <paramref name="organisation"/> on this test's database (the same one on every call).</summary>
    protected abstract Task<IUtendajiStore> CreateStoreAsync(string organisation);

    protected async Task<IUtendajiStore> OpenAsync(string organisation = "acme")
    {
        var store = await CreateStoreAsync(organisation);
        _opened.Add(store);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    protected static async Task<AddResult> ImportAsync(IUtendajiStore store, IReadOnlyList<TicketEvent>? events = null, IReadOnlyList<TicketSummary>? summaries = null, IReadOnlyList<TicketFacts>? facts = null)
    {
        await using var import = await store.BeginImportAsync();
        var result = events is null ? new AddResult(0, 0, []) : await import.AddEventsAsync(events);
        if (summaries is not null)
        {
            await import.AddSummariesAsync(summaries);
        }

        if (facts is not null)
        {
            await import.PutFactsAsync(facts);
        }

        await import.CommitAsync();
        return result;
    }

    protected static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    // ---- events -------------------------------------------------------------------------------------------

    [Fact]
    public async Task AddEventsAsync_NewEvents_AddedAndReadBackByInstantThenId()
    {
        var store = await OpenAsync();
        var events = new List<TicketEvent>(Ticket("T-1"))
        {
            // Same instant as T-1-2: the event id breaks the tie.
            Event("T-1-0b", "T-1", 30),
        };

        var result = await ImportAsync(store, events);

        Assert.Equal(new AddResult(4, 0, []).Added, result.Added);
        Assert.Equal(0, result.Unchanged);
        Assert.Empty(result.Conflicts);
        var stored = await store.ReadEventsAsync("T-1");
        AssertSameEvents([events[0], events[3], events[1], events[2]], stored);
    }

    [Fact]
    public async Task AddEventsAsync_SameEventsImportedAgain_UnchangedAndNothingChanged()
    {
        var store = await OpenAsync();
        await ImportAsync(store, Ticket("T-1"));

        await using var again = await store.BeginImportAsync();
        var result = await again.AddEventsAsync(Ticket("T-1"));
        var changed = await ListAsync(again.ReadChangedTicketsAsync());
        await again.CommitAsync();

        Assert.Equal(0, result.Added);
        Assert.Equal(3, result.Unchanged);
        Assert.Empty(result.Conflicts);
        Assert.Empty(changed);
        Assert.Equal(3, (await store.CountAsync()).Events);
    }

    [Fact]
    public async Task AddEventsAsync_SameIdDifferentContent_ConflictReportedAndNotWritten()
    {
        var store = await OpenAsync();
        await ImportAsync(store, Ticket("T-1"));
        var original = Ticket("T-1");
        var changedAttribute = original[0] with { Attributes = new Dictionary<string, string> { ["customer"] = Finnish } };
        var changedInstant = original[1] with { At = original[1].At + Duration.FromTicks(1) };

        var result = await ImportAsync(store, [Event("T-1-new", "T-1", 90), changedAttribute, original[2], changedInstant]);

        Assert.Equal(1, result.Added);
        Assert.Equal(1, result.Unchanged);
        Assert.Equal([1, 3], result.Conflicts);
        var stored = await store.ReadEventsAsync("T-1");
        AssertSameEvents([.. original, Event("T-1-new", "T-1", 90)], stored);
    }

    [Fact]
    public async Task AddEventsAsync_DuplicateIdWithinOneBatch_FirstWinsSecondComparedToIt()
    {
        var store = await OpenAsync();
        var first = Event("E-1", "T-1", 0);

        var result = await ImportAsync(store, [first, first with { }, first with { Team = "tier-2" }]);

        Assert.Equal(1, result.Added);
        Assert.Equal(1, result.Unchanged);
        Assert.Equal([2], result.Conflicts);
    }

    [Fact]
    public async Task AddEventsAsync_NullAndEmptyAttributes_StoreTheSameContent()
    {
        var store = await OpenAsync();
        await ImportAsync(store, [Event("E-1", "T-1", 0, attributes: null)]);

        var result = await ImportAsync(store, [Event("E-1", "T-1", 0, attributes: new Dictionary<string, string>())]);

        Assert.Equal(1, result.Unchanged);
        Assert.Null((await store.ReadEventsAsync("T-1"))[0].Attributes);
    }

    [Fact]
    public async Task ReadEventsAsync_UnknownTicket_Empty()
    {
        var store = await OpenAsync();
        Assert.Empty(await store.ReadEventsAsync("nope"));
    }

    // ---- transactions -------------------------------------------------------------------------------------

    [Fact]
    public async Task BeginImportAsync_DisposedWithoutCommit_LeavesStoreAsBefore()
    {
        var store = await OpenAsync();
        await ImportAsync(store, Ticket("T-1"), facts: [FullFacts("T-1")]);

        await using (var import = await store.BeginImportAsync())
        {
            await import.AddEventsAsync([.. Ticket("T-2"), Event("T-1-4", "T-1", 500)]);
            await import.AddSummariesAsync([Summary("S-1")]);
            await import.PutFactsAsync([MinimalFacts("T-1"), MinimalFacts("T-2")]);
        }

        await store.DisposeAsync();
        var reopened = await OpenAsync();
        Assert.Equal(new StoreCounts(3, 1, 0, 1), await reopened.CountAsync());
        AssertSameFacts(FullFacts("T-1"), await reopened.GetFactsAsync("T-1"));
        Assert.Null(await reopened.GetSummaryAsync("S-1"));
    }

    [Fact]
    public async Task BeginImportAsync_BeforeCommit_NothingVisibleToReaders()
    {
        var store = await OpenAsync();
        var other = await OpenAsync();
        await using var import = await store.BeginImportAsync();
        await import.AddEventsAsync(Ticket("T-1"));
        await import.AddSummariesAsync([Summary("S-1")]);
        await import.PutFactsAsync([FullFacts("T-1")]);

        foreach (var reader in new[] { store, other })
        {
            Assert.Equal(new StoreCounts(0, 0, 0, 0), await reader.CountAsync());
            Assert.Empty(await reader.ReadEventsAsync("T-1"));
            Assert.Null(await reader.GetFactsAsync("T-1"));
            Assert.Empty(await ListAsync(reader.ReadFactsAsync(FactsQuery.All)));
        }

        await import.CommitAsync();

        foreach (var reader in new[] { store, other })
        {
            Assert.Equal(new StoreCounts(3, 2, 1, 1), await reader.CountAsync());
        }
    }

    [Fact]
    public async Task CommitAsync_Twice_Throws()
    {
        var store = await OpenAsync();
        await using var import = await store.BeginImportAsync();
        await import.CommitAsync();
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => import.CommitAsync());
    }

    [Fact]
    public async Task BeginImportAsync_AfterCommit_CanImportAgain()
    {
        var store = await OpenAsync();
        await ImportAsync(store, Ticket("T-1"));
        await ImportAsync(store, Ticket("T-2"));
        Assert.Equal(6, (await store.CountAsync()).Events);
    }

    // ---- changed tickets ----------------------------------------------------------------------------------

    [Fact]
    public async Task ReadChangedTicketsAsync_SecondImport_OnlyTouchedTicketsWithAllTheirEvents()
    {
        var store = await OpenAsync();
        await ImportAsync(store, [.. Ticket("T-1"), .. Ticket("T-2")], [Summary("S-9")]);

        await using var import = await store.BeginImportAsync();
        var late = Event("T-2-late", "T-2", -10, TicketEventType.CustomerReply, ActorKind.Customer);
        await import.AddEventsAsync([.. Ticket("T-1"), late]);
        await import.AddSummariesAsync([Summary("S-1"), Summary("S-9")]);
        var changed = await ListAsync(import.ReadChangedTicketsAsync());
        await import.CommitAsync();

        Assert.Equal(["S-1", "T-2"], changed.Select(c => c.TicketId));
        Assert.Empty(changed[0].Events);
        Assert.Equal(Summary("S-1"), changed[0].Summary);
        Assert.Null(changed[1].Summary);
        AssertSameEvents([late, .. Ticket("T-2")], changed[1].Events);
    }

    [Fact]
    public async Task ReadChangedTicketsAsync_TicketWithEventsAndSummary_OneSourceWithBoth()
    {
        var store = await OpenAsync();
        await using var import = await store.BeginImportAsync();
        await import.AddSummariesAsync([Summary("T-1")]);
        await import.AddEventsAsync(Ticket("T-1"));

        var changed = await ListAsync(import.ReadChangedTicketsAsync());

        var source = Assert.Single(changed);
        Assert.Equal(3, source.Events.Count);
        Assert.Equal(Summary("T-1"), source.Summary);
    }

    [Fact]
    public async Task ReadChangedTicketsAsync_NonAsciiTicketIds_EachOnceInUtf8Order()
    {
        var store = await OpenAsync();
        // UTF-16 ordinal order puts the astral id before "\uFF21"; UTF-8 byte (code point) order puts it after.
        string[] ids = ["b", "\uFF21", Astral, "ä", Gujarati, Urdu, "a"];
        await using var import = await store.BeginImportAsync();
        await import.AddEventsAsync([.. ids.Where((_, i) => i % 2 == 0).SelectMany(id => Ticket(id))]);
        await import.AddSummariesAsync([.. ids.Select(id => Summary(id))]);

        var changed = await ListAsync(import.ReadChangedTicketsAsync());

        var expected = ids.Order(Comparer<string>.Create((x, y) => System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y))));
        Assert.Equal(expected, changed.Select(c => c.TicketId));
        Assert.All(changed, c => Assert.NotNull(c.Summary));
        Assert.Equal(4, changed.Count(c => c.Events.Count == 3));
    }

    // ---- summaries ----------------------------------------------------------------------------------------

    [Fact]
    public async Task AddSummariesAsync_NewSameAndChangedRows_AddedUnchangedReplaced()
    {
        var store = await OpenAsync();
        await ImportAsync(store, summaries: [Summary("S-1"), Summary("S-2")]);

        await using var import = await store.BeginImportAsync();
        var result = await import.AddSummariesAsync([Summary("S-1"), Summary("S-2", satisfaction: 1), Summary("S-3")]);
        var changed = await ListAsync(import.ReadChangedTicketsAsync());
        await import.CommitAsync();

        Assert.Equal(2, result.Added);
        Assert.Equal(1, result.Unchanged);
        Assert.Equal(["S-2", "S-3"], changed.Select(c => c.TicketId));
        Assert.Equal(Summary("S-2", satisfaction: 1), await store.GetSummaryAsync("S-2"));
        Assert.Equal(3, (await store.CountAsync()).Summaries);
    }

    [Fact]
    public async Task GetSummaryAsync_NullableFieldsNull_RoundTrip()
    {
        var store = await OpenAsync();
        var row = new TicketSummary("S-1", At(0), null, null, 0, 0, null, null, null, null, null, null, null);
        await ImportAsync(store, summaries: [row]);

        Assert.Equal(row, await store.GetSummaryAsync("S-1"));
        Assert.Null(await store.GetSummaryAsync("S-2"));
    }

    // ---- facts --------------------------------------------------------------------------------------------

    [Fact]
    public async Task PutFactsAsync_EveryFieldSet_RoundTripsExactly()
    {
        var store = await OpenAsync();
        await ImportAsync(store, facts: [FullFacts("T-" + Gujarati)]);

        AssertSameFacts(FullFacts("T-" + Gujarati), await store.GetFactsAsync("T-" + Gujarati));
        AssertSameFacts(FullFacts("T-" + Gujarati), Assert.Single(await ListAsync(store.ReadFactsAsync(FactsQuery.All))));
    }

    [Fact]
    public async Task PutFactsAsync_EveryOptionalFieldNull_RoundTripsAsNullAndEmpty()
    {
        var store = await OpenAsync();
        await ImportAsync(store, facts: [MinimalFacts("T-1")]);

        var stored = await store.GetFactsAsync("T-1");
        AssertSameFacts(MinimalFacts("T-1"), stored);
        Assert.Null(stored!.FirstReply);
        Assert.Empty(stored.Sla);
    }

    [Fact]
    public async Task PutFactsAsync_ExistingTicket_Replaced()
    {
        var store = await OpenAsync();
        await ImportAsync(store, facts: [FullFacts("T-1")]);
        await ImportAsync(store, facts: [MinimalFacts("T-1", 5)]);

        AssertSameFacts(MinimalFacts("T-1", 5), await store.GetFactsAsync("T-1"));
        Assert.Equal(1, (await store.CountAsync()).Facts);
    }

    [Fact]
    public async Task ReadFactsAsync_Filters_EachNarrowsAndOrderIsCreatedThenId()
    {
        var store = await OpenAsync();
        TicketFacts[] facts =
        [
            FullFacts("c", 10, team: "tier-1", channel: "email"),
            FullFacts("b", 10, team: "tier-2", channel: "chat") with { Priority = "low", Language = "fi", Agent = "a-2" },
            FullFacts("a", 20, team: null, channel: "chat") with { Status = TicketStatus.Open },
            MinimalFacts("d", 0),
        ];
        await ImportAsync(store, facts: facts);

        async Task<string[]> Ids(FactsQuery q) => [.. (await ListAsync(store.ReadFactsAsync(q))).Select(f => f.TicketId)];

        Assert.Equal(["d", "b", "c", "a"], await Ids(FactsQuery.All));
        Assert.Equal(["b", "c"], await Ids(new FactsQuery { CreatedFrom = At(10), CreatedTo = At(20) }));
        Assert.Equal(["b"], await Ids(new FactsQuery { Team = "tier-2" }));
        Assert.Equal(["b", "a"], await Ids(new FactsQuery { Channel = "chat" }));
        Assert.Equal(["b"], await Ids(new FactsQuery { Agent = "a-2" }));
        Assert.Equal(["b"], await Ids(new FactsQuery { Priority = "low" }));
        Assert.Equal(["b"], await Ids(new FactsQuery { Language = "fi" }));
        Assert.Equal(["a"], await Ids(new FactsQuery { Status = TicketStatus.Open }));
        Assert.Equal(["a"], await Ids(new FactsQuery { Channel = "chat", CreatedFrom = At(11) }));
        Assert.Empty(await Ids(new FactsQuery { Team = "nobody" }));
        // Solved at minute + 600 (FullFacts); "d" is not solved and is left out by any solved range.
        Assert.Equal(["a"], await Ids(new FactsQuery { SolvedFrom = At(615) }));
        Assert.Equal(["b", "c"], await Ids(new FactsQuery { SolvedTo = At(615) }));
        Assert.Equal(["b", "c"], await Ids(new FactsQuery { SolvedFrom = At(610), SolvedTo = At(620) }));
        Assert.Equal(["b", "c", "a"], await Ids(new FactsQuery { SolvedFrom = At(0) }));
    }

    [Fact]
    public async Task ReadFactBatchesAsync_SolvedRange_SameTicketsAsReadFacts()
    {
        var store = await OpenAsync();
        // Solved at minute i + 600, every third ticket not solved at all.
        var facts = Enumerable.Range(0, 30)
            .Select(i => i % 3 == 0 ? MinimalFacts($"T-{i:D2}", i) : FullFacts($"T-{i:D2}", i, team: i % 2 == 0 ? "even" : "odd"))
            .ToList();
        await ImportAsync(store, facts: facts);

        foreach (var query in new[]
        {
            new FactsQuery { SolvedFrom = At(610) },
            new FactsQuery { SolvedTo = At(610) },
            new FactsQuery { SolvedFrom = At(605), SolvedTo = At(620), Team = "even" },
            new FactsQuery { SolvedFrom = At(605), CreatedTo = At(12) },
        })
        {
            var expected = (await ListAsync(store.ReadFactsAsync(query))).Select(f => f.CreatedAt.ToUnixTimeTicks()).ToList();
            var read = new List<long>();
            await foreach (var batch in store.ReadFactBatchesAsync(query, batchSize: 7))
            {
                read.AddRange(batch.CreatedAt.ToArray());
            }

            var naive = facts.Where(f => f.SolvedAt is { } s
                    && (query.SolvedFrom is null || s >= query.SolvedFrom) && (query.SolvedTo is null || s < query.SolvedTo)
                    && (query.Team is null || f.Team == query.Team) && (query.CreatedTo is null || f.CreatedAt < query.CreatedTo))
                .Select(f => f.CreatedAt.ToUnixTimeTicks()).Order().ToList();
            Assert.NotEmpty(naive);
            Assert.Equal(naive, expected);
            Assert.Equal(naive, read);
        }
    }

    [Fact]
    public async Task ReadFactBatchesAsync_SmallBatches_SameFiguresAsReadFacts()
    {
        var store = await OpenAsync();
        var facts = Enumerable.Range(0, 25)
            .Select(i => i % 3 == 0 ? MinimalFacts($"T-{i:D2}", i) : FullFacts($"T-{i:D2}", i, team: i % 2 == 0 ? "even" : Urdu))
            .ToList();
        await ImportAsync(store, facts: facts);

        var rows = new List<(long Created, string? Team, double FirstReply, long Solved, bool? Fcr, byte Csat, int SlaMet)>();
        var sizes = new List<int>();
        await foreach (var batch in store.ReadFactBatchesAsync(FactsQuery.All, batchSize: 10))
        {
            sizes.Add(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                rows.Add((batch.CreatedAt[i], batch.Labels[batch.Team[i]], batch.Seconds(FactsDuration.FirstReplyBusiness)[i],
                    batch.SolvedAt[i], batch.FirstContactResolved[i], batch.Satisfaction[i], batch.SlaCount(SlaMetric.FirstReply, met: true)[i]));
            }
        }

        Assert.Equal([10, 10, 5], sizes);
        var expected = facts.Select(f => (
            f.CreatedAt.ToUnixTimeTicks(), f.Team, f.FirstReply?.Business.TotalSeconds ?? double.NaN,
            f.SolvedAt?.ToUnixTimeTicks() ?? FactsBatch.NoInstant, f.FirstContactResolved, (byte)(f.Satisfaction ?? 0),
            f.Sla.Count(s => s.Metric == SlaMetric.FirstReply && s.State == SlaState.Met)));
        Assert.Equal(expected.OrderBy(r => r.Item1), rows.OrderBy(r => r.Created));
    }

    [Fact]
    public async Task ReadFactBatchesAsync_Filter_OnlyMatchingRows()
    {
        var store = await OpenAsync();
        await ImportAsync(store, facts: [FullFacts("a", team: "x"), FullFacts("b", team: "y"), FullFacts("c", team: "x")]);

        var count = 0;
        await foreach (var batch in store.ReadFactBatchesAsync(new FactsQuery { Team = "x" }))
        {
            count += batch.Count;
            Assert.All(batch.Team.ToArray(), code => Assert.Equal("x", batch.Labels[code]));
        }

        Assert.Equal(2, count);
    }

    [Fact]
    public async Task GetFactsAsync_UnknownTicket_Null()
    {
        var store = await OpenAsync();
        Assert.Null(await store.GetFactsAsync("nope"));
    }

    // ---- counts -------------------------------------------------------------------------------------------

    [Fact]
    public async Task CountAsync_EventsAndSummaries_TicketsCountedOnce()
    {
        var store = await OpenAsync();
        Assert.Equal(new StoreCounts(0, 0, 0, 0), await store.CountAsync());

        await ImportAsync(store, [.. Ticket("T-1"), .. Ticket("T-2")], [Summary("T-2"), Summary("S-3")], [MinimalFacts("T-1")]);

        Assert.Equal(new StoreCounts(6, 3, 2, 1), await store.CountAsync());
    }

    // ---- configuration ------------------------------------------------------------------------------------

    [Fact]
    public async Task ConfigDocuments_PutReplaceGetDelete_ByKindOrderedByName()
    {
        var store = await OpenAsync();
        await store.PutConfigAsync(ConfigKind.Calendar, "support-eu", """{"time_zone":"Europe/Helsinki"}""");
        await store.PutConfigAsync(ConfigKind.Calendar, "apac", "{}");
        await store.PutConfigAsync(ConfigKind.SlaPolicy, "apac", """{"name":"گاہک"}""");
        await store.PutConfigAsync(ConfigKind.Calendar, "support-eu", """{"time_zone":"Europe/Helsinki","v":2}""");

        var calendars = await store.GetConfigAsync(ConfigKind.Calendar);
        Assert.Equal(
            [new ConfigDocument(ConfigKind.Calendar, "apac", "{}"), new ConfigDocument(ConfigKind.Calendar, "support-eu", """{"time_zone":"Europe/Helsinki","v":2}""")],
            calendars);
        Assert.Equal("""{"name":"گاہک"}""", Assert.Single(await store.GetConfigAsync(ConfigKind.SlaPolicy)).Json);
        Assert.Empty(await store.GetConfigAsync(ConfigKind.Options));

        Assert.True(await store.DeleteConfigAsync(ConfigKind.Calendar, "apac"));
        Assert.False(await store.DeleteConfigAsync(ConfigKind.Calendar, "apac"));
        Assert.Single(await store.GetConfigAsync(ConfigKind.Calendar));
        Assert.Single(await store.GetConfigAsync(ConfigKind.SlaPolicy));
    }

    // ---- re-derivation ------------------------------------------------------------------------------------

    [Fact]
    public async Task RederiveAllAsync_EveryTicketOnceInOrder_FactsReplacedAndProgressReported()
    {
        var store = await OpenAsync();
        var tickets = Enumerable.Range(0, 2500).Select(i => $"T-{i:D4}").ToList();
        await ImportAsync(store, [.. tickets.Take(2000).SelectMany(t => Ticket(t))], [.. tickets.Skip(1500).Select(t => Summary(t))],
            [.. tickets.Select(t => FullFacts(t))]);
        var seen = new List<TicketSource>();
        var progress = new List<long>();

        var done = await store.RederiveAllAsync(
            source =>
            {
                seen.Add(source);
                return MinimalFacts(source.TicketId, source.Events.Count + (source.Summary is null ? 0 : 100));
            },
            new SynchronousProgress(progress.Add));

        Assert.Equal(2500, done);
        Assert.Equal(tickets, seen.Select(s => s.TicketId));
        Assert.Equal([1000L, 2000L, 2500L], progress);
        Assert.All(seen.Take(1500), s => Assert.Equal(3, s.Events.Count));
        AssertSameFacts(MinimalFacts("T-0000", 3), await store.GetFactsAsync("T-0000"));
        AssertSameFacts(MinimalFacts("T-1700", 103), await store.GetFactsAsync("T-1700"));
        AssertSameFacts(MinimalFacts("T-2400", 100), await store.GetFactsAsync("T-2400"));
    }

    [Fact]
    public async Task RederiveAllAsync_DeriveThrows_StoredFactsUnchanged()
    {
        var store = await OpenAsync();
        await ImportAsync(store, [.. Ticket("T-1"), .. Ticket("T-2")], facts: [FullFacts("T-1"), FullFacts("T-2")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RederiveAllAsync(
            s => s.TicketId == "T-2" ? throw new InvalidOperationException("boom") : MinimalFacts(s.TicketId)));

        AssertSameFacts(FullFacts("T-1"), await store.GetFactsAsync("T-1"));
    }

    // ---- isolation ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Organisations_SameIds_EventsSummariesAndChangedTicketsIsolated()
    {
        var acme = await OpenAsync("acme");
        var globex = await OpenAsync("globex");
        await ImportAsync(acme, Ticket("T-1"), [Summary("S-1")]);

        await using var import = await globex.BeginImportAsync();
        // The same ids with different content: a conflict inside one organisation, new data in another.
        var result = await import.AddEventsAsync([.. Ticket("T-1").Select(e => e with { Team = "globex" })]);
        var summaries = await import.AddSummariesAsync([Summary("S-1", satisfaction: 1)]);
        var changed = await ListAsync(import.ReadChangedTicketsAsync());
        await import.CommitAsync();

        Assert.Equal(3, result.Added);
        Assert.Equal(1, summaries.Added);
        Assert.Equal(["S-1", "T-1"], changed.Select(c => c.TicketId));
        Assert.All(changed[1].Events, e => Assert.Equal("globex", e.Team));
        Assert.Equal(5, (await acme.GetSummaryAsync("S-1"))!.Satisfaction);
        Assert.Equal(1, (await globex.GetSummaryAsync("S-1"))!.Satisfaction);
        Assert.All(await acme.ReadEventsAsync("T-1"), e => Assert.NotEqual("globex", e.Team));
        Assert.Equal(new StoreCounts(3, 2, 1, 0), await acme.CountAsync());
        Assert.Equal(new StoreCounts(3, 2, 1, 0), await globex.CountAsync());
        Assert.Null(await (await OpenAsync("initech")).GetSummaryAsync("S-1"));
    }

    [Fact]
    public async Task Organisations_Facts_IsolatedInEveryRead()
    {
        var acme = await OpenAsync("acme");
        var globex = await OpenAsync("globex");
        await ImportAsync(acme, facts: [FullFacts("T-1", team: "acme-team"), FullFacts("T-2", team: "acme-team")]);
        await ImportAsync(globex, facts: [MinimalFacts("T-1")]);

        AssertSameFacts(MinimalFacts("T-1"), await globex.GetFactsAsync("T-1"));
        Assert.Null(await globex.GetFactsAsync("T-2"));
        Assert.Equal(["T-1"], (await ListAsync(globex.ReadFactsAsync(FactsQuery.All))).Select(f => f.TicketId));
        Assert.Empty(await ListAsync(globex.ReadFactsAsync(new FactsQuery { Team = "acme-team" })));
        var rows = 0;
        await foreach (var batch in globex.ReadFactBatchesAsync(FactsQuery.All))
        {
            rows += batch.Count;
        }

        Assert.Equal(1, rows);
        Assert.Equal(1, (await globex.CountAsync()).Facts);
        Assert.Equal(2, (await acme.CountAsync()).Facts);
    }

    [Fact]
    public async Task Organisations_Config_Isolated()
    {
        var acme = await OpenAsync("acme");
        var globex = await OpenAsync("globex");
        await acme.PutConfigAsync(ConfigKind.Calendar, "main", "{\"o\":\"acme\"}");
        await globex.PutConfigAsync(ConfigKind.Calendar, "main", "{\"o\":\"globex\"}");

        Assert.False(await globex.DeleteConfigAsync(ConfigKind.SlaPolicy, "main"));
        Assert.True(await globex.DeleteConfigAsync(ConfigKind.Calendar, "main"));

        Assert.Empty(await globex.GetConfigAsync(ConfigKind.Calendar));
        Assert.Equal("{\"o\":\"acme\"}", Assert.Single(await acme.GetConfigAsync(ConfigKind.Calendar)).Json);
    }

    [Fact]
    public async Task Organisations_RederiveAll_TouchesOnlyItsOwn()
    {
        var acme = await OpenAsync("acme");
        var globex = await OpenAsync("globex");
        await ImportAsync(acme, Ticket("T-1"), facts: [FullFacts("T-1")]);
        await ImportAsync(globex, [.. Ticket("T-1"), .. Ticket("T-2")], facts: [FullFacts("T-1")]);
        var seen = new List<string>();

        var done = await globex.RederiveAllAsync(s => { seen.Add(s.TicketId); return MinimalFacts(s.TicketId); });

        Assert.Equal(2, done);
        Assert.Equal(["T-1", "T-2"], seen);
        AssertSameFacts(FullFacts("T-1"), await acme.GetFactsAsync("T-1"));
        AssertSameFacts(MinimalFacts("T-1"), await globex.GetFactsAsync("T-1"));
    }

    [Fact]
    public async Task Organisation_ReportedAsOpened()
    {
        var store = await OpenAsync("ગ્રાહક-org");
        Assert.Equal("ગ્રાહક-org", store.Organisation);
        Assert.False(string.IsNullOrEmpty(store.Location));
        Assert.True(store.SchemaVersion >= 1);
    }

    /// <summary><see cref="Progress{T}"/> posts to the thread pool; tests need the reports in order, at once.</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
