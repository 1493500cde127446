using System.Text;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Surveys;

namespace Utendaji.Ingest.Tests.Surveys;

public class SurveyResponseNdjsonReaderTests
{
    private const string Good = """{"response_id":"R-1","instrument":"csat-5","submitted_at":"2026-03-02T10:30:00Z","ticket_id":"T-9","customer":"c-7","agent":42,"team":"Tier 1","channel":"chat","language":"ur","sent_at":"2026-03-02T09:00:00+03:00","send_id":"S-1","answers":{"csat":4,"reasons":["speed","courtesy"],"contact":"email","comment":"\u0A97\u0ACD\u0AB0\u0ABE\u0AB9\u0A95 بہت اچھا"},"extra":{"ignored":true}}""";

    [Fact]
    public void ReadRows_NulCharacterInAnAnswer_RejectsTheLineNamingTheField()
    {
        var row = Assert.Single(Read("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"comment":"ok\u0000"}}"""));

        Assert.Equal("answers.comment: contains the NUL character (U+0000), which text may not hold", Assert.Single(row.Issues).ToString().Split(": ", 2)[1]);
    }

    [Theory]
    [InlineData("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","team":"\ud800","answers":{"csat":5}}""", "team")]
    [InlineData("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"comment":"ok \ud83d"}}""", "answers.comment")]
    [InlineData("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"reasons":["speed","\udc00"]}}""", "answers.reasons[1]")]
    [InlineData("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"\udfff":"x"}}""", "answers")]
    public void ReadRows_LoneSurrogateEscape_RejectsTheLineNamingTheField(string line, string field)
    {
        var rows = Read(line + "\n" + """{"response_id":"R-2","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"comment":"\ud83d\ude00"}}""" + "\n");

        Assert.Equal($"responses.ndjson:1: {field}: is not valid text (a lone UTF-16 surrogate escape such as \\ud800)", Assert.Single(rows[0].Issues).ToString());
        Assert.True(rows[1].IsValid, string.Join("; ", rows[1].Issues));
        Assert.Equal("\U0001F600", rows[1].Value!.Answers["comment"].Text);
    }

    [Fact]
    public void ReadRows_EveryField_MapsEveryField()
    {
        var row = Assert.Single(Read(Good + "\n"));

        Assert.True(row.IsValid, string.Join("; ", row.Issues));
        Assert.Equal(Good, Encoding.UTF8.GetString(row.Raw.Span));
        var response = row.Value;
        Assert.Equal(("R-1", "csat-5", "T-9", "c-7", "42", "Tier 1", "chat", "ur", "S-1"),
            (response.ResponseId, response.InstrumentId, response.TicketId, response.Customer, response.Agent, response.Team, response.Channel, response.Language, response.SendId));
        Assert.Equal(Utc("2026-03-02T10:30:00Z"), response.SubmittedAt);
        Assert.Equal(Utc("2026-03-02T06:00:00Z"), response.SentAt);
        Assert.Equal(4, response.Answers["csat"].Number);
        Assert.Equal(["speed", "courtesy"], response.Answers["reasons"].Choices);
        Assert.Equal(["email"], response.Answers["contact"].Choices);
        Assert.Equal("ગ્રાહક بہت اچھا", response.Answers["comment"].Text);
    }

    [Fact]
    public void ReadRows_AnswersBeforeInstrumentAndNumbersAsStrings_Accepted()
    {
        var row = Assert.Single(Read("""{"answers":{"csat":" 5 ","reasons":"knowledge","contact":["phone"],"comment":""},"instrument":"csat-5","response_id":7,"submitted_at":"2026-03-02T10:30:00Z"}"""));

        Assert.True(row.IsValid, string.Join("; ", row.Issues));
        Assert.Equal("7", row.Value.ResponseId);
        Assert.Equal(5, row.Value.Answers["csat"].Number);
        Assert.Equal(["knowledge"], row.Value.Answers["reasons"].Choices);
        Assert.Equal(["phone"], row.Value.Answers["contact"].Choices);
        Assert.False(row.Value.Answers.ContainsKey("comment"));
    }

    [Fact]
    public void ReadRows_NullAndEmptyAnswers_AreAbsent()
    {
        var row = Assert.Single(Read("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":3,"reasons":[],"contact":null,"comment":" \t "}}"""));

        Assert.Equal(["csat"], row.Value!.Answers.Keys);
    }

    [Theory]
    [InlineData("""{"csat":9}""", "responses.ndjson:1: answers.csat: '9' is outside the scale 1–5")]
    [InlineData("""{"csat":4.5}""", "responses.ndjson:1: answers.csat: '4.5' is not a whole number")]
    [InlineData("""{"csat":"good"}""", "responses.ndjson:1: answers.csat: 'good' is not a number")]
    [InlineData("""{"csat":true}""", "responses.ndjson:1: answers.csat: 'true' must be a number")]
    [InlineData("""{"csat":[5]}""", "responses.ndjson:1: answers.csat: must be a number, not an array")]
    [InlineData("""{"reasons":["fast"],"csat":5}""", """responses.ndjson:1: answers.reasons: '["fast"]' is not one of the options (speed, courtesy, knowledge)""")]
    [InlineData("""{"reasons":["speed",{"x":1}],"csat":5}""", """responses.ndjson:1: answers.reasons: '["speed",{"x":1}]' must be an array of option ids""")]
    [InlineData("""{"reasons":["speed",""],"csat":5}""", """responses.ndjson:1: answers.reasons: '["speed",""]' names an empty option id""")]
    [InlineData("""{"reasons":{"speed":true},"csat":5}""", "responses.ndjson:1: answers.reasons: must be an array of option ids, not an object")]
    [InlineData("""{"contact":["email","phone"],"csat":5}""", """responses.ndjson:1: answers.contact: '["email","phone"]' names 2 options but the question takes one""")]
    [InlineData("""{"comment":5,"csat":5}""", "responses.ndjson:1: answers.comment: '5' must be a string")]
    [InlineData("""{"q23":5,"csat":5}""", "responses.ndjson:1: answers.q23: '5' is not an item of instrument 'csat-5'")]
    [InlineData("""{"q23":{"a":1},"csat":5}""", """responses.ndjson:1: answers.q23: '{"a":1}' is not an item of instrument 'csat-5'""")]
    [InlineData("""{"csat":5,"csat":4}""", "responses.ndjson:1: answers.csat: appears twice in the object")]
    [InlineData("""{"comment":"only a comment"}""", "responses.ndjson:1: answers.csat: is required")]
    [InlineData("""[5]""", "responses.ndjson:1: answers: must be an object, not an array")]
    [InlineData("""{}""", "responses.ndjson:1: answers.csat: is required")]
    public void ReadRows_BadAnswer_GivesTheExactIssue(string answers, string expected)
    {
        var line = "{\"response_id\":\"R-1\",\"submitted_at\":\"2026-03-02T10:30:00Z\",\"answers\":" + answers + "}";

        var row = Assert.Single(Read(line));

        Assert.False(row.IsValid);
        Assert.Equal(expected, Assert.Single(row.Issues).ToString());
        Assert.Equal(line, Encoding.UTF8.GetString(row.Raw.Span));
    }

    [Theory]
    [InlineData("""{"submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5}}""", "responses.ndjson:1: response_id: is required")]
    [InlineData("""{"response_id":"R-1","answers":{"csat":5}}""", "responses.ndjson:1: submitted_at: is required")]
    [InlineData("""{"response_id":"R-1","submitted_at":"soon","answers":{"csat":5}}""", "responses.ndjson:1: submitted_at: 'soon' is not a date-time")]
    [InlineData("""{"response_id":"R-1","submitted_at":"0026-03-02T10:30:00Z","answers":{"csat":5}}""", "responses.ndjson:1: submitted_at: '0026-03-02T10:30:00Z' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("""{"response_id":"R-1","submitted_at":1767608520,"answers":{"csat":5}}""", "responses.ndjson:1: submitted_at: '1767608520' must be a string")]
    [InlineData("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","sent_at":"2026-03-03T10:30:00Z","answers":{"csat":5}}""", "responses.ndjson:1: sent_at: '2026-03-03T10:30:00Z' is after submitted_at")]
    [InlineData("""{"response_id":"R-1","instrument":"nps","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5}}""", "responses.ndjson:1: instrument: 'nps' is not the instrument being imported ('csat-5')")]
    [InlineData("""{"response_id":"R-1","response_id":"R-2","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5}}""", "responses.ndjson:1: response_id: appears twice in the object")]
    [InlineData("""{"response_id":["R-1"],"submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5}}""", "responses.ndjson:1: response_id: must be a string or a number, not an array")]
    [InlineData("""{"response_id":"R-1","team":7,"submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5}}""", "responses.ndjson:1: team: '7' must be a string")]
    [InlineData("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5},}""", "responses.ndjson:1: is not valid JSON (at column 81)")]
    [InlineData("""{"response_id":"R-1","answers":{"csat":5}} {}""", "responses.ndjson:1: is not valid JSON (at column 44)")]
    [InlineData("""["R-1"]""", "responses.ndjson:1: is not a JSON object (each line must be one response object)")]
    [InlineData("response_id,submitted_at", "responses.ndjson:1: is not valid JSON (at column 1)")]
    public void ReadRows_BadLine_GivesTheExactIssue(string line, string expected)
    {
        var row = Assert.Single(Read(line + "\n"));

        Assert.False(row.IsValid);
        Assert.Equal(expected, Assert.Single(row.Issues).ToString());
    }

    [Fact]
    public void ReadRows_NoAnswers_Rejected()
    {
        var optional = TestInstruments.Csat with { Questions = [.. TestInstruments.Csat.Questions.Skip(1)] };

        var rows = SurveyResponseNdjsonReader.Read(TestText.Utf8("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z"}""" + "\n" + """{"response_id":"R-2","submitted_at":"2026-03-02T10:30:00Z","answers":{"comment":""}}"""), "responses.ndjson", optional).ToList();

        Assert.Equal("responses.ndjson:1: answers: has no answers", Assert.Single(rows[0].Issues).ToString());
        Assert.Equal("responses.ndjson:2: answers: has no answers", Assert.Single(rows[1].Issues).ToString());
    }

    [Fact]
    public void ReadRows_AllocationOverTheTotal_NamesTheSum()
    {
        var row = Assert.Single(SurveyResponseNdjsonReader.Read(
            TestText.Utf8("""{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"q05":7,"imp1":50,"imp2":"60"}}"""), "responses.ndjson", TestInstruments.Servqual));

        Assert.Equal("responses.ndjson:1: answers.imp1: the points of imp1, imp2, imp3 add up to 110, more than 100", Assert.Single(row.Issues).ToString());
    }

    [Fact]
    public void ReadRows_LookupByInstrument_EachLineCheckedAgainstItsOwn()
    {
        var text = """{"response_id":"R-1","instrument":"nps","submitted_at":"2026-03-02T10:30:00Z","answers":{"nps":0}}""" + "\n"
            + """{"response_id":"R-2","instrument":"nps","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"nps":10}}""" + "\n"
            + """{"response_id":"R-3","instrument":"ces","submitted_at":"2026-03-02T10:30:00Z","answers":{"ces":5}}""" + "\n"
            + """{"response_id":"R-4","submitted_at":"2026-03-02T10:30:00Z","answers":{"nps":5}}""" + "\n";

        var rows = SurveyResponseNdjsonReader.Read(TestText.Utf8(text), "responses.ndjson", TestInstruments.Lookup).ToList();

        Assert.Equal(0, rows[0].Value!.Answers["nps"].Number);
        Assert.Equal("responses.ndjson:2: answers.csat: '5' is not an item of instrument 'nps'", Assert.Single(rows[1].Issues).ToString());
        Assert.Equal("responses.ndjson:3: instrument: 'ces' is not a known instrument", Assert.Single(rows[2].Issues).ToString());
        Assert.Equal("responses.ndjson:4: instrument: is required", Assert.Single(rows[3].Issues).ToString());
    }

    [Fact]
    public void ReadRows_DuplicateIdBlankLinesCrlfAndBom_LineNumbersKept()
    {
        var line = """{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5}}""";

        var rows = Read("\uFEFF" + line + "\r\n\r\n  \n" + line + "\r\n");

        Assert.Equal([1L, 4], rows.Select(r => r.Line));
        Assert.True(rows[0].IsValid);
        Assert.Equal("responses.ndjson:4: response_id: 'R-1' already occurs earlier in this file", Assert.Single(rows[1].Issues).ToString());
        Assert.Equal(line, Encoding.UTF8.GetString(rows[1].Raw.Span));
    }

    [Theory]
    [InlineData("gu")]
    [InlineData("ur")]
    public void ReadRows_CommentsInEveryLanguage_KeptExactly(string language)
    {
        foreach (var paragraph in TestText.Paragraphs(language).Take(5))
        {
            var json = "{\"response_id\":\"R\",\"submitted_at\":\"2026-03-02T10:30:00Z\",\"answers\":{\"csat\":5,\"comment\":" + System.Text.Json.JsonSerializer.Serialize(paragraph) + "}}";

            var row = Assert.Single(Read(json));

            Assert.Equal(paragraph, row.Value!.Answers["comment"].Text);
        }
    }

    [Fact]
    public void ReadRows_Utf16File_Refused()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{}\n")).ToArray();

        var error = Assert.Throws<ImportFileException>(() => SurveyResponseNdjsonReader.Read(new MemoryStream(bytes), "responses.ndjson", TestInstruments.Csat).ToList());

        Assert.Equal("responses.ndjson:1: is UTF-16 encoded; save the file as UTF-8", error.Message);
    }

    [Fact]
    public void ReadRows_LineOverTheLimit_FailsTheFile()
    {
        var options = SurveyReaderOptions.Default with { MaxRecordBytes = 64, BufferSize = 16 };
        var line = """{"response_id":"R-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"comment":"long enough"}}""";

        var error = Assert.Throws<ImportFileException>(() => SurveyResponseNdjsonReader.Read(TestText.Utf8(line + "\n"), "responses.ndjson", TestInstruments.Csat, options).ToList());

        Assert.Equal("responses.ndjson:1: is longer than 64 bytes", error.Message);
    }

    private static List<ImportRow<SurveyResponse>> Read(string text) =>
        [.. SurveyResponseNdjsonReader.Read(TestText.Utf8(text), "responses.ndjson", TestInstruments.Csat)];

    private static Instant Utc(string text) => InstantPattern.General.Parse(text).Value;
}
