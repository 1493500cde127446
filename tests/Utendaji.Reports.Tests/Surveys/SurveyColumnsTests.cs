using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Reports.Surveys;

namespace Utendaji.Reports.Tests.Surveys;

public class SurveyColumnsTests
{
    private static readonly KpiReport Kpi = SampleData.Report(PeriodGranularity.Week, GroupDimension.Team);

    private static readonly SurveyReport Survey = SurveyReportBuilder.Build(
        SurveySampleData.Responses(),
        SurveySampleData.All,
        SurveyReportOptions.Default with { GroupBy = [SurveyGroupDimension.Team], Period = PeriodGranularity.Week, From = Kpi.Range.Start, To = Kpi.Range.End });

    private static readonly SurveyColumns Columns = SurveyColumns.For(Kpi, Survey);

    [Fact]
    public void For_PicksTheFirstCsatAndNpsInstruments()
    {
        Assert.Equal("csat-5", Columns.CsatInstrumentId);
        Assert.Equal("csat", Columns.CsatQuestionId);
        Assert.Equal(4, Columns.CsatSatisfiedMinimum);
        Assert.Equal("nps", Columns.NpsInstrumentId);
        Assert.Equal(30, Columns.MinimumN);
    }

    [Fact]
    public void Find_MatchesEveryKpiRowByGroupAndPeriod()
    {
        foreach (var row in Kpi.Rows)
        {
            var survey = Survey.Rows.Single(r => r.Group.Equals(row.Group) && r.Period.Label == row.Period.Label);
            var figures = Columns.Find(row);
            Assert.Equal(SurveyReportRows.Find(survey, "csat-5")!.Csat[0].Satisfied, figures.Csat);
            Assert.Equal(SurveyReportRows.Find(survey, "nps")!.Nps[0].Estimate, figures.Nps);
        }

        Assert.Equal(SurveyReportRows.Find(Survey.Overall, "csat-5")!.Csat[0].Satisfied, Columns.Find(Kpi.Overall).Csat);
        foreach (var row in Kpi.ByPeriod)
        {
            var survey = Survey.ByPeriod.Single(r => r.Period.Label == row.Period.Label);
            Assert.Equal(SurveyReportRows.Find(survey, "nps")!.Nps[0].Estimate, Columns.Find(row).Nps);
        }

        Assert.True(Columns.Find(Kpi.Overall).Csat.Trials > 0);
    }

    [Fact]
    public void Find_UnknownGroup_GivesEmptyFigures()
    {
        var figures = Columns.Find(new GroupKey(["no such team"]), "2026-W10");

        Assert.Equal(0, figures.Csat.Trials);
        Assert.Equal(0, figures.Nps.N);
        Assert.Null(figures.Nps.Score);
    }

