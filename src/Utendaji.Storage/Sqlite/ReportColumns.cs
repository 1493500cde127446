using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// The column layout of a block's <see cref="ReportFacts"/> records (block format 1, migration 0008): every field of the
/// records stored column by column, so a report decodes each column with one tight loop straight into
/// <see cref="FactsBatch"/> arrays instead of walking ~30 varints per ticket. Writers still merge per-ticket records:
/// a block is transposed into columns when it is written (<see cref="Add"/>, <see cref="Write"/>) and back into records
/// when a merge reads it (<see cref="Read"/>, <see cref="Record"/>); both directions are lossless.
/// </summary>
/// <remarks>
/// Section layout (LEB128 varints; zz = zigzag signed): the first ticket's creation instant (zz), then the
/// <see cref="Count"/> columns in index order, then the byte length of the further-dues stream and the stream itself
/// (the tail of each record whose mask has bit 16, concatenated: count, then zz due delta, met, breached each).
/// A column holds one value per ticket (<see cref="Created"/>: the difference from the previous ticket's instant, the
/// first 0; <see cref="Mask"/>, status, labels, replies, reopens) or, for a field the record holds only when a mask bit
/// is set, one value per ticket with that bit (<see cref="PresenceBit"/>). Each column is packed to one fixed width:
/// a kind byte (bits 0–3: width 0–8 in bytes; bit 4: dictionary; bits 5–7: scale s, every value a multiple of 10^s),
/// the number of values, then either the base (zz, the smallest value ÷ 10^s) or the dictionary (count, then the values
/// as zz), then the values as little-endian integers of that width: the value ÷ 10^s minus the base, or its index in the
/// dictionary. A width of 0 means every value is the base. The writer tries s = 7 (whole seconds) and 4 (milliseconds)
/// for the instant and duration columns and uses 0 elsewhere; the dictionary only for the masks; a reader accepts any.
/// </remarks>
internal sealed class ReportColumns
{
    /// <summary>Column indexes.</summary>
    public const int Created = 0, Mask = 1, Status = 2, Labels = 3, Solved = 8, FirstSolved = 9, Durations = 10, Replies = 18,
        Reopens = 19, Rating = 20, Sla = 21, Due = 27, Count = 28;

    /// <summary>Bytes a reader must have readable after a column section: a value is read as 8 bytes and masked.</summary>
    public const int Padding = 8;

    private readonly long[][] _values = new long[Count][];
    private readonly int[] _lengths = new int[Count];
    private readonly ArrayBufferWriter<byte> _otherDues = new(256);
    private readonly int[] _cursors = new int[Count];
    private int _duesAt;

    public ReportColumns()
    {
        for (var c = 0; c < Count; c++)
        {
            _values[c] = new long[64];
        }
    }

    /// <summary>
    /// The mask bit (<see cref="ReportFacts"/>) that says a ticket has a value in column <c>c</c>, or -1 when every ticket has one.
    /// </summary>
    public static ReadOnlySpan<sbyte> PresenceBit =>
        [-1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, 17, 14, 14, 14, 14, 14, 14, 15];

    /// <summary>Tickets held.</summary>
    public int Tickets { get; private set; }

    /// <summary>Empties the columns for the next block.</summary>
    public void Clear()
    {
        Array.Clear(_lengths);
        _otherDues.ResetWrittenCount();
        Tickets = 0;
    }

    /// <summary>Appends one ticket: its creation instant and its <see cref="ReportFacts"/> record, parsed into the columns.</summary>
    public void Add(long created, ReadOnlySpan<byte> record)
    {
        var r = new ReportFacts.Reader(record);
        var mask = r.U();
        Append(Created, created);
        Append(Mask, mask);
        Append(Status, r.U());
        for (var l = 0; l < 5; l++)
        {
            Append(Labels + l, r.U());
        }

        for (var c = Solved; c < Durations + (int)FactsDuration.Count; c++)
        {
            if (Has(mask, c))
            {
                Append(c, r.Z());
            }
        }

        Append(Replies, r.Z());
        Append(Reopens, r.Z());
        if (Has(mask, Rating))
        {
            Append(Rating, r.Z());
        }

        if (Has(mask, Sla))
        {
            for (var s = 0; s < 6; s++)
            {
                Append(Sla + s, r.U());
            }
        }

        if (Has(mask, Due))
        {
            Append(Due, r.Z());
        }

        // The further dues are the record's tail (ReportFacts.Encode writes them last): kept as they are.
        var tail = record[r.Position..];
        if ((mask & ReportFacts.OtherDues) != 0)
        {
            _otherDues.Write(tail);
        }
        else if (!tail.IsEmpty)
        {
            throw new InvalidDataException("A report record has bytes after its last field.");
        }

        Tickets++;
    }

