using System.Text.Json;

namespace Utendaji.Cli.Tests;

public sealed class SurveyCommandTests : IDisposable
{
    private const string Responses = """
        response_id,submitted_at,ticket_id,team,channel,language,csat,comment
        R-1,2026-03-02T12:00:00+02:00,T-1,support,email,gu,5,"ખૂબ સરસ સેવા, આભાર"
        R-2,2026-03-02T13:00:00+02:00,T-2,support,chat,ur,2,"<script>alert(1)</script> جواب دیر سے آیا"
        R-3,2026-03-03T09:00:00+02:00,,support,email,fi,4,
        """;

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>Overlapping periods said "the two periods do not overlap (Parameter 'CurrentStart')": the rule, not the problem.</summary>
    [Fact]
    public async Task Report_OverlappingComparisonPeriods_UsageErrorSayingSo()
    {
        var result = await _cli.RunAsync("survey", "report", "--baseline", "2025-10-01/2025-11-01", "--current", "2025-10-15/2025-11-15");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("utendaji: --baseline and --current overlap; give two periods that do not", result.Error.Trim());
    }

    [Fact]
    public async Task Instruments_ListsTheBuiltIns()
    {
        var result = await _cli.RunAsync("survey", "instruments");

        Assert.Equal(0, result.ExitCode);
        foreach (var id in new[] { "csat-5", "nps", "ces", "servqual", "servqual-zot" })
        {
            Assert.Contains(id, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Import_Responses_StoresThemOnceAndKeepsText()
    {
        _cli.Write("responses.csv", Responses);

        var first = await _cli.RunAsync("survey", "import", "responses.csv", "--instrument", "csat-5", "--format", "json");
        var again = await _cli.RunAsync("survey", "import", "responses.csv", "--instrument", "csat-5", "--format", "json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(first.Out).RootElement[0].GetProperty("added").GetInt64());
        Assert.Equal(0, JsonDocument.Parse(again.Out).RootElement[0].GetProperty("added").GetInt64());
        Assert.Equal(3, JsonDocument.Parse(again.Out).RootElement[0].GetProperty("unchanged").GetInt64());
    }

    [Theory]
    [InlineData("responses.ndjson", "--instrument", "csat-5", """{"response_id":"R-2","submitted_at":"2026-03-02T12:00:00Z","answers":{"csat":5,"comment":"\ud83d"}}""", "answers.comment")]
    [InlineData("sends.ndjson", "--kind", "sends", """{"send_id":"S-2","instrument":"csat-5","sent_at":"2026-03-02T09:00:00Z","customer":"\udc00"}""", "customer")]
    public async Task Import_LoneSurrogateEscape_IsABadRowNamingTheField_SkippedWithSkipBadRows(string file, string option, string value, string badLine, string field)
    {
        var goodLine = file.StartsWith("sends", StringComparison.Ordinal)
            ? """{"send_id":"S-1","instrument":"csat-5","sent_at":"2026-03-02T09:00:00Z","customer":"\ud83d\ude00"}"""
            : """{"response_id":"R-1","submitted_at":"2026-03-02T12:00:00Z","answers":{"csat":5,"comment":"\ud83d\ude00"}}""";
        _cli.Write(file, goodLine + "\n" + badLine + "\n");

        var strict = await _cli.RunAsync("survey", "import", file, option, value);
        var skipping = await _cli.RunAsync("survey", "import", file, option, value, "--skip-bad-rows", "--format", "json");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains($"{file}:2: {field}: is not valid text (a lone UTF-16 surrogate escape such as \\ud800)", strict.Error, StringComparison.Ordinal);
        Assert.Equal(0, skipping.ExitCode);
        Assert.Equal(1, JsonDocument.Parse(skipping.Out).RootElement[0].GetProperty("added").GetInt64());
    }

    [Fact]
    public async Task InstrumentImport_Yaml_IsStoredAndUsedForImport()
    {
        _cli.Write("pulse.yaml", """
            id: pulse
            kind: csat
            questions:
              - { id: csat, type: rating, required: true, scale: { min: 1, max: 3 } }
              - { id: comment, type: free_text }
            """);
        _cli.Write("pulse.csv", "response_id,submitted_at,csat,comment\nP-1,2026-03-02T12:00:00Z,3,asante\n");

        var stored = await _cli.RunAsync("survey", "instrument-import", "pulse.yaml");
        var imported = await _cli.RunAsync("survey", "import", "pulse.csv", "--instrument", "pulse", "--format", "json");

        Assert.Equal(0, stored.ExitCode);
        Assert.Contains("instrument 'pulse' stored (2 questions)", stored.Out, StringComparison.Ordinal);
        Assert.Equal(0, imported.ExitCode);
        Assert.Equal(1, JsonDocument.Parse(imported.Out).RootElement[0].GetProperty("added").GetInt64());
    }

    [Fact]
    public async Task InstrumentImport_BadYaml_NamesFileAndLineAndStoresNothing()
    {
        _cli.Write("bad.yml", "id: pulse\nquestions:\n  - id: csat\n    type: [rating\n");

        var result = await _cli.RunAsync("survey", "instrument-import", "bad.yml");
        var import = await _cli.RunAsync("survey", "import", "x.csv", "--instrument", "pulse");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.yml: line ", result.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, import.ExitCode);
    }

    [Fact]
    public async Task Import_AnswerOutsideTheScale_ImportsNothingAndNamesLineAndItem()
    {
        _cli.Write("responses.csv", Responses.Replace("T-2,support,chat,ur,2,", "T-2,support,chat,ur,9,", StringComparison.Ordinal));

        var result = await _cli.RunAsync("survey", "import", "responses.csv", "--instrument", "csat-5");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("responses.csv:3: csat: '9' is outside the scale 1–5", result.Error, StringComparison.Ordinal);
        var retry = await _cli.RunAsync("survey", "import", "responses.csv", "--instrument", "csat-5", "--skip-bad-rows", "--format", "json");
        Assert.Equal(2, JsonDocument.Parse(retry.Out).RootElement[0].GetProperty("added").GetInt64());
    }

    [Fact]
    public async Task Import_UnknownInstrument_IsAUsageError()
    {
        _cli.Write("responses.csv", Responses);

        var result = await _cli.RunAsync("survey", "import", "responses.csv", "--instrument", "csat-11");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("csat-11", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Texts_NeedsReview_ListsUnconfirmedTranslationsButNoEnglish()
    {
        var result = await _cli.RunAsync("survey", "texts", "--needs-review", "--format", "json");

        var reviews = JsonDocument.Parse(result.Out).RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(reviews);
        Assert.DoesNotContain(reviews, r => r.GetProperty("language").GetString() == "en");
        Assert.Contains(reviews, r => r.GetProperty("language").GetString() == "ur");
    }

    [Fact]
    public async Task Report_Json_GivesCsatWithNAndHtmlEscapesComments()
    {
        _cli.Write("responses.csv", Responses);
        await _cli.RunAsync("survey", "import", "responses.csv", "--instrument", "csat-5");

        var json = await _cli.RunAsync("survey", "report", "--format", "json");
        var html = await _cli.RunAsync("survey", "report", "--by", "language", "--format", "html", "--out", "survey.html");

        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.AllOut);
        Assert.Contains("\"n\": 3", json.AllOut, StringComparison.Ordinal);
        Assert.Equal(0, html.ExitCode);
        var page = File.ReadAllText(_cli.PathOf("survey.html"));
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ByTeamAndAgent_GivesResponseRateFromTheSendsTickets()
    {
        // T-1 is solved by عائشہ (team support); T-2 is open, nobody credited. Three sends, one answered (for T-1).
        _cli.Write("events.ndjson", TestFiles.Events);
        _cli.Write("sends.csv", """
            send_id,instrument,ticket_id,sent_at
            S-1,csat-5,T-1,2026-03-02T11:05:00+02:00
            S-2,csat-5,T-2,2026-03-02T13:00:00+02:00
            S-3,csat-5,T-1,2026-03-02T11:06:00+02:00
            """);
        _cli.Write("answers.csv", """
            response_id,send_id,submitted_at,ticket_id,team,csat
            R-1,S-1,2026-03-02T12:00:00+02:00,T-1,support,5
            """);
        await _cli.RunAsync("import", "events.ndjson");
        await _cli.RunAsync("survey", "import", "sends.csv", "--kind", "sends");
        await _cli.RunAsync("survey", "import", "answers.csv", "--instrument", "csat-5");

        var byTeam = await _cli.RunAsync("survey", "report", "--by", "team", "--format", "json");
        var byAgent = await _cli.RunAsync("survey", "report", "--by", "agent", "--format", "json");

        Assert.Equal(0, byTeam.ExitCode);
        Assert.Equal(0, byAgent.ExitCode);
        var team = RatesByGroup(byTeam.AllOut, "team");
        Assert.Equal((1, 3), team["support"]);
        var agent = RatesByGroup(byAgent.AllOut, "agent");
        Assert.Equal((1, 2), agent["عائشہ"]);
        Assert.Equal((0, 1), agent["(none)"]);
    }

    private static Dictionary<string, (long Answered, long Sent)> RatesByGroup(string json, string dimension) =>
        JsonDocument.Parse(json).RootElement.GetProperty("by_group").EnumerateArray().ToDictionary(
            row => row.GetProperty("group").GetProperty(dimension).GetString() ?? "(none)",
            row =>
            {
                var rate = row.GetProperty("instruments")[0].GetProperty("response_rate");
                return (rate.GetProperty("successes").GetInt64(), rate.GetProperty("n").GetInt64());
            });

    [Fact]
    public async Task KpiReport_WithSurveys_ShowsSurveyCsatBesideTicketKpis()
    {
        _cli.Write("events.ndjson", TestFiles.Events);
        _cli.Write("responses.csv", Responses);
        await _cli.RunAsync("import", "events.ndjson");
        await _cli.RunAsync("survey", "import", "responses.csv", "--instrument", "csat-5");

        var result = await _cli.RunAsync("report", "--by", "team", "--with-surveys");
        var refused = await _cli.RunAsync("report", "--by", "priority", "--with-surveys");

        Assert.Equal(0, result.ExitCode);
        // Two of three responses rate 4 or 5.
        Assert.Contains("66.7% (n=3", result.AllOut, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
    }
}
