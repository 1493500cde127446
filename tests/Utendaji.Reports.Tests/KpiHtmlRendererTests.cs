using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Utendaji.Core.Reporting;

namespace Utendaji.Reports.Tests;

public class KpiHtmlRendererTests
{
    private static readonly string Html = KpiHtmlRenderer.Render(SampleData.Report(PeriodGranularity.Week, GroupDimension.Team, GroupDimension.Agent));

    [Fact]
    public void Render_HostileNames_AreEscapedNotExecuted()
    {
        Assert.DoesNotContain("<script", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", Html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WholePage_IsWellFormedXml()
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(Html), settings);
        var document = XDocument.Load(reader);

        Assert.Equal("html", document.Root!.Name.LocalName);
        Assert.Equal("en", document.Root.Attribute("lang")!.Value);
        Assert.Equal("ltr", document.Root.Attribute("dir")!.Value);
        Assert.Contains(document.Descendants("meta"), m => m.Attribute("charset")?.Value == "utf-8");
    }

    [Fact]
    public void Render_EverySvg_ParsesAsXmlAndHasTitleAndAxisLabels()
    {
        var svgs = Regex.Matches(Html, "<svg.*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToList();

        Assert.True(svgs.Count >= 7, $"expected the trend, histogram and SLA charts, found {svgs.Count}");
        foreach (var svg in svgs)
        {
            var element = XElement.Parse(svg);
            Assert.False(string.IsNullOrWhiteSpace(element.Element("title")?.Value));
            Assert.Equal("img", element.Attribute("role")!.Value);
            Assert.Contains(element.Descendants("text"), t => t.Attribute("class")?.Value == "axis");
        }

        Assert.Contains(svgs, s => s.Contains("KPI rates per period", StringComparison.Ordinal));
        Assert.Contains(svgs, s => s.Contains("First reply time, business hours", StringComparison.Ordinal));
        Assert.Contains(svgs, s => s.Contains("SLA first reply attainment by group", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_LoadsNothingFromTheNetwork()
    {
        Assert.DoesNotContain("http://", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", Regex.Replace(Html, "&lt;.*?&gt;", string.Empty), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_GujaratiAndUrduNames_SurviveVerbatimAndIsolated()
    {
        Assert.Contains($"<bdi>{SampleData.Gujarati}</bdi>", Html, StringComparison.Ordinal);
        Assert.Contains($"<bdi>{SampleData.Urdu}</bdi>", Html, StringComparison.Ordinal);
        Assert.Contains(SampleData.Gujarati, Regex.Match(Html, "SLA first reply attainment by group.*?</svg>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UrduPage_IsRightToLeft()
    {
        var html = KpiHtmlRenderer.Render(SampleData.Report(), HtmlReportOptions.Default with { Language = "ur-PK", Title = "کارکردگی" });

        Assert.Contains("<html lang=\"ur-PK\" dir=\"rtl\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>کارکردگی</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SmallGroups_AreFlaggedAndStillShown()
    {
        Assert.Contains("class=\"flag\"", Html, StringComparison.Ordinal);
        Assert.Contains("small n", KpiHtmlRenderer.Render(KpiReportBuilder.Build(SampleData.Facts().Take(5), KpiReportOptions.Default)), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyReport_IsStillWellFormed()
    {
        var html = KpiHtmlRenderer.Render(KpiReportBuilder.Build([], KpiReportOptions.Default with { Period = PeriodGranularity.Week }));
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        Assert.NotNull(XDocument.Load(reader).Root);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
    }
}
