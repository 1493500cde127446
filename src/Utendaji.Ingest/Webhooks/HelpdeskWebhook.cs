namespace Utendaji.Ingest.Webhooks;

/// <summary>
/// The one entry point a receiver needs: the provider from the route segment, then verify with
/// <see cref="WebhookSignature.Verify"/>, then <see cref="Map"/>. Both steps are pure.
/// </summary>
public static class HelpdeskWebhook
{
    /// <summary>Maps a body with the mapper of <paramref name="provider"/>.</summary>
    public static WebhookMapping Map(WebhookProvider provider, ReadOnlySpan<byte> body) =>
        provider == WebhookProvider.Zendesk ? ZendeskWebhookMapper.Map(body) : ChatwootWebhookMapper.Map(body);

    /// <summary>The provider named by a route segment: <c>zendesk</c> or <c>chatwoot</c> (exact, lower case).</summary>
    public static bool TryParseProvider(string? segment, out WebhookProvider provider)
    {
        switch (segment)
        {
            case "zendesk":
                provider = WebhookProvider.Zendesk;
                return true;
            case "chatwoot":
                provider = WebhookProvider.Chatwoot;
                return true;
            default:
                provider = default;
                return false;
        }
    }
}
