using Microsoft.Data.Sqlite;
using Utendaji.Core.Metrics;
using Utendaji.Storage.Sqlite;
using static Utendaji.Storage.Tests.TestData;

namespace Utendaji.Storage.Tests;

/// <summary>
/// The block format of the report's copy (<c>report_blocks</c>, migration 0006), with blocks of a few tickets so every
/// merge, split and rewrite happens: always the same rows as <c>ticket_facts</c> read row by row.
/// </summary>
public sealed partial class SqliteStoreTests
{
    /// <summary>The copy as stored: per block its first key, last instant, count and data, in key order.</summary>
    private List<(long First, string FirstTicket, long Last, long Tickets, byte[] Data)> Blocks()
    {
        using var raw = Raw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT first_created, first_ticket, last_created, tickets, data FROM report_blocks ORDER BY org, first_created, first_ticket";
        using var reader = command.ExecuteReader();
        var blocks = new List<(long, string, long, long, byte[])>();
        while (reader.Read())
        {
            blocks.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), (byte[])reader.GetValue(4)));
        }

        return blocks;
    }

    /// <summary>Same rows as the naive reference, and blocks that are sorted, apart, within size and counted right.</summary>
    private async Task AssertCopyMatchesTicketFactsAsync(SqliteStore store, int blockSize)
    {
        Assert.Equal(await RowsAsync(store.ReadFactBatchesFromRowsAsync(FactsQuery.All, batchSize: 7)), await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All, batchSize: 5)));
        var blocks = Blocks();
        var keys = new List<ReportBlocks.Key>();
        foreach (var block in blocks)
        {
            var entries = ReportBlocks.Entries(block.Data);
            Assert.InRange(entries.Count, 1, blockSize);
            Assert.Equal(block.Tickets, entries.Count);
            Assert.Equal(new ReportBlocks.Key(block.First, block.FirstTicket), entries[0].Key);
            Assert.Equal(block.Last, entries[^1].Key.Created);
            keys.AddRange(entries.Select(e => e.Key));
        }

        for (var i = 1; i < keys.Count; i++)
        {
            Assert.True(keys[i - 1].CompareTo(keys[i]) < 0, $"{keys[i - 1]} before {keys[i]}");
        }

        using var raw = Raw();
        Assert.Equal(Scalar(raw, "SELECT count(*) FROM ticket_facts"), (long)keys.Count);
    }

    private static IDisposable SmallBlocks(int blockSize, int pendingLimit = 1 << 20)
    {
        var before = ReportBlocks.Tuning.Value;
        ReportBlocks.Tuning.Value = (blockSize, pendingLimit);
        return new Restore(() => ReportBlocks.Tuning.Value = before);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    [Fact]
    public async Task PutFactsAsync_ManyImportsInAnyOrder_BlocksAlwaysMatchTicketFacts()
    {
        using var tuning = SmallBlocks(blockSize: 8, pendingLimit: 13);
        var store = (SqliteStore)await OpenAsync();
        var facts = ReportFacts(600, seed: 21);
        var random = new Random(5);
        // New tickets in shuffled order, several transactions (flushing every 13 changes inside each).
        var shuffled = facts.OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < shuffled.Count; i += 150)
        {
            await ImportAsync(store, facts: shuffled.GetRange(i, 150));
            await AssertCopyMatchesTicketFactsAsync(store, 8);
        }

        // Re-derived tickets: same creation with new figures, moved creation, and one ticket put twice in one import.
        var changed = facts.Where((_, i) => i % 7 == 0).Select((f, i) => i % 2 == 0
            ? f with { Team = "moved", CreatedAt = f.CreatedAt + NodaTime.Duration.FromHours(i - 40) }
            : f with { AgentReplies = f.AgentReplies + 9 }).ToList();
        changed.Add(changed[0] with { CreatedAt = changed[0].CreatedAt + NodaTime.Duration.FromDays(3), Team = "twice" });
        await ImportAsync(store, facts: changed);

        await AssertCopyMatchesTicketFactsAsync(store, 8);
        var rows = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));
        Assert.Equal(600, rows.Count);
        Assert.Single(rows, r => r.Contains("|twice|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutFactsAsync_TicketRederived_OnlyItsBlockRewritten()
    {
        using var tuning = SmallBlocks(blockSize: 4);
        var store = (SqliteStore)await OpenAsync();
        await ImportAsync(store, facts: Enumerable.Range(0, 16).Select(i => FullFacts($"T-{i:D2}", minute: i)).ToList());
        var before = Blocks();
        Assert.Equal(4, before.Count);

        await ImportAsync(store, facts: [FullFacts("T-05", minute: 5, team: "tier-9")]);

        var after = Blocks();
        Assert.Equal(4, after.Count);
        for (var b = 0; b < 4; b++)
        {
            Assert.Equal(b == 1, !before[b].Data.AsSpan().SequenceEqual(after[b].Data));
        }

        await AssertCopyMatchesTicketFactsAsync(store, 4);
        Assert.Contains("|tier-9|", (await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All)))[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutFactsAsync_SmallTransaction_SplitsOnlyTheBlockItTouchesIntoSmallOnes()
    {
        // A bulk import keeps full blocks; a one-ticket transaction (an event POST) must not rewrite a full block each
        // time, so it splits the block it touches into small ones (16 tickets a change, at least BlockSize/16) and later
        // rewrites only one of those.
        using var tuning = SmallBlocks(blockSize: 64);
        var store = (SqliteStore)await OpenAsync();
        await ImportAsync(store, facts: Enumerable.Range(0, 256).Select(i => FullFacts($"T-{i:D3}", minute: i)).ToList());
        var bulk = Blocks();
        Assert.Equal([64L, 64, 64, 64], bulk.Select(b => b.Tickets));

        await ImportAsync(store, facts: [FullFacts("T-100", minute: 100, team: "tier-9")]);
        var split = Blocks();
        Assert.Equal(bulk[0].Data, split[0].Data);
        Assert.Equal(bulk[^1].Data, split[^1].Data);
        Assert.Equal(3 + 4, split.Count);
        Assert.All(split.Skip(1).Take(4), b => Assert.Equal(16, b.Tickets));

        await ImportAsync(store, facts: [FullFacts("T-100", minute: 100, team: "tier-8")]);
        var again = Blocks();
        Assert.Equal(split.Count, again.Count);
        Assert.Equal(1, Enumerable.Range(0, again.Count).Count(b => !split[b].Data.AsSpan().SequenceEqual(again[b].Data)));
        await AssertCopyMatchesTicketFactsAsync(store, 64);
        Assert.Contains("|tier-8|", (await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All)))[100], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutFactsAsync_TicketMovesToAnotherCreation_LeavesOldBlockAndCountedOnce()
    {
        using var tuning = SmallBlocks(blockSize: 4);
        var store = (SqliteStore)await OpenAsync();
        await ImportAsync(store, facts: Enumerable.Range(0, 16).Select(i => FullFacts($"T-{i:D2}", minute: i)).ToList());

        // T-01 moves from the first block to after the last ticket, T-14 to before the first.
        await ImportAsync(store, facts: [FullFacts("T-01", minute: 500, team: "late"), FullFacts("T-14", minute: -30, team: "early")]);

        await AssertCopyMatchesTicketFactsAsync(store, 4);
        var rows = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));
        Assert.Equal(16, rows.Count);
        Assert.Contains("|early|", rows[0], StringComparison.Ordinal);
        Assert.Contains("|late|", rows[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(ReportBlocks.Entries(Blocks()[0].Data), e => e.Key.TicketId == "T-01");
    }

    [Fact]
    public async Task PutFactsAsync_EmptyAndNonAsciiTicketIds_OrderedAsSqliteOrdersText()
    {
        using var tuning = SmallBlocks(blockSize: 2, pendingLimit: 2);
        var store = (SqliteStore)await OpenAsync();
        // One creation instant: the ticket id alone orders them, by UTF-8 bytes (U+10000 after U+FFFD, unlike UTF-16).
        string[] ids = ["", "a", "\uFFFD", "\U00010000", "Z", "\u00E9"];
        await ImportAsync(store, facts: ids.Select(id => FullFacts(id, minute: 7)).ToList());
        await ImportAsync(store, facts: [FullFacts("\u00E9", minute: 7, team: "again"), FullFacts("", minute: 8)]);

        await AssertCopyMatchesTicketFactsAsync(store, 2);
        Assert.Equal(6, (await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All))).Count);
    }

    [Fact]
    public async Task PutFactsAsync_ProcessKilledAfterBlocksWereMerged_BothTablesAsBefore()
    {
        using var tuning = SmallBlocks(blockSize: 4, pendingLimit: 3);
        var store = (SqliteStore)await OpenAsync();
        await ImportAsync(store, facts: Enumerable.Range(0, 12).Select(i => FullFacts($"T-{i:D2}", minute: i)).ToList());
        var blocksBefore = Blocks();
        var copy = Path.Combine(Path.GetDirectoryName(DatabasePath)!, "killed.db");

        await using (var import = await store.BeginImportAsync())
        {
            // Ten changes with a limit of three: blocks are merged three times inside the transaction.
            await import.PutFactsAsync(Enumerable.Range(0, 10).Select(i => FullFacts($"T-{i * 2:D2}", minute: 300 + i, team: "uncommitted")).ToList());
            // What a killed process leaves on disk: the file and its write-ahead log, without a commit record.
            File.Copy(DatabasePath, copy);
            File.Copy(DatabasePath + "-wal", copy + "-wal");
        }

        var killed = (SqliteStore)await SqliteStore.OpenAsync(copy, "acme");
        try
        {
            var rows = await RowsAsync(killed.ReadFactBatchesAsync(FactsQuery.All));
            Assert.Equal(await RowsAsync(killed.ReadFactBatchesFromRowsAsync(FactsQuery.All)), rows);
            Assert.Equal(12, rows.Count);
            Assert.DoesNotContain(rows, r => r.Contains("uncommitted", StringComparison.Ordinal));
        }
        finally
        {
            await killed.DisposeAsync();
        }

        // The rolled-back transaction left the original as it was too.
        Assert.Equal(blocksBefore.Select(b => Convert.ToHexString(b.Data)), Blocks().Select(b => Convert.ToHexString(b.Data)));
        await AssertCopyMatchesTicketFactsAsync(store, 4);
    }

    [Fact]
    public async Task OpenAsync_PerTicketRowsOfSchema5_PackedIntoBlocksOnce()
    {
        using var tuning = SmallBlocks(blockSize: 16);
        var store = await StoreWithReportFactsAsync(count: 500, seed: 9);
        var expected = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));
        await store.DisposeAsync();
        using (var raw = Raw())
        {
            // What schema 5 wrote: one report_facts row per ticket (the same records), and migration 0006's mark.
            foreach (var block in Blocks())
            {
                foreach (var entry in ReportBlocks.Entries(block.Data))
                {
                    using var insert = raw.CreateCommand();
                    insert.CommandText = "INSERT INTO report_facts (org, created_at, ticket_id, data) SELECT org, $c, $t, $d FROM organisations WHERE name = 'acme'";
                    insert.Parameters.AddWithValue("$c", entry.Key.Created);
                    insert.Parameters.AddWithValue("$t", entry.Key.TicketId);
                    insert.Parameters.AddWithValue("$d", entry.Record);
                    insert.ExecuteNonQuery();
                }
            }

            Scalar(raw, "DELETE FROM report_blocks; INSERT INTO report_convert (org) SELECT org FROM organisations WHERE name = 'acme'");
        }

        var reopened = (SqliteStore)await OpenAsync();

        Assert.Equal(expected, await RowsAsync(reopened.ReadFactBatchesAsync(FactsQuery.All)));
        await AssertCopyMatchesTicketFactsAsync(reopened, 16);
        Assert.Equal(32, Blocks().Count); // 500 tickets filled in order: 31 full blocks and one of 4
        using var check = Raw();
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM report_facts"));
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM report_convert"));
    }

    [Fact]
    public async Task OpenAsync_MigratedFromVersion5_ConvertsCompleteCopiesAndRebuildsMarkedOnes()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using (var raw = Raw())
        {
            foreach (var migration in SqliteMigrations.All.Where(m => m.Version <= 5))
            {
                Scalar(raw, migration.Sql);
            }

            Scalar(raw, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT 'x');" +
                "INSERT INTO schema_migrations (version, name, sha256) SELECT value, 'm', '' FROM json_each('[1,2,3,4,5]');" +
                "INSERT INTO organisations (org, name) VALUES (1, 'acme'), (2, 'globex'), (3, 'initech');" +
                "INSERT INTO ticket_facts (org, ticket_id, source, created_at, status, calendar, team, agent_replies, reopens, sla_first_reply_met, sla_first_reply_breached, " +
                "sla_next_reply_met, sla_next_reply_breached, sla_resolution_met, sla_resolution_breached, satisfaction) " +
                "VALUES (1, 'OLD-1', 1, 1000, 1, 'c', 'legacy', 1, 0, 0, 0, 0, 0, 0, 0, 5), (2, 'G-1', 1, 2000, 1, 'c', 'g', 0, 0, 0, 0, 0, 0, 0, 0, NULL);" +
                // acme still waits for the rebuild of 0003; globex has its per-ticket copy (label code 1 = 'g').
                "INSERT INTO report_rebuild (org) VALUES (1);" +
                "INSERT INTO report_labels (org, code, label) VALUES (2, 1, 'g');" +
                "INSERT INTO report_facts (org, created_at, ticket_id, data) VALUES (2, 2000, 'G-1', x'000101000000000000');");
        }

        var store = (SqliteStore)await OpenAsync();

        var rows = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));
        Assert.Equal(await RowsAsync(store.ReadFactBatchesFromRowsAsync(FactsQuery.All)), rows);
        Assert.Contains("|legacy|", Assert.Single(rows), StringComparison.Ordinal);
        using var check = Raw();
        Assert.Equal(2L, Scalar(check, "SELECT org FROM report_convert")); // globex is packed when it is opened
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM report_rebuild"));

        var globex = (SqliteStore)await OpenAsync("globex");
        var globexRows = await RowsAsync(globex.ReadFactBatchesAsync(FactsQuery.All));
        Assert.Equal(await RowsAsync(globex.ReadFactBatchesFromRowsAsync(FactsQuery.All)), globexRows);
        Assert.Contains("|g|", Assert.Single(globexRows), StringComparison.Ordinal);
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM report_convert"));
    }

    [Fact]
    public async Task RederiveAllAsync_SmallBlocks_CopyRebuiltInCreationOrder()
    {
        using var tuning = SmallBlocks(blockSize: 3);
        var store = (SqliteStore)await OpenAsync();
        var summaries = Enumerable.Range(0, 10).Select(i => Summary($"S-{i}", minute: i)).ToList();
        await ImportAsync(store, summaries: summaries, facts: summaries.Select((s, i) => FullFacts(s.TicketId, minute: i)).ToList());

        // Creation reversed: every ticket moves.
        await store.RederiveAllAsync(source => FullFacts(source.TicketId, minute: 100 - int.Parse(source.TicketId[2..], System.Globalization.CultureInfo.InvariantCulture), team: "re"));

        await AssertCopyMatchesTicketFactsAsync(store, 3);
        Assert.Equal(4, Blocks().Count);
    }
}
