using System.Text;
using NodaTime.Text;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Surveys;

namespace Utendaji.Ingest.Tests.Surveys;

public class SurveySendReaderTests
{
    [Fact]
    public void Csv_EveryColumnAndExtras_MapsEveryFieldAndIgnoresTheRest()
    {
        var csv = "Send_ID,instrument,ticket_id,customer,channel,language,sent_at,campaign\nS-1,nps,T-9,ગ્રાહક,email,gu,2026-03-02T10:30:00+05:30,spring\n";

        var row = Assert.Single(SurveySendCsvReader.Read(TestText.Utf8(csv), "sends.csv", TestInstruments.Lookup));

        Assert.Equal(new SurveySend
        {
            SendId = "S-1",
            InstrumentId = "nps",
            TicketId = "T-9",
            Customer = "ગ્રાહક",
            Channel = "email",
            Language = "gu",
            SentAt = InstantPattern.General.Parse("2026-03-02T05:00:00Z").Value,
        }, row.Value);
    }

    [Theory]
    [InlineData(",nps,2026-03-02T10:30:00Z", "sends.csv:2: send_id: is required")]
    [InlineData("S-1,nps,", "sends.csv:2: sent_at: is required")]
    [InlineData("S-1,nps,2026-03-02T25:30:00Z", "sends.csv:2: sent_at: '2026-03-02T25:30:00Z' is not a date-time")]
    [InlineData("S-1,nps,2260-03-02T10:30:00Z", "sends.csv:2: sent_at: '2260-03-02T10:30:00Z' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("S-1,,2026-03-02T10:30:00Z", "sends.csv:2: instrument: is required")]
    [InlineData("S-1,csat-3,2026-03-02T10:30:00Z", "sends.csv:2: instrument: 'csat-3' is not a known instrument")]
    [InlineData("S-1,nps", "sends.csv:2: has 2 fields but the header has 3")]
    public void Csv_BadRow_GivesTheExactIssue(string line, string expected)
    {
        var row = Assert.Single(SurveySendCsvReader.Read(TestText.Utf8("send_id,instrument,sent_at\n" + line + "\n"), "sends.csv", TestInstruments.Lookup));

        Assert.Equal(expected, Assert.Single(row.Issues).ToString());
        Assert.Equal(line, Encoding.UTF8.GetString(row.Raw.Span));
    }

    [Fact]
    public void Csv_DuplicateSendId_RejectsTheLaterRow()
    {
        var rows = SurveySendCsvReader.Read(TestText.Utf8("send_id,instrument,sent_at\nS-1,nps,2026-03-02T10:30:00Z\nS-1,nps,2026-03-02T10:31:00Z\n"), "sends.csv", TestInstruments.Lookup).ToList();

        Assert.True(rows[0].IsValid);
        Assert.Equal("sends.csv:3: send_id: 'S-1' already occurs earlier in this file", Assert.Single(rows[1].Issues).ToString());
    }

    [Fact]
    public void Csv_ChosenInstrument_InstrumentColumnOptional()
    {
        using var reader = SurveySendCsvReader.Open(TestText.Utf8("send_id,sent_at\nS-1,2026-03-02T10:30:00Z\n"), "sends.csv", TestInstruments.Nps);

        Assert.Equal("nps", Assert.Single(reader.ReadRows()).Value!.InstrumentId);
    }

    [Theory]
    [InlineData("send_id,sent_at", "sends.csv:1: header: is missing the required column 'instrument'")]
    [InlineData("instrument", "sends.csv:1: header: is missing the required columns 'send_id', 'sent_at'")]
    public void Csv_HeaderWithoutRequiredColumns_FailsTheWholeFile(string header, string expected)
    {
        var error = Assert.Throws<ImportFileException>(() => SurveySendCsvReader.Open(TestText.Utf8(header + "\n"), "sends.csv", TestInstruments.Lookup));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Ndjson_EveryField_MapsEveryField()
    {
        var line = """{"send_id":101,"instrument":"csat-5","ticket_id":"T-9","customer":"c-1","channel":"sms","language":"ur","sent_at":"2026-03-02T10:30:00Z","x":[1]}""";

        var row = Assert.Single(SurveySendNdjsonReader.Read(TestText.Utf8(line + "\n"), "sends.ndjson", TestInstruments.Lookup));

        Assert.True(row.IsValid, string.Join("; ", row.Issues));
        Assert.Equal(("101", "csat-5", "T-9", "c-1", "sms", "ur"), (row.Value.SendId, row.Value.InstrumentId, row.Value.TicketId, row.Value.Customer, row.Value.Channel, row.Value.Language));
        Assert.Equal(line, Encoding.UTF8.GetString(row.Raw.Span));
    }

    [Fact]
    public void Ndjson_SurrogatePairEscape_IsTheCharacter()
    {
        var line = """{"send_id":"S-1","instrument":"nps","sent_at":"2026-03-02T10:30:00Z","customer":"\ud83d\ude00"}""";

        var row = Assert.Single(SurveySendNdjsonReader.Read(TestText.Utf8(line + "\n"), "sends.ndjson", TestInstruments.Lookup));

        Assert.True(row.IsValid, string.Join("; ", row.Issues));
        Assert.Equal("\U0001F600", row.Value.Customer);
    }

    [Theory]
    [InlineData("""{"instrument":"nps","sent_at":"2026-03-02T10:30:00Z"}""", "sends.ndjson:1: send_id: is required")]
    [InlineData("""{"send_id":"S-1","instrument":"nps"}""", "sends.ndjson:1: sent_at: is required")]
    [InlineData("""{"send_id":"S-1","instrument":"nope","sent_at":"2026-03-02T10:30:00Z"}""", "sends.ndjson:1: instrument: 'nope' is not a known instrument")]
    [InlineData("""{"send_id":"S-1","instrument":5,"sent_at":"2026-03-02T10:30:00Z"}""", "sends.ndjson:1: instrument: '5' must be a string")]
    [InlineData("""{"send_id":"S-1","send_id":"S-2","instrument":"nps","sent_at":"2026-03-02T10:30:00Z"}""", "sends.ndjson:1: send_id: appears twice in the object")]
    [InlineData("""{"send_id":"S-1",""", "sends.ndjson:1: is not valid JSON (at column 17)")]
    [InlineData("""{"send_id":"S-\ud800","instrument":"nps","sent_at":"2026-03-02T10:30:00Z"}""", @"sends.ndjson:1: send_id: is not valid text (a lone UTF-16 surrogate escape such as \ud800)")]
    [InlineData("""{"send_id":"S-1","instrument":"nps","sent_at":"2026-03-02T10:30:00Z","customer":"\udfff"}""", @"sends.ndjson:1: customer: is not valid text (a lone UTF-16 surrogate escape such as \ud800)")]
    [InlineData("""42""", "sends.ndjson:1: is not a JSON object (each line must be one send object)")]
    public void Ndjson_BadLine_GivesTheExactIssue(string line, string expected)
    {
        var row = Assert.Single(SurveySendNdjsonReader.Read(TestText.Utf8(line + "\n"), "sends.ndjson", TestInstruments.Lookup));

        Assert.Equal(expected, Assert.Single(row.Issues).ToString());
    }
}
