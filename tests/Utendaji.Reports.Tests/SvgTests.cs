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
    public void Links_WrapTheirElementsEscaped_AndChartsWithoutLinksHaveNone()
    {
        var href = "/dashboard/tickets?team=a&b=\"x\"";
        var columns = XElement.Parse(Svg.ColumnChart("H", [new ColumnBar("0–15m", 3, href), new ColumnBar("≥ 5d", 1)], "x", "y"));
        var link = Assert.Single(columns.Descendants("a"));
        Assert.Equal(href, link.Attribute("href")!.Value);
        Assert.Equal("rect", Assert.Single(link.Elements()).Name.LocalName);

        var bars = XElement.Parse(Svg.IntervalBarChart("S", [new IntervalBar("A", 0.5, 0.4, 0.6, 10, false, "/t?a=1")], "r"));
        Assert.Equal("/t?a=1", Assert.Single(bars.Descendants("a")).Attribute("href")!.Value);

        var lines = XElement.Parse(Svg.LineChart("L", ["W1", "W2"], [new ChartSeries("s", [1, 2], ["/t?w=1", null])], "x", "y", 0, 2, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("/t?w=1", Assert.Single(lines.Descendants("a")).Attribute("href")!.Value);

        Assert.Empty(XElement.Parse(Svg.ColumnChart("H", [new ColumnBar("0–15m", 3)], "x", "y")).Descendants("a"));
    }

    [Fact]
    public void Explanation_TextAndHtml_GroupStepsByMetric_AndHtmlEscapes()
    {
        var facts = new Core.Metrics.TicketFacts { TicketId = "T-1", Source = Core.Metrics.FactsSource.Events, CreatedAt = NodaTime.Instant.FromUtc(2026, 3, 2, 8, 0), Status = Core.Tickets.TicketStatus.Open, Calendar = "24/7" };
        var explanation = new Core.Metrics.TicketExplanation("T-1", facts,
        [
            new("first_reply", "reply by <img src=x onerror=alert(1)>", [new("agent", "<b>")]),
            new("resolution", "not solved", []),
            new("first_reply", "2 business hours", []),
        ]);

        using var text = new StringWriter();
        ExplanationRenderer.WriteText(text, explanation, NodaTime.Instant.FromUtc(2026, 3, 3, 0, 0));
        var lines = text.ToString().Split(Environment.NewLine);
        Assert.Equal(["first_reply", "  reply by <img src=x onerror=alert(1)>", "      agent: <b>", "  2 business hours", "", "resolution"], lines[2..8]);

        var html = ExplanationRenderer.Html(explanation);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<section").Length - 1);
        Assert.True(html.IndexOf("2 business hours", StringComparison.Ordinal) < html.IndexOf("resolution", StringComparison.Ordinal));
    }

    [Fact]
    public void CsvDocument_QuotesFields_AndInertDefusesFormulas()
    {
        Assert.Equal("a,\"b,c\"\r\n1,\r\n", CsvDocument.Write([["a", "b,c"], ["1", null]]));
        Assert.Equal("'=SUM(A1)", CsvDocument.Inert("=SUM(A1)"));
        Assert.Equal("'@x", CsvDocument.Inert("@x"));
        Assert.Equal("'-1+2", CsvDocument.Inert("-1+2"));
        Assert.Equal("plain", CsvDocument.Inert("plain"));
        Assert.Null(CsvDocument.Inert(null));
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