    /// <summary>Writes the column section of the tickets added since <see cref="Clear"/>.</summary>
    public void Write(ArrayBufferWriter<byte> output)
    {
        var w = new ReportFacts.Writer(output);
        var created = _values[Created];
        w.Z(Tickets == 0 ? 0 : created[0]);
        for (var c = 0; c < Count; c++)
        {
            var values = _values[c].AsSpan(0, _lengths[c]);
            if (c == Created)
            {
                // Differences from the previous ticket (the first 0): a few bytes each, where instants need eight.
                var deltas = ArrayPool<long>.Shared.Rent(values.Length);
                for (var i = values.Length - 1; i > 0; i--)
                {
                    deltas[i] = values[i] - values[i - 1];
                }

                deltas[0] = 0;
                WriteColumn(output, deltas.AsSpan(0, values.Length), dictionary: false, timed: true);
                ArrayPool<long>.Shared.Return(deltas);
            }
            else
            {
                WriteColumn(output, values, dictionary: c == Mask, timed: c is Solved or FirstSolved or Due or (>= Durations and < Replies));
            }
        }

        w.U(_otherDues.WrittenCount);
        output.Write(_otherDues.WrittenSpan);
    }

    /// <summary>Reads a column section of <paramref name="tickets"/> tickets back into the columns (for a merge).</summary>
    public void Read(ReadOnlySpan<byte> section, int tickets)
    {
        Clear();
        var padded = new byte[section.Length + Padding];
        section.CopyTo(padded);
        var data = padded.AsSpan();
        var at = 0;
        var first = Varint.Z(data, ref at);
        for (var c = 0; c < Count; c++)
        {
            var column = PackedColumn.Parse(data, section.Length, ref at);
            if (PresenceBit[c] < 0 && column.Length != tickets)
            {
                throw new InvalidDataException($"A report block column {c} holds {column.Length} values for {tickets} tickets.");
            }

            Reserve(c, column.Length);
            for (var k = 0; k < column.Length; k++)
            {
                _values[c][k] = column.Value(data, k);
            }

            _lengths[c] = column.Length;
        }

        var created = _values[Created];
        created[0] = first;
        for (var i = 1; i < tickets; i++)
        {
            created[i] += created[i - 1];
        }

        var duesLength = (int)Varint.U(data, ref at);
        if (at + duesLength != section.Length)
        {
            throw new InvalidDataException("A report block's column section does not end where its further dues do.");
        }

        _otherDues.Write(section.Slice(at, duesLength));
        Tickets = tickets;
        Array.Clear(_cursors);
        _duesAt = 0;
    }

    /// <summary>Creation instant of ticket <paramref name="i"/>.</summary>
    public long CreatedAt(int i) => _values[Created][i];

    /// <summary>
    /// Writes the <see cref="ReportFacts"/> record of the next ticket (tickets are visited in order after <see cref="Read"/>).
    /// </summary>
    public void Record(int i, ArrayBufferWriter<byte> output)
    {
        // At most 29 varints of 10 bytes, then the further dues: written into one span.
        var dues = _otherDues.WrittenSpan;
        var span = output.GetSpan(300 + dues.Length - _duesAt);
        var at = 0;
        var mask = _values[Mask][i];
        U(span, ref at, mask);
        U(span, ref at, _values[Status][i]);
        for (var l = 0; l < 5; l++)
        {
            U(span, ref at, _values[Labels + l][i]);
        }

        for (var c = Solved; c < Durations + (int)FactsDuration.Count; c++)
        {
            if (Has(mask, c))
            {
                Z(span, ref at, Next(c));
            }
        }

        Z(span, ref at, _values[Replies][i]);
        Z(span, ref at, _values[Reopens][i]);
        if (Has(mask, Rating))
        {
            Z(span, ref at, Next(Rating));
        }

        if (Has(mask, Sla))
        {
            for (var s = 0; s < 6; s++)
            {
                U(span, ref at, Next(Sla + s));
            }
        }

        if (Has(mask, Due))
        {
            Z(span, ref at, Next(Due));
        }

        if ((mask & ReportFacts.OtherDues) != 0)
        {
            var start = _duesAt;
            SkipOtherDues(dues, ref _duesAt);
            dues[start.._duesAt].CopyTo(span[at..]);
            at += _duesAt - start;
        }

        output.Advance(at);
    }

    private static void Z(Span<byte> span, ref int at, long value) => Varint.WriteZ(span, ref at, value);

    private static void U(Span<byte> span, ref int at, long value) => Varint.WriteU(span, ref at, value);

