using System.Text;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Tests;

public sealed class Utf8OrderTests
{
    [Fact]
    public void Compare_RandomStrings_SameSignAsUtf8ByteComparison()
    {
        // Seeded: characters drawn from ASCII, Latin-1, Gujarati, Arabic, the U+E000–U+FFFF block and the astral planes.
        var random = new Random(20261122);
        int[] starts = [0x20, 0xC0, 0x0A80, 0x0600, 0xE000, 0xFF00, 0x1D400, 0x1F600];
        string Next()
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 6);
            for (var i = 0; i < length; i++)
            {
                builder.Append(char.ConvertFromUtf32(starts[random.Next(starts.Length)] + random.Next(3)));
            }

            return builder.ToString();
        }

        for (var i = 0; i < 20_000; i++)
        {
            var a = Next();
            var b = random.Next(4) == 0 ? a + Next() : Next();
            var expected = Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
            Assert.Equal(expected, Math.Sign(Utf8Order.Compare(a, b)));
            Assert.Equal(-expected, Math.Sign(Utf8Order.Compare(b, a)));
        }
    }

    [Fact]
    public void Compare_AstralAgainstPrivateUse_AstralIsGreater()
    {
        Assert.True(Utf8Order.Compare("😀", "\uFF21") > 0);
        Assert.True(string.CompareOrdinal("😀", "\uFF21") < 0); // why the ordinal comparer cannot be used
    }
}
