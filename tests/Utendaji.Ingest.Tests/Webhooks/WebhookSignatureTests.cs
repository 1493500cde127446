using System.Text;
using NodaTime;
using Utendaji.Ingest.Webhooks;

namespace Utendaji.Ingest.Tests.Webhooks;

public class WebhookSignatureTests
{
    // The signing secret of Zendesk's own verification example (developer.zendesk.com/documentation/webhooks/verifying/).
    private const string ZendeskSecret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
    private const string ZendeskTimestamp = "2026-01-05T07:22:01Z";
    private const string ChatwootSecret = "cw-secret-for-tests";
    private const string ChatwootTimestamp = "1767597721"; // 2026-01-05T07:22:01Z

    private static readonly byte[] ZendeskBody = Encoding.UTF8.GetBytes("""{"type":"zen:event-type:ticket.created"}""");
    private static readonly byte[] ChatwootBody = Encoding.UTF8.GetBytes("""{"event":"message_created"}""");
    private static readonly Instant Now = Instant.FromUtc(2026, 1, 5, 7, 23, 0);

    [Fact]
    public void SignZendesk_MatchesAnIndependentHmac()
    {
        // Computed with Python: base64(hmac.new(secret, b"2026-01-05T07:22:01Z" + body, sha256).digest()).
        Assert.Equal("oAYko8gW5HaZqsCxilRj3cWHGCTzcU5uop6j1lW7bN0=", WebhookSignature.SignZendesk(ZendeskBody, ZendeskTimestamp, ZendeskSecret));
    }

    [Fact]
    public void SignChatwoot_MatchesAnIndependentHmac()
    {
        // Computed with Python: "sha256=" + hmac.new(secret, b"1767597721." + body, sha256).hexdigest().
        Assert.Equal("sha256=48491787d0d5a22626bc56f37dd202494fd99612797de578a6d6d39dc406ffb8",
            WebhookSignature.SignChatwoot(ChatwootBody, ChatwootTimestamp, ChatwootSecret));
    }

    [Fact]
    public void VerifyZendesk_GenuineRequest_IsValid()
    {
        var check = WebhookSignature.VerifyZendesk(ZendeskBody, "oAYko8gW5HaZqsCxilRj3cWHGCTzcU5uop6j1lW7bN0=", ZendeskTimestamp, ZendeskSecret, Now);

        Assert.True(check.IsValid, check.Reason);
        Assert.Equal("", check.Reason);
    }

    [Fact]
    public void VerifyChatwoot_GenuineRequest_IsValid_UpperCaseHexToo()
    {
        var signature = "sha256=48491787d0d5a22626bc56f37dd202494fd99612797de578a6d6d39dc406ffb8";

        Assert.True(WebhookSignature.VerifyChatwoot(ChatwootBody, signature, ChatwootTimestamp, ChatwootSecret, Now).IsValid);
        Assert.True(WebhookSignature.VerifyChatwoot(ChatwootBody, "sha256=" + signature[7..].ToUpperInvariant(), ChatwootTimestamp, ChatwootSecret, Now).IsValid);
    }

    [Fact]
    public void Verify_TamperedBody_IsMismatch()
    {
        var zendesk = ZendeskBody.ToArray();
        zendesk[^3] ^= 1;
        var chatwoot = Encoding.UTF8.GetBytes("""{"event":"message_created" }""");

        var z = WebhookSignature.Verify(WebhookProvider.Zendesk, zendesk, WebhookSignature.SignZendesk(ZendeskBody, ZendeskTimestamp, ZendeskSecret), ZendeskTimestamp, ZendeskSecret, Now);
        var c = WebhookSignature.Verify(WebhookProvider.Chatwoot, chatwoot, WebhookSignature.SignChatwoot(ChatwootBody, ChatwootTimestamp, ChatwootSecret), ChatwootTimestamp, ChatwootSecret, Now);

        Assert.Equal(SignatureStatus.Mismatch, z.Status);
        Assert.Equal("X-Zendesk-Webhook-Signature: does not match the body and timestamp under the configured secret", z.Reason);
        Assert.Equal(SignatureStatus.Mismatch, c.Status);
        Assert.Equal("X-Chatwoot-Signature: does not match the body and timestamp under the configured secret", c.Reason);
    }

