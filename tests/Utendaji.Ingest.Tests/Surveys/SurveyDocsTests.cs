using System.Text.RegularExpressions;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Surveys;

namespace Utendaji.Ingest.Tests.Surveys;

/// <summary>The examples in docs/surveys-responses.md are read by the readers they document, so the docs cannot rot.</summary>
public partial class SurveyDocsTests
{
    private static readonly SurveyInstrument DocsCsat = TestInstruments.Csat with
    {
        Questions = [.. TestInstruments.Csat.Questions.Where(q => q.Id != "contact")],
    };

    private static readonly SurveyInstrument DocsServqual = new()
    {
        Id = "servqual",
        Kind = InstrumentKind.Servqual,
        Questions =
        [
            new SurveyQuestion { Id = "e05", Type = QuestionType.Rating, ScaleMin = 1, ScaleMax = 7 },
            new SurveyQuestion { Id = "q05", Type = QuestionType.Rating, ScaleMin = 1, ScaleMax = 7 },
            .. Enumerable.Range(1, 5).Select(i => new SurveyQuestion { Id = $"imp{i}", Type = QuestionType.Allocation, ScaleMin = 0, ScaleMax = 100 }),
        ],
    };

    [Fact]
    public void DocsExamples_AllReadWithoutIssues()
    {
        var csv = Blocks("csv");
        var json = Blocks("json");

        var csat = SurveyResponseCsvReader.Read(TestText.Utf8(csv[0]), "responses.csv", DocsCsat).ToList();
        var servqual = SurveyResponseCsvReader.Read(TestText.Utf8(csv[1]), "servqual.csv", DocsServqual).ToList();
        var sends = SurveySendCsvReader.Read(TestText.Utf8(csv[2]), "sends.csv", Lookup).ToList();
        var ndjson = SurveyResponseNdjsonReader.Read(TestText.Utf8(json[0]), "responses.ndjson", Lookup).ToList();
        var ndjsonSends = SurveySendNdjsonReader.Read(TestText.Utf8(json[1]), "sends.ndjson", Lookup).ToList();

        Assert.All([.. csat.SelectMany(r => r.Issues), .. servqual.SelectMany(r => r.Issues), .. sends.SelectMany(r => r.Issues),
            .. ndjson.SelectMany(r => r.Issues), .. ndjsonSends.SelectMany(r => r.Issues)], i => Assert.Fail(i.ToString()));
        Assert.Equal((3, 2, 2, 2, 1), (csat.Count, servqual.Count, sends.Count, ndjson.Count, ndjsonSends.Count));
        // As the page says: R-1002's comment spans two lines, so R-1003 is on line 5.
        Assert.Equal(5, csat[2].Line);
        Assert.Equal("ગ્રાહક સેવા ધીમી હતી.\nબીજી વખત ફોન કરવો પડ્યો.", csat[1].Value!.Answers["comment"].Text);
        Assert.Equal(12.5, servqual[1].Value!.Answers["imp1"].Number);
        Assert.Equal(2, ndjson[1].Value!.Answers["csat"].Number);
    }

    private static SurveyInstrument? Lookup(string id) => id == "csat-5" ? DocsCsat : TestInstruments.Lookup(id);

    /// <summary>The fenced code blocks of one language in a page of docs/, in page order.</summary>
    internal static List<string> Blocks(string language, string page = "surveys-responses.md")
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", page));
        return [.. Fence().Matches(docs).Where(m => m.Groups[1].Value == language).Select(m => m.Groups[2].Value)];
    }

    [GeneratedRegex("```(\\w+)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Utendaji.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Utendaji.sln not found above " + AppContext.BaseDirectory);
    }
}
