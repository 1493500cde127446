using System.Buffers.Binary;
using System.Numerics;

namespace Utendaji.Ingest.Text;

/// <summary>
/// The set of ids seen so far in one file, to report duplicates. Stores a 128-bit hash per id (16 bytes; about
/// 24 bytes per id with the table's spare room) instead of the id itself: the chance that two different ids of a
/// 10-million-row file share a hash is about 10^-25, so a reported duplicate is a real one.
/// This is the one structure of the readers whose size grows with the file (see docs/formats-events.md).
/// </summary>
internal sealed class IdSet
{
    private ulong[] _low = new ulong[1024];
    private ulong[] _high = new ulong[1024];
    private int _count;

    /// <summary>Number of distinct ids added.</summary>
    public int Count => _count;

    /// <summary>Adds the id; false when it was already there.</summary>
    public bool Add(ReadOnlySpan<byte> id)
    {
        var (low, high) = Hash128(id);
        if ((low | high) == 0)
        {
            low = 1; // (0, 0) marks an empty slot.
        }

        if ((_count + 1) * 4 > _low.Length * 3)
        {
            Grow();
        }

        return Insert(_low, _high, low, high);
    }

    private bool Insert(ulong[] lows, ulong[] highs, ulong low, ulong high)
    {
        var mask = lows.Length - 1;
        var slot = (int)(high & (ulong)mask);
        while (true)
        {
            if ((lows[slot] | highs[slot]) == 0)
            {
                lows[slot] = low;
                highs[slot] = high;
                _count++;
                return true;
            }

            if (lows[slot] == low && highs[slot] == high)
            {
                return false;
            }

            slot = (slot + 1) & mask;
        }
    }

    private void Grow()
    {
        var oldLow = _low;
        var oldHigh = _high;
        _low = new ulong[oldLow.Length * 2];
        _high = new ulong[oldLow.Length * 2];
        _count = 0;
        for (var i = 0; i < oldLow.Length; i++)
        {
            if ((oldLow[i] | oldHigh[i]) != 0)
            {
                Insert(_low, _high, oldLow[i], oldHigh[i]);
            }
        }
    }

    /// <summary>Two independent 64-bit lanes (multiply-rotate mixing, MurmurHash3 finaliser), 8 bytes at a time.</summary>
    internal static (ulong Low, ulong High) Hash128(ReadOnlySpan<byte> data)
    {
        const ulong c1 = 0x87C37B91114253D5UL;
        const ulong c2 = 0x4CF5AD432745937FUL;
        var h1 = 0x9E3779B97F4A7C15UL ^ (ulong)data.Length;
        var h2 = 0xC2B2AE3D27D4EB4FUL ^ ((ulong)data.Length * c1);
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var k = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            h1 ^= BitOperations.RotateLeft(k * c1, 31) * c2;
            h1 = (BitOperations.RotateLeft(h1, 27) * 5) + 0x52DCE729;
            h2 ^= BitOperations.RotateLeft(k * c2, 33) * c1;
            h2 = (BitOperations.RotateLeft(h2, 31) * 5) + 0x38495AB5;
        }

        ulong tail = 0;
        for (var shift = 0; i < data.Length; i++, shift += 8)
        {
            tail |= (ulong)data[i] << shift;
        }

        h1 ^= BitOperations.RotateLeft(tail * c1, 31) * c2;
        h2 ^= BitOperations.RotateLeft(tail * c2, 33) * c1;
        h1 += h2;
        h2 += h1;
        return (Mix(h1), Mix(h2 ^ 0xFF51AFD7ED558CCDUL));
    }

    private static ulong Mix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xFF51AFD7ED558CCDUL;
        k ^= k >> 33;
        k *= 0xC4CEB9FE1A85EC53UL;
        k ^= k >> 33;
        return k;
    }
}
