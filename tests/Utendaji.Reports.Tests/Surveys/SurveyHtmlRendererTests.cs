using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports.Tests.Surveys;

public class SurveyHtmlRendererTests
{
    private const string ScriptComment = "<script>alert(document.cookie)</script>";
    private const string ImgComment = "<img src=x onerror=alert(1)>";
    private const string UrduComment = "مدد بہت تیز تھی، شکریہ";
    private const string GujaratiComment = "સેવા ખૂબ સારી હતી";

    private static readonly SurveyHtmlOptions Options = SurveyHtmlOptions.Default with
    {
        InstrumentTitles = new Dictionary<string, string>(StringComparer.Ordinal) { ["csat-5"] = "Customer satisfaction <b>" },
        Comments =
        [
            new SurveyComment("csat-5", "comment", ScriptComment, "en", SampleData.ScriptTeam),
            new SurveyComment("csat-5", "comment", ImgComment, null, SampleData.ImgAgent),
            new SurveyComment("csat-5", "comment", UrduComment, "ur", SampleData.Urdu),
            new SurveyComment("csat-5", "comment", GujaratiComment, "gu", SampleData.Gujarati),
        ],
        NeedsReview =
        [
            new TextNeedingReview("csat", "ur", "csat.min", "csat.ur.json"),
            new TextNeedingReview("servqual", "gu", "p01", "servqual.gu.json", Untranslated: true),
        ],
    };

    private static readonly string Html = SurveyHtmlRenderer.Render(SurveySampleData.Grouped(), Options);

