using System.Buffers;
using System.Text;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Tests;

/// <summary>
/// The column layout inside the blocks of the report's copy (block format 1, migration 0008): lossless against the
/// per-ticket records merges use, decoded bit for bit like the <c>ticket_facts</c> rows, and blocks of format 0 converted
/// on open.
/// </summary>
public sealed partial class SqliteStoreTests
{
    [Fact]
    public void BlockEncoder_RandomRecords_EntriesGiveBackTheSameBytes()
    {
        // Records with any mask and extreme values (width 8, a base of long.MinValue, more than 256 distinct masks),
        // blocks of 1 to 600 tickets: transposing into columns and back must give the same records, byte for byte.
        var random = new Random(17);
        var encoder = new BlockEncoder();
        var packed = new ArrayBufferWriter<byte>();
        foreach (var tickets in new[] { 1, 2, 3, 16, 255, 600 })
        {
            var created = Enumerable.Range(0, tickets).Select(_ => Extreme(random)).Order().ToList();
            var entries = created.Select((c, i) => new ReportBlocks.Entry(new ReportBlocks.Key(c, $"T-{i:D4}"), RandomRecord(random))).ToList();
            encoder.Clear();
            foreach (var entry in entries)
            {
                encoder.Add(entry.Key.Created, Encoding.UTF8.GetBytes(entry.Key.TicketId), entry.Record);
            }

            packed.ResetWrittenCount();
            encoder.Pack(packed);
            var data = packed.WrittenSpan.ToArray();

            Assert.Equal(new byte[] { ReportBlocks.FormatMarker, ReportBlocks.ColumnFormat }, data[..2]);
            var read = ReportBlocks.Entries(data);
            Assert.Equal(entries.Select(e => e.Key), read.Select(e => e.Key));
            Assert.Equal(entries.Select(e => Convert.ToHexString(e.Record!)), read.Select(e => Convert.ToHexString(e.Record!)));
        }
    }

    [Fact]
    public void Seconds_WholeSeconds_AreTheSecondsThemselves()
    {
        // The reader turns a column of whole seconds (scale 7) into doubles without ReportFacts.Seconds: the same bits.
        var random = new Random(3);
        var limit = long.MaxValue / 10_000_000;
        var seconds = new List<long> { 0, 1, -1, 59, 86_399, 86_400, 86_401, -86_400, -86_401, 9_007_199, limit, -limit };
        seconds.AddRange(Enumerable.Range(0, 20_000).Select(i => i % 2 == 0 ? random.NextInt64(-limit, limit) : random.NextInt64(-400 * 86_400L, 400 * 86_400L)));
        foreach (var s in seconds)
        {
            var ticks = s * 10_000_000;
            Assert.Equal(BitConverter.DoubleToInt64Bits(Duration.FromTicks(ticks).TotalSeconds), BitConverter.DoubleToInt64Bits(Sqlite.ReportFacts.Seconds(ticks)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Sqlite.ReportFacts.Seconds(ticks)), BitConverter.DoubleToInt64Bits(s));
        }
    }