    [Fact]
    public void For_MismatchedGroupingPeriodOrZone_Throws()
    {
        var byPriority = SampleData.Report(PeriodGranularity.Week, GroupDimension.Priority);
        var monthly = SampleData.Report(PeriodGranularity.Month, GroupDimension.Team);
        var nairobi = KpiReportBuilder.Build(SampleData.Facts(), KpiReportOptions.Default with
        {
            GroupBy = [GroupDimension.Team],
            Period = PeriodGranularity.Week,
            TimeZone = DateTimeZoneProviders.Tzdb["Africa/Nairobi"],
        });

        Assert.Contains("groups by [team]", Assert.Throws<ArgumentException>(() => SurveyColumns.For(byPriority, Survey)).Message, StringComparison.Ordinal);
        Assert.Contains("period", Assert.Throws<ArgumentException>(() => SurveyColumns.For(monthly, Survey)).Message, StringComparison.Ordinal);
        Assert.Contains("time zone", Assert.Throws<ArgumentException>(() => SurveyColumns.For(nairobi, Survey)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KpiTable_WithColumns_AddsTheSurveyTableAndWithoutIsUnchanged()
    {
        var without = KpiTableRenderer.Render(Kpi);
        var with = KpiTableRenderer.Render(Kpi, Columns);

        Assert.DoesNotContain("Survey", without, StringComparison.Ordinal);
        Assert.StartsWith(without.TrimEnd(), with, StringComparison.Ordinal);
        var csat = SurveyReportRows.Find(Survey.Overall, "csat-5")!.Csat[0].Satisfied;
        Assert.Contains(SurveyFormat.Rate(csat, 30), with, StringComparison.Ordinal);
        Assert.Contains("Survey — CSAT (csat-5 · csat ≥ 4) and NPS (nps · nps)", with, StringComparison.Ordinal);
    }

    [Fact]
    public void KpiJson_WithColumns_AddsSurveyObjectsAndWithoutHasNone()
    {
        Assert.DoesNotContain("survey", KpiJsonRenderer.Render(Kpi), StringComparison.Ordinal);

        using var document = JsonDocument.Parse(KpiJsonRenderer.Render(Kpi, survey: Columns));
        var root = document.RootElement;
        Assert.Equal("csat-5", root.GetProperty("options").GetProperty("survey_columns").GetProperty("csat_instrument").GetString());
        var rows = root.GetProperty("rows");
        for (var i = 0; i < Kpi.Rows.Count; i++)
        {
            var expected = Columns.Find(Kpi.Rows[i]);
            var survey = rows[i].GetProperty("survey");
            Assert.Equal(expected.Csat.Trials, survey.GetProperty("csat").GetProperty("n").GetInt64());
            Assert.Equal(expected.Csat.Successes, survey.GetProperty("csat").GetProperty("successes").GetInt64());
            Assert.Equal(expected.Nps.N, survey.GetProperty("nps").GetProperty("n").GetInt64());
            if (expected.Nps.Score is { } score)
            {
                Assert.Equal(score, survey.GetProperty("nps").GetProperty("score").GetDouble());
                Assert.Equal(expected.Nps.Interval95!.Value.Lower, survey.GetProperty("nps").GetProperty("ci_lower").GetDouble());
            }
        }

        Assert.True(root.GetProperty("overall").GetProperty("survey").GetProperty("csat").GetProperty("n").GetInt64() > 0);
    }

    [Fact]
    public void KpiCsv_WithColumns_AppendsColumnsAndWithoutIsUnchanged()
    {
        var without = CsvReader.Parse(KpiCsvRenderer.Render(Kpi));
        var with = CsvReader.Parse(KpiCsvRenderer.Render(Kpi, Columns));

        Assert.Equal(KpiCsvRenderer.Columns(Kpi.Options.GroupBy), without[0]);
        Assert.Equal(KpiCsvRenderer.Columns(Kpi.Options.GroupBy, withSurvey: true), with[0]);
        Assert.Equal(without.Count, with.Count);
        var rows = ReportRows.Display(Kpi);
        var n = with[0].IndexOf("survey_csat_n");
        var score = with[0].IndexOf("survey_nps_score");
        for (var i = 1; i < with.Count; i++)
        {
            Assert.Equal(without[i], with[i].Take(without[i].Count));
            var expected = Columns.Find(rows[i - 1].Row);
            Assert.Equal(expected.Csat.Trials.ToString(CultureInfo.InvariantCulture), with[i][n]);
            Assert.Equal(expected.Nps.Score, with[i][score].Length == 0 ? null : double.Parse(with[i][score], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void KpiHtml_WithColumns_ShowsSurveyColumnsAndStaysWellFormed()
    {
        var without = KpiHtmlRenderer.Render(Kpi);
        var with = KpiHtmlRenderer.Render(Kpi, survey: Columns);

        Assert.DoesNotContain("survey CSAT", without, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">survey CSAT</th><th scope=\"col\">NPS</th>", with, StringComparison.Ordinal);
        Assert.Contains("Survey CSAT and NPS", with, StringComparison.Ordinal);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(with), settings);
        var document = XDocument.Load(reader);
        var header = document.Descendants("thead").First().Descendants("th").Count();
        Assert.All(document.Descendants("table").First().Element("tbody")!.Elements("tr"), tr => Assert.Equal(header, tr.Elements("td").Count()));
    }

    [Fact]
    public void KpiReportRenderer_PassesColumnsToEveryFormat()
    {
        foreach (var format in Enum.GetValues<ReportFormat>())
        {
            using var plain = new MemoryStream();
            using var withSurvey = new MemoryStream();
            KpiReportRenderer.Write(Kpi, format, plain);
            KpiReportRenderer.Write(Kpi, format, withSurvey, survey: Columns);

            Assert.True(withSurvey.Length > plain.Length, format.ToString());
        }
    }
}
