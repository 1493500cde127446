using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Utendaji.Core.Reporting;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// Streams the <c>report_blocks</c> copy into <see cref="FactsBatch"/> blocks in creation order (<c>created_at, ticket_id</c>),
/// applying a <see cref="FactsQuery"/>: the creation range on block bounds and on each ticket, labels and status on the
/// decoded rows.
/// </summary>
/// <remarks>
/// A block's columns (<see cref="ReportColumns"/>) are decoded one column at a time for a run of its tickets, each with
/// one loop straight into the batch's arrays: the creation instants and masks once per block, then each other column,
/// keeping per column the index of its next value (a column of a field the record holds only when a mask bit is set has
/// values for those tickets only).
/// </remarks>
internal sealed class ReportFactsScan : IDisposable
{
    private readonly RawStatement _blocks;
    private readonly RawStatement _label;
    private readonly long _org;
    private readonly FactsQuery _query;
    private readonly long _from;
    private readonly long _to;
    private FactsBatch? _batch;
    private int[] _map = new int[64];
    private bool _started;
    private bool _done;
    private int _team, _channel, _agent, _priority, _language;
    private bool _filtered;
    private bool _solvedRange;
    private long _solvedFrom;
    private long _solvedTo;

    // The block being read: its column section (in SQLite's buffer, which lasts until the next step, or a copy), its
    // columns, creation instants and masks decoded whole, and the tickets [_at, _end) still to be read.
    private byte[] _block = new byte[1 << 18];
    private bool _direct;
    private int _section;
    private int _sectionLength;
    private readonly PackedColumn[] _columns = new PackedColumn[ReportColumns.Count];
    private readonly int[] _next = new int[ReportColumns.Count];
    private long[] _created = new long[ReportBlocks.DefaultBlockSize];
    private int[] _masks = new int[ReportBlocks.DefaultBlockSize];
    private int _tickets;
    private int _at;
    private int _end;
    private int _duesAt;
    private int _duesEnd;
    private bool _lastInRange;
    private int[] _keep = [];

    public ReportFactsScan(SqliteConnection connection, long org, FactsQuery query)
    {
        _org = org;
        _query = query;
        _from = query.CreatedFrom?.ToUnixTimeTicks() ?? long.MinValue;
        _to = query.CreatedTo?.ToUnixTimeTicks() ?? long.MaxValue;
        var sql = "SELECT last_created, data FROM report_blocks WHERE org = $org" +
            (query.CreatedTo is not null ? " AND first_created < $to" : "") +
            " ORDER BY first_created, first_ticket";
        _blocks = new RawStatement(connection, sql);
        _label = new RawStatement(connection, "SELECT label FROM report_labels WHERE org = $org AND code = $code");
        _blocks.Bind(1, org);
        if (query.CreatedTo is not null)
        {
            _blocks.Bind(2, _to);
        }

        Array.Fill(_map, -1);
        _map[0] = 0;
    }

    /// <summary>Fills <paramref name="batch"/> with up to its capacity of rows; false when none were left.</summary>
    public bool Fill(FactsBatch batch)
    {
        _batch = batch;
        if (!_started)
        {
            // The first step opens the read snapshot; the filter labels are looked up inside it.
            _started = true;
            _done = !NextBlock();
            ResolveFilters(batch);
        }

        if (_done)
        {
            return false; // leave the last batch a consumer may still hold intact
        }

        batch.OtherDues.Clear();
        var n = 0;
        while (n < batch.Capacity)
        {
            if (_at == _end)
            {
                if (_lastInRange || !NextBlock())
                {
                    _done = true;
                    break;
                }

                continue;
            }

            var run = Math.Min(_end - _at, batch.Capacity - n);
            Decode(batch, n, run);
            _at += run;
            n += _filtered ? Keep(batch, n, run) : run;
        }

        if (n == 0)
        {
            return false;
        }

        batch.Count = n;
        return true;
    }

    public void Dispose()
    {
        _blocks.Dispose();
        _label.Dispose();
    }

