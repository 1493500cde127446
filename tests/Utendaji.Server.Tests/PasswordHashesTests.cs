using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Tests;

public class PasswordHashesTests
{
    [Fact]
    public void Derive_Rfc7914Section11Vectors_Match()
    {
        // RFC 7914 ("The scrypt Password-Based Key Derivation Function"), section 11, "Test Vectors for
        // PBKDF2 with HMAC-SHA-256": P="passwd", S="salt", c=1, dkLen=64 and P="Password", S="NaCl", c=80000, dkLen=64.
        var one = PasswordHashes.Derive("passwd"u8, "salt"u8, 1, 64);
        var many = PasswordHashes.Derive("Password"u8, "NaCl"u8, 80000, 64);

        Assert.Equal(
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
            Convert.ToHexStringLower(one));
        Assert.Equal(
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
            Convert.ToHexStringLower(many));
    }

    [Fact]
    public void Hash_SelfDescribingWithRandomSaltAndVerifies()
    {
        var first = PasswordHashes.Hash("correct horse battery", 1000);
        var second = PasswordHashes.Hash("correct horse battery", 1000);

        Assert.Matches(@"^pbkdf2-sha256\$1000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$", first);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHashes.Verify("correct horse battery", first));
        Assert.False(PasswordHashes.Verify("correct horse batterY", first));
    }

    [Fact]
    public void Hash_DefaultIterations_AtLeast600000()
    {
        var stored = PasswordHashes.Hash("correct horse battery");

        Assert.StartsWith("pbkdf2-sha256$600000$", stored, StringComparison.Ordinal);
        Assert.True(PasswordHashes.Verify("correct horse battery", stored));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("correct horse battery")]
    [InlineData("md5$1$abc$def")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    [InlineData("pbkdf2-sha256$1000$AAAA$")]
    public void Verify_MalformedStoredText_False(string? stored)
    {
        Assert.False(PasswordHashes.Verify("correct horse battery", stored));
    }
}
