using System.Text;
using System.Text.Json;

namespace Utendaji.Core.Tests;

public sealed class JsonTextTests
{
    private static readonly string[] Pieces =
        ["a", "é", @"\u00e9", @"\ud83d", @"\ude00", @"\uD83D", @"\uDE00", @"\ud800", @"\udfff", @"\udbff", @"\udc00", @"\\", @"\\u", "ud800", @"\n", "\\\""];

    /// <summary>
    /// The reference is System.Text.Json itself: a string is refused exactly when decoding it throws. Random mixes of
    /// pairs, lone halves, escaped backslashes before "u" and ordinary escapes, as values and as property names.
    /// </summary>
    [Fact]
    public void FindLoneSurrogate_RandomStrings_AgreesWithSystemTextJsonDecoding()
    {
        var random = new Random(20261123);
        var refused = 0;
        for (var i = 0; i < 5000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var asValue = $$"""{"k":[1,"{{text}}"]}""";
            var asName = $$"""{"{{text}}":1}""";

            var expected = !Decodes(asValue);
            refused += expected ? 1 : 0;

            Assert.True(expected == (JsonText.FindLoneSurrogate(Encoding.UTF8.GetBytes(asValue)) is not null), asValue);
            Assert.Equal(expected ? "k[1]" : null, JsonText.FindLoneSurrogate(asValue));
            Assert.Equal(expected ? "" : null, JsonText.FindLoneSurrogate(asName));
        }

        // Both outcomes must be well represented, or the agreement says little.
        Assert.InRange(refused, 1000, 4000);
    }

    [Theory]
    [InlineData("""{"a":{"b":[{"c":"x"},{"d":["y","\ud800"]}]}}""", "a.b[1].d[1]")]
    [InlineData("""["\udc00"]""", "[0]")]
    [InlineData("\"\\ud800\"", "")]
    [InlineData("""{"a":{"b\udfff":1}}""", "a")]
    [InlineData("""{"a":"\ud83d\ude00", /* comment */ "b":"\uDBFF\uDFFF",}""", null)]
    [InlineData("""{"a":"\\ud800"}""", null)]
    [InlineData("""{"a":"\ud800""", null)]
    [InlineData("""["\ud83d","\ude00"]""", "[0]")]
    [InlineData("""{"a":1 /* \ud800 \u12 \ */} // \""", null)]
    [InlineData("""{"a":"\ud83d\ude00" /* \ */, "b":"\ud83d\\ude00"}""", "b")]
    public void FindLoneSurrogate_NamesThePath(string json, string? expected)
    {
        Assert.Equal(expected, JsonText.FindLoneSurrogate(json));
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("[2].name", "$[2].name")]
    [InlineData("targets[0].team", "$.targets[0].team")]
    public void DollarPath_WritesFromTheRoot(string path, string expected)
    {
        Assert.Equal(expected, JsonText.DollarPath(path));
    }

    private static bool Decodes(string json)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    _ = reader.GetString();
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
