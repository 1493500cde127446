using System.Text.RegularExpressions;
using NodaTime;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Webhooks;

namespace Utendaji.Ingest.Tests.Webhooks;

/// <summary>The mapping tables and messages in docs/connectors.md are checked against the code, so the docs cannot rot.</summary>
public partial class ConnectorsDocsTests
{
    private static readonly Lazy<string> Docs = new(() => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "connectors.md")));

    [Fact]
    public void ZendeskStatusTable_MatchesTheMapper()
    {
        var rows = Table("| Zendesk status | status |");

        Assert.Equal(6, rows.Count);
        foreach (var (from, to) in rows)
        {
            var status = Assert.Single(Codes(from));
            Assert.Equal(Assert.Single(Codes(to)), EventVocabulary.Name(WebhookVocabulary.ZendeskStatus(status)!.Value));
        }
    }

    [Fact]
    public void ChatwootStatusTable_MatchesTheMapper()
    {
        var rows = Table("| Chatwoot status | status | why |");

        Assert.Equal(4, rows.Count);
        foreach (var (from, to) in rows)
        {
            Assert.Equal(Assert.Single(Codes(to)), EventVocabulary.Name(WebhookVocabulary.ChatwootStatus(Assert.Single(Codes(from)))!.Value));
        }
    }

    [Fact]
    public void ChannelTables_MatchTheMappers()
    {
        var zendesk = Table("| `via.channel` | channel |").Where(r => Codes(r.From).Count > 0).ToList();
        var chatwoot = Table("| inbox (`channel`) | channel |").Where(r => Codes(r.From).Count > 0).ToList();

        Assert.Equal(6, zendesk.Count);
        Assert.Equal(6, chatwoot.Count);
        foreach (var (from, to) in zendesk)
        {
            Assert.All(Codes(from), name => Assert.Equal(Assert.Single(Codes(to)), WebhookVocabulary.ZendeskChannel(name)));
        }

        foreach (var (from, to) in chatwoot)
        {
            Assert.All(Codes(from), name => Assert.Equal(Assert.Single(Codes(to)), WebhookVocabulary.ChatwootChannel(name)));
        }
    }

    [Fact]
    public void QuotedMessages_AreTheOnesTheCodeWrites()
    {
        var body = "{\"event\":\"message_created\"}"u8.ToArray();
        var stale = WebhookSignature.VerifyChatwoot(body, WebhookSignature.SignChatwoot(body, "1767597721", "s"), "1767597721", "s",
            Instant.FromUnixTimeSeconds(1767597721 + 372));
        var mismatch = WebhookSignature.VerifyZendesk(body, WebhookSignature.SignZendesk(body, "2026-01-05T07:22:01Z", "a"), "2026-01-05T07:22:01Z", "b",
            Instant.FromUtc(2026, 1, 5, 7, 22, 1));
        var ignored = ZendeskWebhookMapper.Map(WebhookFixtures.Zendesk("user-created"));

        Assert.Contains(stale.Reason, Docs.Value, StringComparison.Ordinal);
        Assert.Contains(mismatch.Reason, Docs.Value, StringComparison.Ordinal);
        Assert.Contains(ignored.IgnoredReason!, Docs.Value, StringComparison.Ordinal);
        Assert.Contains("detail.id: is required", Docs.Value, StringComparison.Ordinal);
    }

    /// <summary>The first two cells of each row of the table whose header line is <paramref name="header"/>.</summary>
    private static List<(string From, string To)> Table(string header)
    {
        var lines = Docs.Value.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(header, StringComparison.Ordinal));
        Assert.True(start >= 0, $"table '{header}' not found in docs/connectors.md");
        return [.. lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|'))
            .Select(cells => (cells[1], cells[2]))];
    }

    private static List<string> Codes(string cell) => [.. Code().Matches(cell).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Utendaji.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Utendaji.sln not found above " + AppContext.BaseDirectory);
    }
}
