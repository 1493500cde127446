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
    // Slot i holds its hash's two halves at [2i] and [2i + 1], so a probe touches one cache line, not two.
    private ulong[] _slots = new ulong[2 * 1024];
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

        if ((_count + 1) * 8 > _slots.Length * 3)
        {
            Grow();
        }

        return Insert(_slots, low, high);
    }

    private bool Insert(ulong[] slots, ulong low, ulong high)
    {
        var mask = (slots.Length / 2) - 1;
        var slot = (int)(high & (ulong)mask);
        while (true)
        {
            var at = slot * 2;
            var storedLow = slots[at];
            var storedHigh = slots[at + 1];
            if ((storedLow | storedHigh) == 0)
            {
                slots[at] = low;
                slots[at + 1] = high;
                _count++;
                return true;
            }

            if (storedLow == low && storedHigh == high)
            {
                return false;
            }

            slot = (slot + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        _count = 0;
        for (var i = 0; i < old.Length; i += 2)
        {
            if ((old[i] | old[i + 1]) != 0)
            {
                Insert(_slots, old[i], old[i + 1]);
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