    [Fact]
    public async Task ReadFactBatchesAsync_WholeSecondsMillisecondsAndExtremes_SameRowsAsTicketFactsRows()
    {
        using var tuning = SmallBlocks(blockSize: 16);
        var store = (SqliteStore)await OpenAsync();
        // In creation order: a third in whole seconds (the reader's scale-7 path), a third in milliseconds, the rest in
        // ticks; and tickets with extreme values.
        var facts = ReportFacts(900, seed: 31).OrderBy(f => f.CreatedAt).ToList();
        for (var i = 0; i < facts.Count; i++)
        {
            facts[i] = i < 300 ? Rounded(facts[i], NodaConstants.TicksPerSecond) : i < 600 ? Rounded(facts[i], NodaConstants.TicksPerMillisecond) : facts[i];
        }

        var extreme = new DualDuration(Duration.FromTicks(long.MaxValue), Duration.FromTicks(long.MinValue));
        var negative = new DualDuration(Duration.FromSeconds(-90_000), Duration.FromTicks(-3));
        facts.Add(facts[10] with { TicketId = "X-1", FirstReply = extreme, FullResolution = negative, Satisfaction = 300, AgentReplies = int.MaxValue, Reopens = int.MinValue });
        facts.Add(facts[400] with { TicketId = "X-2", RequesterWait = extreme, Satisfaction = -4, OneTouch = true, FirstContactResolved = false });
        facts.Add(facts[700] with { TicketId = "X-3", FirstResolution = negative, Satisfaction = 0, OneTouch = false, FirstContactResolved = true });
        await ImportAsync(store, facts: facts);

        await AssertCopyMatchesTicketFactsAsync(store, 16);
        var scales = Blocks().Select(b => DurationScale(b.Data)).ToList();
        Assert.Contains(7, scales);
        Assert.Contains(4, scales);
        Assert.Contains(0, scales);

        // A creation range that starts and ends inside blocks, with a label filter.
        var query = new FactsQuery { CreatedFrom = facts[5].CreatedAt + Duration.FromTicks(1), CreatedTo = facts[850].CreatedAt, Team = "Helsinki" };
        var rows = await RowsAsync(store.ReadFactBatchesAsync(query, batchSize: 7));
        Assert.Equal(await RowsAsync(store.ReadFactBatchesFromRowsAsync(query)), rows);
        Assert.NotEmpty(rows);
    }

