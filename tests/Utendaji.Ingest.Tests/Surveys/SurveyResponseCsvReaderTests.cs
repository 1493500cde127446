using System.Text;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Rejects;
using Utendaji.Ingest.Surveys;

namespace Utendaji.Ingest.Tests.Surveys;

public class SurveyResponseCsvReaderTests
{
    private const string Header = "response_id,instrument,ticket_id,customer,agent,team,channel,language,sent_at,submitted_at,send_id,csat,reasons,contact,comment";

    [Fact]
    public void ReadRows_EveryColumn_MapsEveryField()
    {
        var line = "R-1,csat-5,T-9,c-7,a-3,Tier 1,email,sw,2026-03-02T09:00:00+03:00,2026-03-02T10:30:00Z,S-1,4,speed; courtesy,phone,\"Asante, \"\"sana\"\"\"";

        var row = Assert.Single(Read(Header + "\n" + line + "\n"));

        Assert.True(row.IsValid, string.Join("; ", row.Issues));
        Assert.Equal(2, row.Line);
        Assert.Equal(line, Encoding.UTF8.GetString(row.Raw.Span));
        var response = row.Value;
        Assert.Equal("R-1", response.ResponseId);
        Assert.Equal("csat-5", response.InstrumentId);
        Assert.Equal(Utc("2026-03-02T10:30:00Z"), response.SubmittedAt);
        Assert.Equal(Utc("2026-03-02T06:00:00Z"), response.SentAt);
        Assert.Equal(("T-9", "c-7", "a-3", "Tier 1", "email", "sw", "S-1"),
            (response.TicketId, response.Customer, response.Agent, response.Team, response.Channel, response.Language, response.SendId));
        Assert.Equal(4, response.Answers["csat"].Number);
        Assert.Equal(["speed", "courtesy"], response.Answers["reasons"].Choices);
        Assert.Equal(["phone"], response.Answers["contact"].Choices);
        Assert.Equal("Asante, \"sana\"", response.Answers["comment"].Text);
        Assert.Equal(4, response.Answers.Count);
    }

    [Fact]
    public void ReadRows_OnlyRequiredColumnsInAnyOrder_AreEnough()
    {
        var row = Assert.Single(Read("csat,Submitted_At,RESPONSE_ID\n5,2026-03-02 10:30:00,R-1\n"));

        Assert.True(row.IsValid);
        Assert.Equal(Utc("2026-03-02T10:30:00Z"), row.Value.SubmittedAt);
        Assert.Null(row.Value.TicketId);
        Assert.Null(row.Value.SentAt);
        Assert.Equal(5, Assert.Single(row.Value.Answers).Value.Number);
    }

    [Fact]
    public void ReadRows_EmptyAndBlankCells_AreAbsentAnswers()
    {
        var row = Assert.Single(Read(Header + "\nR-1,,,,,,,,,2026-03-02T10:30:00Z,,5,,  ,\n"));

        Assert.True(row.IsValid);
        Assert.Equal(["csat"], row.Value.Answers.Keys);
        // An empty instrument cell means the instrument chosen for the file.
        Assert.Equal("csat-5", row.Value.InstrumentId);
    }

    [Theory]
    [InlineData("gu")]
    [InlineData("ur")]
    [InlineData("sw")]
    [InlineData("tl")]
    [InlineData("fi")]
    public void ReadRows_FreeTextInTheProductsLanguages_KeptByteForByte(string language)
    {
        var paragraphs = TestText.Paragraphs(language).Take(3).ToList();
        // A comment with line breaks, commas and quotes, as customers write them.
        var comment = string.Join("\n", paragraphs) + ", \"" + TestText.Phrase(language) + "\"  ";
        var csv = "response_id,submitted_at,csat,comment\nR-1,2026-03-02T10:30:00Z,5,\"" + comment.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"\nR-2,2026-03-02T10:31:00Z,4,\n";

        var rows = Read(csv);

        Assert.Equal(comment, rows[0].Value!.Answers["comment"].Text);
        Assert.Equal(Encoding.UTF8.GetBytes(comment), Encoding.UTF8.GetBytes(rows[0].Value!.Answers["comment"].Text!));
        Assert.Equal(2L + paragraphs.Count, rows[1].Line);
        Assert.Equal(paragraphs.Count, rows[0].LineCount);
    }

