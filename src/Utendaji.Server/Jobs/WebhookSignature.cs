using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Utendaji.Server.Jobs;

/// <summary>
/// The signature of an outgoing webhook: <c>X-Utendaji-Signature: sha256=HEX</c>, the lower-case hex HMAC-SHA256,
/// keyed with the organisation's secret, of the ASCII timestamp (Unix seconds, as sent in <c>X-Utendaji-Timestamp</c>),
/// a '.', and the body bytes exactly as sent. Signing the timestamp lets a receiver refuse old replays.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header carrying the signature.</summary>
    public const string SignatureHeader = "X-Utendaji-Signature";

    /// <summary>The header carrying the timestamp the signature covers.</summary>
    public const string TimestampHeader = "X-Utendaji-Timestamp";

    /// <summary>The header carrying the delivery's stable idempotency key.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The signature header's value, <c>sha256=</c> and 64 hex digits.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(Mac(secret, timestamp, body));
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is the signature of <paramref name="body"/> at <paramref name="timestamp"/>,
    /// compared in constant time. What a receiver does (it should also refuse timestamps far from its clock).
    /// </summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string? signature)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (signature is null || !signature.StartsWith("sha256=", StringComparison.Ordinal) || signature.Length != 7 + 64)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(7));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, timestamp, body));
    }

    private static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
