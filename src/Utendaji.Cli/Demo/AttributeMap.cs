using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Utendaji.Cli.Demo;

/// <summary>
/// A tiny immutable string map whose enumeration order is the ordinal order of its keys, so anything that
/// serialises event attributes writes them identically everywhere (a Dictionary promises no order).
/// </summary>
internal sealed class AttributeMap : IReadOnlyDictionary<string, string>
{
    private readonly KeyValuePair<string, string>[] _pairs;

    public AttributeMap(params KeyValuePair<string, string>[] pairs)
    {
        _pairs = [.. pairs];
        Array.Sort(_pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
    }

    public int Count => _pairs.Length;

    public IEnumerable<string> Keys => _pairs.Select(p => p.Key);

    public IEnumerable<string> Values => _pairs.Select(p => p.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var pair in _pairs)
        {
            if (string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                value = pair.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