    [Theory]
    [InlineData("R-1,2026-03-02T10:30:00Z,9,,", "responses.csv:2: q05: '9' is outside the scale 1–7")]
    [InlineData("R-1,2026-03-02T10:30:00Z,0,,", "responses.csv:2: q05: '0' is outside the scale 1–7")]
    [InlineData("R-1,2026-03-02T10:30:00Z,4.5,,", "responses.csv:2: q05: '4.5' is not a whole number")]
    [InlineData("R-1,2026-03-02T10:30:00Z,good,,", "responses.csv:2: q05: 'good' is not a number")]
    [InlineData("R-1,2026-03-02T10:30:00Z,\"5,0\",,", "responses.csv:2: q05: '5,0' is not a number")]
    [InlineData("R-1,2026-03-02T10:30:00Z,NaN,,", "responses.csv:2: q05: 'NaN' is not a number")]
    [InlineData("R-1,2026-03-02T10:30:00Z,,,", "responses.csv:2: q05: is required")]
    [InlineData("R-1,2026-03-02T10:30:00Z,5,101,", "responses.csv:2: imp1: '101' is outside 0–100 points")]
    [InlineData("R-1,2026-03-02T10:30:00Z,5,-1,", "responses.csv:2: imp1: '-1' is outside 0–100 points")]
    [InlineData("R-1,2026-03-02T10:30:00Z,5,60,50", "responses.csv:2: imp1: the points of imp1, imp2, imp3 add up to 110, more than 100")]
    [InlineData(",2026-03-02T10:30:00Z,5,,", "responses.csv:2: response_id: is required")]
    [InlineData("R-1,,5,,", "responses.csv:2: submitted_at: is required")]
    [InlineData("R-1,2026-02-30T10:30:00Z,5,,", "responses.csv:2: submitted_at: '2026-02-30T10:30:00Z' is not a date-time")]
    [InlineData("R-1,9999-03-02T10:30:00Z,5,,", "responses.csv:2: submitted_at: '9999-03-02T10:30:00Z' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("R-1,2026-03-02T10:30:00Z,5,,,", "responses.csv:2: has 6 fields but the header has 5")]
    [InlineData("R-1,2026-03-02T10:30:00Z,\"5,,", "responses.csv:2: has a quoted field that is never closed")]
    [InlineData("R-1,2026-03-02T10:30:00Z,\"5\"x,,", "responses.csv:2: has text after a closing quote (a quote inside a field must be doubled)")]
    [InlineData("R-1,2026-03-02T10:30:00Z,5\",,", "responses.csv:2: has a quote inside an unquoted field (quote the field and double the quote)")]
    public void ReadRows_BadRow_GivesTheExactIssue(string line, string expected)
    {
        var row = Assert.Single(Read("response_id,submitted_at,q05,imp1,imp2\n" + line + "\n", TestInstruments.Servqual));

        Assert.False(row.IsValid);
        Assert.Equal(expected, Assert.Single(row.Issues).ToString());
        // An unclosed quote swallows the rest of the file, line break included.
        Assert.Equal(line, Encoding.UTF8.GetString(row.Raw.Span).TrimEnd('\n'));
    }

    [Theory]
    [InlineData("blue", "responses.csv:2: contact: 'blue' is not one of the options (email, phone)")]
    [InlineData("email;phone", "responses.csv:2: contact: 'email;phone' names 2 options but the question takes one")]
    public void ReadRows_BadSingleChoice_GivesTheExactIssue(string value, string expected)
    {
        var row = Assert.Single(Read($"response_id,submitted_at,csat,contact\nR-1,2026-03-02T10:30:00Z,5,{value}\n"));

        Assert.Equal(expected, Assert.Single(row.Issues).ToString());
    }

    [Theory]
    [InlineData("speed;slow", "responses.csv:2: reasons: 'speed;slow' names 'slow', which is not one of the options (speed, courtesy, knowledge)")]
    [InlineData("speed;speed", "responses.csv:2: reasons: 'speed;speed' names the option 'speed' twice")]
    [InlineData(";", "responses.csv:2: reasons: ';' names no option")]
    [InlineData("Speed", "responses.csv:2: reasons: 'Speed' is not one of the options (speed, courtesy, knowledge)")]
    public void ReadRows_BadMultipleChoice_GivesTheExactIssue(string value, string expected)
    {
        var row = Assert.Single(Read($"response_id,submitted_at,csat,reasons\nR-1,2026-03-02T10:30:00Z,5,{value}\n"));

        Assert.Equal(expected, Assert.Single(row.Issues).ToString());
    }

    [Fact]
    public void ReadRows_OtherChoiceSeparator_SplitsOnIt()
    {
        var options = SurveyReaderOptions.Default with { ChoiceSeparator = '|' };

        var row = Assert.Single(Read("response_id,submitted_at,csat,reasons\nR-1,2026-03-02T10:30:00Z,5,knowledge | speed\n", options: options));

        Assert.Equal(["knowledge", "speed"], row.Value!.Answers["reasons"].Choices);
    }

    [Fact]
    public void ReadRows_AllocationAddingUpWithDecimals_Accepted()
    {
        var row = Assert.Single(Read("response_id,submitted_at,q05,imp1,imp2,imp3\nR-1,2026-03-02T10:30:00Z,6,33.3,33.3,33.4\n", TestInstruments.Servqual));

        Assert.True(row.IsValid, string.Join("; ", row.Issues));
        Assert.Equal(33.4, row.Value.Answers["imp3"].Number);
    }

    [Fact]
    public void ReadRows_AllocationNotAddingUp_NamesTheSum()
    {
        var row = Assert.Single(Read("response_id,submitted_at,q05,imp1,imp2,imp3\nR-1,2026-03-02T10:30:00Z,6,30,30,30\n", TestInstruments.Servqual));

        Assert.Equal("responses.csv:2: imp1: the points of imp1, imp2, imp3 add up to 90, not 100", Assert.Single(row.Issues).ToString());
    }

    [Fact]
    public void ReadRows_NoAnswerAtAll_Rejected()
    {
        var row = Assert.Single(Read("response_id,submitted_at,reasons,comment\nR-1,2026-03-02T10:30:00Z,,\n",
            TestInstruments.Csat with { Questions = [.. TestInstruments.Csat.Questions.Skip(1)] }));

        Assert.Equal("responses.csv:2: has no answers", Assert.Single(row.Issues).ToString());
    }

    [Fact]
    public void ReadRows_SentAfterSubmitted_Rejected()
    {
        var row = Assert.Single(Read("response_id,submitted_at,sent_at,csat\nR-1,2026-03-02T10:30:00Z,2026-03-02T11:00:00+00:00,5\n"));

        Assert.Equal("responses.csv:2: sent_at: '2026-03-02T11:00:00+00:00' is after submitted_at", Assert.Single(row.Issues).ToString());
    }

    [Fact]
    public void ReadRows_SeveralProblems_AreAllReported()
    {
        var row = Assert.Single(Read(Header + "\n,nps,,,,,,,yesterday,,,7,fast,fax,\n"));

        Assert.Equal(
            [
                "responses.csv:2: sent_at: 'yesterday' is not a date-time",
                "responses.csv:2: instrument: 'nps' is not the instrument being imported ('csat-5')",
                "responses.csv:2: response_id: is required",
                "responses.csv:2: submitted_at: is required",
            ],
            row.Issues.Select(i => i.ToString()));

        var answers = Assert.Single(Read(Header + "\nR-1,,,,,,,,,2026-03-02T10:30:00Z,,7,fast,fax,\n"));
        Assert.Equal(
            [
                "responses.csv:2: csat: '7' is outside the scale 1–5",
                "responses.csv:2: reasons: 'fast' is not one of the options (speed, courtesy, knowledge)",
                "responses.csv:2: contact: 'fax' is not one of the options (email, phone)",
            ],
            answers.Issues.Select(i => i.ToString()));
    }

    [Fact]
    public void ReadRows_LocalTimes_ReadInTheChosenZone()
    {
        var options = SurveyReaderOptions.Default with { TimeZone = DateTimeZoneProviders.Tzdb["Asia/Karachi"] };

        var row = Assert.Single(Read("response_id,submitted_at,sent_at,csat\nR-1,2026-03-02 10:30,2026-03-02T04:00:00Z,5\n", options: options));

        Assert.Equal(Utc("2026-03-02T05:30:00Z"), row.Value!.SubmittedAt);
        Assert.Equal(Utc("2026-03-02T04:00:00Z"), row.Value.SentAt);
    }

    [Fact]
    public void ReadRows_DuplicateResponseId_RejectsTheLaterRowButNotACorrectedCopy()
    {
        var rows = Read("response_id,submitted_at,csat\nR-1,2026-03-02T10:30:00Z,5\nR-2,2026-03-02T10:30:00Z,8\nR-1,2026-03-02T10:31:00Z,4\nR-2,2026-03-02T10:30:00Z,3\n");

        Assert.True(rows[0].IsValid);
        Assert.False(rows[1].IsValid);
        Assert.Equal("responses.csv:4: response_id: 'R-1' already occurs earlier in this file", Assert.Single(rows[2].Issues).ToString());
        Assert.True(rows[3].IsValid);
    }

    [Fact]
    public void ReadRows_DuplicatesAllowedByOption_BothReturned()
    {
        var rows = Read("response_id,submitted_at,csat\nR-1,2026-03-02T10:30:00Z,5\nR-1,2026-03-02T10:30:00Z,5\n", options: SurveyReaderOptions.Default with { RejectDuplicateIds = false });

        Assert.All(rows, r => Assert.True(r.IsValid));
    }

    [Fact]
    public void ReadRows_InvalidUtf8_NamesLineAndColumn()
    {
        var bytes = Encoding.UTF8.GetBytes("response_id,submitted_at,csat,comment\nR-1,2026-03-02T10:30:00Z,5,")
            .Concat(Encoding.Latin1.GetBytes("Kiitos, hyvä"))
            .Concat("\n"u8.ToArray()).ToArray();

        var row = Assert.Single(SurveyResponseCsvReader.Read(new MemoryStream(bytes), "responses.csv", TestInstruments.Csat));

        Assert.Equal("responses.csv:2: is not valid UTF-8 (byte 0xE4 at column 39); save the file as UTF-8", Assert.Single(row.Issues).ToString());
    }

    [Fact]
    public void ReadRows_NulByteInAComment_RejectsTheRowNamingTheColumn()
    {
        var bytes = Encoding.UTF8.GetBytes("response_id,submitted_at,csat,comment\nR-1,2026-03-02T10:30:00Z,5,Kiitos\0!\n");

        var row = Assert.Single(SurveyResponseCsvReader.Read(new MemoryStream(bytes), "responses.csv", TestInstruments.Csat));

        Assert.Equal("responses.csv:2: comment: contains the NUL character (U+0000), which text may not hold", Assert.Single(row.Issues).ToString());
    }

    // ---- the header and the instrument ---------------------------------------------------------------------

    [Theory]
    [InlineData("response_id,submitted_at,q05,q23", "responses.csv:1: q23: is not an item of instrument 'servqual'")]
    [InlineData("response_id,submitted_at,q05,q23,Q05,p99", "responses.csv:1: q23: is not an item of instrument 'servqual' (nor are 'Q05', 'p99')")]
    [InlineData("response_id,submitted_at,q05,q23,x", "responses.csv:1: q23: is not an item of instrument 'servqual' (nor is 'x')")]
    [InlineData("response_id,submitted_at,e05", "responses.csv:1: header: has no column for the required item 'q05' of instrument 'servqual'")]
    [InlineData("submitted_at,q05", "responses.csv:1: header: is missing the required column 'response_id'")]
    [InlineData("q05", "responses.csv:1: header: is missing the required columns 'response_id', 'submitted_at'")]
    [InlineData("response_id,submitted_at,q05,Team,team", "responses.csv:1: header: 'team' appears twice (columns 4 and 5)")]
    [InlineData("response_id,submitted_at,q05,", "responses.csv:1: header: has no name for column 4")]
    public void Open_BadHeaderForTheChosenInstrument_FailsTheWholeFile(string header, string expected)
    {
        var error = Assert.Throws<ImportFileException>(() => SurveyResponseCsvReader.Open(TestText.Utf8(header + "\nR-1,2026-03-02T10:30:00Z,5,,,\n"), "responses.csv", TestInstruments.Servqual));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Open_EmptyFile_FailsTheWholeFile(string text)
    {
        var error = Assert.Throws<ImportFileException>(() => SurveyResponseCsvReader.Open(TestText.Utf8(text), "responses.csv", TestInstruments.Csat));

        Assert.Equal("responses.csv:1: is empty; a header line is expected", error.Message);
    }

    [Fact]
    public void Open_Utf16File_Refused()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("response_id,submitted_at,csat\n")).ToArray();

        var error = Assert.Throws<ImportFileException>(() => SurveyResponseCsvReader.Open(new MemoryStream(bytes), "responses.csv", TestInstruments.Csat));

        Assert.Equal("responses.csv:1: is UTF-16 encoded; save the file as UTF-8", error.Message);
    }

    [Fact]
    public void Open_LookupWithoutInstrumentColumn_FailsTheWholeFile()
    {
        var error = Assert.Throws<ImportFileException>(() => SurveyResponseCsvReader.Open(TestText.Utf8("response_id,submitted_at,csat\n"), "responses.csv", TestInstruments.Lookup));

        Assert.Equal("responses.csv:1: header: is missing the required column 'instrument' (each row must name its instrument unless one instrument is chosen for the file)", error.Message);
    }

    [Fact]
    public void ReadRows_MixedInstrumentsByLookup_EachRowCheckedAgainstItsOwn()
    {
        var csv = "response_id,instrument,submitted_at,csat,nps,q05\n"
            + "R-1,csat-5,2026-03-02T10:30:00Z,5,,\n"
            + "R-2,nps,2026-03-02T10:30:00Z,,10,\n"
            + "R-3,nps,2026-03-02T10:30:00Z,5,10,\n"
            + "R-4,csat-9,2026-03-02T10:30:00Z,5,,\n"
            + "R-5,,2026-03-02T10:30:00Z,5,,\n"
            + "R-6,nps,2026-03-02T10:30:00Z,,11,\n";
        var lookups = new List<string>();

        using var reader = SurveyResponseCsvReader.Open(TestText.Utf8(csv), "responses.csv", id => { lookups.Add(id); return TestInstruments.Lookup(id); });
        var rows = reader.ReadRows().ToList();

        Assert.Equal(["csat", "nps", "q05"], reader.ItemColumns);
        Assert.Equal("csat-5", rows[0].Value!.InstrumentId);
        Assert.Equal(10, rows[1].Value!.Answers["nps"].Number);
        Assert.Equal("responses.csv:4: csat: '5' is not an item of instrument 'nps'", Assert.Single(rows[2].Issues).ToString());
        Assert.Equal("responses.csv:5: instrument: 'csat-9' is not a known instrument", Assert.Single(rows[3].Issues).ToString());
        Assert.Equal("responses.csv:6: instrument: is required", Assert.Single(rows[4].Issues).ToString());
        Assert.Equal("responses.csv:7: nps: '11' is outside the scale 0–10", Assert.Single(rows[5].Issues).ToString());
        // The lookup runs once per distinct id.
        Assert.Equal(["csat-5", "nps", "csat-9"], lookups);
    }

    // ---- rejects and streaming -----------------------------------------------------------------------------

    [Fact]
    public void ReadRows_RejectedRowsWrittenToRejects_ReReadToTheSameIssues()
    {
        var csv = Header + "\nR-1,,,,,,,,,2026-03-02T10:30:00Z,,5,,,\"ok\"\nR-2,,,,,,,,,2026-03-02T10:30:00Z,,6,,,\"line\nbreak ગ\"\nR-3,,,,,,,,,2026-03-02T10:30:00Z,,3,slow,,\n";
        var rows = new MemoryStream();
        var reasons = new MemoryStream();
        using (var reader = SurveyResponseCsvReader.Open(TestText.Utf8(csv), "responses.csv", TestInstruments.Csat))
        using (var rejects = new RejectsWriter(rows, reasons, reader.Header, leaveOpen: true))
        {
            foreach (var row in reader.ReadRows().Where(r => !r.IsValid))
            {
                rejects.Write(row);
            }
        }

        var again = SurveyResponseCsvReader.Read(new MemoryStream(rows.ToArray()), "responses.rejects.csv", TestInstruments.Csat).ToList();

        Assert.Equal(
            "responses.csv:3: csat: '6' is outside the scale 1–5\nresponses.csv:5: reasons: 'slow' is not one of the options (speed, courtesy, knowledge)\n",
            Encoding.UTF8.GetString(reasons.ToArray()));
        Assert.Equal(
            ["responses.rejects.csv:2: csat: '6' is outside the scale 1–5", "responses.rejects.csv:4: reasons: 'slow' is not one of the options (speed, courtesy, knowledge)"],
            again.SelectMany(r => r.Issues).Select(i => i.ToString()));
    }

    [Fact]
    public void ReadRows_LargeGeneratedStream_GivesTheFirstRowBeforeReadingFar()
    {
        // 10 million rows are never materialised: the stream makes each line when asked.
        var source = new GeneratedStream(Header + "\n", 10_000_000, i => $"R{i},csat-5,T{i},c{i},a7,Tier 1,email,ur,,2026-03-02T10:30:00Z,,5,speed;knowledge,email,بہت اچھا\n");

        using var reader = SurveyResponseCsvReader.Open(source, "big.csv", TestInstruments.Csat);
        var first = reader.ReadRows().First();

        Assert.Equal("R0", first.Value!.ResponseId);
        Assert.True(source.Produced <= 1024 * 1024, $"read {source.Produced} bytes before the first row");
    }

    [Fact]
    public void ReadRows_ManyRows_StreamsThemAllInOrder()
    {
        const int count = 20_000;
        var source = new GeneratedStream(Header + "\n", count, i => $"R{i},csat-5,T{i},c{i},a7,Tier 1,email,gu,,2026-03-02T10:30:00Z,,{1 + (i % 5)},,,\"ગ્રાહક\nસેવા\"\n");

        var rows = SurveyResponseCsvReader.Read(source, "big.csv", TestInstruments.Csat, SurveyReaderOptions.Default with { BufferSize = 1000 }).ToList();

        Assert.Equal(count, rows.Count(r => r.IsValid));
        Assert.Equal(2L + (2L * (count - 1)), rows[^1].Line);
        Assert.Equal("ગ્રાહક\nસેવા", rows[^1].Value!.Answers["comment"].Text);
    }

    [Fact]
    public void ReadRows_CalledTwice_Throws()
    {
        using var reader = SurveyResponseCsvReader.Open(TestText.Utf8("response_id,submitted_at,csat\n"), "r.csv", TestInstruments.Csat);
        _ = reader.ReadRows();

        Assert.Throws<InvalidOperationException>(() => reader.ReadRows());
    }

    private static List<ImportRow<SurveyResponse>> Read(string csv, SurveyInstrument? instrument = null, SurveyReaderOptions? options = null) =>
        [.. SurveyResponseCsvReader.Read(TestText.Utf8(csv), "responses.csv", instrument ?? TestInstruments.Csat, options)];

    private static Instant Utc(string text) => InstantPattern.General.Parse(text).Value;
}
