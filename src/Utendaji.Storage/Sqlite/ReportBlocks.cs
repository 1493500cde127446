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
/// BLOB layout (LEB128 varints; zz = zigzag signed), format 1 (migration 0008): a 0 byte (a block of format 0 starts with
/// its ticket count, never 0), the format number 1, the ticket count, the byte length of the column section; the column
/// section (<see cref="ReportColumns"/>: every field of the tickets' <see cref="ReportFacts"/> records, column by
/// column, in key order); then the ticket ids section, per ticket: UTF-8 length and bytes. A reader of the report never
/// touches the ids; a writer needs them to merge changes into a block.
/// <para>
/// Format 0 (migration 0006, converted on open by <see cref="RebuildIfStale"/>): ticket count, byte length of the records
/// section; the records section, per ticket in key order: creation instant as a zz delta from the previous ticket's
/// (the first from 0), record length, the record; then the ticket ids section. <see cref="Entries"/> reads both.
/// </para>
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

    /// <summary>The first byte of a block of format 1 or later (a format 0 block starts with its ticket count, at least 1).</summary>
    public const byte FormatMarker = 0;

    /// <summary>The format this build writes: the records of a block transposed into columns.</summary>
    public const byte ColumnFormat = 1;

    public const string InsertSql =
        "INSERT INTO report_blocks (org, first_created, first_ticket, last_created, tickets, data) VALUES ($org, $first_created, $first_ticket, $last_created, $tickets, $data)";

    /// <summary>
    /// Builds the copy of <paramref name="org"/> when migration 0003 or 0006 left it to be built: from <c>ticket_facts</c>
    /// (marked in <c>report_rebuild</c>) or from the per-ticket <c>report_facts</c> rows of schema 3–5 (marked in
    /// <c>report_convert</c>); or transposes its blocks of format 0 into columns (marked in <c>report_transpose</c> by
    /// migration 0008). One transaction also removes those rows and the marks.
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

        // A rebuild or a conversion writes the current format, so it needs no transposition after it.
        if (mark == Mark.Rebuild)
        {
            RebuildFromTicketFacts(connection, org);
        }
        else if (mark == Mark.Convert)
        {
            ConvertRows(connection, org);
        }
        else
        {
            TransposeBlocks(connection, org);
        }

        Run(connection, org, "DELETE FROM report_facts WHERE org = $org");
        Run(connection, org, "DELETE FROM report_rebuild WHERE org = $org");
        Run(connection, org, "DELETE FROM report_convert WHERE org = $org");
        Run(connection, org, "DELETE FROM report_transpose WHERE org = $org");
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

    /// <summary>
    /// Rewrites every block of format 0 of <paramref name="org"/> in the column format, in place (same key, same tickets),
    /// in the caller's transaction. Blocks already in columns (written after migration 0008 ran) are left as they are.
    /// </summary>
    private static void TransposeBlocks(SqliteConnection connection, long org)
    {
        // The keys first: rows are rewritten while no statement is stepping through the table.
        var keys = new List<Key>();
        using (var all = new RawStatement(connection, "SELECT first_created, first_ticket FROM report_blocks WHERE org = $org ORDER BY first_created, first_ticket"))
        {
            all.Bind(1, org);
            while (all.Step())
            {
                keys.Add(new Key(all.Int64(0), all.Text(1)));
            }
        }

        using var read = new RawStatement(connection, "SELECT data FROM report_blocks WHERE org = $org AND first_created = $created AND first_ticket = $ticket");
        using var update = new RawStatement(connection, "UPDATE report_blocks SET data = $data WHERE org = $org AND first_created = $created AND first_ticket = $ticket");
        var encoder = new BlockEncoder();
        var block = new ArrayBufferWriter<byte>(1 << 18);
        foreach (var key in keys)
        {
            read.Bind(1, org);
            read.Bind(2, key.Created);
            read.Bind(3, key.TicketId);
            read.Step();
            var data = read.Utf8(0);
            var stale = data.Length > 0 && data[0] != FormatMarker;
            if (stale)
            {
                encoder.Clear();
                foreach (var entry in Entries(data))
                {
                    encoder.Add(entry.Key.Created, Encoding.UTF8.GetBytes(entry.Key.TicketId), entry.Record);
                }

                block.ResetWrittenCount();
                encoder.Pack(block);
            }

            read.Reset();
            if (stale)
            {
                update.BindBlob(1, block.WrittenSpan);
                update.Bind(2, org);
                update.Bind(3, key.Created);
                update.Bind(4, key.TicketId);
                update.Execute();
            }
        }
    }

    private enum Mark
    {
        None,
        Rebuild,
        Convert,
        Transpose,
    }

    private static Mark Marked(SqliteConnection connection, long org)
    {
        using var marked = new RawStatement(connection,
            "SELECT EXISTS (SELECT 1 FROM report_rebuild WHERE org = $org), EXISTS (SELECT 1 FROM report_convert WHERE org = $org), " +
            "EXISTS (SELECT 1 FROM report_transpose WHERE org = $org)");
        marked.Bind(1, org);
        marked.Step();
        var mark = marked.Int64(0) != 0 ? Mark.Rebuild : marked.Int64(1) != 0 ? Mark.Convert : marked.Int64(2) != 0 ? Mark.Transpose : Mark.None;
        marked.Reset();
        return mark;
    }

    private static void Run(SqliteConnection connection, long org, string sql)
    {
        using var statement = new RawStatement(connection, sql);
        statement.Bind(1, org);
        statement.Execute();
    }

    /// <summary>The tickets of one stored block (either format), ids decoded, for a merge.</summary>
    public static List<Entry> Entries(ReadOnlySpan<byte> data)
    {
        if (data.Length > 1 && data[0] == FormatMarker)
        {
            return ColumnEntries(data);
        }

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

    /// <summary>
    /// Reads the header of a block of the column format: its ticket count and where its column section is; throws when
    /// the block is of another format.
    /// </summary>
    public static (int Tickets, int Section, int SectionLength) ColumnHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != FormatMarker || data[1] != ColumnFormat)
        {
            throw new InvalidDataException($"A report block is of format {(data.Length < 2 || data[0] != FormatMarker ? 0 : data[1])}, not {ColumnFormat}: open the store with this build to convert it.");
        }

        var r = new ReportFacts.Reader(data[2..]);
        var tickets = (int)r.U();
        var length = (int)r.U();
        return (tickets, 2 + r.Position, length);
    }

    private static List<Entry> ColumnEntries(ReadOnlySpan<byte> data)
    {
        var (count, section, length) = ColumnHeader(data);
        var columns = new ReportColumns();
        columns.Read(data.Slice(section, length), count);
        var ids = new ReportFacts.Reader(data[(section + length)..]);
        var record = new ArrayBufferWriter<byte>(256);
        var entries = new List<Entry>(count);
        for (var i = 0; i < count; i++)
        {
            record.ResetWrittenCount();
            columns.Record(i, record);
            var id = Encoding.UTF8.GetString(ids.Bytes((int)ids.U()));
            entries.Add(new Entry(new Key(columns.CreatedAt(i), id), record.WrittenSpan.ToArray()));
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

/// <summary>The data of one block of the column format, from its tickets in key order.</summary>
internal sealed class BlockEncoder
{
    private readonly ReportColumns _columns = new();
    // Small to start (they grow), like BlockBuilder's buffer: most transactions write small blocks.
    private readonly ArrayBufferWriter<byte> _section = new(1 << 12);
    private readonly ArrayBufferWriter<byte> _ids = new(1 << 10);

    /// <summary>Tickets added since <see cref="Clear"/>.</summary>
    public int Count => _columns.Tickets;

    public void Clear()
    {
        _columns.Clear();
        _ids.ResetWrittenCount();
    }

    public void Add(long created, ReadOnlySpan<byte> ticketId, ReadOnlySpan<byte> record)
    {
        _columns.Add(created, record);
        var ids = new ReportFacts.Writer(_ids);
        ids.U(ticketId.Length);
        _ids.Write(ticketId);
    }

    /// <summary>Writes the block's data (see <see cref="ReportBlocks"/>) to <paramref name="output"/>.</summary>
    public void Pack(ArrayBufferWriter<byte> output)
    {
        _section.ResetWrittenCount();
        _columns.Write(_section);
        var header = output.GetSpan(2);
        header[0] = ReportBlocks.FormatMarker;
        header[1] = ReportBlocks.ColumnFormat;
        output.Advance(2);
        var w = new ReportFacts.Writer(output);
        w.U(Count);
        w.U(_section.WrittenCount);
        output.Write(_section.WrittenSpan);
        output.Write(_ids.WrittenSpan);
    }
}

/// <summary>Appends tickets in key order and stores a block each <see cref="ReportBlocks.BlockSize"/> of them.</summary>
internal sealed class BlockBuilder : IDisposable
{
    private readonly long _org;
    private readonly RawStatement _insert;
    private readonly BlockEncoder _encoder = new();

    // Small to start (it grows): a server request writes a block of a few hundred tickets, and buffers of a full
    // block's size per transaction were large-object allocations that kept the background GC busy.
    private readonly ArrayBufferWriter<byte> _block = new(1 << 12);
    private readonly int _blockSize = ReportBlocks.BlockSize;
    private byte[] _firstId = [];
    private long _first;
    private long _previous;

    public BlockBuilder(SqliteConnection connection, long org)
    {
        _org = org;
        _insert = RawStatement.Kept(connection, ReportBlocks.InsertSql);
    }

    public void Add(long created, ReadOnlySpan<byte> ticketId, ReadOnlySpan<byte> record)
    {
        if (_encoder.Count == 0)
        {
            _first = created;
            _firstId = ticketId.ToArray();
        }

        _encoder.Add(created, ticketId, record);
        _previous = created;
        if (_encoder.Count == _blockSize)
        {
            Finish();
        }
    }

    /// <summary>Stores the tickets added since the last block, if any.</summary>
    public void Finish()
    {
        var count = _encoder.Count;
        if (count == 0)
        {
            return;
        }

        _block.ResetWrittenCount();
        _encoder.Pack(_block);
        _insert.Bind(1, _org);
        _insert.Bind(2, _first);
        _insert.Bind(3, Encoding.UTF8.GetString(_firstId)); // as text like ticket_facts.ticket_id (an empty span would bind NULL)
        _insert.Bind(4, _previous);
        _insert.Bind(5, count);
        _insert.BindBlob(6, _block.WrittenSpan);
        _insert.Execute();
        _encoder.Clear();
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
