using System.Buffers.Binary;
using System.Numerics;

namespace Utendaji.Ingest.Text;

/// <summary>
/// The set of ids seen so far in one file, to report duplicates; the one structure of the readers whose size grows
/// with the file (see docs/formats-summary.md).
/// Helpdesk ids are mostly numbers, often behind a fixed prefix (<c>1042</c>, <c>T-1042</c>), and close together:
/// those go into a bitmap per prefix (one bit per possible number, in 8 KiB pages), which costs a bit per id and no
/// cache miss. Other ids, and numbers too sparse for the bitmap to pay, go into <see cref="HashedIdSet"/>.
/// </summary>
internal sealed class IdSet
{
    private const int MaxDigits = 18;
    private const int MaxPrefixBytes = 32;
    private const int MaxGroups = 64;
    private readonly HashedIdSet _hashed = new();
    private readonly Dictionary<string, NumberBits> _groups = new(StringComparer.Ordinal);
    private NumberBits? _lastGroup;

    /// <summary>Number of distinct ids added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the id; false when it was already there.</summary>
    public bool Add(ReadOnlySpan<byte> id)
    {
        var digits = 0;
        while (digits < id.Length && digits <= MaxDigits && (uint)(id[id.Length - 1 - digits] - '0') <= 9)
        {
            digits++;
        }

        if (digits is 0 or > MaxDigits || id.Length - digits > MaxPrefixBytes)
        {
            return Hashed(id);
        }

        var prefix = id[..^digits];
        long number = 0;
        foreach (var b in id[^digits..])
        {
            number = (number * 10) + (b - '0');
        }

        // Ids of one file share their prefix and digit count almost always: remember the last group.
        var group = _lastGroup is not null && _lastGroup.Digits == digits && prefix.SequenceEqual(_lastGroup.Prefix)
            ? _lastGroup
            : FindGroup(prefix, digits);
        if (group is null)
        {
            return Hashed(id);
        }

        _lastGroup = group;
        if (group.Contains(number))
        {
            return false;
        }

        if (group.TrySet(number))
        {
            Count++;
            return true;
        }

        return Hashed(id);
    }

    private bool Hashed(ReadOnlySpan<byte> id)
    {
        if (!_hashed.Add(id))
        {
            return false;
        }

        Count++;
        return true;
    }

    private NumberBits? FindGroup(ReadOnlySpan<byte> prefix, int digits)
    {
        // The digit count is part of the key, so "T007" and "T7" stay different ids.
        var key = string.Concat(digits.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", Convert.ToHexString(prefix));
        if (_groups.TryGetValue(key, out var group))
        {
            return group;
        }

        if (_groups.Count >= MaxGroups)
        {
            return null;
        }

        group = new NumberBits(prefix.ToArray(), digits);
        _groups.Add(key, group);
        return group;
    }

    /// <summary>A bitmap over the numbers of one prefix, in 65,536-bit pages allocated on first use.</summary>
    private sealed class NumberBits(byte[] prefix, int digits)
    {
        private const int PageBits = 16;
        private const int MinPagesBeforeSparse = 16;
        private readonly Dictionary<long, ulong[]> _pages = [];
        private long _lastIndex = -1;
        private ulong[]? _lastPage;
        private int _count;
        private bool _sparse;

        public byte[] Prefix { get; } = prefix;

        public int Digits { get; } = digits;

        public bool Contains(long number)
        {
            var page = Page(number >> PageBits);
            var bit = (int)(number & ((1 << PageBits) - 1));
            return page is not null && (page[bit >> 6] & (1UL << (bit & 63))) != 0;
        }

        /// <summary>Sets the number's bit; false when the numbers are too sparse for a bitmap (the caller hashes).</summary>
        public bool TrySet(long number)
        {
            var index = number >> PageBits;
            var page = Page(index);
            if (page is null)
            {
                // Fewer than 1,024 ids per 65,536-bit page costs more than 8 bytes an id: stop growing the bitmap.
                if (_sparse || (_pages.Count >= MinPagesBeforeSparse && (long)_pages.Count * 1024 > _count))
                {
                    _sparse = true;
                    return false;
                }

                page = new ulong[(1 << PageBits) / 64];
                _pages.Add(index, page);
                _lastIndex = index;
                _lastPage = page;
            }

            var bit = (int)(number & ((1 << PageBits) - 1));
            page[bit >> 6] |= 1UL << (bit & 63);
            _count++;
            return true;
        }

        private ulong[]? Page(long index)
        {
            if (index == _lastIndex)
            {
                return _lastPage;
            }

            if (_pages.TryGetValue(index, out var page))
            {
                _lastIndex = index;
                _lastPage = page;
            }

            return page;
        }
    }
}

/// <summary>
/// Ids as 128-bit hashes (16 bytes; 21–43 bytes per id with the table's spare room) instead of the ids themselves:
/// the chance that two different ids of a 10-million-row file share a hash is about 10^-25, so a reported duplicate is
/// a real one.
/// </summary>
internal sealed class HashedIdSet
{
    // Slot i holds its hash's two halves at [2i] and [2i + 1], so a probe touches one cache line, not two.
    private ulong[] _slots = new ulong[2 * 1024];
    private int _count;

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
