using System.Text;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Summary;

namespace Utendaji.Ingest.Tests;

public class TicketSummaryCsvReaderTests
{
    private const string Header = "id,created_at,first_reply_at,solved_at,reopens,agent_replies,priority,channel,team,agent,customer,language,satisfaction";

    private const string GoodRow = "T1,2026-01-05T10:22:00+03:00,2026-01-05T11:00:00+03:00,2026-01-06T09:00:00Z,1,2,high,email,Tier 1,a7,c9,sw,4";

    // Real column names of Zendesk Support's ticket CSV export, in export order.
    private static readonly string[] ZendeskHeader =
    [
        "Summation column", "Id", "Requester", "Requester id", "Requester external id", "Requester email", "Requester domain",
        "Submitter", "Assignee", "Group", "Subject", "Tags", "Status", "Priority", "Via", "Ticket type", "Created at",
        "Updated at", "Assigned at", "Organization", "Due date", "Initially assigned at", "Solved at", "Resolution time",
        "Satisfaction Score", "Group stations", "Assignee stations", "Reopens", "Replies", "First reply time in minutes",
        "First reply time in minutes within business hours", "First resolution time in minutes",
        "First resolution time in minutes within business hours", "Full resolution time in minutes",
        "Full resolution time in minutes within business hours", "Agent wait time in minutes",
        "Agent wait time in minutes within business hours", "Requester wait time in minutes",
        "Requester wait time in minutes within business hours", "On hold time in minutes", "On hold time in minutes within business hours",
    ];

    // Real column names of Freshdesk's ticket export (ticket fields, then contact fields).
    private static readonly string[] FreshdeskHeader =
    [
        "Ticket ID", "Subject", "Description", "Status", "Priority", "Source", "Type", "Agent", "Group", "Created time",
        "Due by Time", "Resolved time", "Closed time", "Last update time", "Initial response time", "Time tracked",
        "First response time (in hrs)", "Resolution time (in hrs)", "Agent interactions", "Customer interactions",
        "Resolution status", "First response status", "Tags", "Survey results", "Product", "Full name", "Email", "Contact ID",
    ];

    [Fact]
    public void ReadRows_CanonicalRow_MapsEveryField()
    {
        var row = Assert.Single(Read(Header + "\n" + GoodRow + "\n"));

        Assert.True(row.IsValid);
        Assert.Equal(2, row.Line);
        Assert.Equal(GoodRow, Encoding.UTF8.GetString(row.Raw.Span));
        Assert.Equal(
            new TicketSummary("T1", Utc("2026-01-05T07:22:00Z"), Utc("2026-01-05T08:00:00Z"), Utc("2026-01-06T09:00:00Z"), 1, 2, "high", "email", "Tier 1", "a7", "c9", "sw", 4),
            row.Value);
    }

    [Fact]
    public void ReadRows_OptionalFieldsEmpty_AreNullOrZero()
    {
        var row = Assert.Single(Read(Header + "\nT2,2026-01-05T10:22:00Z,,,,,,,,,,,\n"));

        Assert.Equal(new TicketSummary("T2", Utc("2026-01-05T10:22:00Z"), null, null, 0, 0, null, null, null, null, null, null, null), row.Value);
    }

    [Fact]
    public void ReadRows_OnlyRequiredColumnsInAnyOrder_AreEnough()
    {
        var row = Assert.Single(Read("created_at,ID\n2026-01-05T10:22:00Z,T3\n"));

        Assert.Equal("T3", row.Value!.TicketId);
    }

