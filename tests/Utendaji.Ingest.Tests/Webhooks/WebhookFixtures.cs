using Utendaji.Core.Tickets;
using Utendaji.Ingest.Events;

namespace Utendaji.Ingest.Tests.Webhooks;

/// <summary>Fixture payloads (shapes from the providers' public docs, invented data) and the canonical round trip.</summary>
internal static class WebhookFixtures
{
    public static byte[] Zendesk(string name) => Load("zendesk", name);

    public static byte[] Chatwoot(string name) => Load("chatwoot", name);

    public static IEnumerable<string> Names(string provider) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Fixtures", provider), "*.json")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>Writes the events as canonical NDJSON and reads them back with full validation.</summary>
    public static List<ImportRow<TicketEvent>> RoundTrip(IEnumerable<TicketEvent> events)
    {
        var stream = new MemoryStream();
        using (var writer = new EventNdjsonWriter(stream, leaveOpen: true))
        {
            foreach (var e in events)
            {
                writer.Write(e);
            }
        }

        stream.Position = 0;
        return [.. EventNdjsonReader.Read(stream, "webhook.ndjson")];
    }

    /// <summary>Records compare attributes by reference; this compares them by content.</summary>
    public static void AssertSame(TicketEvent expected, TicketEvent actual)
    {
        Assert.Equal(expected with { Attributes = null }, actual with { Attributes = null });
        Assert.Equal(expected.Attributes ?? new Dictionary<string, string>(), actual.Attributes ?? new Dictionary<string, string>());
    }

    private static byte[] Load(string provider, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Fixtures", provider, name + ".json"));
}
