using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Webhooks;

/// <summary>The outcome of checking a webhook's signature.</summary>
public enum SignatureStatus
{
    /// <summary>Signed with the configured secret, within the time tolerance.</summary>
    Valid,

    /// <summary>The signature or timestamp header is absent or empty.</summary>
    Missing,

    /// <summary>A header is present but not in the provider's format (not base64, not <c>sha256=</c> hex, not a time).</summary>
    Malformed,

    /// <summary>The signature does not match the body and timestamp under the configured secret.</summary>
    Mismatch,

    /// <summary>The timestamp is further from now than the tolerance (a replayed or badly delayed request).</summary>
    Expired,
}

/// <summary>A signature check's status and, unless valid, a reason that names the header (never the secret).</summary>
/// <param name="Status">What the check found.</param>
/// <param name="Reason">Why it failed, e.g. <c>X-Chatwoot-Timestamp: '1767608520' is 00:07:12 away from now (tolerance 00:05:00)</c>; empty when valid.</param>
public readonly record struct SignatureCheck(SignatureStatus Status, string Reason)
{
    /// <summary>True when the request may be trusted.</summary>
    public bool IsValid => Status == SignatureStatus.Valid;

    internal static SignatureCheck Valid { get; } = new(SignatureStatus.Valid, "");
}

/// <summary>Options of <see cref="WebhookSignature"/>.</summary>
public sealed record WebhookSignatureOptions
{
    /// <summary>The defaults: a tolerance of five minutes.</summary>
    public static WebhookSignatureOptions Default { get; } = new();

    /// <summary>
    /// How far the signed timestamp may be from now, in either direction (clocks drift both ways), default 5 minutes,
    /// the window Chatwoot recommends. A request outside it is <see cref="SignatureStatus.Expired"/>.
    /// </summary>
    public Duration Tolerance { get; init; } = Duration.FromMinutes(5);
}

/// <summary>
/// Verifies helpdesk webhook signatures over the raw request body (the exact bytes received, before any parsing):
/// <list type="bullet">
/// <item>Zendesk: <c>X-Zendesk-Webhook-Signature</c> = base64(HMAC-SHA256(secret, timestamp + body)), with the
/// timestamp from <c>X-Zendesk-Webhook-Signature-Timestamp</c> (ISO-8601, e.g. <c>2021-03-25T05:09:27Z</c>).</item>
/// <item>Chatwoot (4.11.2 and later): <c>X-Chatwoot-Signature</c> = <c>sha256=</c> + hex(HMAC-SHA256(secret,
/// timestamp + "." + body)), with the timestamp from <c>X-Chatwoot-Timestamp</c> (Unix seconds).</item>
/// </list>
/// Comparisons are constant-time. The clock is passed in (the <c>now</c> argument), never read here. Sources and
/// set-up: docs/connectors.md.
/// </summary>
public static class WebhookSignature
{
    /// <summary>Zendesk's signature header.</summary>
    public const string ZendeskSignatureHeader = "X-Zendesk-Webhook-Signature";

    /// <summary>Zendesk's signed timestamp header.</summary>
    public const string ZendeskTimestampHeader = "X-Zendesk-Webhook-Signature-Timestamp";

    /// <summary>Chatwoot's signature header.</summary>
    public const string ChatwootSignatureHeader = "X-Chatwoot-Signature";

    /// <summary>Chatwoot's signed timestamp header.</summary>
    public const string ChatwootTimestampHeader = "X-Chatwoot-Timestamp";

    private const string ChatwootPrefix = "sha256=";

    /// <summary>The signature header of a provider.</summary>
    public static string SignatureHeader(WebhookProvider provider) =>
        provider == WebhookProvider.Zendesk ? ZendeskSignatureHeader : ChatwootSignatureHeader;

    /// <summary>The timestamp header of a provider.</summary>
    public static string TimestampHeader(WebhookProvider provider) =>
        provider == WebhookProvider.Zendesk ? ZendeskTimestampHeader : ChatwootTimestampHeader;

    /// <summary>Checks a request of <paramref name="provider"/>; see <see cref="VerifyZendesk"/> and <see cref="VerifyChatwoot"/>.</summary>
    public static SignatureCheck Verify(WebhookProvider provider, ReadOnlySpan<byte> body, string? signature, string? timestamp, string secret, Instant now, WebhookSignatureOptions? options = null) =>
        provider == WebhookProvider.Zendesk
            ? VerifyZendesk(body, signature, timestamp, secret, now, options)
            : VerifyChatwoot(body, signature, timestamp, secret, now, options);

