namespace Utendaji.Server.Access;

/// <summary>
/// Endpoint metadata of the helpdesk webhook receivers: they are authenticated by the provider's signature (or URL
/// token) with the organisation's configured secret, not by a bearer token, so the access middleware lets them
/// through and the endpoint checks the organisation and the signature itself (docs/connectors.md).
/// </summary>
public sealed record SignedWebhook;
