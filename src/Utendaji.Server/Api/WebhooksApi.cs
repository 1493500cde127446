using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Importing;
using Utendaji.Ingest.Webhooks;
using Utendaji.Server.Access;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Api;

/// <summary>What a webhook delivery did.</summary>
/// <param name="Outcome"><c>stored</c> (new events), <c>unchanged</c> (all already stored: a redelivery) or <c>ignored</c>.</param>
/// <param name="Reason">Why an ignored payload was not measured; null otherwise.</param>
/// <param name="Received">Canonical events the payload mapped to.</param>
/// <param name="Added">Newly stored.</param>
/// <param name="Unchanged">Already stored identically.</param>
/// <param name="TicketsDerived">Tickets whose facts were derived anew.</param>
public sealed record WebhookResponse(
    string Outcome, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason, long Received, long Added, long Unchanged, long TicketsDerived);

/// <summary>
/// Helpdesk webhook receivers (docs/connectors.md): authenticated by the helpdesk's signature with the organisation's
/// configured secret (no bearer token), mapped by <see cref="HelpdeskWebhook"/> and stored through the same ingestion
/// path as <c>POST /events</c>, all or nothing and idempotent by event id.
/// </summary>
internal static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder group)
    {
        group.MapPost("/webhooks/zendesk", (string org, HttpContext http, CancellationToken ct) => ReceiveAsync(org, WebhookProvider.Zendesk, null, http, ct))
            .WithName("PostZendeskWebhook")
            .WithSummary("Receive a Zendesk ticket-event webhook, signed with the organisation's Zendesk secret (no bearer token)")
            .Webhook();
        group.MapPost("/webhooks/chatwoot", (string org, HttpContext http, CancellationToken ct) => ReceiveAsync(org, WebhookProvider.Chatwoot, null, http, ct))
            .WithName("PostChatwootWebhook")
            .WithSummary("Receive a Chatwoot webhook, signed with the organisation's Chatwoot secret (no bearer token)")
            .Webhook();
        group.MapPost("/webhooks/chatwoot/{token}", (string org, string token, HttpContext http, CancellationToken ct) => ReceiveAsync(org, WebhookProvider.Chatwoot, token, http, ct))
            .WithName("PostChatwootWebhookWithToken")
            .WithSummary("Receive an unsigned Chatwoot webhook (before 4.11.2) authenticated by the organisation's URL token")
            .Webhook();

        return group;
    }

    private static RouteHandlerBuilder Webhook(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new SignedWebhook())
            .AcceptsBody("application/json")
            .Produces<WebhookResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    private static async Task<IResult> ReceiveAsync(string org, WebhookProvider provider, string? token, HttpContext http, CancellationToken ct)
    {
        var services = http.RequestServices;
        var connectors = services.GetRequiredService<ConnectorSettings>();
        var metrics = services.GetRequiredService<ServerMetrics>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Utendaji.Server.Webhooks");
        var name = provider == WebhookProvider.Zendesk ? "zendesk" : "chatwoot";
        IResult Refuse(string outcome, IResult result)
        {
            metrics.RecordWebhook(name, outcome);
            // An organisation name from the path is logged only once it is known to be one (not whatever was sent).
            ServerLog.Webhook(logger, name, outcome == "not_found" ? "(unknown)" : org, outcome);
            return result;
        }

        // No secret for this provider (or no such organisation): the same 404 as any unknown resource, no hint.
        connectors.Organisations.TryGetValue(org, out var secrets);
        var expected = token is null ? secrets?.Secret(provider) : secrets?.ChatwootToken;
        if (expected is null || !await services.GetRequiredService<IAccountStore>().OrganisationExistsAsync(org, ct))
        {
            return Refuse("not_found", Problems.NotFound("No such resource."));
        }

        var options = services.GetRequiredService<ServerOptions>();
        if (token is not null && !WebhookSignature.VerifyToken(token, expected))
        {
            return Refuse("unauthorized", Problems.Unauthorized("The URL token does not match the organisation's Chatwoot token."));
        }

        var body = await RequestBody.ReadAsync(http.Request, options.JsonBodyLimit, ct);
        if (body is null)
        {
            return Refuse("too_large", Problems.TooLarge(options.JsonBodyLimit));
        }

        if (token is null)
        {
            var check = WebhookSignature.Verify(
                provider, body,
                http.Request.Headers[WebhookSignature.SignatureHeader(provider)].ToString(),
                http.Request.Headers[WebhookSignature.TimestampHeader(provider)].ToString(),
                expected, options.Clock.GetCurrentInstant(), new WebhookSignatureOptions { Tolerance = connectors.Tolerance });
            if (!check.IsValid)
            {
                return Refuse("unauthorized", Problems.Unauthorized(check.Reason));
            }
        }

        var mapping = HelpdeskWebhook.Map(provider, body);
        switch (mapping.Status)
        {
            case WebhookMappingStatus.Invalid:
                var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
                foreach (var issue in mapping.Issues)
                {
                    var key = issue.Field.Length == 0 ? "$" : issue.Field;
                    var message = (issue with { Field = "" }).ToString();
                    errors[key] = errors.TryGetValue(key, out var known) ? [.. known, message] : [message];
                }

                return Refuse("invalid", Problems.Validation(errors, $"The body is not a {name} webhook payload Utendaji understands; nothing was stored."));
            case WebhookMappingStatus.Ignored:
                metrics.RecordWebhook(name, "ignored");
                ServerLog.Webhook(logger, name, org, "ignored");
                return TypedResults.Ok(new WebhookResponse("ignored", mapping.IgnoredReason, 0, 0, 0, 0));
        }

        var batch = JsonBatch.Parse(EventsArray(mapping), int.MaxValue, known: null);
        if (batch.Errors.Count > 0)
        {
            return Refuse("invalid", Problems.Validation(batch.Errors));
        }

        var result = await services.GetRequiredService<Ingestion>().IngestBatchAsync(org, batch, ImportFileKind.Events, ct);
        if (result is not Ok<IngestResponse> { Value: { } stored })
        {
            // Validation or conflict problem from the pipeline: nothing was stored; pass its details on.
            return Refuse("rejected", result);
        }

        var outcome = stored.Added > 0 ? "stored" : "unchanged";
        metrics.RecordWebhook(name, outcome);
        ServerLog.Webhook(logger, name, org, outcome);
        return TypedResults.Ok(new WebhookResponse(outcome, null, stored.Received, stored.Added, stored.Unchanged, stored.TicketsDerived));
    }

    /// <summary>The mapped events as a JSON array of canonical event objects, the body shape of <c>POST /events</c>.</summary>
    private static byte[] EventsArray(WebhookMapping mapping)
    {
        using var ndjson = new MemoryStream();
        using (var writer = new EventNdjsonWriter(ndjson, leaveOpen: true))
        {
            foreach (var e in mapping.Events)
            {
                writer.Write(e);
            }
        }

        // One object per LF-terminated line, with no raw LF inside (the writer escapes control characters).
        var lines = ndjson.ToArray();
        var array = new byte[lines.Length + 1];
        array[0] = (byte)'[';
        for (var i = 0; i < lines.Length; i++)
        {
            array[i + 1] = lines[i] == (byte)'\n' ? (byte)',' : lines[i];
        }

        array[^1] = (byte)']';
        return array;
    }
}
