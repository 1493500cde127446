using System.Security.Cryptography;
using System.Text;

namespace Utendaji.Server.Web.Surveys;

/// <summary>
/// Stateless, unguessable survey links: <c>/s/{org}/{sendId}.{mac}</c>, where mac is the first 128 bits of
/// HMAC-SHA256(secret, org + "\n" + sendId), base64url. No table is needed; every node sharing the secret
/// (<c>Utendaji:SurveyLinks:Secret</c>) accepts every link.
/// </summary>
public sealed class SurveyLinks
{
    /// <summary>The configuration key of the secret.</summary>
    public const string SecretKey = "Utendaji:SurveyLinks:Secret";

    /// <summary>The shortest secret accepted, in bytes (UTF-8).</summary>
    public const int MinimumSecretBytes = 32;

    private const int MacBytes = 16;
    private readonly byte[] _secret;

    /// <summary>Links signed with <paramref name="secret"/> (at least 32 bytes of UTF-8).</summary>
    /// <exception cref="ArgumentException">When the secret is shorter than 32 bytes.</exception>
    public SurveyLinks(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _secret = Encoding.UTF8.GetBytes(secret);
        if (_secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"{SecretKey} must be at least {MinimumSecretBytes} bytes; it has {_secret.Length}", nameof(secret));
        }
    }

    /// <summary>The path of the survey page of send <paramref name="sendId"/> of <paramref name="organisation"/> (prefix it with the public origin).</summary>
    public string Create(string organisation, string sendId)
    {
        ArgumentException.ThrowIfNullOrEmpty(organisation);
        ArgumentException.ThrowIfNullOrEmpty(sendId);
        return $"/s/{Uri.EscapeDataString(organisation)}/{Uri.EscapeDataString(sendId)}.{Mac("link", organisation, sendId)}";
    }

    /// <summary>The send id of a link's last segment (<c>{sendId}.{mac}</c>) when its mac is right for <paramref name="organisation"/>; else null.</summary>
    public string? Verify(string organisation, string segment)
    {
        var dot = segment.LastIndexOf('.');
        if (dot <= 0 || dot == segment.Length - 1)
        {
            return null;
        }

        var sendId = segment[..dot];
        var expected = Encoding.ASCII.GetBytes(Mac("link", organisation, sendId));
        var given = Encoding.ASCII.GetBytes(segment[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? sendId : null;
    }

    /// <summary>The anti-forgery token of the form of one link (a different purpose than the link mac).</summary>
    internal string FormToken(string organisation, string sendId) => Mac("form", organisation, sendId);

    /// <summary>Whether <paramref name="given"/> is the form token of the link, compared in constant time.</summary>
    internal bool VerifyFormToken(string organisation, string sendId, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(FormToken(organisation, sendId)), Encoding.ASCII.GetBytes(given));

    private string Mac(string purpose, string organisation, string sendId)
    {
        var message = purpose == "link" ? organisation + "\n" + sendId : purpose + "\n" + organisation + "\n" + sendId;
        var mac = HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(message));
        return Convert.ToBase64String(mac, 0, MacBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
