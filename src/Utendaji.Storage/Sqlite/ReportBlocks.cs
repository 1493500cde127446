using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using Utendaji.Core.Metrics;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// The <c>report_blocks</c> table (migration 0006): the KPI report's copy of the facts (<see cref="ReportFacts"/> records)
/// packed about <see cref="BlockSize"/> tickets to a row, so reading 10M tickets steps a few thousand SQLite rows
/// instead of 10M (docs/performance.md). Blocks split the key order <c>(created_at, ticket_id)</c> into ranges that do
/// not overlap; a row is keyed by its first ticket and also holds its last creation instant and ticket count.
/// </summary>
/// <remarks>
/// BLOB layout (LEB128 varints; zz = zigzag signed): ticket count, byte length of the records section; the records section,
/// per ticket in key order: creation instant as a zz delta from the previous ticket's (the first from 0), record length,
/// the <see cref="ReportFacts"/> record; then the ticket ids section, per ticket: UTF-8 length and bytes. A reader of
/// the report never touches the ids; a writer needs them to merge changes into a block.
/// </remarks>
internal static class ReportBlocks
{
    /// <summary>Tickets a block is filled to; a block rewritten by a merge holds between half of this and this many.</summary>
    public const int DefaultBlockSize = 4096;

    /// <summary>Changes a writer holds before merging them into the blocks (about 100–150 bytes each).</summary>
    public const int DefaultPendingLimit = 1 << 18;

    /// <summary>Smaller sizes for tests, so a few tickets make many blocks and flushes (flows with the async context).</summary>
    internal static readonly AsyncLocal<(int BlockSize, int PendingLimit)?> Tuning = new();

    /// <summary>Tickets per block in effect.</summary>
    public static int BlockSize => Tuning.Value?.BlockSize ?? DefaultBlockSize;

    /// <summary>Pending changes per flush in effect.</summary>
    public static int PendingLimit => Tuning.Value?.PendingLimit ?? DefaultPendingLimit;

    public const string InsertSql =
        "INSERT INTO report_blocks (org, first_created, first_ticket, last_created, tickets, data) VALUES ($org, $first_created, $first_ticket, $last_created, $tickets, $data)";