    /// <summary>Whether a ticket with <paramref name="mask"/> has a value in column <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Has(long mask, int c) => PresenceBit[c] < 0 || ((mask >> PresenceBit[c]) & 1) != 0;

    /// <summary>Steps over one ticket's further dues (count, then three varints each).</summary>
    public static void SkipOtherDues(ReadOnlySpan<byte> dues, ref int at)
    {
        var count = Varint.U(dues, ref at);
        for (long k = 0; k < count * 3; k++)
        {
            Varint.U(dues, ref at);
        }
    }

    private long Next(int c)
    {
        var k = _cursors[c]++;
        return k < _lengths[c] ? _values[c][k] : throw new InvalidDataException($"A report block column {c} has fewer values than its tickets' masks say.");
    }

    private void Append(int c, long value)
    {
        Reserve(c, _lengths[c] + 1);
        _values[c][_lengths[c]++] = value;
    }

    private void Reserve(int c, int length)
    {
        if (_values[c].Length < length)
        {
            Array.Resize(ref _values[c], Math.Max(length, _values[c].Length * 2));
        }
    }

    private static void WriteColumn(ArrayBufferWriter<byte> output, ReadOnlySpan<long> values, bool dictionary, bool timed)
    {
        var w = new ReportFacts.Writer(output);
        if (values.IsEmpty)
        {
            output.GetSpan(1)[0] = 0;
            output.Advance(1);
            w.U(0);
            w.Z(0);
            return;
        }

        var min = values[0];
        var max = values[0];
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        // Instants and durations that are all multiples of 10^scale ticks (whole seconds: 7; milliseconds: 4) are stored
        // divided by it: fewer bytes, and a duration in whole seconds converts to seconds without a division. Only those
        // two scales are tried, with constant divisors, so writing a block stays cheap for small transactions.
        var scale = timed ? Scale(values) : 0;
        min /= PackedColumn.Powers[scale];
        max /= PackedColumn.Powers[scale];

        var width = Width((ulong)max - (ulong)min);
        long[]? distinct = null;
        if (dictionary && width > 1)
        {
            // Masks: a few dozen distinct values spread over 18 bits, so one byte each by dictionary instead of three.
            var sorted = values.ToArray();
            Array.Sort(sorted);
            var n = 1;
            for (var i = 1; i < sorted.Length && n <= 256; i++)
            {
                if (sorted[i] != sorted[n - 1])
                {
                    sorted[n++] = sorted[i];
                }
            }

            if (n <= 256)
            {
                distinct = sorted[..n];
            }
        }

        var kind = distinct is null ? width | (scale << PackedColumn.ScaleShift) : 1 | PackedColumn.DictionaryKind;
        output.GetSpan(1)[0] = (byte)kind;
        output.Advance(1);
        w.U(values.Length);
        if (distinct is null)
        {
            w.Z(min);
        }
        else
        {
            w.U(distinct.Length);
            foreach (var v in distinct)
            {
                w.Z(v);
            }

            width = 1;
        }

        if (width == 0)
        {
            return;
        }

        // Each value is written as 8 bytes at its place and the next one overwrites the bytes past its width: one span
        // for the whole column instead of a write per value.
        var payload = output.GetSpan((values.Length * width) + 8);
        var divisor = PackedColumn.Powers[scale];
        for (var k = 0; k < values.Length; k++)
        {
            var raw = distinct is null ? (ulong)(values[k] / divisor) - (ulong)min : (ulong)Array.BinarySearch(distinct, values[k]);
            BinaryPrimitives.WriteUInt64LittleEndian(payload[(k * width)..], raw);
        }

        output.Advance(values.Length * width);
    }

    private static int Scale(ReadOnlySpan<long> values)
    {
        var seconds = true;
        var milliseconds = true;
        foreach (var v in values)
        {
            seconds &= v % 10_000_000 == 0;
            milliseconds &= v % 10_000 == 0;
        }

        return seconds ? 7 : milliseconds ? 4 : 0;
    }

    private static int Width(ulong range) => (64 - BitOperations.LeadingZeroCount(range) + 7) / 8;
}

