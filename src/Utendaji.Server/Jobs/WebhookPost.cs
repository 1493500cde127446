using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using NodaTime;

namespace Utendaji.Server.Jobs;

/// <summary>
/// One signed POST of a job's JSON body to an organisation's outgoing webhook (SLA warnings, report deliveries,
/// survey sends): idempotency key, timestamp and HMAC signature headers (<see cref="WebhookSignature"/>), a time
/// limit, and failures as <see cref="JobFailedException"/> so the worker retries.
/// </summary>
internal static class WebhookPost
{
    /// <summary>Posts <paramref name="body"/>; returns on a 2xx answer.</summary>
    /// <exception cref="JobFailedException">
    /// No answer within <paramref name="timeout"/>, unreachable, or a non-2xx answer (with the receiver's Retry-After
    /// on 429 and 503, capped at a day).
    /// </exception>
    public static async Task SendAsync(
        HttpClient client, OutgoingWebhook webhook, string idempotencyKey, byte[] body, Instant now, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdempotencyHeader, idempotencyKey);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(webhook.Secret, timestamp, body));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture, $"the webhook did not answer within {timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException e)
        {
            // The error category only, in one style for every job.
            throw new JobFailedException($"the webhook could not be reached ({e.HttpRequestError})", e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            // The response body is not read or stored: it is the receiver's text.
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture, $"the webhook answered HTTP {(int)response.StatusCode}"))
            {
                RetryAt = RetryAfter(response, now),
            };
        }
    }

    private static Instant? RetryAfter(HttpResponseMessage response, Instant now)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            || response.Headers.RetryAfter?.Delta is not { } delta
            || delta <= TimeSpan.Zero)
        {
            return null;
        }

        // A receiver asking for more than a day is capped: a warning or a survey would be useless long before.
        return now + Duration.FromTimeSpan(delta < TimeSpan.FromDays(1) ? delta : TimeSpan.FromDays(1));
    }
}
