namespace Utendaji.Storage.Sqlite;

/// <summary>
/// Compares strings the way SQLite's BINARY collation orders their UTF-8 bytes: by Unicode code point.
/// <see cref="string.CompareOrdinal(string, string)"/> compares UTF-16 code units, which puts characters
/// above U+FFFF (surrogate pairs) before U+E000–U+FFFF, so it alone cannot merge SQLite-ordered streams.
/// </summary>
internal static class Utf8Order
{
    public static int Compare(string left, string right)
    {
        var a = left.AsSpan();
        var b = right.AsSpan();
        var i = a.CommonPrefixLength(b);
        if (i == a.Length || i == b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }

        var x = a[i];
        var y = b[i];
        var surrogateX = char.IsSurrogate(x);
        var surrogateY = char.IsSurrogate(y);
        if (surrogateX == surrogateY)
        {
            return x.CompareTo(y);
        }

        // Only one side is a surrogate: it encodes a code point above U+FFFF, greater than any BMP character.
        return surrogateX ? 1 : -1;
    }
}
