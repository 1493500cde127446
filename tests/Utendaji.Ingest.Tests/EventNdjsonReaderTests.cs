using System.Text;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Events;

namespace Utendaji.Ingest.Tests;

public class EventNdjsonReaderTests
{
    private const string Full =
        """{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00.123+03:00","type":"status_changed","actor":{"kind":"agent","id":"a7"},"public":false,"channel":"email","team":"tier1","priority":"high","status":"on_hold","attributes":{"language":"sw","score":4.50,"vip":true,"gone":null}}""";

    [Fact]
    public void ReadRows_FullEvent_MapsEveryField()
    {
        var row = Assert.Single(Read(Full + "\n"));

        Assert.True(row.IsValid);
        var e = row.Value;
        Assert.Equal(("e1", "t1", TicketEventType.StatusChanged, ActorKind.Agent, "a7", false), (e.Id, e.TicketId, e.Type, e.ActorKind, e.ActorId, e.Public));
        Assert.Equal(InstantPattern.ExtendedIso.Parse("2026-01-05T07:22:00.123Z").Value, e.At);
        Assert.Equal(("email", "tier1", "high", TicketStatus.OnHold), (e.Channel, e.Team, e.Priority, e.Status));
        Assert.Equal(new Dictionary<string, string> { ["language"] = "sw", ["score"] = "4.50", ["vip"] = "true" }, e.Attributes);
        Assert.Equal(Full, Encoding.UTF8.GetString(row.Raw.Span));
    }

    [Theory]
    [InlineData("created", ActorKind.Customer)]
    [InlineData("customer_reply", ActorKind.Customer)]
    [InlineData("agent_reply", ActorKind.Agent)]
    [InlineData("assigned", ActorKind.System)]
    [InlineData("reopened", ActorKind.System)]
    public void ReadRows_MinimalEvent_TakesTheDocumentedDefaults(string type, ActorKind kind)
    {
        var row = Assert.Single(Read($$"""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"{{type}}"}"""));

        var e = row.Value!;
        Assert.Equal(kind, e.ActorKind);
        Assert.True(e.Public);
        Assert.Null(e.ActorId);
        Assert.Null(e.Channel);
        Assert.Null(e.Status);
        Assert.Null(e.Attributes);
    }

    [Fact]
    public void ReadRows_NumericIdsAndUnknownProperties_AreAccepted()
    {
        var row = Assert.Single(Read("""{"id":17,"ticket_id":1042,"at":"2026-01-05T10:22:00Z","type":"priority_changed","priority":2,"source":{"x":[1]}}"""));

        Assert.Equal(("17", "1042", "2"), (row.Value!.Id, row.Value.TicketId, row.Value.Priority));
    }