    /// <summary>Steps to the next block holding tickets in range and reads its header, instants and masks; false at the end.</summary>
    private bool NextBlock()
    {
        while (_blocks.Step())
        {
            if (_blocks.Int64(0) < _from)
            {
                continue; // ends before the range: its data is never read
            }

            var data = _blocks.Utf8(1);
            var (tickets, section, length) = ReportBlocks.ColumnHeader(data);
            // Decoded in place when the ticket ids after the section give the padding the loops read into; copied else.
            _direct = data.Length - (section + length) >= ReportColumns.Padding;
            if (!_direct)
            {
                if (_block.Length < length + ReportColumns.Padding)
                {
                    _block = new byte[Math.Max(length + ReportColumns.Padding, _block.Length * 2)];
                }

                data.Slice(section, length).CopyTo(_block);
            }

            _section = section;
            _sectionLength = length;
            _tickets = tickets;
            if (_created.Length < tickets)
            {
                _created = new long[tickets];
                _masks = new int[tickets];
            }

            var created = _created.AsSpan(0, tickets);
            ReadCreated(ReadColumns(), created);
            ReadMasks(_masks.AsSpan(0, tickets));

            // Sorted by creation: the range is one run of the block.
            _at = 0;
            _end = tickets;
            if (created[0] < _from)
            {
                var start = 0;
                while (start < tickets && created[start] < _from)
                {
                    start++;
                }

                Skip(start);
            }

            if (created[^1] >= _to)
            {
                var end = 0;
                while (end < tickets && created[end] < _to)
                {
                    end++;
                }

                _end = end;
                _lastInRange = true; // sorted: nothing further is in range
            }

            if (_at < _end || _lastInRange)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The block's column section and the <see cref="ReportColumns.Padding"/> bytes after it.</summary>
    private ReadOnlySpan<byte> Section() => _direct
        ? _blocks.Utf8(1).Slice(_section, _sectionLength + ReportColumns.Padding)
        : _block.AsSpan(0, _sectionLength + ReportColumns.Padding);

    /// <summary>Reads the headers of the block's columns; returns the first ticket's creation instant.</summary>
    private long ReadColumns()
    {
        var data = Section();
        var at = 0;
        var first = Varint.Z(data, ref at);
        for (var c = 0; c < ReportColumns.Count; c++)
        {
            var column = PackedColumn.Parse(data, _sectionLength, ref at);
            if ((ReportColumns.PresenceBit[c] < 0 && column.Length != _tickets) || (column.Dictionary is not null && c != ReportColumns.Mask))
            {
                throw new InvalidDataException($"A report block column {c} holds {column.Length} values for {_tickets} tickets.");
            }

            _columns[c] = column;
        }

        Array.Clear(_next);
        var duesLength = (int)Varint.U(data, ref at);
        _duesAt = at;
        _duesEnd = at + duesLength;
        if (_duesEnd != _sectionLength)
        {
            throw new InvalidDataException("A report block's column section does not end where its further dues do.");
        }

        return first;
    }

    private void ReadCreated(long first, Span<long> created)
    {
        ref var data = ref MemoryMarshal.GetReference(Section());
        var column = _columns[ReportColumns.Created];
        var scale = column.Scale;
        var at = first;
        for (var i = 0; i < created.Length; i++)
        {
            at += column.Unscaled(ref data, i) * scale;
            created[i] = at;
        }
    }

    /// <summary>
    /// Decodes the masks and checks that each column holding values only for the tickets with a mask bit holds exactly
    /// one per such ticket: the decoding loops below read without bounds checks and rely on it.
    /// </summary>
    private void ReadMasks(Span<int> masks)
    {
        var data = Section();
        var column = _columns[ReportColumns.Mask];
        Span<int> withBit = stackalloc int[32];
        withBit.Clear();
        if (column.Dictionary is { } values)
        {
            Span<int> uses = stackalloc int[256];
            uses.Clear();
            var codes = data.Slice(column.Payload, masks.Length);
            for (var i = 0; i < masks.Length; i++)
            {
                masks[i] = (int)values[codes[i]];
                uses[codes[i]]++;
            }

            for (var d = 0; d < values.Length; d++)
            {
                for (var bit = 0; bit < 32; bit++)
                {
                    withBit[bit] += (int)((values[d] >> bit) & 1) * uses[d];
                }
            }
        }
        else
        {
            for (var i = 0; i < masks.Length; i++)
            {
                masks[i] = (int)column.Value(data, i);
                for (var bit = 0; bit < 32; bit++)
                {
                    withBit[bit] += (masks[i] >> bit) & 1;
                }
            }
        }

        for (var c = 0; c < ReportColumns.Count; c++)
        {
            var bit = ReportColumns.PresenceBit[c];
            if (bit >= 0 && _columns[c].Length != withBit[bit])
            {
                throw new InvalidDataException($"A report block column {c} holds {_columns[c].Length} values, but its tickets' masks ask for {withBit[bit]}.");
            }
        }
    }

    /// <summary>Steps over the block's first <paramref name="count"/> tickets (before the creation range).</summary>
    private void Skip(int count)
    {
        var presence = ReportColumns.PresenceBit;
        for (var i = 0; i < count; i++)
        {
            var mask = _masks[i];
            for (var c = 0; c < ReportColumns.Count; c++)
            {
                _next[c] += presence[c] < 0 || ((mask >> presence[c]) & 1) != 0 ? 1 : 0;
            }

            if ((mask & ReportFacts.OtherDues) != 0)
            {
                ReportColumns.SkipOtherDues(Section()[.._duesEnd], ref _duesAt);
            }
        }

        _at = count;
    }

    /// <summary>Decodes tickets [_at, _at + count) of the block into rows [n, n + count) of <paramref name="batch"/>.</summary>
    private void Decode(FactsBatch batch, int n, int count)
    {
        var created = _created.AsSpan(_at, count);
        var masks = _masks.AsSpan(_at, count);
        created.CopyTo(batch.CreatedAtTicks.AsSpan(n, count));
        Statuses(batch.StatusColumn.AsSpan(n, count));
        Label(ReportColumns.Labels, batch.TeamColumn.AsSpan(n, count));
        Label(ReportColumns.Labels + 1, batch.ChannelColumn.AsSpan(n, count));
        Label(ReportColumns.Labels + 2, batch.AgentColumn.AsSpan(n, count));
        Label(ReportColumns.Labels + 3, batch.PriorityColumn.AsSpan(n, count));
        Label(ReportColumns.Labels + 4, batch.LanguageColumn.AsSpan(n, count));
        Instants(ReportColumns.Solved, masks, created, batch.SolvedAtTicks.AsSpan(n, count));
        Instants(ReportColumns.FirstSolved, masks, created, batch.FirstSolvedAtTicks.AsSpan(n, count));
        for (var d = 0; d < batch.Durations.Length; d++)
        {
            Seconds(ReportColumns.Durations + d, masks, batch.Durations[d].AsSpan(n, count));
        }

        Counts(ReportColumns.Replies, batch.AgentRepliesColumn.AsSpan(n, count));
        Counts(ReportColumns.Reopens, batch.ReopensColumn.AsSpan(n, count));
        Ratings(masks, batch.SatisfactionColumn.AsSpan(n, count));
        Flags(masks, ReportFacts.OneTouchKnown, batch.OneTouchColumn.AsSpan(n, count));
        Flags(masks, ReportFacts.FcrKnown, batch.FirstContactColumn.AsSpan(n, count));
        for (var s = 0; s < batch.SlaColumns.Length; s++)
        {
            SlaCounts(ReportColumns.Sla + s, masks, batch.SlaColumns[s].AsSpan(n, count));
        }

        Instants(ReportColumns.Due, masks, created, batch.ResolutionDueTicks.AsSpan(n, count));
        OtherDues(Section()[.._duesEnd], masks, created, batch, n);
        if (_at + count == _tickets && _duesAt != _duesEnd)
        {
            throw new InvalidDataException("A report block's further dues do not match its tickets' masks.");
        }
    }

    // The loops below read each column's values without bounds checks. ReadColumns checked that every column lies within
    // the section, which is followed by Padding readable bytes (Section), and ReadMasks that a column of values for the tickets
    // with a mask bit holds exactly one per such ticket; so k never passes a column's Length (a value read at k = Length,
    // for a ticket without the bit, lies within the padding and is not used).

    private void Statuses(Span<TicketStatus> output)
    {
        ref var data = ref MemoryMarshal.GetReference(Section());
        var column = _columns[ReportColumns.Status];
        var statuses = StatusOf;
        for (var i = 0; i < output.Length; i++)
        {
            var code = column.Unscaled(ref data, _at + i) * column.Scale;
            output[i] = (ulong)code < (ulong)statuses.Length && code != 0 ? statuses[(int)code] : SqliteCodes.Status(code);
        }
    }

    /// <summary><see cref="SqliteCodes.Status"/> by code (0 is no code).</summary>
    private static ReadOnlySpan<TicketStatus> StatusOf =>
        [default, TicketStatus.New, TicketStatus.Open, TicketStatus.Pending, TicketStatus.OnHold, TicketStatus.Solved, TicketStatus.Closed];

    private void Label(int c, Span<int> output)
    {
        ref var data = ref MemoryMarshal.GetReference(Section());
        var column = _columns[c];
        ref var values = ref Unsafe.Add(ref data, column.Payload + (_at * column.Width));
        var (width, bits, @base, scale) = (column.Width, column.Bits, column.Base, column.Scale);
        var map = _map;
        for (var i = 0; i < output.Length; i++)
        {
            var stored = (@base + (long)(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref values, i * width)) & bits)) * scale;
            var code = (ulong)stored < (ulong)map.Length ? map[(int)stored] : -1;
            if (code < 0)
            {
                code = SlowLabel(stored);
                map = _map;
            }

            output[i] = code;
        }
    }

