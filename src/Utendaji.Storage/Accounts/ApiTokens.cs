using System.Security.Cryptography;
using System.Text;

namespace Utendaji.Storage.Accounts;

/// <summary>
/// Personal API tokens: <c>utd_</c> followed by 32 random bytes in base64url (43 characters). Only the SHA-256 of
/// the whole text is stored; a fast hash is enough because the secret has 256 bits of entropy.
/// </summary>
public static class ApiTokens
{
    /// <summary>Every token starts with this, so secret scanners can recognise a leaked one.</summary>
    public const string Marker = "utd_";

    /// <summary>Characters of a token shown in listings and logs (the marker and 6 random characters).</summary>
    public const int PrefixLength = 10;

    /// <summary>A new random token text.</summary>
    public static string NewSecret() => Marker + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The SHA-256 of a token's text, as stored and looked up.</summary>
    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The part of a token that may be shown (never enough to use it).</summary>
    public static string Prefix(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Length <= PrefixLength ? token : token[..PrefixLength];
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