    [Theory]
    [InlineData("""{"ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""", "events.ndjson:1: id: is required")]
    [InlineData("""{"id":"","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""", "events.ndjson:1: id: is required")]
    [InlineData("""{"id":"e1","at":"2026-01-05T10:22:00Z","type":"created"}""", "events.ndjson:1: ticket_id: is required")]
    [InlineData("""{"id":"e1","ticket_id":"t1","type":"created"}""", "events.ndjson:1: at: is required")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z"}""", "events.ndjson:1: type: is required")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00","type":"created"}""", "events.ndjson:1: at: '2026-01-05T10:22:00' has no UTC offset (add Z or an offset such as +03:00)")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-13-01T10:22:00Z","type":"created"}""", "events.ndjson:1: at: '2026-13-01T10:22:00Z' is not a date-time")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"9999-12-30T08:00:00Z","type":"created"}""", "events.ndjson:1: at: '9999-12-30T08:00:00Z' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"9999-12-31T23:59:59-14:00","type":"created"}""", "events.ndjson:1: at: '9999-12-31T23:59:59-14:00' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"1900-01-01T00:30:00+01:00","type":"created"}""", "events.ndjson:1: at: '1900-01-01T00:30:00+01:00' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":1767608520,"type":"created"}""", "events.ndjson:1: at: '1767608520' must be a string")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"solved"}""", "events.ndjson:1: type: 'solved' is not an event type (created, agent_reply, customer_reply, status_changed, assigned, priority_changed, reopened)")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"Created"}""", "events.ndjson:1: type: 'Created' is not an event type (created, agent_reply, customer_reply, status_changed, assigned, priority_changed, reopened)")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","actor":{"kind":"human"}}""", "events.ndjson:1: actor.kind: 'human' is not an actor kind (customer, agent, bot, system)")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","actor":"a7"}""", "events.ndjson:1: actor: 'a7' must be an object")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"status_changed","status":"resolved"}""", "events.ndjson:1: status: 'resolved' is not a status (new, open, pending, on_hold, solved, closed)")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"status_changed"}""", "events.ndjson:1: status: is required for status_changed")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"priority_changed"}""", "events.ndjson:1: priority: is required for priority_changed")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"agent_reply","public":"yes"}""", "events.ndjson:1: public: 'yes' must be true or false")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"agent_reply","channel":["email"]}""", "events.ndjson:1: channel: must be a string, not an array")]
    [InlineData("""{"id":true,"ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""", "events.ndjson:1: id: 'true' must be a string or a number")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","attributes":{"tags":["a"]}}""", "events.ndjson:1: attributes.tags: must be a string, number or boolean, not an array")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","attributes":"x"}""", "events.ndjson:1: attributes: 'x' must be an object")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","attributes":{"a":"1","a":"2"}}""", "events.ndjson:1: attributes.a: appears twice in the object")]
    [InlineData("""{"id":"e1","id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""", "events.ndjson:1: id: appears twice in the object")]
    [InlineData("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created",}""", "events.ndjson:1: is not valid JSON (at column 74)")]
    [InlineData("""{"id":"e1","ticket_id":"t1"} {"id":"e2"}""", "events.ndjson:1: is not valid JSON (at column 30)")]
    [InlineData("""["e1","t1"]""", "events.ndjson:1: is not a JSON object (each line must be one event object)")]
    [InlineData("id,ticket_id,at", "events.ndjson:1: is not valid JSON (at column 1)")]
    public void ReadRows_BadLine_GivesTheExactIssue(string line, string expected)
    {
        var row = Assert.Single(Read(line + "\n"));

        Assert.False(row.IsValid);
        Assert.Equal(expected, Assert.Single(row.Issues).ToString());
        Assert.Equal(line, Encoding.UTF8.GetString(row.Raw.Span));
    }

    [Fact]
    public void ReadRows_SeveralProblems_AreAllReported()
    {
        var row = Assert.Single(Read("""{"at":"soon","type":"nope","actor":{"kind":"robot"}}"""));

        Assert.Equal(
            [
                "events.ndjson:1: at: 'soon' is not a date-time",
                "events.ndjson:1: type: 'nope' is not an event type (created, agent_reply, customer_reply, status_changed, assigned, priority_changed, reopened)",
                "events.ndjson:1: actor.kind: 'robot' is not an actor kind (customer, agent, bot, system)",
                "events.ndjson:1: id: is required",
                "events.ndjson:1: ticket_id: is required",
            ],
            row.Issues.Select(i => i.ToString()));
    }

    [Fact]
    public void ReadRows_DuplicateId_RejectsTheLaterLine()
    {
        var line = """{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""";

        var rows = Read(line + "\n" + line.Replace("\"t1\"", "\"t2\"", StringComparison.Ordinal) + "\n");

        Assert.True(rows[0].IsValid);
        Assert.Equal("events.ndjson:2: id: 'e1' already occurs earlier in this file", Assert.Single(rows[1].Issues).ToString());
    }

    [Fact]
    public void ReadRows_BlankLinesCrlfAndBom_KeepLineNumbers()
    {
        var text = "\uFEFF" + """{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""" + "\r\n\r\n   \n"
            + """{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"agent_reply"}""" + "\r\n"
            + """{"id":"e3","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"oops"}""";

        var rows = Read(text);

        Assert.Equal([1L, 4, 5], rows.Select(r => r.Line));
        Assert.Equal(2, rows.Count(r => r.IsValid));
        Assert.StartsWith("events.ndjson:5: type:", rows[2].Issues[0].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain((byte)'\r', rows[1].Raw.ToArray());
    }

    [Fact]
    public void ReadRows_InvalidUtf8Line_NamesLineAndColumn()
    {
        var good = Encoding.UTF8.GetBytes("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""" + "\n");
        var latin1 = Encoding.Latin1.GetBytes("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","team":"Myynti-yhtiö"}""" + "\n");

        var rows = EventNdjsonReader.Read(new MemoryStream([.. good, .. latin1]), "events.ndjson").ToList();

        Assert.True(rows[0].IsValid);
        Assert.Equal("events.ndjson:2: is not valid UTF-8 (byte 0xF6 at column 93); save the file as UTF-8", Assert.Single(rows[1].Issues).ToString());
        Assert.Equal(latin1[..^1], rows[1].Raw.ToArray());
    }

    [Theory]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","actor":{"kind":"customer","id":"c\u0000-1"}}""", "actor.id")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","attributes":{"note":"a\u0000b"}}""", "attributes.note")]
    [InlineData("""{"id":"e2\u0000","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""", "id")]
    public void ReadRows_NulCharacterInText_RejectsTheLineNamingTheField(string line, string field)
    {
        // PostgreSQL cannot store U+0000 in text; refusing it at the reader keeps both engines alike.
        var good = """{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","team":"u0000 is fine as text"}""";

        var rows = Read(good + "\n" + line + "\n");

        Assert.True(rows[0].IsValid);
        Assert.Equal($"events.ndjson:2: {field}: contains the NUL character (U+0000), which text may not hold", Assert.Single(rows[1].Issues).ToString());
    }

    [Theory]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","team":"\ud800"}""", "team")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","team":"\udfff"}""", "team")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","team":"\ud83d\ude00\udc00"}""", "team")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","team":"a\uD83Db"}""", "team")]
    [InlineData("""{"id":"\ud800","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""", "id")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00\ud800","type":"created"}""", "at")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","actor":{"kind":"agent","id":"\udc00"}}""", "actor.id")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","attributes":{"note":"x\ud800\u0000"}}""", "attributes.note")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","attributes":{"n\ud800":"x"}}""", "attributes")]
    [InlineData("""{"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","extra":[1,{"a":"\ud800"}]}""", "extra[1].a")]
    [InlineData("""{"t\udc00":1,"id":"e2","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""", "")]
    public void ReadRows_LoneSurrogateEscape_RejectsTheLineNamingTheField(string line, string field)
    {
        // Valid JSON syntax but no text: System.Text.Json throws when asked for the string, so the reader must not ask.
        var good = """{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","team":"\\ud800 is text"}""";

        var rows = Read(good + "\n" + line + "\n" + good.Replace("e1", "e3", StringComparison.Ordinal) + "\n");

        Assert.Equal(@"\ud800 is text", rows[0].Value!.Team);
        var expected = field.Length == 0 ? "events.ndjson:2: " : $"events.ndjson:2: {field}: ";
        Assert.Equal(expected + @"is not valid text (a lone UTF-16 surrogate escape such as \ud800)", Assert.Single(rows[1].Issues).ToString());
        Assert.Equal(line, Encoding.UTF8.GetString(rows[1].Raw.Span));
        Assert.True(rows[2].IsValid);
    }

    [Fact]
    public void ReadRows_SurrogatePairEscape_IsTheCharacter()
    {
        var rows = Read("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created","team":"\ud83d\ude00 \uD83D\uDE00","attributes":{"\ud83d\ude00":"\u00e9"}}""" + "\n");

        var ticketEvent = Assert.Single(rows).Value!;
        Assert.Equal("\U0001F600 \U0001F600", ticketEvent.Team);
        Assert.Equal("\u00e9", ticketEvent.Attributes!["\U0001F600"]);
    }

    [Fact]
    public void ReadRows_Utf16File_IsAFileError()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{}\n")).ToArray();

        var error = Assert.Throws<ImportFileException>(() => EventNdjsonReader.Read(new MemoryStream(bytes), "events.ndjson").ToList());

        Assert.Equal("events.ndjson:1: is UTF-16 encoded; save the file as UTF-8", error.Message);
    }

    [Fact]
    public void ReadRows_LineOverTheLimit_IsAFileError()
    {
        var options = EventNdjsonReaderOptions.Default with { MaxLineBytes = 1024, BufferSize = 256 };
        var text = """{"id":"e1","ticket_id":"t1","at":"2026-01-05T10:22:00Z","type":"created"}""" + "\n" + new string(' ', 5000) + "\n";

        var error = Assert.Throws<ImportFileException>(() => EventNdjsonReader.Read(TestText.Utf8(text), "events.ndjson", options).ToList());

        Assert.Equal("events.ndjson:2: is longer than 1024 bytes", error.Message);
    }

    [Fact]
    public void ReadRows_TextInEveryLanguage_SurvivesByteForByte()
    {
        foreach (var language in TestText.Languages)
        {
            var paragraph = TestText.Paragraphs(language).First(p => p.Length > 200);
            var name = TestText.Phrase(language, 3);
            var line = $$$"""{"id":"{{{name}}}-1","ticket_id":"{{{name}}}","at":"2026-01-05T10:22:00Z","type":"customer_reply","actor":{"kind":"customer","id":"{{{name}}}"},"team":"{{{name}}}","attributes":{"body":"{{{paragraph.Replace("\"", "\\\"", StringComparison.Ordinal)}}}","language":"{{{language}}}"}}""";

            var e = Assert.Single(Read(line)).Value!;

            Assert.Equal(TestText.Bytes(name), TestText.Bytes(e.TicketId));
            Assert.Equal(TestText.Bytes(name), TestText.Bytes(e.ActorId!));
            Assert.Equal(TestText.Bytes(paragraph), TestText.Bytes(e.Attribute("body")!));
        }
    }

    [Fact]
    public void ReadRows_LargeGeneratedStream_GivesTheFirstEventBeforeReadingFar()
    {
        var source = new GeneratedStream("", 10_000_000, i => $$$"""{"id":"e{{{i}}}","ticket_id":"t{{{i / 8}}}","at":"2026-01-05T10:22:00Z","type":"agent_reply","actor":{"kind":"agent","id":"a1"}}""" + "\n");

        var first = EventNdjsonReader.Read(source, "big.ndjson").First();

        Assert.Equal("e0", first.Value!.Id);
        Assert.True(source.Produced <= 1024 * 1024, $"read {source.Produced} bytes before the first event");
    }

    [Fact]
    public void ReadRows_SmallBuffer_ReadsEveryLine()
    {
        const int count = 20_000;
        var source = new GeneratedStream("", count, i => $$"""{"id":"e{{i}}","ticket_id":"t{{i / 8}}","at":"2026-01-05T10:22:00Z","type":"created"}""" + (i % 2 == 0 ? "\n" : "\r\n"));

        var rows = EventNdjsonReader.Read(source, "big.ndjson", EventNdjsonReaderOptions.Default with { BufferSize = 100 }).ToList();

        Assert.Equal(count, rows.Count);
        Assert.All(rows, r => Assert.True(r.IsValid));
        Assert.Equal("e19999", rows[^1].Value!.Id);
        Assert.Equal(count, rows[^1].Line);
    }

    private static List<ImportRow<TicketEvent>> Read(string text) =>
        [.. EventNdjsonReader.Read(TestText.Utf8(text), "events.ndjson")];
}
