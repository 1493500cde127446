using System.Text;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Rejects;
using Utendaji.Ingest.Summary;

namespace Utendaji.Ingest.Tests;

public sealed class RejectsWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("utendaji-rejects-").FullName;

    [Fact]
    public void Write_CsvRows_HeaderFirstThenOriginalRowsAndReasonsFile()
    {
        var source = "\uFEFFid,created_at,team,solved_at\r\n"
            + "T1,2026-01-05T10:22:00Z,ok,\r\n"
            + "T2,2026-01-05T10:22:00Z,\"Tier\r\n\"\"2\"\"\",2026-13-01\r\n"
            + "T3,later,,\r\n"
            + "T4,2026-01-05T10:22:00Z,ok,\r\n";
        var path = Path.Combine(_directory, "tickets.rejects.csv");

        using (var reader = TicketSummaryCsvReader.Open(TestText.Utf8(source), "tickets.csv"))
        using (var rejects = RejectsWriter.Create(path, reader.Header))
        {
            foreach (var row in reader.ReadRows().Where(r => !r.IsValid))
            {
                rejects.Write(row);
            }

            Assert.Equal(2, rejects.Count);
        }

        Assert.Equal(
            "id,created_at,team,solved_at\n" + "T2,2026-01-05T10:22:00Z,\"Tier\r\n\"\"2\"\"\",2026-13-01\n" + "T3,later,,\n",
            File.ReadAllText(path, Encoding.UTF8));
        Assert.Equal(
            "tickets.csv:3: solved_at: '2026-13-01' is not a date-time\n" + "tickets.csv:5: created_at: 'later' is not a date-time\n",
            File.ReadAllText(RejectsWriter.ReasonsPath(path), Encoding.UTF8));
    }

    [Fact]
    public void Write_CsvRejectsFile_ReadsBackToTheSameRowsAndIssues()
    {
        var source = "id,created_at,team\n" + "T1,2026-01-05T10:22:00Z,\"" + TestText.Phrase("gu") + ",\n\"\"x\"\"\"\n" + "T2,bad,ok\n";
        var path = Path.Combine(_directory, "again.rejects.csv");
        using (var reader = TicketSummaryCsvReader.Open(TestText.Utf8(source), "tickets.csv"))
        using (var rejects = RejectsWriter.Create(path, reader.Header))
        {
            foreach (var row in reader.ReadRows())
            {
                rejects.Write(row.Raw.Span, row.IsValid ? [new ImportIssue("tickets.csv", row.Line, "team", null, "failed a later check")] : row.Issues);
            }
        }

        var again = TicketSummaryCsvReader.Read(File.OpenRead(path), "again.rejects.csv").ToList();

        Assert.Equal(TestText.Bytes(TestText.Phrase("gu") + ",\n\"x\""), TestText.Bytes(again[0].Value!.Team!));
        Assert.Equal("again.rejects.csv:4: created_at: 'bad' is not a date-time", Assert.Single(again[1].Issues).ToString());
    }

    [Fact]
    public void Write_NdjsonLines_AreCopiedExactly()
    {
        var bad = """{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00","type":"created","team":"ٹیم"}""";
        var source = """{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""" + "\r\n" + bad + "\r\n";
        using var rows = new MemoryStream();
        using var reasons = new MemoryStream();

        using (var rejects = new RejectsWriter(rows, reasons, leaveOpen: true))
        {
            foreach (var row in EventNdjsonReader.Read(TestText.Utf8(source), "events.ndjson").Where(r => !r.IsValid))
            {
                rejects.Write(row);
            }
        }

        Assert.Equal(TestText.Bytes(bad + "\n"), rows.ToArray());
        Assert.Equal(
            "events.ndjson:2: at: '2026-01-05T10:22:00' has no UTC offset (add Z or an offset such as +03:00)\n",
            Encoding.UTF8.GetString(reasons.ToArray()));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
