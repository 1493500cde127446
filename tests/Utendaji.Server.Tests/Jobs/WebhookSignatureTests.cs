using System.Text;
using Utendaji.Server.Jobs;

namespace Utendaji.Server.Tests.Jobs;

public class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"a":1}""");

    [Fact]
    public void Sign_KnownInput_MatchesReferenceHmac() =>
        // Reference: Python 3, hmac.new(b'0123456789abcdef-secret', b'1795424400.{"a":1}', hashlib.sha256).hexdigest()
        Assert.Equal("sha256=25634bdd5e7a439bbf8fdcc42fe0b1139a01f450a0b7dfd6aca33ca4fb591ba9", WebhookSignature.Sign(Secret, 1795424400, Body));

    [Fact]
    public void Verify_OwnSignature_True() =>
        Assert.True(WebhookSignature.Verify(Secret, 1795424400, Body, WebhookSignature.Sign(Secret, 1795424400, Body)));

    [Theory]
    [InlineData(Secret, 1795424401, """{"a":1}""")]
    [InlineData(Secret, 1795424400, """{"a":2}""")]
    [InlineData("another-secret-0000", 1795424400, """{"a":1}""")]
    public void Verify_AnythingChanged_False(string secret, long timestamp, string body) =>
        Assert.False(WebhookSignature.Verify(secret, timestamp, Encoding.UTF8.GetBytes(body), WebhookSignature.Sign(Secret, 1795424400, Body)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha1=25634bdd5e7a439bbf8fdcc42fe0b1139a01f450a0b7dfd6aca33ca4fb591ba9")]
    [InlineData("sha256=zz634bdd5e7a439bbf8fdcc42fe0b1139a01f450a0b7dfd6aca33ca4fb591ba9")]
    [InlineData("sha256=25634bdd")]
    public void Verify_MalformedHeader_False(string? header) =>
        Assert.False(WebhookSignature.Verify(Secret, 1795424400, Body, header));
}

public class OutgoingWebhookTests
{
    [Theory]
    [InlineData("/relative", "0123456789abcdef", "url")]
    [InlineData("ftp://example.org/x", "0123456789abcdef", "url")]
    [InlineData("https://example.org/x", "short", "secret")]
    public void Constructor_BadValue_RejectedNamingIt(string url, string secret, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new OutgoingWebhook(new Uri(url, UriKind.RelativeOrAbsolute), secret));

        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        var webhook = new OutgoingWebhook(new Uri("https://example.org/hooks"), "do-not-print-0123456789");

        Assert.DoesNotContain("do-not-print", webhook.ToString(), StringComparison.Ordinal);
        Assert.Contains("https://example.org/hooks", webhook.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SolvedStatus_RejectedNamingStatuses()
    {
        var options = SlaWarningOptions.Default with { Statuses = [Core.Tickets.TicketStatus.Solved] };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal("Statuses", error.ParamName);
    }
}