    [Fact]
    public async Task OpenAsync_BlocksOfFormat0_TransposedInPlaceOnce()
    {
        using var tuning = SmallBlocks(blockSize: 16);
        var store = await StoreWithReportFactsAsync(count: 500, seed: 9);
        var expected = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));
        await store.DisposeAsync();
        var before = Blocks();
        using (var raw = Raw())
        {
            // What migration 0006's build wrote: every block but the last in format 0, same keys; then 0008's mark.
            foreach (var block in before.SkipLast(1))
            {
                using var update = raw.CreateCommand();
                update.CommandText = "UPDATE report_blocks SET data = $d WHERE first_created = $c AND first_ticket = $t";
                update.Parameters.AddWithValue("$d", Format0(ReportBlocks.Entries(block.Data)));
                update.Parameters.AddWithValue("$c", block.First);
                update.Parameters.AddWithValue("$t", block.FirstTicket);
                Assert.Equal(1, update.ExecuteNonQuery());
            }

            Scalar(raw, "INSERT INTO report_transpose (org) SELECT org FROM organisations WHERE name = 'acme'");
        }

        Assert.All(Blocks().SkipLast(1), b => Assert.NotEqual(ReportBlocks.FormatMarker, b.Data[0]));

        var reopened = (SqliteStore)await OpenAsync();

        Assert.Equal(expected, await RowsAsync(reopened.ReadFactBatchesAsync(FactsQuery.All)));
        var after = Blocks();
        Assert.Equal(before.Select(b => (b.First, b.FirstTicket, b.Last, b.Tickets)), after.Select(b => (b.First, b.FirstTicket, b.Last, b.Tickets)));
        Assert.Equal(before.Select(b => Convert.ToHexString(b.Data)), after.Select(b => Convert.ToHexString(b.Data))); // the same columns again
        await AssertCopyMatchesTicketFactsAsync(reopened, 16);
        using var check = Raw();
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM report_transpose"));
    }

    [Fact]
    public async Task ReadFactBatchesAsync_BlockOfFormat0WithoutMark_RefusedNotMisread()
    {
        using var tuning = SmallBlocks(blockSize: 16);
        var store = await StoreWithReportFactsAsync(count: 40, seed: 4);
        var first = Blocks()[0];
        using (var raw = Raw())
        {
            using var update = raw.CreateCommand();
            update.CommandText = "UPDATE report_blocks SET data = $d WHERE first_created = $c AND first_ticket = $t";
            update.Parameters.AddWithValue("$d", Format0(ReportBlocks.Entries(first.Data)));
            update.Parameters.AddWithValue("$c", first.First);
            update.Parameters.AddWithValue("$t", first.FirstTicket);
            update.ExecuteNonQuery();
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All)));
    }

    /// <summary>A block as format 0 (migration 0006) stored it: count, records section length, records, ticket ids.</summary>
    private static byte[] Format0(List<ReportBlocks.Entry> entries)
    {
        var records = new ArrayBufferWriter<byte>();
        var ids = new ArrayBufferWriter<byte>();
        var block = new ArrayBufferWriter<byte>();
        long previous = 0;
        foreach (var entry in entries)
        {
            var r = new Sqlite.ReportFacts.Writer(records);
            r.Z(entry.Key.Created - previous);
            r.U(entry.Record!.Length);
            records.Write(entry.Record);
            var id = Encoding.UTF8.GetBytes(entry.Key.TicketId);
            new Sqlite.ReportFacts.Writer(ids).U(id.Length);
            ids.Write(id);
            previous = entry.Key.Created;
        }

        var header = new Sqlite.ReportFacts.Writer(block);
        header.U(entries.Count);
        header.U(records.WrittenCount);
        block.Write(records.WrittenSpan);
        block.Write(ids.WrittenSpan);
        return block.WrittenSpan.ToArray();
    }

    /// <summary>The scale exponent of the first duration column of a block of the column format.</summary>
    private static int DurationScale(byte[] data)
    {
        var (_, section, length) = ReportBlocks.ColumnHeader(data);
        var padded = new byte[length + ReportColumns.Padding];
        data.AsSpan(section, length).CopyTo(padded);
        var at = 0;
        Varint.Z(padded, ref at);
        var column = default(PackedColumn);
        for (var c = 0; c <= ReportColumns.Durations; c++)
        {
            column = PackedColumn.Parse(padded, length, ref at);
        }

        return column.ScaleExponent;
    }

    private static TicketFacts Rounded(TicketFacts f, long unit)
    {
        DualDuration? Round(DualDuration? d) => d is { } v
            ? new DualDuration(Duration.FromTicks(v.Calendar.BclCompatibleTicks / unit * unit), Duration.FromTicks(v.Business.BclCompatibleTicks / unit * unit))
            : null;
        return f with { FirstReply = Round(f.FirstReply), FirstResolution = Round(f.FirstResolution), FullResolution = Round(f.FullResolution), RequesterWait = Round(f.RequesterWait) };
    }

    private static long Extreme(Random random) => random.Next(8) switch
    {
        0 => long.MinValue,
        1 => long.MaxValue,
        2 => random.NextInt64(-5, 5),
        _ => random.NextInt64(long.MinValue, long.MaxValue),
    };

    /// <summary>A record of any mask, with the fields it says it has (ReportFacts' layout), values of every size.</summary>
    private static byte[] RandomRecord(Random random)
    {
        var output = new ArrayBufferWriter<byte>();
        var w = new Sqlite.ReportFacts.Writer(output);
        var mask = random.Next(1 << 18);
        w.U(mask);
        for (var f = 0; f < 6; f++)
        {
            w.U(random.Next(3) == 0 ? (ulong)Extreme(random) : (ulong)random.Next(0, 40)); // status and label codes
        }

        for (var bit = 0; bit < 10; bit++)
        {
            if ((mask & (1 << bit)) != 0)
            {
                w.Z(random.Next(2) == 0 ? Extreme(random) : random.NextInt64(0, 1000) * 10_000_000);
            }
        }

        w.Z(Extreme(random));
        w.Z(random.Next(-3, 3));
        if ((mask & Sqlite.ReportFacts.Rated) != 0)
        {
            w.Z(random.Next(-2, 300));
        }

        if ((mask & Sqlite.ReportFacts.SlaCounts) != 0)
        {
            for (var s = 0; s < 6; s++)
            {
                w.U(random.Next(4) == 0 ? (ulong)Extreme(random) : (ulong)random.Next(0, 3));
            }
        }

        if ((mask & Sqlite.ReportFacts.Due) != 0)
        {
            w.Z(Extreme(random));
        }

        if ((mask & Sqlite.ReportFacts.OtherDues) != 0)
        {
            var count = random.Next(0, 3);
            w.U(count);
            for (var k = 0; k < count; k++)
            {
                w.Z(Extreme(random));
                w.U(random.Next(0, 5));
                w.U(random.Next(0, 5));
            }
        }

        return output.WrittenSpan.ToArray();
    }
}
