namespace Utendaji.Ingest.Tests;

public class ImportIssueTests
{
    [Fact]
    public void ToString_FieldAndValue_MatchesTheSpecExample()
    {
        var issue = new ImportIssue("tickets.csv", 1042, "solved_at", "2026-13-01", "is not a date-time");

        Assert.Equal("tickets.csv:1042: solved_at: '2026-13-01' is not a date-time", issue.ToString());
    }

    [Fact]
    public void ToString_NoValue_LeavesOutTheQuotes()
    {
        var issue = new ImportIssue("events.ndjson", 3, "ticket_id", null, "is required");

        Assert.Equal("events.ndjson:3: ticket_id: is required", issue.ToString());
    }

    [Fact]
    public void ToString_NoField_NamesOnlyTheLine()
    {
        var issue = new ImportIssue("events.ndjson", 9, "", null, "is not valid JSON (at column 4)");

        Assert.Equal("events.ndjson:9: is not valid JSON (at column 4)", issue.ToString());
    }

    [Fact]
    public void ToString_ValueWithLineBreak_StaysOnOneLine()
    {
        var issue = new ImportIssue("t.csv", 2, "team", "a\r\nb\tc\u0001", "is odd");

        Assert.Equal("t.csv:2: team: 'a\\r\\nb\\tc\\u0001' is odd", issue.ToString());
    }

    [Fact]
    public void ToString_LongValue_IsShortenedWithoutSplittingASurrogatePair()
    {
        var value = new string('x', ImportIssue.MaxShownValueLength - 1) + "😀" + "tail";

        var text = new ImportIssue("t.csv", 2, "id", value, "is odd").ToString();

        Assert.Equal("t.csv:2: id: '" + new string('x', ImportIssue.MaxShownValueLength - 1) + "😀…' is odd", text);
    }
}
