using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using Utendaji.Ingest.Importing;
using Utendaji.Ingest.Summary;
using Utendaji.Server.Access;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Api;

/// <summary>Data in: ticket events, survey sends and responses (JSON), and whole files in the CLI's formats.</summary>
internal static class IngestApi
{
    /// <summary>The properties of a canonical event (docs/formats.md), top level and in <c>actor</c>.</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> EventFields = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        [""] = new HashSet<string>(["id", "ticket_id", "at", "type", "actor", "public", "channel", "team", "priority", "status", "attributes"], StringComparer.Ordinal),
        ["actor"] = new HashSet<string>(["kind", "id"], StringComparer.Ordinal),
    };

    /// <summary>The properties of a survey response (docs/surveys-responses.md); answer ids are checked by the reader against the instrument.</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> ResponseFields = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        [""] = new HashSet<string>(["response_id", "instrument", "ticket_id", "customer", "agent", "team", "channel", "language", "sent_at", "submitted_at", "send_id", "answers"], StringComparer.Ordinal),
    };

    /// <summary>The properties of a survey send.</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> SendFields = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        [""] = new HashSet<string>(["send_id", "instrument", "ticket_id", "customer", "channel", "language", "sent_at"], StringComparer.Ordinal),
    };

    public static RouteGroupBuilder MapIngestApi(this RouteGroupBuilder group)
    {
        group.MapPost("/events", (string org, HttpContext http, Ingestion ingestion, ServerOptions options, CancellationToken ct) =>
                BatchAsync(org, http, ingestion, options, ImportFileKind.Events, EventFields, ct))
            .WithName("PostEvents")
            .WithSummary("Store canonical ticket events: one JSON object or an array (idempotent by event id)")
            .AcceptsBody("application/json")
            .Produces<IngestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .Requires(AccountRole.Agent, write: true);

        group.MapPost("/survey-sends", (string org, HttpContext http, Ingestion ingestion, ServerOptions options, CancellationToken ct) =>
                BatchAsync(org, http, ingestion, options, ImportFileKind.SurveySends, SendFields, ct))
            .WithName("PostSurveySends")
            .WithSummary("Store survey sends (docs/surveys-responses.md): one JSON object or an array (idempotent by send_id)")
            .AcceptsBody("application/json")
            .Produces<IngestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Requires(AccountRole.Agent, write: true);

        group.MapPost("/survey-responses", (string org, HttpContext http, Ingestion ingestion, ServerOptions options, CancellationToken ct) =>
                BatchAsync(org, http, ingestion, options, ImportFileKind.SurveyResponses, ResponseFields, ct))
            .WithName("PostSurveyResponses")
            .WithSummary("Store survey responses (docs/surveys-responses.md): one JSON object or an array (idempotent by response_id)")
            .AcceptsBody("application/json")
            .Produces<IngestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Requires(AccountRole.Agent, write: true);

        group.MapPost("/imports", ImportAsync)
            .WithName("PostImport")
            .WithSummary("Import a file in one of the CLI's formats (?kind=events|summary|survey-responses|survey-sends); all rows or none")
            .AcceptsBody("application/x-ndjson", "text/csv")
            .Produces<IngestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Requires(AccountRole.Agent, write: true);
        return group;
    }

    private static async Task<IResult> BatchAsync(
        string org, HttpContext http, Ingestion ingestion, ServerOptions options, ImportFileKind kind,
        IReadOnlyDictionary<string, IReadOnlySet<string>>? known, CancellationToken ct)
    {
        using var arrival = kind == ImportFileKind.Events ? ingestion.ArriveWithEvents(org) : null;
        var body = await RequestBody.ReadAsync(http.Request, options.JsonBodyLimit, ct);
        if (body is null)
        {
            return Problems.TooLarge(options.JsonBodyLimit);
        }

        var batch = JsonBatch.Parse(body, options.MaxBatchItems, known);
        return batch.Errors.Count > 0
            ? Problems.Validation(batch.Errors)
            : await ingestion.IngestBatchAsync(org, batch, kind, ct, arrival);
    }

    private static async Task<IResult> ImportAsync(
        string org, HttpContext http, Ingestion ingestion, ServerOptions options,
        string? kind, string? format, string? profile, string? time_zone, string? instrument, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ImportFileKind? fileKind = kind switch
        {
            "events" => ImportFileKind.Events,
            "summary" => ImportFileKind.Summary,
            "survey-responses" => ImportFileKind.SurveyResponses,
            "survey-sends" => ImportFileKind.SurveySends,
            _ => null,
        };
        if (fileKind is null)
        {
            errors["kind"] = [kind is null ? "is required: events, summary, survey-responses or survey-sends" : $"'{kind}' is not one of events, summary, survey-responses, survey-sends"];
        }

        var csv = format switch
        {
            "csv" => true,
            "ndjson" => false,
            null => fileKind == ImportFileKind.Summary || (http.Request.ContentType ?? "").StartsWith("text/csv", StringComparison.OrdinalIgnoreCase),
            _ => (bool?)null,
        };
        if (csv is null)
        {
            errors["format"] = [$"'{format}' is not csv or ndjson"];
        }
        else if ((fileKind == ImportFileKind.Events && csv == true) || (fileKind == ImportFileKind.Summary && csv == false))
        {
            errors["format"] = [fileKind == ImportFileKind.Events ? "events are NDJSON" : "a summary export is CSV"];
        }

        var summaryProfile = SummaryCsvProfile.Auto;
        if (profile is not null && (!Enum.TryParse(profile, ignoreCase: true, out summaryProfile) || int.TryParse(profile, out _)))
        {
            errors["profile"] = [$"'{profile}' is not one of auto, canonical, zendesk, freshdesk"];
        }

        var zone = DateTimeZone.Utc;
        if (time_zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(time_zone) is not { } found)
        {
            errors["time_zone"] = [$"'{time_zone}' is not an IANA time zone (e.g. Africa/Nairobi)"];
        }
        else if (time_zone is not null)
        {
            zone = DateTimeZoneProviders.Tzdb[time_zone];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var body = await RequestBody.ReadAsync(http.Request, options.FileBodyLimit, ct);
        if (body is null)
        {
            return Problems.TooLarge(options.FileBodyLimit);
        }

        var settings = new ImportSettings { Kind = fileKind!.Value, Profile = summaryProfile, TimeZone = zone, RejectsPath = "" };
        if (instrument is not null)
        {
            var known = await ingestion.InstrumentAsync(org, instrument, ct);
            if (known is null)
            {
                return Problems.Validation("instrument", $"'{instrument}' is not a built-in or stored survey instrument");
            }

            settings = settings with { Instrument = known };
        }

        return await ingestion.IngestFileAsync(org, body, csv == true ? ".csv" : ".ndjson", settings, ct);
    }
}