/// <summary>One packed column of a block being read: where its values are and how to unpack them.</summary>
internal readonly struct PackedColumn
{
    /// <summary>Added to the kind byte's width when the values are indexes into a dictionary.</summary>
    public const int DictionaryKind = 16;

    /// <summary>Where the scale exponent sits in the kind byte.</summary>
    public const int ScaleShift = 5;

    private PackedColumn(int payload, int width, int scale, long @base, long[]? dictionary, int length)
    {
        Payload = payload;
        Width = width;
        Bits = width == 8 ? ulong.MaxValue : (1UL << (width * 8)) - 1;
        ScaleExponent = scale;
        Scale = Powers[scale];
        Base = @base;
        Dictionary = dictionary;
        Length = length;
    }

    /// <summary>10^0 … 10^7.</summary>
    public static ReadOnlySpan<long> Powers => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

    /// <summary>Offset of the first value.</summary>
    public int Payload { get; }

    /// <summary>Bytes per value.</summary>
    public int Width { get; }

    /// <summary>The low <see cref="Width"/> bytes.</summary>
    public ulong Bits { get; }

    /// <summary>Every value is a multiple of 10 to this power (7: ticks of whole seconds).</summary>
    public int ScaleExponent { get; }

    /// <summary>10^<see cref="ScaleExponent"/>.</summary>
    public long Scale { get; }

    /// <summary>The smallest value ÷ <see cref="Scale"/> (added to each packed one).</summary>
    public long Base { get; }

    /// <summary>The values, when the column holds indexes into them.</summary>
    public long[]? Dictionary { get; }

    /// <summary>Values held.</summary>
    public int Length { get; }

    /// <summary>
    /// Reads a column's header at <paramref name="at"/> in <paramref name="data"/> (the section, followed by
    /// <see cref="ReportColumns.Padding"/> readable bytes) and steps over its values.
    /// </summary>
    public static PackedColumn Parse(ReadOnlySpan<byte> data, int sectionLength, ref int at)
    {
        if (at >= sectionLength)
        {
            throw new InvalidDataException("A report block's column section ends early.");
        }

        var kind = data[at++];
        var width = kind & 15;
        var scale = kind >> ScaleShift;
        var length = Varint.U(data, ref at);
        if (width > 8 || length > int.MaxValue / 8 || ((kind & DictionaryKind) != 0 && scale != 0))
        {
            throw new InvalidDataException($"A report block column has an unknown kind {kind} or length {length}.");
        }

        long @base = 0;
        long[]? dictionary = null;
        if ((kind & DictionaryKind) != 0)
        {
            var n = Varint.U(data, ref at);
            if (n is < 1 or > 256 || width != 1)
            {
                throw new InvalidDataException($"A report block column has a dictionary of {n} values.");
            }

            dictionary = new long[n];
            for (var k = 0; k < n; k++)
            {
                dictionary[k] = Varint.Z(data, ref at);
            }
        }
        else
        {
            @base = Varint.Z(data, ref at);
        }

        var column = new PackedColumn(at, width, scale, @base, dictionary, (int)length);
        at += (int)length * width;
        if (at > sectionLength)
        {
            throw new InvalidDataException("A report block column runs past its section.");
        }

        if (dictionary is not null)
        {
            for (var k = 0; k < column.Length; k++)
            {
                if (data[column.Payload + k] >= dictionary.Length)
                {
                    throw new InvalidDataException("A report block column refers past its dictionary.");
                }
            }
        }

        return column;
    }

    /// <summary>
    /// Value <paramref name="k"/> ÷ <see cref="Scale"/> of a column without a dictionary, read at <paramref name="data"/>
    /// without bounds checks: the caller guarantees <c>k ≤ Length</c> and <see cref="ReportColumns.Padding"/> readable
    /// bytes after the section (at k = Length the value is read but not used).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Unscaled(ref byte data, int k) =>
        Base + (long)(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, Payload + (k * Width))) & Bits);

    /// <summary>Value <paramref name="k"/>, either kind, bounds checked.</summary>
    public long Value(ReadOnlySpan<byte> data, int k) =>
        Dictionary is { } values
            ? values[data[Payload + k]]
            : (Base + (long)(BinaryPrimitives.ReadUInt64LittleEndian(data[(Payload + (k * Width))..]) & Bits)) * Scale;
}

/// <summary>LEB128 varints read and written at a position of a span ("Z": zigzag-encoded signed values).</summary>
internal static class Varint
{
    public static void WriteU(Span<byte> span, ref int at, long value)
    {
        var u = (ulong)value;
        while (u >= 0x80)
        {
            span[at++] = (byte)(u | 0x80);
            u >>= 7;
        }

        span[at++] = (byte)u;
    }

    public static void WriteZ(Span<byte> span, ref int at, long value) => WriteU(span, ref at, (value << 1) ^ (value >> 63));

    public static long U(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        var shift = 0;
        byte b;
        do
        {
            b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            shift += 7;
        }
        while (b >= 0x80);

        return (long)value;
    }

    public static long Z(ReadOnlySpan<byte> data, ref int at)
    {
        var u = (ulong)U(data, ref at);
        return (long)(u >> 1) ^ -(long)(u & 1);
    }
}