    private void Counts(int c, Span<int> output)
    {
        ref var data = ref MemoryMarshal.GetReference(Section());
        var column = _columns[c];
        ref var values = ref Unsafe.Add(ref data, column.Payload + (_at * column.Width));
        var (width, bits, @base, scale) = (column.Width, column.Bits, column.Base, column.Scale);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (int)((@base + (long)(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref values, i * width)) & bits)) * scale);
        }
    }

    private void Instants(int c, ReadOnlySpan<int> masks, ReadOnlySpan<long> created, Span<long> output)
    {
        ref var data = ref MemoryMarshal.GetReference(Section());
        var column = _columns[c];
        ref var values = ref Unsafe.Add(ref data, column.Payload);
        var (width, bits, @base, scale) = (column.Width, column.Bits, column.Base, column.Scale);
        var bit = ReportColumns.PresenceBit[c];
        var k = _next[c];
        for (var i = 0; i < output.Length; i++)
        {
            // Without a branch: which tickets have the field follows no pattern a predictor could learn.
            var present = (masks[i] >> bit) & 1;
            var at = created[i] + ((@base + (long)(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref values, k * width)) & bits)) * scale);
            k += present;
            output[i] = at + ((FactsBatch.NoInstant - at) & (present - 1L));
        }

        _next[c] = k;
    }

    private void Seconds(int c, ReadOnlySpan<int> masks, Span<double> output)
    {
        ref var data = ref MemoryMarshal.GetReference(Section());
        var column = _columns[c];
        var bit = ReportColumns.PresenceBit[c];
        var k = _next[c];
        if (column.ScaleExponent == 7)
        {
            // Whole seconds: ReportFacts.Seconds(s × 10⁷) is exactly s (a test checks it bit for bit).
            var absent = BitConverter.DoubleToInt64Bits(double.NaN);
            ref var values = ref Unsafe.Add(ref data, column.Payload);
            var (width, bits, @base) = (column.Width, column.Bits, column.Base);
            for (var i = 0; i < output.Length; i++)
            {
                var present = (masks[i] >> bit) & 1;
                var seconds = BitConverter.DoubleToInt64Bits(@base + (long)(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref values, k * width)) & bits));
                k += present;
                output[i] = BitConverter.Int64BitsToDouble(seconds ^ ((seconds ^ absent) & (present - 1L)));
            }
        }
        else
        {
            var scale = column.Scale;
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = ((masks[i] >> bit) & 1) != 0 ? ReportFacts.Seconds(column.Unscaled(ref data, k++) * scale) : double.NaN;
            }
        }

        _next[c] = k;
    }

    private void Ratings(ReadOnlySpan<int> masks, Span<byte> output)
    {
        ref var data = ref MemoryMarshal.GetReference(Section());
        var column = _columns[ReportColumns.Rating];
        ref var values = ref Unsafe.Add(ref data, column.Payload);
        var (width, bits, @base, scale) = (column.Width, column.Bits, column.Base, column.Scale);
        var k = _next[ReportColumns.Rating];
        for (var i = 0; i < output.Length; i++)
        {
            var present = (masks[i] >> 17) & 1;
            var value = (@base + (long)(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref values, k * width)) & bits)) * scale;
            k += present;
            // ReportFacts.Rating, and 0 when absent, without a branch.
            var rated = (ulong)(value - 1) < 255 ? present : 0;
            output[i] = (byte)(value & -rated);
        }

        _next[ReportColumns.Rating] = k;
    }

    /// <summary>A flag from its known bit (<paramref name="known"/>) and the value bit after it.</summary>
    private static void Flags(ReadOnlySpan<int> masks, int known, Span<bool?> output)
    {
        var shift = System.Numerics.BitOperations.TrailingZeroCount(known);
        ReadOnlySpan<bool?> values = [null, false, null, true]; // by (value bit, known bit)
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = values[(masks[i] >> shift) & 3];
        }
    }

    private void SlaCounts(int c, ReadOnlySpan<int> masks, Span<int> output)
    {
        ref var data = ref MemoryMarshal.GetReference(Section());
        var column = _columns[c];
        ref var values = ref Unsafe.Add(ref data, column.Payload);
        var (width, bits, @base, scale) = (column.Width, column.Bits, column.Base, column.Scale);
        var k = _next[c];
        for (var i = 0; i < output.Length; i++)
        {
            var present = (masks[i] >> 14) & 1;
            var count = (int)((@base + (long)(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref values, k * width)) & bits)) * scale);
            k += present;
            output[i] = count & -present;
        }

        _next[c] = k;
    }

    private void OtherDues(ReadOnlySpan<byte> dues, ReadOnlySpan<int> masks, ReadOnlySpan<long> created, FactsBatch batch, int n)
    {
        for (var i = 0; i < masks.Length; i++)
        {
            if ((masks[i] & ReportFacts.OtherDues) == 0)
            {
                continue;
            }

            var count = Varint.U(dues, ref _duesAt);
            for (long k = 0; k < count; k++)
            {
                var due = created[i] + Varint.Z(dues, ref _duesAt);
                var met = (int)Varint.U(dues, ref _duesAt);
                var breached = (int)Varint.U(dues, ref _duesAt);
                batch.OtherDues.Add(new KpiDueOutcomes(n + i, due, met, breached));
            }
        }
    }

    /// <summary>Keeps the rows [n, n + count) that match the query's labels and status, moved down in order; returns how many.</summary>
    private int Keep(FactsBatch batch, int n, int count)
    {
        if (_keep.Length < count)
        {
            _keep = new int[count];
        }

        var kept = n;
        for (var i = n; i < n + count; i++)
        {
            _keep[i - n] = Matches(batch, i) ? kept : -1;
            if (_keep[i - n] >= 0)
            {
                MoveRow(batch, i, kept++);
            }
        }

        // Further dues of this run: dropped with their row or renumbered (rows stay ascending).
        var dues = batch.OtherDues;
        var write = dues.Count;
        for (var d = 0; d < dues.Count; d++)
        {
            if (dues[d].Row >= n)
            {
                write = Math.Min(write, d);
                var row = _keep[dues[d].Row - n];
                if (row >= 0)
                {
                    dues[write++] = dues[d] with { Row = row };
                }
            }
        }

        dues.RemoveRange(write, dues.Count - write);
        return kept - n;
    }

    private static void MoveRow(FactsBatch b, int from, int to)
    {
        if (from == to)
        {
            return;
        }

        b.CreatedAtTicks[to] = b.CreatedAtTicks[from];
        b.SolvedAtTicks[to] = b.SolvedAtTicks[from];
        b.FirstSolvedAtTicks[to] = b.FirstSolvedAtTicks[from];
        b.ResolutionDueTicks[to] = b.ResolutionDueTicks[from];
        b.StatusColumn[to] = b.StatusColumn[from];
        b.TeamColumn[to] = b.TeamColumn[from];
        b.ChannelColumn[to] = b.ChannelColumn[from];
        b.AgentColumn[to] = b.AgentColumn[from];
        b.PriorityColumn[to] = b.PriorityColumn[from];
        b.LanguageColumn[to] = b.LanguageColumn[from];
        foreach (var durations in b.Durations)
        {
            durations[to] = durations[from];
        }

        b.AgentRepliesColumn[to] = b.AgentRepliesColumn[from];
        b.ReopensColumn[to] = b.ReopensColumn[from];
        b.OneTouchColumn[to] = b.OneTouchColumn[from];
        b.FirstContactColumn[to] = b.FirstContactColumn[from];
        b.SatisfactionColumn[to] = b.SatisfactionColumn[from];
        foreach (var sla in b.SlaColumns)
        {
            sla[to] = sla[from];
        }
    }

    private void ResolveFilters(FactsBatch batch)
    {
        _filtered = _query.Team is not null || _query.Channel is not null || _query.Agent is not null
            || _query.Priority is not null || _query.Language is not null || _query.Status is not null
            || _query.SolvedFrom is not null || _query.SolvedTo is not null;
        _solvedFrom = _query.SolvedFrom?.ToUnixTimeTicks() ?? long.MinValue;
        _solvedTo = _query.SolvedTo?.ToUnixTimeTicks() ?? long.MaxValue;
        _solvedRange = _query.SolvedFrom is not null || _query.SolvedTo is not null;
        _team = Code(_query.Team);
        _channel = Code(_query.Channel);
        _agent = Code(_query.Agent);
        _priority = Code(_query.Priority);
        _language = Code(_query.Language);

        int Code(string? label) => label is null ? -1 : batch.Label(System.Text.Encoding.UTF8.GetBytes(label));
    }

    private bool Matches(FactsBatch batch, int n) =>
        (_team < 0 || batch.TeamColumn[n] == _team)
        && (_channel < 0 || batch.ChannelColumn[n] == _channel)
        && (_agent < 0 || batch.AgentColumn[n] == _agent)
        && (_priority < 0 || batch.PriorityColumn[n] == _priority)
        && (_language < 0 || batch.LanguageColumn[n] == _language)
        && (_query.Status is not { } status || batch.StatusColumn[n] == status)
        && (!_solvedRange || (batch.SolvedAtTicks[n] != FactsBatch.NoInstant && batch.SolvedAtTicks[n] >= _solvedFrom && batch.SolvedAtTicks[n] < _solvedTo));

    /// <summary>The batch code of stored label code <paramref name="stored"/>, looked up in <c>report_labels</c> once.</summary>
    private int SlowLabel(long stored)
    {
        if (stored is < 0 or > int.MaxValue)
        {
            throw new InvalidDataException($"report_blocks refers to label code {stored}, which report_labels does not hold");
        }

        _label.Bind(1, _org);
        _label.Bind(2, stored);
        var code = _label.Step()
            ? _batch!.Label(_label.Utf8(0))
            : throw new InvalidDataException($"report_blocks refers to label code {stored}, which report_labels does not hold");
        _label.Reset();
        if (stored >= _map.Length)
        {
            var grown = new int[Math.Max(stored + 1, _map.Length * 2)];
            Array.Fill(grown, -1);
            _map.CopyTo(grown, 0);
            _map = grown;
        }

        _map[stored] = code;
        return code;
    }
}
