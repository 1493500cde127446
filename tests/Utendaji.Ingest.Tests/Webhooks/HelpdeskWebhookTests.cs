using System.Text;
using NodaTime;
using Utendaji.Ingest.Webhooks;

namespace Utendaji.Ingest.Tests.Webhooks;

public class HelpdeskWebhookTests
{
    [Theory]
    [InlineData("zendesk", true, WebhookProvider.Zendesk)]
    [InlineData("chatwoot", true, WebhookProvider.Chatwoot)]
    [InlineData("Zendesk", false, WebhookProvider.Zendesk)]
    [InlineData("freshdesk", false, WebhookProvider.Zendesk)]
    [InlineData(null, false, WebhookProvider.Zendesk)]
    public void TryParseProvider_AcceptsTheRouteNames(string? segment, bool ok, WebhookProvider expected)
    {
        Assert.Equal(ok, HelpdeskWebhook.TryParseProvider(segment, out var provider));
        Assert.Equal(expected, provider);
    }

    [Fact]
    public void VerifyThenMap_AsAReceiverDoes_ForEachProvider()
    {
        var now = Instant.FromUtc(2026, 1, 5, 7, 22, 30);
        var zendeskBody = WebhookFixtures.Zendesk("ticket-created");
        var chatwootBody = WebhookFixtures.Chatwoot("message-created-incoming");
        var zendeskSignature = WebhookSignature.SignZendesk(zendeskBody, "2026-01-05T07:22:01Z", "zd-secret");
        var chatwootSignature = WebhookSignature.SignChatwoot(chatwootBody, "1767597721", "cw-secret");

        Assert.True(WebhookSignature.Verify(WebhookProvider.Zendesk, zendeskBody, zendeskSignature, "2026-01-05T07:22:01Z", "zd-secret", now).IsValid);
        Assert.True(WebhookSignature.Verify(WebhookProvider.Chatwoot, chatwootBody, chatwootSignature, "1767597721", "cw-secret", now).IsValid);
        Assert.Equal("zendesk:4821", Assert.Single(HelpdeskWebhook.Map(WebhookProvider.Zendesk, zendeskBody).Events).TicketId);
        Assert.Equal("chatwoot:274", Assert.Single(HelpdeskWebhook.Map(WebhookProvider.Chatwoot, chatwootBody).Events).TicketId);
        // A Chatwoot body posted to the Zendesk route is not a Zendesk payload.
        Assert.Equal(WebhookMappingStatus.Invalid, HelpdeskWebhook.Map(WebhookProvider.Zendesk, Encoding.UTF8.GetBytes("""{"event":"message_created"}""")).Status);
    }
}
