using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Utendaji.Ingest.Text;

/// <summary>
/// Decodes UTF-8 to strings, reusing the same string for repeated values of a low-cardinality column (priority,
/// channel, team, agent, language): ten million rows then cost a handful of strings, not ten million. Holds at most
/// <see cref="MaxEntries"/> values; once full, new values are decoded without being cached, so memory stays bounded.
/// </summary>
internal sealed class StringCache
{
    public const int MaxEntries = 2048;
    private const int MaxSlots = 4096;

    // The table starts small and doubles while it is more than half full: a reader of one small request (a server
    // POST) used to clear 64 KB of table it never filled.
    private byte[]?[] _keys = new byte[64][];
    private string?[] _values = new string[64];
    private int _count;

    /// <summary>A cheap hash (length, first and last 8 bytes): values of one column differ early or late.</summary>
    private int Slot(ReadOnlySpan<byte> utf8)
    {
        ulong head;
        ulong tail;
        if (utf8.Length >= 8)
        {
            head = BinaryPrimitives.ReadUInt64LittleEndian(utf8);
            tail = BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..]);
        }
        else
        {
            head = 0;
            for (var i = 0; i < utf8.Length; i++)
            {
                head = (head << 8) | utf8[i];
            }

            tail = 0;
        }

        var hash = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)utf8.Length) * 0x9E3779B97F4A7C15UL;
        return (int)(hash >> (64 - BitOperations.Log2((uint)_keys.Length))); // the top bits: one slot of the table
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 64)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = Slot(utf8);
        while (true)
        {
            var key = _keys[slot];
            if (key is null)
            {
                var value = Encoding.UTF8.GetString(utf8);
                if (_count < MaxEntries)
                {
                    _keys[slot] = utf8.ToArray();
                    _values[slot] = value;
                    if (++_count * 2 > _keys.Length && _keys.Length < MaxSlots)
                    {
                        Grow();
                    }
                }

                return value;
            }

            if (utf8.SequenceEqual(key))
            {
                return _values[slot]!;
            }

            slot = (slot + 1) & (_keys.Length - 1);
        }
    }

    private void Grow()
    {
        var keys = _keys;
        var values = _values;
        _keys = new byte[keys.Length * 2][];
        _values = new string[keys.Length * 2];
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] is { } key)
            {
                var slot = Slot(key);
                while (_keys[slot] is not null)
                {
                    slot = (slot + 1) & (_keys.Length - 1);
                }

                _keys[slot] = key;
                _values[slot] = values[i];
            }
        }
    }
}
