using System.Xml.Linq;
using Utendaji.Reports.Charts;

namespace Utendaji.Reports.Tests;

public class SvgTests
{
    [Fact]
    public void LineChart_WithGapsAndHostileNames_IsWellFormedAndEscaped()
    {
        var svg = Svg.LineChart(
            "Trend <b>",
            ["W1", "W2", "W3", "<W4>"],
            [new ChartSeries("<script>x</script>", [0.5, null, 0.7, 0.9]), new ChartSeries("ગુજરાતી", [0.1, 0.2, 0.3, 0.4])],
            "Period",
            "Rate",
            0,
            1,
            v => v.ToString("P0", System.Globalization.CultureInfo.InvariantCulture));

        var element = XElement.Parse(svg);
        Assert.Equal("Trend <b>", element.Element("title")!.Value);
        Assert.Contains(element.Descendants("text"), t => t.Value == "<script>x</script>");
        Assert.Contains(element.Descendants("text"), t => t.Value == "ગુજરાતી");
        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.Equal(2, element.Descendants("polyline").Count()); // the first series is broken at its gap, so only its second part is a line
    }

    [Fact]
    public void Standalone_HasSvgNamespace()
    {
        var svg = Svg.ColumnChart("Histogram", [new ColumnBar("0–15m", 3), new ColumnBar("≥ 5d", 0)], "First reply", "Tickets", standalone: true);
        var element = XElement.Parse(svg);

        Assert.Equal("http://www.w3.org/2000/svg", element.Name.NamespaceName);
        Assert.Equal(2, element.Descendants().Count(e => e.Name.LocalName == "rect" && e.Element(e.Name.Namespace + "title") is not null));
    }

    [Fact]
    public void IntervalBarChart_DrawsWhiskersAndNoDataRows()
    {
        var svg = Svg.IntervalBarChart(
            "SLA by group",
            [new IntervalBar("Team A", 0.875, 0.804, 0.923, 120, false), new IntervalBar("empty", null, null, null, 0, false), new IntervalBar("tiny", 1, 0.2, 1, 1, true)],
            "Met ÷ decided");
        var element = XElement.Parse(svg);

        Assert.Equal(6, element.Descendants("line").Count(l => l.Attribute("class")?.Value == "whisker"));
        Assert.Contains(element.Descendants("text"), t => t.Value == "no data (n=0)");
        Assert.Contains(element.Descendants("text"), t => t.Value == "87.5% (n=120)");
        Assert.Contains(element.Descendants("text"), t => t.Value == "100.0% (n=1) *");
    }

    [Fact]
    public void Markup_ControlCharacters_BecomeReplacementCharacter()
    {
        Assert.Equal("a\uFFFDb &amp; &lt;c&gt;", Markup.Escape("a\u0001b & <c>"));
        Assert.Equal("😀 ok", Markup.Escape("😀 ok"));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(0, 7.3, 8)]
    [InlineData(0, 1234, 1250)]
    public void Ticks_CoverTheRangeWithNiceSteps(double min, double max, double expectedTop) =>
        Assert.Equal(expectedTop, Svg.Ticks(min, max, 5)[^1]);
}
