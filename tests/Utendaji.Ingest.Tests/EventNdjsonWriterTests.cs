using System.Text;
using NodaTime;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Events;

namespace Utendaji.Ingest.Tests;

public class EventNdjsonWriterTests
{
    [Fact]
    public void Write_CanonicalInput_IsReproducedByteForByte()
    {
        var text = string.Join('\n',
        [
            """{"id":"e1","ticket_id":"t1","at":"2026-01-05T07:22:00Z","type":"created","actor":{"kind":"customer","id":"c9"},"public":true,"channel":"email","team":"tier1","priority":"high","status":"new","attributes":{"language":"sw"}}""",
            """{"id":"e2","ticket_id":"t1","at":"2026-01-05T07:30:00.5Z","type":"agent_reply","actor":{"kind":"bot"},"public":false}""",
            """{"id":"e3","ticket_id":"t1","at":"2026-01-05T07:31:00.000000001Z","type":"status_changed","actor":{"kind":"agent","id":"a\"7\\"},"public":true,"status":"on_hold","attributes":{"note":"line1\nline2\ttab\u0001"}}""",
        ]) + "\n";

        var written = Write(Read(text));

        Assert.Equal(text, written);
    }

    [Fact]
    public void Write_ThenRead_GivesEqualEvents()
    {
        var random = new Random(7);
        var events = Enumerable.Range(0, 500).Select(i => RandomEvent(random, i)).ToList();

        var back = Read(Write(events));

        Assert.Equal(events.Count, back.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var (a, b) = (events[i], back[i]);
            Assert.Equal(a with { Attributes = null }, b with { Attributes = null });
            Assert.Equal(a.Attributes ?? new Dictionary<string, string>(), b.Attributes ?? new Dictionary<string, string>());
        }
    }

    [Fact]
    public void Write_TextInEveryLanguage_IsRawUtf8NotEscaped()
    {
        foreach (var language in TestText.Languages)
        {
            var paragraph = TestText.Paragraphs(language).First(p => p.Length > 200);
            var name = TestText.Phrase(language, 3);
            var e = new TicketEvent($"{name}-1", name, Instant.FromUtc(2026, 1, 5, 7, 22), TicketEventType.CustomerReply, ActorKind.Customer, name, true, "chat", name, null, null, new Dictionary<string, string> { ["body"] = paragraph + " 😀" });

            var bytes = Encoding.UTF8.GetBytes(Write([e]));
            var back = Assert.Single(Read(Encoding.UTF8.GetString(bytes)));

            Assert.True(Contains(bytes, TestText.Bytes(paragraph + " 😀")), $"{language} text was escaped");
            Assert.Equal(TestText.Bytes(paragraph + " 😀"), TestText.Bytes(back.Attribute("body")!));
            Assert.Equal(TestText.Bytes(name), TestText.Bytes(back.Team!));
            Assert.Equal(bytes, Encoding.UTF8.GetBytes(Write([back])));
        }
    }

    [Fact]
    public void Write_WithZone_WritesTheLocalOffset()
    {
        var options = new EventNdjsonWriterOptions { Zone = DateTimeZoneProviders.Tzdb["Asia/Kolkata"] };
        var e = new TicketEvent("e1", "t1", Instant.FromUtc(2026, 1, 5, 7, 22), TicketEventType.Created, ActorKind.Customer, null, true, null, null, null, null, null);

        var text = Write([e], options);

        Assert.Equal("""{"id":"e1","ticket_id":"t1","at":"2026-01-05T12:52:00+05:30","type":"created","actor":{"kind":"customer"},"public":true}""" + "\n", text);
        Assert.Equal(e, Assert.Single(Read(text)));
    }

    private static TicketEvent RandomEvent(Random random, int i)
    {
        string? Maybe(string value) => random.Next(3) == 0 ? null : value;
        var type = (TicketEventType)random.Next(7);
        var attributes = random.Next(2) == 0 ? null : new Dictionary<string, string> { ["k" + i] = TestText.Phrase(TestText.Languages[i % 5], 2), ["q"] = "\"\\\n" };
        return new TicketEvent(
            "e" + i,
            "t" + (i / 5),
            Instant.FromUnixTimeTicks(random.NextInt64(0, 4_000_000_000L * 10_000_000)),
            type,
            (ActorKind)random.Next(4),
            Maybe("a" + i),
            random.Next(2) == 0,
            Maybe("email"),
            Maybe(TestText.Phrase("ur", 2)),
            type == TicketEventType.PriorityChanged ? "urgent" : Maybe("low"),
            type == TicketEventType.StatusChanged ? (TicketStatus)random.Next(6) : null,
            attributes);
    }

    private static string Write(IEnumerable<TicketEvent> events, EventNdjsonWriterOptions? options = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new EventNdjsonWriter(stream, options, leaveOpen: true))
        {
            foreach (var e in events)
            {
                writer.Write(e);
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static List<TicketEvent> Read(string text) =>
        [.. EventNdjsonReader.Read(TestText.Utf8(text), "events.ndjson").Select(r => r.IsValid ? r.Value : throw new InvalidOperationException(string.Join("; ", r.Issues)))];

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