    private static XDocument Parse(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    [Fact]
    public void Render_WholePage_IsWellFormedXmlWithLangAndDir()
    {
        var document = Parse(Html);

        Assert.Equal("html", document.Root!.Name.LocalName);
        Assert.Equal("en", document.Root.Attribute("lang")!.Value);
        Assert.Equal("ltr", document.Root.Attribute("dir")!.Value);
        Assert.Contains(document.Descendants("meta"), m => m.Attribute("charset")?.Value == "utf-8");
    }

    [Fact]
    public void Render_HostileNamesAndComments_AreEscapedNotExecuted()
    {
        Assert.DoesNotContain("<script", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt;", Html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", Html, StringComparison.Ordinal);
        Assert.Contains("Customer satisfaction &lt;b&gt; (csat-5)", Html, StringComparison.Ordinal);

        // The parsed page holds the hostile texts as text, with no element made from them.
        var document = Parse(Html);
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "script" or "img" or "b");
        Assert.Contains(document.Descendants("p"), p => p.Value == ScriptComment);
        Assert.DoesNotContain(document.Descendants().Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Render_LoadsNothingFromTheNetworkAndRunsNoScript()
    {
        Assert.DoesNotContain("http://", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", Regex.Replace(Html, "&lt;.*?&gt;", string.Empty), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_GujaratiAndUrdu_SurviveVerbatim()
    {
        Assert.Contains($"<bdi>{SampleData.Gujarati}</bdi>", Html, StringComparison.Ordinal);
        Assert.Contains($"<bdi>{SampleData.Urdu}</bdi>", Html, StringComparison.Ordinal);
        Assert.Contains(GujaratiComment, Html, StringComparison.Ordinal);
        Assert.Contains(UrduComment, Html, StringComparison.Ordinal);
        // Group names also appear inside the SVG charts.
        Assert.Contains(SampleData.Urdu, Regex.Match(Html, "NPS composition by group.*?</svg>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UrduComment_IsRightToLeftOnAnEnglishPage()
    {
        var comment = Parse(Html).Descendants("p").Single(p => p.Value == UrduComment);

        Assert.Equal("ur", comment.Attribute("lang")!.Value);
        Assert.Equal("rtl", comment.Attribute("dir")!.Value);
        Assert.Equal("ltr", Parse(Html).Descendants("p").Single(p => p.Value == GujaratiComment).Attribute("dir")!.Value);
        Assert.Equal("auto", Parse(Html).Descendants("p").Single(p => p.Value == ImgComment).Attribute("dir")!.Value);
    }

    [Fact]
    public void Render_UrduPage_GetsDirRtl()
    {
        var html = SurveyHtmlRenderer.Render(SurveySampleData.Exact(), SurveyHtmlOptions.Default with { Language = "ur", Title = "کسٹمر سروے" });

        Assert.Contains("<html lang=\"ur\" dir=\"rtl\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>کسٹمر سروے</title>", html, StringComparison.Ordinal);
        Assert.Contains("svg{max-width:100%;height:auto;direction:ltr}", html, StringComparison.Ordinal);
        // Signed figures keep their minus in front on a right-to-left page.
        Assert.Contains("[dir=rtl] .v,[dir=rtl] .s,[dir=rtl] .ci,[dir=rtl] td:not(.g),[dir=rtl] th:not(.g){unicode-bidi:plaintext}", html, StringComparison.Ordinal);
        Assert.NotNull(Parse(html).Root);
    }

    [Fact]
    public void Render_Charts_GapNpsCompositionAndCsatTrend_EachParseWithTitleAndAxis()
    {
        var svgs = Regex.Matches(Html, "<svg.*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToList();

        foreach (var svg in svgs)
        {
            var element = XElement.Parse(svg);
            Assert.False(string.IsNullOrWhiteSpace(element.Element("title")?.Value));
            Assert.Equal("img", element.Attribute("role")!.Value);
            Assert.Contains(element.Descendants("text"), t => t.Attribute("class")?.Value == "axis");
        }

        var trend = Assert.Single(svgs, s => s.Contains("CSAT per period", StringComparison.Ordinal));
        Assert.Equal(3, XElement.Parse(trend).Descendants("circle").Count()); // three weeks
        Assert.Contains(svgs, s => s.Contains("NPS composition by group", StringComparison.Ordinal));
        var gap = Assert.Single(svgs, s => s.Contains("SERVQUAL gap P − E per dimension", StringComparison.Ordinal));
        foreach (var label in new[] { "reliability", "empathy", "overall", "weighted by importance" })
        {
            Assert.Contains(XElement.Parse(gap).Descendants("text"), t => t.Attribute("class")?.Value == "label" && t.Nodes().OfType<XText>().Any(x => x.Value == label));
        }

        // Whiskers: three lines (bar and two caps) per bar with an interval.
        Assert.True(XElement.Parse(gap).Descendants("line").Count(l => l.Attribute("class")?.Value == "whisker") >= 12);
    }

    [Fact]
    public void Render_CsatValues_ShowRateNAndInterval()
    {
        var html = SurveyHtmlRenderer.Render(SurveySampleData.Exact());

        // 34 of 40; R 4.2.2: prop.test(34, 40, correct = FALSE)$conf.int = 0.709276756335103 0.929388122826796
        Assert.Contains("85.0%<span class=\"ci\">n=40 · 70.9–92.9</span>", html, StringComparison.Ordinal);
        // Reliability gap; R 4.2.2 t.test on the six respondents' reliability gaps: −1.1667 [−2.0988, −0.2346]
        Assert.Contains("−1.17<span class=\"ci\">n=6 · −2.10 to −0.23</span>", html, StringComparison.Ordinal);
        Assert.Contains("listwise", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Comparison_TableHasVerdicts()
    {
        var table = Regex.Match(Html, "<h2>Change between two periods</h2>.*?</table>", RegexOptions.Singleline).Value;

        Assert.Contains("class=\"g verdict-yes\">significant</td>", table, StringComparison.Ordinal);
        Assert.Contains("not significant — noise", table, StringComparison.Ordinal);
        Assert.Contains("&lt;0.0001", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NeedsReview_ListsEveryTextOnlyWhenGiven()
    {
        Assert.Contains("Survey texts that need review", Html, StringComparison.Ordinal);
        Assert.Contains("ur · csat · csat.min — csat.ur.json", Html, StringComparison.Ordinal);
        Assert.Contains("gu · servqual · p01 (untranslated: English shown) — servqual.gu.json", Html, StringComparison.Ordinal);
        Assert.DoesNotContain("need review", SurveyHtmlRenderer.Render(SurveySampleData.Exact()), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SmallGroups_AreFlagged()
    {
        Assert.Contains("class=\"flag\"", Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyReport_IsWellFormedWithoutNaN()
    {
        var html = SurveyHtmlRenderer.Render(SurveyReportBuilder.Build([], SurveySampleData.All, SurveyReportOptions.Default with { Period = Core.Reporting.PeriodGranularity.Week }));

        Assert.NotNull(Parse(html).Root);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
        Assert.Contains("No survey responses", html, StringComparison.Ordinal);
    }
}
