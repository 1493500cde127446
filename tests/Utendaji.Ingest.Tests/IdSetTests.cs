using System.Globalization;
using System.Text;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Tests;

public class IdSetTests
{
    [Fact]
    public void Add_LeadingZerosAndPrefixes_AreDifferentIds()
    {
        var set = new IdSet();

        Assert.True(set.Add("T7"u8));
        Assert.True(set.Add("T007"u8));
        Assert.True(set.Add("7"u8));
        Assert.True(set.Add("X7"u8));
        Assert.True(set.Add("T-7"u8));
        Assert.False(set.Add("T007"u8));
        Assert.False(set.Add("7"u8));
        Assert.Equal(5, set.Count);
    }

    /// <summary>
    /// Seeded comparison with a plain HashSet over id shapes that exercise every path: dense numbers (bitmap), sparse
    /// numbers (bitmap gives up, hashing takes over while old bits still count), more prefixes than bitmaps, numbers
    /// too long for a long, and text ids.
    /// </summary>
    [Theory]
    [InlineData("dense")]
    [InlineData("sparse")]
    [InlineData("prefixes")]
    [InlineData("mixed")]
    public void Add_GeneratedIds_AgreesWithAHashSet(string shape)
    {
        var random = new Random(shape.Length * 7919);
        var reference = new HashSet<string>(StringComparer.Ordinal);
        var set = new IdSet();
        for (var i = 0; i < 200_000; i++)
        {
            var id = shape switch
            {
                "dense" => "T" + random.Next(1_000_000, 1_150_000).ToString(CultureInfo.InvariantCulture),
                "sparse" => (i < 50_000 ? random.Next(0, 80_000) : random.NextInt64(0, 999_999_999_999_999_999)).ToString(CultureInfo.InvariantCulture),
                "prefixes" => "p" + random.Next(0, 200).ToString(CultureInfo.InvariantCulture) + "-" + random.Next(0, 500).ToString(CultureInfo.InvariantCulture),
                _ => random.Next(6) switch
                {
                    0 => random.Next(0, 3000).ToString("D6", CultureInfo.InvariantCulture),
                    1 => random.Next(0, 3000).ToString(CultureInfo.InvariantCulture),
                    2 => "1234567890123456789" + random.Next(0, 50).ToString(CultureInfo.InvariantCulture),
                    3 => "ticket-" + (char)('a' + random.Next(26)) + random.Next(0, 100).ToString(CultureInfo.InvariantCulture) + "x",
                    4 => "ગુ" + random.Next(0, 3000).ToString(CultureInfo.InvariantCulture),
                    _ => "",
                },
            };

            Assert.True(reference.Add(id) == set.Add(Encoding.UTF8.GetBytes(id)), $"{shape}: '{id}' after {i} ids");
        }

        Assert.Equal(reference.Count, set.Count);
    }
}