    /// <summary>
    /// Checks a Zendesk request: the timestamp first (cheap, and a stale request is refused whoever signed it), then
    /// the HMAC in constant time.
    /// </summary>
    /// <param name="body">The raw request body.</param>
    /// <param name="signature">The <c>X-Zendesk-Webhook-Signature</c> header value.</param>
    /// <param name="timestamp">The <c>X-Zendesk-Webhook-Signature-Timestamp</c> header value.</param>
    /// <param name="secret">The webhook's signing secret as shown by Zendesk (used as UTF-8 bytes).</param>
    /// <param name="now">The current instant, from the caller's clock.</param>
    /// <param name="options">Tolerance; <see cref="WebhookSignatureOptions.Default"/> when null.</param>
    public static SignatureCheck VerifyZendesk(ReadOnlySpan<byte> body, string? signature, string? timestamp, string secret, Instant now, WebhookSignatureOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (Absent(signature, timestamp, ZendeskSignatureHeader, ZendeskTimestampHeader) is { } missing)
        {
            return missing;
        }

        if (IsoDateTime.TryParse(Encoding.UTF8.GetBytes(timestamp!), out var at, out _, out _) != DateTimeTextKind.WithOffset)
        {
            return new(SignatureStatus.Malformed, $"{ZendeskTimestampHeader}: '{Shown(timestamp!)}' is not a date-time with a UTC offset");
        }

        if (Stale(at, now, timestamp!, ZendeskTimestampHeader, options) is { } stale)
        {
            return stale;
        }

        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(signature!.Trim(), given, out var length) || length != SHA256.HashSizeInBytes)
        {
            return new(SignatureStatus.Malformed, $"{ZendeskSignatureHeader}: is not a base64 HMAC-SHA256");
        }

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Hmac(secret, timestamp!, "", body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given[..length])
            ? SignatureCheck.Valid
            : new(SignatureStatus.Mismatch, $"{ZendeskSignatureHeader}: does not match the body and timestamp under the configured secret");
    }

    /// <summary>Checks a Chatwoot request (timestamp, then HMAC in constant time).</summary>
    /// <param name="body">The raw request body.</param>
    /// <param name="signature">The <c>X-Chatwoot-Signature</c> header value (<c>sha256=</c> and 64 hex digits).</param>
    /// <param name="timestamp">The <c>X-Chatwoot-Timestamp</c> header value (Unix seconds).</param>
    /// <param name="secret">The webhook's secret as shown by Chatwoot (used as UTF-8 bytes).</param>
    /// <param name="now">The current instant, from the caller's clock.</param>
    /// <param name="options">Tolerance; <see cref="WebhookSignatureOptions.Default"/> when null.</param>
    public static SignatureCheck VerifyChatwoot(ReadOnlySpan<byte> body, string? signature, string? timestamp, string secret, Instant now, WebhookSignatureOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (Absent(signature, timestamp, ChatwootSignatureHeader, ChatwootTimestampHeader) is { } missing)
        {
            return missing;
        }

        if (!PayloadReader.TryParseUnixSeconds(timestamp!.Trim(), out var at))
        {
            return new(SignatureStatus.Malformed, $"{ChatwootTimestampHeader}: '{Shown(timestamp)}' is not a Unix time in seconds");
        }

        if (Stale(at, now, timestamp, ChatwootTimestampHeader, options) is { } stale)
        {
            return stale;
        }

        var text = signature!.Trim();
        Span<byte> given = stackalloc byte[SHA256.HashSizeInBytes];
        if (!text.StartsWith(ChatwootPrefix, StringComparison.OrdinalIgnoreCase)
            || text.Length != ChatwootPrefix.Length + (2 * SHA256.HashSizeInBytes)
            || Convert.FromHexString(text.AsSpan(ChatwootPrefix.Length), given, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return new(SignatureStatus.Malformed, $"{ChatwootSignatureHeader}: is not 'sha256=' followed by 64 hex digits");
        }

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Hmac(secret, timestamp.Trim(), ".", body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? SignatureCheck.Valid
            : new(SignatureStatus.Mismatch, $"{ChatwootSignatureHeader}: does not match the body and timestamp under the configured secret");
    }

    /// <summary>
    /// Compares a token taken from the request URL with the configured one in constant time: the fallback for
    /// helpdesks (or Chatwoot versions before 4.11.2) that cannot sign. Both are compared as UTF-8 bytes.
    /// </summary>
    public static bool VerifyToken(string? presented, string expected)
    {
        ArgumentException.ThrowIfNullOrEmpty(expected);
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        // Hash both sides so the comparison time does not depend on where they differ nor on their lengths.
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    /// <summary>The <c>X-Zendesk-Webhook-Signature</c> value Zendesk sends for this body and timestamp (for tests and tools).</summary>
    public static string SignZendesk(ReadOnlySpan<byte> body, string timestamp, string secret)
    {
        Span<byte> mac = stackalloc byte[SHA256.HashSizeInBytes];
        Hmac(secret, timestamp, "", body, mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>The <c>X-Chatwoot-Signature</c> value Chatwoot sends for this body and timestamp (for tests and tools).</summary>
    public static string SignChatwoot(ReadOnlySpan<byte> body, string timestamp, string secret)
    {
        Span<byte> mac = stackalloc byte[SHA256.HashSizeInBytes];
        Hmac(secret, timestamp, ".", body, mac);
        return ChatwootPrefix + Convert.ToHexStringLower(mac);
    }

    private static void Hmac(string secret, string timestamp, string separator, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + separator));
        hmac.AppendData(body);
        hmac.GetHashAndReset(mac);
    }

    private static SignatureCheck? Absent(string? signature, string? timestamp, string signatureHeader, string timestampHeader)
    {
        if (string.IsNullOrWhiteSpace(signature))
        {
            return new(SignatureStatus.Missing, $"{signatureHeader}: is required");
        }

        return string.IsNullOrWhiteSpace(timestamp) ? new(SignatureStatus.Missing, $"{timestampHeader}: is required") : null;
    }

    private static SignatureCheck? Stale(Instant at, Instant now, string timestamp, string header, WebhookSignatureOptions? options)
    {
        var tolerance = (options ?? WebhookSignatureOptions.Default).Tolerance;
        var distance = at > now ? at - now : now - at;
        if (distance <= tolerance)
        {
            return null;
        }

        var direction = at > now ? "ahead of" : "behind";
        return new(SignatureStatus.Expired, string.Create(CultureInfo.InvariantCulture,
            $"{header}: '{Shown(timestamp)}' is {Format(distance)} {direction} now (tolerance {Format(tolerance)})"));
    }

    private static string Format(Duration d) => d.ToString("-H:mm:ss", CultureInfo.InvariantCulture);

    private static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