    /// <summary>
    /// Builds the copy of <paramref name="org"/> when migration 0003 or 0006 left it to be built: from <c>ticket_facts</c>
    /// (marked in <c>report_rebuild</c>) or from the per-ticket <c>report_facts</c> rows of schema 3–5 (marked in
    /// <c>report_convert</c>), in one transaction that also removes those rows and the mark.
    /// </summary>
    public static void RebuildIfStale(SqliteConnection connection, long org)
    {
        // Checked first without a write lock, so opening a store does not wait for another process's import.
        if (Marked(connection, org) == Mark.None)
        {
            return;
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var mark = Marked(connection, org);
        if (mark == Mark.None)
        {
            return; // another process rebuilt it meanwhile
        }

        if (mark == Mark.Rebuild)
        {
            RebuildFromTicketFacts(connection, org);
        }
        else
        {
            ConvertRows(connection, org);
        }

        Run(connection, org, "DELETE FROM report_facts WHERE org = $org");
        Run(connection, org, "DELETE FROM report_rebuild WHERE org = $org");
        Run(connection, org, "DELETE FROM report_convert WHERE org = $org");
        transaction.Commit();
    }

    /// <summary>Replaces every block of <paramref name="org"/> with blocks built from its <c>ticket_facts</c> rows, in the caller's transaction.</summary>
    public static void RebuildFromTicketFacts(SqliteConnection connection, long org)
    {
        Run(connection, org, "DELETE FROM report_blocks WHERE org = $org");
        using var labels = new ReportLabels(connection, org);
        using var builder = new BlockBuilder(connection, org);
        var record = new ArrayBufferWriter<byte>(256);
        var others = new List<(long Due, int Met, int Breached)>();
        using var rows = new RawStatement(connection, $"SELECT {FactsRow.Select} FROM ticket_facts WHERE org = $org ORDER BY created_at, ticket_id");
        rows.Bind(1, org);
        while (rows.Step())
        {
            var facts = FactsRow.Read(rows);
            record.ResetWrittenCount();
            ReportFacts.Encode(facts, labels.Code, record, others);
            builder.Add(facts.CreatedAt.ToUnixTimeTicks(), Encoding.UTF8.GetBytes(facts.TicketId), record.WrittenSpan);
        }

        builder.Finish();
    }

    private static void ConvertRows(SqliteConnection connection, long org)
    {
        Run(connection, org, "DELETE FROM report_blocks WHERE org = $org");
        using var builder = new BlockBuilder(connection, org);
        using var rows = new RawStatement(connection, "SELECT created_at, ticket_id, data FROM report_facts WHERE org = $org ORDER BY created_at, ticket_id");
        rows.Bind(1, org);
        while (rows.Step())
        {
            builder.Add(rows.Int64(0), rows.Utf8(1), rows.Utf8(2));
        }

        builder.Finish();
    }

    private enum Mark
    {
        None,
        Rebuild,
        Convert,
    }

    private static Mark Marked(SqliteConnection connection, long org)
    {
        using var marked = new RawStatement(connection,
            "SELECT EXISTS (SELECT 1 FROM report_rebuild WHERE org = $org), EXISTS (SELECT 1 FROM report_convert WHERE org = $org)");
        marked.Bind(1, org);
        marked.Step();
        var mark = marked.Int64(0) != 0 ? Mark.Rebuild : marked.Int64(1) != 0 ? Mark.Convert : Mark.None;
        marked.Reset();
        return mark;
    }

    private static void Run(SqliteConnection connection, long org, string sql)
    {
        using var statement = new RawStatement(connection, sql);
        statement.Bind(1, org);
        statement.Execute();
    }

    /// <summary>The tickets of one stored block, ids decoded, for a merge.</summary>
    public static List<Entry> Entries(ReadOnlySpan<byte> data)
    {
        var r = new ReportFacts.Reader(data);
        var count = (int)r.U();
        var recordsLength = (int)r.U();
        var records = data.Slice(r.Position, recordsLength);
        var ids = new ReportFacts.Reader(data[(r.Position + recordsLength)..]);
        var rr = new ReportFacts.Reader(records);
        var entries = new List<Entry>(count);
        long created = 0;
        for (var i = 0; i < count; i++)
        {
            created += rr.Z();
            var record = rr.Bytes((int)rr.U()).ToArray();
            var id = Encoding.UTF8.GetString(ids.Bytes((int)ids.U()));
            entries.Add(new Entry(new Key(created, id), record));
        }

        return entries;
    }

    /// <summary>A ticket's place in the copy: SQLite's order of <c>(created_at, ticket_id)</c>.</summary>
    public readonly record struct Key(long Created, string TicketId) : IComparable<Key>
    {
        public int CompareTo(Key other) =>
            Created != other.Created ? Created.CompareTo(other.Created) : Utf8Order.Compare(TicketId, other.TicketId);
    }

    /// <summary>A ticket and its record; a null record is a removal (in a pending change).</summary>
    public readonly record struct Entry(Key Key, byte[]? Record);
}

/// <summary>Appends tickets in key order and stores a block each <see cref="ReportBlocks.BlockSize"/> of them.</summary>
internal sealed class BlockBuilder : IDisposable
{
    private readonly long _org;
    private readonly RawStatement _insert;
    // Small to start (they grow): a server request writes a block of a few hundred tickets, and three buffers of
    // a full block's size per transaction were large-object allocations that kept the background GC busy.
    private readonly ArrayBufferWriter<byte> _records = new(1 << 12);
    private readonly ArrayBufferWriter<byte> _ids = new(1 << 10);
    private readonly ArrayBufferWriter<byte> _block = new(1 << 12);
    private readonly int _blockSize = ReportBlocks.BlockSize;
    private byte[] _firstId = [];
    private long _first;
    private long _previous;
    private int _count;

    public BlockBuilder(SqliteConnection connection, long org)
    {
        _org = org;
        _insert = RawStatement.Kept(connection, ReportBlocks.InsertSql);
    }

    public void Add(long created, ReadOnlySpan<byte> ticketId, ReadOnlySpan<byte> record)
    {
        if (_count == 0)
        {
            _first = created;
            _firstId = ticketId.ToArray();
            _previous = 0;
        }

        var records = new ReportFacts.Writer(_records);
        records.Z(created - _previous);
        records.U(record.Length);
        _records.Write(record);
        var ids = new ReportFacts.Writer(_ids);
        ids.U(ticketId.Length);
        _ids.Write(ticketId);
        _previous = created;
        if (++_count == _blockSize)
        {
            Finish();
        }
    }

    /// <summary>Stores the tickets added since the last block, if any.</summary>
    public void Finish()
    {
        if (_count == 0)
        {
            return;
        }

        _block.ResetWrittenCount();
        var header = new ReportFacts.Writer(_block);
        header.U(_count);
        header.U(_records.WrittenCount);
        _block.Write(_records.WrittenSpan);
        _block.Write(_ids.WrittenSpan);
        _insert.Bind(1, _org);
        _insert.Bind(2, _first);
        _insert.Bind(3, Encoding.UTF8.GetString(_firstId)); // as text like ticket_facts.ticket_id (an empty span would bind NULL)
        _insert.Bind(4, _previous);
        _insert.Bind(5, _count);
        _insert.BindBlob(6, _block.WrittenSpan);
        _insert.Execute();
        _records.ResetWrittenCount();
        _ids.ResetWrittenCount();
        _count = 0;
    }

