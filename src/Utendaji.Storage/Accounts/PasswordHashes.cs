using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Utendaji.Storage.Accounts;

/// <summary>
/// Dashboard passwords, stored as PBKDF2-HMAC-SHA256 (RFC 8018) in a self-describing text,
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c> (salt and hash in base64), so the iteration count can be
/// raised later without invalidating stored hashes.
/// </summary>
public static class PasswordHashes
{
    /// <summary>The algorithm's name in the stored text.</summary>
    public const string Algorithm = "pbkdf2-sha256";

    /// <summary>Iterations for new hashes: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int Iterations = 600_000;

    /// <summary>The shortest password accepted anywhere (CLI and dashboard).</summary>
    public const int MinimumLength = 12;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A hash of <paramref name="password"/> with a new random 16-byte salt.</summary>
    public static string Hash(string password) => Hash(password, Iterations);

    /// <summary>A hash with a chosen iteration count (tests; never fewer than 1).</summary>
    public static string Hash(string password, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(Encoding.UTF8.GetBytes(password), salt, iterations, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Algorithm}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="stored"/> (compared in constant time); false for a
    /// null, malformed or unknown-algorithm text.
    /// </summary>
    public static bool Verify(string password, string? stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = stored?.Split('$') ?? [];
        if (parts.Length != 4 || !string.Equals(parts[0], Algorithm, StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0)
        {
            return false;
        }

        var actual = Derive(Encoding.UTF8.GetBytes(password), salt, iterations, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>
    /// Spends the time of a real check on nothing, so "no such person" takes as long as "wrong password" and the
    /// answer time does not tell which addresses have accounts.
    /// </summary>
    public static void VerifyNothing(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        _ = Derive(Encoding.UTF8.GetBytes(password), new byte[SaltBytes], Iterations, HashBytes);
    }

    /// <summary>PBKDF2-HMAC-SHA256 of <paramref name="password"/> (RFC 8018 §5.2).</summary>
    public static byte[] Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);
}