    [Theory]
    [InlineData("T1,2026-01-05T10:22:00Z,,2026-13-01,0,0,,,,,,,", "tickets.csv:2: solved_at: '2026-13-01' is not a date-time")]
    [InlineData(",2026-01-05T10:22:00Z,,,0,0,,,,,,,", "tickets.csv:2: id: is required")]
    [InlineData("T1,,,,0,0,,,,,,,", "tickets.csv:2: created_at: is required")]
    [InlineData("T1,yesterday,,,0,0,,,,,,,", "tickets.csv:2: created_at: 'yesterday' is not a date-time")]
    [InlineData("T1,0001-01-02T08:00:00Z,,,0,0,,,,,,,", "tickets.csv:2: created_at: '0001-01-02T08:00:00Z' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("T1,2026-01-05T10:22:00Z,,2200-01-01 00:00,0,0,,,,,,,", "tickets.csv:2: solved_at: '2200-01-01 00:00' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("T1,2026-01-05T10:22:00Z,2026-01-05 25:00,,0,0,,,,,,,", "tickets.csv:2: first_reply_at: '2026-01-05 25:00' is not a date-time")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,two,0,,,,,,,", "tickets.csv:2: reopens: 'two' is not a whole number")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,-1,0,,,,,,,", "tickets.csv:2: reopens: '-1' must not be negative")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,0,1.5,,,,,,,", "tickets.csv:2: agent_replies: '1.5' is not a whole number")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,0,0,,,,,,,7", "tickets.csv:2: satisfaction: '7' is not a rating (1 to 5, or a Zendesk or Freshdesk survey answer)")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,0,0,,,,,,,meh", "tickets.csv:2: satisfaction: 'meh' is not a rating (1 to 5, or a Zendesk or Freshdesk survey answer)")]
    [InlineData("T1,2026-01-05T10:22:00Z,0", "tickets.csv:2: has 3 fields but the header has 13")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,0,0,,,,,,,,", "tickets.csv:2: has 14 fields but the header has 13")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,0,0,,,\"Tier\" 1,,,,", "tickets.csv:2: has text after a closing quote (a quote inside a field must be doubled)")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,0,0,,,5\" screen,,,,", "tickets.csv:2: has a quote inside an unquoted field (quote the field and double the quote)")]
    [InlineData("T1,2026-01-05T10:22:00Z,,,0,0,,,\"Tier 1,,,,", "tickets.csv:2: has a quoted field that is never closed")]
    public void ReadRows_BadRow_GivesTheExactIssue(string row, string expected)
    {
        var result = Assert.Single(Read(Header + "\n" + row + "\n"));

        Assert.False(result.IsValid);
        Assert.Equal(expected, Assert.Single(result.Issues).ToString());
        // An unterminated quote runs to the end of the file, so its raw text includes the final line break.
        Assert.StartsWith(row, Encoding.UTF8.GetString(result.Raw.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_SeveralBadFields_ReportsThemAll()
    {
        var result = Assert.Single(Read(Header + "\nT1,2026-01-05T10:22:00Z,,2026-13-01,x,y,,,,,,,9\n"));

        Assert.Equal(
            [
                "tickets.csv:2: solved_at: '2026-13-01' is not a date-time",
                "tickets.csv:2: reopens: 'x' is not a whole number",
                "tickets.csv:2: agent_replies: 'y' is not a whole number",
                "tickets.csv:2: satisfaction: '9' is not a rating (1 to 5, or a Zendesk or Freshdesk survey answer)",
            ],
            result.Issues.Select(i => i.ToString()));
    }

    [Fact]
    public void ReadRows_InvalidUtf8FromALatin1File_NamesLineAndByte()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n" + GoodRow + "\n")
            .Concat(Encoding.Latin1.GetBytes("T2,2026-01-05T10:22:00Z,,,0,0,,,Myynti ja hyväksyntä,,,,\n"))
            .ToArray();

        var rows = TicketSummaryCsvReader.Read(new MemoryStream(bytes), "tickets.csv").ToList();

        Assert.True(rows[0].IsValid);
        Assert.Equal("tickets.csv:3: is not valid UTF-8 (byte 0xE4 at column 46); save the file as UTF-8", Assert.Single(rows[1].Issues).ToString());
    }

    [Fact]
    public void ReadRows_NulByteInAField_RejectsTheRowNamingTheColumn()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n" + GoodRow + "\nT2,2026-01-05T10:22:00Z,,,0,0,,,Tier\0 1,,,,\n");

        var rows = TicketSummaryCsvReader.Read(new MemoryStream(bytes), "tickets.csv").ToList();

        Assert.True(rows[0].IsValid);
        Assert.Equal("tickets.csv:3: team: contains the NUL character (U+0000), which text may not hold", Assert.Single(rows[1].Issues).ToString());
    }

    [Fact]
    public void ReadRows_DuplicateId_RejectsTheLaterRowOnly()
    {
        var rows = Read(Header + "\n" + GoodRow + "\nT9,2026-01-05T10:22:00Z,,,,,,,,,,,\n" + GoodRow + "\n");

        Assert.True(rows[0].IsValid);
        Assert.True(rows[1].IsValid);
        Assert.Equal("tickets.csv:4: id: 'T1' already occurs earlier in this file", Assert.Single(rows[2].Issues).ToString());
    }

    [Fact]
    public void ReadRows_DuplicateOfARejectedRow_IsAccepted()
    {
        var rows = Read(Header + "\nT1,bad,,,,,,,,,,,\n" + GoodRow + "\n");

        Assert.False(rows[0].IsValid);
        Assert.True(rows[1].IsValid);
    }

    [Fact]
    public void ReadRows_DuplicateCheckOff_AcceptsBoth()
    {
        var rows = Read(Header + "\n" + GoodRow + "\n" + GoodRow + "\n", TicketSummaryCsvOptions.Default with { RejectDuplicateIds = false });

        Assert.All(rows, r => Assert.True(r.IsValid));
    }

    [Fact]
    public void ReadRows_CrlfBomQuotedNewlinesAndBlankLines_KeepPhysicalLineNumbers()
    {
        var csv = "\uFEFF" + Header + "\r\n"
            + "T1,2026-01-05T10:22:00Z,,,,,,,\"Tier\r\n1, \"\"North\"\"\",,,,\r\n"
            + "\r\n"
            + "T2,2026-01-05T10:22:00Z,,,,,,,,,,,5\r\n"
            + "T3,nope,,,,,,,,,,,";

        var rows = Read(csv);

        Assert.Equal([2L, 5, 6], rows.Select(r => r.Line));
        Assert.Equal("Tier\r\n1, \"North\"", rows[0].Value!.Team);
        Assert.Equal(2, rows[0].LineCount);
        Assert.Equal("tickets.csv:6: created_at: 'nope' is not a date-time", rows[2].Issues[0].ToString());
    }

    [Fact]
    public void ReadRows_TextInEveryLanguage_SurvivesByteForByte()
    {
        var phrases = TestText.Languages.Select(l => TestText.Phrase(l, 6)).ToArray();
        var csv = new StringBuilder(Header + "\n");
        for (var i = 0; i < phrases.Length; i++)
        {
            var p = Quote(phrases[i]);
            var team = Quote(phrases[i] + ", " + phrases[i]);
            csv.Append(CultureInvariant($"T{i},2026-01-05T10:22:00Z,,,0,1,{p},{p},{team},{p},{p},{TestText.Languages[i]},\n"));
        }

        var rows = Read(csv.ToString());

        for (var i = 0; i < phrases.Length; i++)
        {
            var value = rows[i].Value!;
            Assert.Equal(TestText.Bytes(phrases[i]), TestText.Bytes(value.Agent!));
            Assert.Equal(TestText.Bytes(phrases[i] + ", " + phrases[i]), TestText.Bytes(value.Team!));
            Assert.Equal(phrases[i], value.Priority);
            Assert.Equal(phrases[i], value.Channel);
            Assert.Equal(phrases[i], value.Customer);
        }
    }

    [Fact]
    public void ReadRows_LocalTimes_AreReadInTheConfiguredZone()
    {
        var options = TicketSummaryCsvOptions.Default with { TimeZone = DateTimeZoneProviders.Tzdb["Africa/Nairobi"] };

        var row = Assert.Single(Read("id,created_at,solved_at\nT1,2026-01-05 10:22:00,2026-01-05T10:22:00Z\n", options));

        Assert.Equal(Utc("2026-01-05T07:22:00Z"), row.Value!.CreatedAt);
        Assert.Equal(Utc("2026-01-05T10:22:00Z"), row.Value.SolvedAt);
    }

    [Fact]
    public void Open_ZendeskExportHeader_IsDetectedAndMapped()
    {
        var values = new Dictionary<string, string>
        {
            ["Id"] = "1042",
            ["Requester"] = TestText.Phrase("ur", 2),
            ["Requester id"] = "361",
            ["Assignee"] = "Amina Njeri",
            ["Group"] = "Support EU",
            ["Priority"] = "Normal",
            ["Via"] = "Web form",
            ["Created at"] = "2026-01-05 10:22:00",
            ["Solved at"] = "2026-01-06 09:00:00",
            ["Satisfaction Score"] = "Good",
            ["Reopens"] = "1",
            ["Replies"] = "3",
            ["First reply time in minutes"] = "38",
        };

        using var reader = TicketSummaryCsvReader.Open(TestText.Utf8(Csv(ZendeskHeader, values)), "export.csv");
        var row = Assert.Single(reader.ReadRows());

        Assert.Equal(SummaryCsvProfile.Zendesk, reader.Profile);
        Assert.Equal(
            new TicketSummary("1042", Utc("2026-01-05T10:22:00Z"), Utc("2026-01-05T11:00:00Z"), Utc("2026-01-06T09:00:00Z"), 1, 3, "normal", "web", "Support EU", "Amina Njeri", "361", null, 5),
            row.Value);
        Assert.Equal(["Requester id", "Requester email", "Requester"], reader.MappedColumns["customer"]);
    }

    [Theory]
    [InlineData("Bad", 1)]
    [InlineData("Good with comment", 5)]
    [InlineData("Offered", null)]
    [InlineData("unoffered", null)]
    [InlineData("", null)]
    public void ReadRows_ZendeskSatisfaction_MapsToRating(string score, int? expected)
    {
        var values = new Dictionary<string, string> { ["Id"] = "1", ["Created at"] = "2026-01-05 10:22:00", ["Satisfaction Score"] = score };

        var row = Assert.Single(TicketSummaryCsvReader.Read(TestText.Utf8(Csv(ZendeskHeader, values)), "export.csv"));

        Assert.Equal(expected, row.Value!.Satisfaction);
    }

    [Fact]
    public void ReadRows_ZendeskFirstReplyMinutesNotANumber_IsAnIssue()
    {
        var values = new Dictionary<string, string> { ["Id"] = "1", ["Created at"] = "2026-01-05 10:22:00", ["First reply time in minutes"] = "soon" };

        var row = Assert.Single(TicketSummaryCsvReader.Read(TestText.Utf8(Csv(ZendeskHeader, values)), "export.csv"));

        Assert.Equal("export.csv:2: first_reply_at: 'soon' is not a number of minutes", Assert.Single(row.Issues).ToString());
    }

    /// <summary>
    /// Minutes that put the first reply at or after 2200-01-01 are refused before any arithmetic: 1e11 and 1e308 minutes
    /// overflowed NodaTime (an unhandled exception, and a 500 from the server's import), 4e9 minutes stored a reply in
    /// year 9631. 2199-12-31 23:00 plus 59 minutes is the last minute inside; plus 60 reaches 2200-01-01T00:00:00Z.
    /// </summary>
    [Theory]
    [InlineData("2026-01-05 10:22:00", "99999999999", false)]
    [InlineData("2026-01-05 10:22:00", "1e308", false)]
    [InlineData("2026-01-05 10:22:00", "4000000000", false)]
    [InlineData("2199-12-31 23:00:00", "60", false)]
    [InlineData("2199-12-31 23:00:00", "59", true)]
    public void ReadRows_ZendeskFirstReplyMinutesBeyond2199_IsAnIssue(string created, string minutes, bool accepted)
    {
        var values = new Dictionary<string, string> { ["Id"] = "1", ["Created at"] = created, ["First reply time in minutes"] = minutes };

        var row = Assert.Single(TicketSummaryCsvReader.Read(TestText.Utf8(Csv(ZendeskHeader, values)), "export.csv"));

        if (accepted)
        {
            Assert.Equal(Instant.FromUtc(2199, 12, 31, 23, 59), row.Value!.FirstReplyAt);
        }
        else
        {
            Assert.Equal($"export.csv:2: first_reply_at: '{minutes}' puts the first reply at or after 2200-01-01T00:00:00Z, outside the supported range", Assert.Single(row.Issues).ToString());
        }
    }

    [Fact]
    public void Open_FreshdeskExportHeader_IsDetectedAndMapped()
    {
        var values = new Dictionary<string, string>
        {
            ["Ticket ID"] = "77",
            ["Priority"] = "Medium",
            ["Source"] = "Portal",
            ["Agent"] = TestText.Phrase("gu", 2),
            ["Group"] = "Tier 2",
            ["Created time"] = "2026-01-05 10:22:00",
            ["Closed time"] = "2026-01-07 16:00:00",
            ["Initial response time"] = "2026-01-05 12:00:00",
            ["First response time (in hrs)"] = "01:38:00",
            ["Agent interactions"] = "2",
            ["Survey results"] = "Extremely Happy",
            ["Full name"] = "Juan dela Cruz",
            ["Email"] = "juan@example.org",
        };
        var options = TicketSummaryCsvOptions.Default with { TimeZone = DateTimeZoneProviders.Tzdb["Asia/Manila"] };

        using var reader = TicketSummaryCsvReader.Open(TestText.Utf8(Csv(FreshdeskHeader, values)), "fd.csv", options);
        var row = Assert.Single(reader.ReadRows());

        Assert.Equal(SummaryCsvProfile.Freshdesk, reader.Profile);
        Assert.Equal(
            new TicketSummary("77", Utc("2026-01-05T02:22:00Z"), Utc("2026-01-05T04:00:00Z"), Utc("2026-01-07T08:00:00Z"), 0, 2, "medium", "web", "Tier 2", TestText.Phrase("gu", 2), "juan@example.org", null, 5),
            row.Value);
    }

    [Theory]
    [InlineData("Happy", 4)]
    [InlineData("Neutral", 3)]
    [InlineData("Unhappy", 2)]
    [InlineData("Extremely Unhappy", 1)]
    [InlineData("Just Okay", 3)]
    [InlineData("Not Good", 1)]
    public void ReadRows_FreshdeskSurveyResults_MapToRating(string answer, int expected)
    {
        var values = new Dictionary<string, string> { ["Ticket ID"] = "1", ["Created time"] = "2026-01-05 10:22:00", ["Survey results"] = answer };

        var row = Assert.Single(TicketSummaryCsvReader.Read(TestText.Utf8(Csv(FreshdeskHeader, values)), "fd.csv"));

        Assert.Equal(expected, row.Value!.Satisfaction);
    }

    [Fact]
    public void Open_ExplicitProfileOnAnotherHeader_NamesTheMissingColumns()
    {
        var options = TicketSummaryCsvOptions.Default with { Profile = SummaryCsvProfile.Freshdesk };

        var error = Assert.Throws<ImportFileException>(() => TicketSummaryCsvReader.Open(TestText.Utf8(Header + "\n"), "tickets.csv", options));

        Assert.Equal("tickets.csv:1: header: is missing the required columns 'Ticket ID', 'Created time' (Freshdesk export profile)", error.Message);
    }

    [Fact]
    public void Open_HeaderWithoutCreatedAt_IsOneClearError()
    {
        var error = Assert.Throws<ImportFileException>(() => TicketSummaryCsvReader.Open(TestText.Utf8("\n\nid,solved_at\nT1,\n"), "tickets.csv"));

        Assert.Equal("tickets.csv:3: header: is missing the required column 'created_at' (canonical profile); it is not a Zendesk or Freshdesk export header either", error.Message);
        Assert.Equal(3, error.Issue.Line);
    }

    [Fact]
    public void Open_EmptyFile_IsAnError()
    {
        var error = Assert.Throws<ImportFileException>(() => TicketSummaryCsvReader.Open(new MemoryStream(), "tickets.csv"));

        Assert.Equal("tickets.csv:1: is empty; a header line is expected", error.Message);
    }

    [Fact]
    public void Open_Utf16File_IsAnError()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Header + "\n")).ToArray();

        var error = Assert.Throws<ImportFileException>(() => TicketSummaryCsvReader.Open(new MemoryStream(bytes), "tickets.csv"));

        Assert.Equal("tickets.csv:1: is UTF-16 encoded; save the file as UTF-8", error.Message);
    }

    [Fact]
    public void ReadRows_UnterminatedQuoteLongerThanTheLimit_StopsWithAFileError()
    {
        var options = TicketSummaryCsvOptions.Default with { MaxRecordBytes = 4096, BufferSize = 1024 };
        var csv = Header + "\n" + GoodRow + "\nT2,\"" + new string('x', 10_000) + "\n";

        using var reader = TicketSummaryCsvReader.Open(TestText.Utf8(csv), "tickets.csv", options);
        using var rows = reader.ReadRows().GetEnumerator();

        Assert.True(rows.MoveNext());
        var error = Assert.Throws<ImportFileException>(() => rows.MoveNext());
        Assert.Equal("tickets.csv:3: a record is longer than 4096 bytes (is a quote never closed?)", error.Message);
    }

    [Fact]
    public void ReadRows_LargeGeneratedStream_GivesTheFirstRowBeforeReadingFar()
    {
        // 10 million rows (about 1 GB) are never materialised: the stream makes each line when asked.
        var source = new GeneratedStream(Header + "\n", 10_000_000, i => $"T{i},2026-01-05T10:22:00Z,,,0,1,high,email,Tier 1,a7,c{i},sw,5\n");

        using var reader = TicketSummaryCsvReader.Open(source, "big.csv");
        var first = reader.ReadRows().First();

        Assert.Equal("T0", first.Value!.TicketId);
        Assert.True(source.Produced <= 1024 * 1024, $"read {source.Produced} bytes before the first row");
    }

    [Fact]
    public void ReadRows_ManyRows_StreamsThemAllInOrder()
    {
        const int count = 50_000;
        var source = new GeneratedStream(Header + "\n", count, i => $"T{i},2026-01-05T10:22:00Z,,,0,1,high,email,\"Tier\n1\",a7,c{i},sw,5\n");
        var options = TicketSummaryCsvOptions.Default with { BufferSize = 1000 };

        var lines = TicketSummaryCsvReader.Read(source, "big.csv", options).Select(r => (r.Line, r.Value!.TicketId)).ToList();

        Assert.Equal(count, lines.Count);
        Assert.Equal((2L, "T0"), lines[0]);
        Assert.Equal((2L + (2L * (count - 1)), "T" + (count - 1)), lines[^1]);
    }

    private static List<ImportRow<TicketSummary>> Read(string csv, TicketSummaryCsvOptions? options = null) =>
        [.. TicketSummaryCsvReader.Read(TestText.Utf8(csv), "tickets.csv", options)];

    private static Instant Utc(string text) => InstantPattern.ExtendedIso.Parse(text).Value;

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Quote(string v) =>
        v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;

    private static string Csv(string[] header, Dictionary<string, string> values)
    {
        return string.Join(",", header.Select(Quote)) + "\r\n"
            + string.Join(",", header.Select(h => Quote(values.GetValueOrDefault(h, "")))) + "\r\n";
    }
}