    public void Dispose() => _insert.Dispose();
}

/// <summary>Label text → <c>report_labels</c> code of one organisation, adding new labels inside the caller's transaction.</summary>
internal sealed class ReportLabels : IDisposable
{
    private readonly long _org;
    private readonly RawStatement _insertLabel;
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private int _nextCode = 1;

    public ReportLabels(SqliteConnection connection, long org)
    {
        _org = org;
        _insertLabel = RawStatement.Kept(connection, "INSERT INTO report_labels (org, code, label) VALUES ($org, $code, $label)");
        using (var labels = RawStatement.Kept(connection, "SELECT code, label FROM report_labels WHERE org = $org"))
        {
            labels.Bind(1, org);
            while (labels.Step())
            {
                var code = labels.Int32(0);
                _codes.Add(labels.Text(1), code);
                _nextCode = Math.Max(_nextCode, code + 1);
            }
        }

        Code = CodeOf;
    }

    /// <summary>The code of a label (0 for null), added when new.</summary>
    public Func<string?, int> Code { get; }

    public void Dispose() => _insertLabel.Dispose();

    private int CodeOf(string? label)
    {
        if (label is null)
        {
            return 0;
        }

        if (!_codes.TryGetValue(label, out var code))
        {
            code = _nextCode++;
            _insertLabel.Bind(1, _org);
            _insertLabel.Bind(2, code);
            _insertLabel.Bind(3, label);
            _insertLabel.Execute();
            _codes.Add(label, code);
        }

        return code;
    }
}

/// <summary>
/// Collects the changes one transaction makes to the copy (tickets written, superseded keys removed) and merges them
/// into the blocks they fall in, inside that transaction: before it commits, and whenever
/// <see cref="ReportBlocks.PendingLimit"/> changes are waiting, so memory stays bounded however many tickets one import writes.
/// Each merge rewrites a touched block once per flush, whatever the number of its changes.
/// </summary>
internal sealed class ReportFactsWriter : IDisposable
{
    private readonly long _org;
    private readonly ReportLabels _labels;
    private readonly Dictionary<ReportBlocks.Key, byte[]?> _pending = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly List<(long Due, int Met, int Breached)> _others = [];
    private readonly RawStatement _floor;
    private readonly RawStatement _firstBlock;
    private readonly RawStatement _nextBlock;
    private readonly RawStatement _delete;
    private readonly BlockBuilder _builder;
    private readonly int _blockSize = ReportBlocks.BlockSize;
    private readonly int _pendingLimit = ReportBlocks.PendingLimit;

    public ReportFactsWriter(SqliteConnection connection, long org)
    {
        _org = org;
        _labels = new ReportLabels(connection, org);
        const string Columns = "SELECT first_created, first_ticket, data FROM report_blocks WHERE org = $org";
        _floor = RawStatement.Kept(connection, Columns + " AND (first_created, first_ticket) <= ($created, $ticket) ORDER BY first_created DESC, first_ticket DESC LIMIT 1");
        _firstBlock = RawStatement.Kept(connection, Columns + " ORDER BY first_created, first_ticket LIMIT 1");
        _nextBlock = RawStatement.Kept(connection,
            "SELECT first_created, first_ticket FROM report_blocks WHERE org = $org AND (first_created, first_ticket) > ($created, $ticket) ORDER BY first_created, first_ticket LIMIT 1");
        _delete = RawStatement.Kept(connection, "DELETE FROM report_blocks WHERE org = $org AND first_created = $created AND first_ticket = $ticket");
        _builder = new BlockBuilder(connection, org);
    }

    /// <summary>Stores (or replaces) the ticket's record under its creation instant.</summary>
    public void Write(TicketFacts facts)
    {
        _buffer.ResetWrittenCount();
        ReportFacts.Encode(facts, _labels.Code, _buffer, _others);
        Change(new ReportBlocks.Key(facts.CreatedAt.ToUnixTimeTicks(), facts.TicketId), _buffer.WrittenSpan.ToArray());
    }

    /// <summary>Removes the ticket stored under <paramref name="created"/> (its creation instant moved).</summary>
    public void Remove(long created, string ticketId) => Change(new ReportBlocks.Key(created, ticketId), null);

