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
    private const int Slots = 4096;
    private readonly byte[]?[] _keys = new byte[Slots][];
    private readonly string?[] _values = new string[Slots];
    private int _count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 64)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = (int)(IdSet.Hash128(utf8).Low & (Slots - 1));
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
                    _count++;
                }

                return value;
            }

            if (utf8.SequenceEqual(key))
            {
                return _values[slot]!;
            }

            slot = (slot + 1) & (Slots - 1);
        }
    }
}