    [Fact]
    public void Verify_WrongSecret_IsMismatch_AndTheReasonNeverShowsASecret()
    {
        var z = WebhookSignature.VerifyZendesk(ZendeskBody, WebhookSignature.SignZendesk(ZendeskBody, ZendeskTimestamp, "other-secret"), ZendeskTimestamp, ZendeskSecret, Now);
        var c = WebhookSignature.VerifyChatwoot(ChatwootBody, WebhookSignature.SignChatwoot(ChatwootBody, ChatwootTimestamp, "other-secret"), ChatwootTimestamp, ChatwootSecret, Now);

        Assert.Equal(SignatureStatus.Mismatch, z.Status);
        Assert.Equal(SignatureStatus.Mismatch, c.Status);
        Assert.DoesNotContain("secret-", z.Reason + c.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(ZendeskSecret, z.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TimestampChangedAfterSigning_IsMismatch()
    {
        // The timestamp is part of the signed text: a fresh timestamp on an old signature does not pass.
        var z = WebhookSignature.VerifyZendesk(ZendeskBody, WebhookSignature.SignZendesk(ZendeskBody, ZendeskTimestamp, ZendeskSecret), "2026-01-05T07:22:59Z", ZendeskSecret, Now);
        var c = WebhookSignature.VerifyChatwoot(ChatwootBody, WebhookSignature.SignChatwoot(ChatwootBody, ChatwootTimestamp, ChatwootSecret), "1767597779", ChatwootSecret, Now);

        Assert.Equal(SignatureStatus.Mismatch, z.Status);
        Assert.Equal(SignatureStatus.Mismatch, c.Status);
    }

    [Fact]
    public void Verify_StaleOrFutureTimestamp_IsExpired_EvenWhenGenuine()
    {
        var later = Instant.FromUtc(2026, 1, 5, 7, 28, 13); // 6 min 12 s after signing
        var earlier = Instant.FromUtc(2026, 1, 5, 7, 10, 0); // signed 12 min "in the future"

        var stale = WebhookSignature.VerifyChatwoot(ChatwootBody, WebhookSignature.SignChatwoot(ChatwootBody, ChatwootTimestamp, ChatwootSecret), ChatwootTimestamp, ChatwootSecret, later);
        var ahead = WebhookSignature.VerifyZendesk(ZendeskBody, WebhookSignature.SignZendesk(ZendeskBody, ZendeskTimestamp, ZendeskSecret), ZendeskTimestamp, ZendeskSecret, earlier);

        Assert.Equal(SignatureStatus.Expired, stale.Status);
        Assert.Equal("X-Chatwoot-Timestamp: '1767597721' is 0:06:12 behind now (tolerance 0:05:00)", stale.Reason);
        Assert.Equal(SignatureStatus.Expired, ahead.Status);
        Assert.Equal("X-Zendesk-Webhook-Signature-Timestamp: '2026-01-05T07:22:01Z' is 0:12:01 ahead of now (tolerance 0:05:00)", ahead.Reason);
    }

    [Fact]
    public void Verify_ToleranceIsConfigurable_AndInclusive()
    {
        var signature = WebhookSignature.SignChatwoot(ChatwootBody, ChatwootTimestamp, ChatwootSecret);
        var at = Instant.FromUnixTimeSeconds(1767597721);
        var tight = new WebhookSignatureOptions { Tolerance = Duration.FromSeconds(30) };

        Assert.True(WebhookSignature.VerifyChatwoot(ChatwootBody, signature, ChatwootTimestamp, ChatwootSecret, at + Duration.FromSeconds(30), tight).IsValid);
        Assert.Equal(SignatureStatus.Expired, WebhookSignature.VerifyChatwoot(ChatwootBody, signature, ChatwootTimestamp, ChatwootSecret, at + Duration.FromSeconds(31), tight).Status);
        Assert.True(WebhookSignature.VerifyChatwoot(ChatwootBody, signature, ChatwootTimestamp, ChatwootSecret, at + Duration.FromMinutes(5)).IsValid);
    }

    [Theory]
    [InlineData(null, ZendeskTimestamp, SignatureStatus.Missing, "X-Zendesk-Webhook-Signature: is required")]
    [InlineData("oAYko8gW5HaZqsCxilRj3cWHGCTzcU5uop6j1lW7bN0=", "", SignatureStatus.Missing, "X-Zendesk-Webhook-Signature-Timestamp: is required")]
    [InlineData("oAYko8gW5HaZqsCxilRj3cWHGCTzcU5uop6j1lW7bN0=", "2026-01-05T07:22:01", SignatureStatus.Malformed, "X-Zendesk-Webhook-Signature-Timestamp: '2026-01-05T07:22:01' is not a date-time with a UTC offset")]
    [InlineData("not base64!", ZendeskTimestamp, SignatureStatus.Malformed, "X-Zendesk-Webhook-Signature: is not a base64 HMAC-SHA256")]
    [InlineData("c2hvcnQ=", ZendeskTimestamp, SignatureStatus.Malformed, "X-Zendesk-Webhook-Signature: is not a base64 HMAC-SHA256")]
    public void VerifyZendesk_BadHeaders_AreNamed(string? signature, string? timestamp, SignatureStatus status, string reason)
    {
        var check = WebhookSignature.VerifyZendesk(ZendeskBody, signature, timestamp, ZendeskSecret, Now);

        Assert.Equal(status, check.Status);
        Assert.Equal(reason, check.Reason);
    }

    [Theory]
    [InlineData("", ChatwootTimestamp, SignatureStatus.Missing, "X-Chatwoot-Signature: is required")]
    [InlineData("sha256=48491787d0d5a22626bc56f37dd202494fd99612797de578a6d6d39dc406ffb8", null, SignatureStatus.Missing, "X-Chatwoot-Timestamp: is required")]
    [InlineData("sha256=48491787d0d5a22626bc56f37dd202494fd99612797de578a6d6d39dc406ffb8", "2026-01-05T07:22:01Z", SignatureStatus.Malformed, "X-Chatwoot-Timestamp: '2026-01-05T07:22:01Z' is not a Unix time in seconds")]
    [InlineData("48491787d0d5a22626bc56f37dd202494fd99612797de578a6d6d39dc406ffb8", ChatwootTimestamp, SignatureStatus.Malformed, "X-Chatwoot-Signature: is not 'sha256=' followed by 64 hex digits")]
    [InlineData("sha256=zz491787d0d5a22626bc56f37dd202494fd99612797de578a6d6d39dc406ffb8", ChatwootTimestamp, SignatureStatus.Malformed, "X-Chatwoot-Signature: is not 'sha256=' followed by 64 hex digits")]
    public void VerifyChatwoot_BadHeaders_AreNamed(string? signature, string? timestamp, SignatureStatus status, string reason)
    {
        var check = WebhookSignature.VerifyChatwoot(ChatwootBody, signature, timestamp, ChatwootSecret, Now);

        Assert.Equal(status, check.Status);
        Assert.Equal(reason, check.Reason);
    }

    [Fact]
    public void VerifyToken_ComparesWholeTokens()
    {
        Assert.True(WebhookSignature.VerifyToken("k3y-9f8e7d6c5b4a", "k3y-9f8e7d6c5b4a"));
        Assert.False(WebhookSignature.VerifyToken("k3y-9f8e7d6c5b4", "k3y-9f8e7d6c5b4a"));
        Assert.False(WebhookSignature.VerifyToken("k3y-9f8e7d6c5b4a ", "k3y-9f8e7d6c5b4a"));
        Assert.False(WebhookSignature.VerifyToken(null, "k3y-9f8e7d6c5b4a"));
        Assert.False(WebhookSignature.VerifyToken("", "k3y-9f8e7d6c5b4a"));
    }

    [Fact]
    public void Headers_AreTheProvidersNames()
    {
        Assert.Equal("X-Zendesk-Webhook-Signature", WebhookSignature.SignatureHeader(WebhookProvider.Zendesk));
        Assert.Equal("X-Zendesk-Webhook-Signature-Timestamp", WebhookSignature.TimestampHeader(WebhookProvider.Zendesk));
        Assert.Equal("X-Chatwoot-Signature", WebhookSignature.SignatureHeader(WebhookProvider.Chatwoot));
        Assert.Equal("X-Chatwoot-Timestamp", WebhookSignature.TimestampHeader(WebhookProvider.Chatwoot));
    }
}