    /// <summary>Merges every waiting change into the blocks; call before the transaction commits.</summary>
    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var changes = _pending.Select(p => new ReportBlocks.Entry(p.Key, p.Value)).ToArray();
        _pending.Clear();
        Array.Sort(changes, (a, b) => a.Key.CompareTo(b.Key));
        var i = 0;
        while (i < changes.Length)
        {
            // The block whose range holds the change: the last one starting at or before it, else the first one.
            var block = Block(_floor, changes[i].Key) ?? Block(_firstBlock, null);
            ReportBlocks.Key? next = null;
            if (block is { } b)
            {
                next = NextStart(b.Start);
            }

            var j = i;
            while (j < changes.Length && (next is not { } n || changes[j].Key.CompareTo(n) < 0))
            {
                j++;
            }

            var merged = Merge(block?.Entries ?? [], changes.AsSpan(i, j - i));
            if (block is { } old)
            {
                _delete.Bind(1, _org);
                _delete.Bind(2, old.Start.Created);
                _delete.Bind(3, old.Start.TicketId);
                _delete.Execute();
            }

            Store(merged, TargetSize(j - i));
            i = j;
        }
    }

    public void Dispose()
    {
        _labels.Dispose();
        _floor.Dispose();
        _firstBlock.Dispose();
        _nextBlock.Dispose();
        _delete.Dispose();
        _builder.Dispose();
    }

    private void Change(ReportBlocks.Key key, byte[]? record)
    {
        _pending[key] = record;
        if (_pending.Count >= _pendingLimit)
        {
            Flush();
        }
    }

    private (ReportBlocks.Key Start, List<ReportBlocks.Entry> Entries)? Block(RawStatement query, ReportBlocks.Key? at)
    {
        query.Bind(1, _org);
        if (at is { } key)
        {
            query.Bind(2, key.Created);
            query.Bind(3, key.TicketId);
        }

        (ReportBlocks.Key, List<ReportBlocks.Entry>)? block = query.Step()
            ? (new ReportBlocks.Key(query.Int64(0), query.Text(1)), ReportBlocks.Entries(query.Utf8(2)))
            : null;
        query.Reset();
        return block;
    }

    private ReportBlocks.Key? NextStart(ReportBlocks.Key start)
    {
        _nextBlock.Bind(1, _org);
        _nextBlock.Bind(2, start.Created);
        _nextBlock.Bind(3, start.TicketId);
        ReportBlocks.Key? next = _nextBlock.Step() ? new ReportBlocks.Key(_nextBlock.Int64(0), _nextBlock.Text(1)) : null;
        _nextBlock.Reset();
        return next;
    }

    private static List<ReportBlocks.Entry> Merge(List<ReportBlocks.Entry> stored, ReadOnlySpan<ReportBlocks.Entry> changes)
    {
        var merged = new List<ReportBlocks.Entry>(stored.Count + changes.Length);
        int s = 0, c = 0;
        while (s < stored.Count || c < changes.Length)
        {
            var order = s == stored.Count ? 1 : c == changes.Length ? -1 : stored[s].Key.CompareTo(changes[c].Key);
            if (order < 0)
            {
                merged.Add(stored[s++]);
                continue;
            }

            if (order == 0)
            {
                s++; // replaced or removed
            }

            if (changes[c].Record is not null)
            {
                merged.Add(changes[c]);
            }

            c++;
        }

        return merged;
    }

    /// <summary>
    /// How large the blocks rewritten for <paramref name="changes"/> changes should be. A merge rewrites whole blocks,
    /// so a small transaction (one event POST, one re-derived ticket) must not rewrite 4,096 tickets each time: it
    /// splits the block it touches into blocks of BlockSize/16 (256) tickets, and from then on rewrites only those.
    /// Bulk imports bring thousands of changes into a range and keep full blocks. Measured in docs/performance.md
    /// ("Small transactions"): single-event POSTs fell to a quarter of their rate with full blocks only.
    /// </summary>
    private int TargetSize(int changes) => Math.Clamp(changes * 16, Math.Max(1, _blockSize / 16), _blockSize);

    private void Store(List<ReportBlocks.Entry> merged, int blockSize)
    {
        // Evenly sized blocks of at most blockSize tickets (at least half of it unless fewer tickets are left).
        var blocks = (merged.Count + blockSize - 1) / blockSize;
        var at = 0;
        for (var k = 0; k < blocks; k++)
        {
            var size = (merged.Count - at) / (blocks - k);
            for (var e = at; e < at + size; e++)
            {
                _builder.Add(merged[e].Key.Created, Encoding.UTF8.GetBytes(merged[e].Key.TicketId), merged[e].Record);
            }

            _builder.Finish();
            at += size;
        }
    }
}
