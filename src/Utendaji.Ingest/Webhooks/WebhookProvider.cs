namespace Utendaji.Ingest.Webhooks;

/// <summary>The helpdesks whose webhooks Utendaji understands. docs/connectors.md describes each.</summary>
public enum WebhookProvider
{
    /// <summary>Zendesk Support webhooks subscribed to ticket events (<c>zen:event-type:ticket.*</c>).</summary>
    Zendesk,

    /// <summary>Chatwoot account webhooks (<c>conversation_*</c>, <c>message_created</c>).</summary>
    Chatwoot,
}
