using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Utendaji.Core.Calendars;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Importing;
using Utendaji.Server.Access;
using Utendaji.Server.Caching;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Api;

/// <summary>A configuration document as listed.</summary>
/// <param name="Name">Its name (for instruments: the instrument id).</param>
public sealed record ConfigItem(string Name);

/// <summary>The documents of one kind, by name.</summary>
/// <param name="Items">Every stored document of the kind (configuration lists are short: not paginated).</param>
public sealed record ConfigList(IReadOnlyList<ConfigItem> Items);

/// <summary>What a configuration change did.</summary>
/// <param name="Name">The document stored or removed.</param>
/// <param name="TicketsRederived">Tickets whose facts were derived again because the measuring rules changed.</param>
public sealed record ConfigChange(string Name, int TicketsRederived);

/// <summary>
/// Calendars, their .ics holiday files, SLA policies and survey instruments: list, get, put (create or replace),
/// delete. A change to what measures tickets re-derives every ticket's facts in the same request; a change that
/// would leave the configuration unreadable (a calendar naming a holiday file that is gone) is undone.
/// </summary>
internal static class ConfigApi
{
    private sealed record Kind(
        string Segment, string Noun, ConfigKind Store, string ContentType, bool Rederive, bool File,
        Func<string, string, IReadOnlyDictionary<string, string>, (string? Error, string Stored)> Validate);

    private static readonly Kind[] Kinds =
    [
        new("calendars", "calendar", ConfigKind.Calendar, "application/json", Rederive: true, File: false, ValidateCalendar),
        new("holiday-files", "holiday file", ConfigKind.HolidayFile, "text/calendar", Rederive: true, File: true, ValidateIcs),
        new("sla-policies", "SLA policy", ConfigKind.SlaPolicy, "application/json", Rederive: true, File: false, ValidateSla),
        new("survey-instruments", "survey instrument", ConfigKind.SurveyInstrument, "application/json", Rederive: false, File: false, ValidateInstrument),
    ];

    public static RouteGroupBuilder MapConfigApi(this RouteGroupBuilder group)
    {
        foreach (var kind in Kinds)
        {
            var pascal = string.Concat(kind.Segment.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            group.MapGet($"/{kind.Segment}", (string org, OrganisationStores stores, CancellationToken ct) => ListAsync(kind, org, stores, ct))
                .WithName($"List{pascal}")
                .WithSummary($"The stored {kind.Noun} names")
                .Produces<ConfigList>()
                .Requires(AccountRole.Viewer);
            group.MapGet($"/{kind.Segment}/{{name}}", (string org, string name, OrganisationStores stores, CancellationToken ct) => GetAsync(kind, org, name, stores, ct))
                .WithName($"Get{pascal}")
                .WithSummary($"One stored {kind.Noun}, as stored")
                .Produces(StatusCodes.Status200OK, contentType: kind.ContentType)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .Requires(AccountRole.Viewer);
            group.MapPut($"/{kind.Segment}/{{name}}", (string org, string name, HttpContext http, OrganisationStores stores, OrganisationCache cache, ServerOptions options, ILogger<Kind> logger, CancellationToken ct) =>
                    ChangingAsync(cache, org, PutAsync(kind, org, name, http, stores, options, logger, ct)))
                .WithName($"Put{pascal}")
                .WithSummary($"Create or replace a {kind.Noun}" + (kind.Rederive ? " and re-derive every ticket's facts" : ""))
                .AcceptsBody(kind.ContentType)
                .Produces<ConfigChange>()
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
                .Requires(AccountRole.Manager, write: true);
            group.MapDelete($"/{kind.Segment}/{{name}}", (string org, string name, OrganisationStores stores, OrganisationCache cache, ServerOptions options, ILogger<Kind> logger, CancellationToken ct) =>
                    ChangingAsync(cache, org, DeleteAsync(kind, org, name, stores, options, logger, ct)))
                .WithName($"Delete{pascal}")
                .WithSummary($"Remove a {kind.Noun}" + (kind.Rederive ? " and re-derive every ticket's facts" : ""))
                .Produces<ConfigChange>()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesValidationProblem()
                .Requires(AccountRole.Manager, write: true);
        }

        return group;
    }

    /// <summary>Runs a configuration change, then drops the organisation's cached configuration and reports (whatever the outcome).</summary>
    private static async Task<IResult> ChangingAsync(OrganisationCache cache, string org, Task<IResult> change)
    {
        try
        {
            return await change;
        }
        finally
        {
            cache.ConfigChanged(org);
        }
    }

    private static async Task<IResult> ListAsync(Kind kind, string org, OrganisationStores stores, CancellationToken ct)
    {
        var documents = await stores.UseAsync(org, store => store.GetConfigAsync(kind.Store, ct), ct);
        return TypedResults.Ok(new ConfigList(documents.Select(d => new ConfigItem(d.Name)).ToList()));
    }

    private static async Task<IResult> GetAsync(Kind kind, string org, string name, OrganisationStores stores, CancellationToken ct)
    {
        var documents = await stores.UseAsync(org, store => store.GetConfigAsync(kind.Store, ct), ct);
        return documents.FirstOrDefault(d => d.Name == name) is { } document
            ? TypedResults.Text(document.Json, kind.ContentType, Encoding.UTF8)
            : Problems.NotFound($"No {kind.Noun} '{name}'.");
    }

    private static async Task<IResult> PutAsync(
        Kind kind, string org, string name, HttpContext http, OrganisationStores stores, ServerOptions options, ILogger logger, CancellationToken ct)
    {
        var limit = kind.File ? options.FileBodyLimit : options.JsonBodyLimit;
        var body = await RequestBody.ReadAsync(http.Request, limit, ct);
        if (body is null)
        {
            return Problems.TooLarge(limit);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Validation("$", "is not UTF-8 text");
        }

        var (error, change) = await StoreAsync(kind, org, name, text, stores, options, logger, ct);
        return error is not null
            // One message per problem found (the parsers list them a line each).
            ? Problems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["$"] = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            })
            : TypedResults.Ok(change);
    }

    /// <summary>
    /// Validates and stores a document as <c>PUT</c> does (same checks, same re-derivation, same undo), for the
    /// dashboard's upload forms; then drops the organisation's cached configuration and reports.
    /// </summary>
    /// <param name="segment">The kind as in the API's path: calendars, holiday-files, sla-policies, survey-instruments.</param>
    /// <param name="org">The organisation.</param>
    /// <param name="name">The document's name.</param>
    /// <param name="text">The document.</param>
    /// <param name="stores">The organisations' stores.</param>
    /// <param name="cache">The organisations' caches.</param>
    /// <param name="options">The server's options.</param>
    /// <param name="logger">Where the change is logged.</param>
    /// <param name="ct">Cancels.</param>
    /// <returns>The problems found, one a line (nothing stored), or the change made.</returns>
    internal static async Task<(string? Error, ConfigChange? Change)> StoreFromDashboardAsync(
        string segment, string org, string name, string text, OrganisationStores stores, OrganisationCache cache, ServerOptions options, ILogger logger, CancellationToken ct)
    {
        var kind = Kinds.Single(k => k.Segment == segment);
        try
        {
            return await StoreAsync(kind, org, name, text, stores, options, logger, ct);
        }
        finally
        {
            cache.ConfigChanged(org);
        }
    }

    private static Task<(string? Error, ConfigChange? Change)> StoreAsync(
        Kind kind, string org, string name, string text, OrganisationStores stores, ServerOptions options, ILogger logger, CancellationToken ct) =>
        stores.UseAsync(org, async store =>
        {
            var holidayFiles = (await store.GetConfigAsync(ConfigKind.HolidayFile, ct)).ToDictionary(d => d.Name, d => d.Json, StringComparer.Ordinal);
            var (error, stored) = kind.Validate(name, text, holidayFiles);
            if (error is not null)
            {
                return (error, (ConfigChange?)null);
            }

            var previous = (await store.GetConfigAsync(kind.Store, ct)).FirstOrDefault(d => d.Name == name);
            await store.PutConfigAsync(kind.Store, name, stored, ct);
            return await ApplyCoreAsync(kind, org, name, "stored", store, previous, options, logger, ct);
        }, ct);

    private static Task<IResult> DeleteAsync(
        Kind kind, string org, string name, OrganisationStores stores, ServerOptions options, ILogger logger, CancellationToken ct) =>
        stores.UseAsync(org, async store =>
        {
            var previous = (await store.GetConfigAsync(kind.Store, ct)).FirstOrDefault(d => d.Name == name);
            if (previous is null)
            {
                return Problems.NotFound($"No {kind.Noun} '{name}'.");
            }

            await store.DeleteConfigAsync(kind.Store, name, ct);
            return await ApplyAsync(kind, org, name, "removed", store, previous, options, logger, ct);
        }, ct);

    /// <summary>Checks the whole configuration still reads, then re-derives; otherwise puts the previous document back.</summary>
    private static async Task<IResult> ApplyAsync(
        Kind kind, string org, string name, string action, IUtendajiStore store, ConfigDocument? previous, ServerOptions options, ILogger logger, CancellationToken ct)
    {
        var (error, change) = await ApplyCoreAsync(kind, org, name, action, store, previous, options, logger, ct);
        return error is not null ? Problems.Validation("$", error) : TypedResults.Ok(change);
    }

    private static async Task<(string? Error, ConfigChange? Change)> ApplyCoreAsync(
        Kind kind, string org, string name, string action, IUtendajiStore store, ConfigDocument? previous, ServerOptions options, ILogger logger, CancellationToken ct)
    {
        Core.Metrics.MetricContext context;
        try
        {
            context = await EngineConfiguration.LoadAsync(store, options.Clock.GetCurrentInstant(), ct);
            if (kind.Store == ConfigKind.SurveyInstrument)
            {
                await InstrumentCatalog.LoadAsync(store, ct);
            }
        }
        catch (ConfigurationException e)
        {
            if (previous is null)
            {
                await store.DeleteConfigAsync(kind.Store, name, ct);
            }
            else
            {
                await store.PutConfigAsync(kind.Store, name, previous.Json, ct);
            }

            return ($"the change would leave the stored configuration unreadable, so it was not made: {e.Message}", null);
        }

        var rederived = kind.Rederive ? await store.RederiveAllAsync(source => ImportPipeline.Derive(source, context), null, ct) : 0;
        ServerLog.ConfigChanged(logger, kind.Noun, name, action, org, rederived);
        return (null, new ConfigChange(name, rederived));
    }

    private static (string?, string) ValidateCalendar(string name, string json, IReadOnlyDictionary<string, string> holidayFiles)
    {
        try
        {
            var definition = EngineConfiguration.ParseCalendar(json, "request", n => holidayFiles.GetValueOrDefault(n));
            EngineConfiguration.BuildCalendar(definition, "request");
            return definition.Name == name ? (null, json) : ($"the calendar's name '{definition.Name}' differs from '{name}' in the URL", json);
        }
        catch (ConfigurationException e)
        {
            return (e.Message, json);
        }
    }

    private static (string?, string) ValidateSla(string name, string json, IReadOnlyDictionary<string, string> holidayFiles)
    {
        try
        {
            var policy = EngineConfiguration.ParseSlaPolicy(json, "request");
            return policy.Name == name ? (null, json) : ($"the policy's name '{policy.Name}' differs from '{name}' in the URL", json);
        }
        catch (ConfigurationException e)
        {
            return (e.Message, json);
        }
    }

    private static (string?, string) ValidateInstrument(string name, string json, IReadOnlyDictionary<string, string> holidayFiles)
    {
        var result = InstrumentJson.Parse(json, "request");
        if (!result.Success)
        {
            return (string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())), json);
        }

        return result.Instrument!.Id == name
            ? (null, InstrumentJson.Serialize(result.Instrument))
            : ($"the instrument's id '{result.Instrument.Id}' differs from '{name}' in the URL", json);
    }

    private static (string?, string) ValidateIcs(string name, string text, IReadOnlyDictionary<string, string> holidayFiles)
    {
        if (!name.EndsWith(".ics", StringComparison.OrdinalIgnoreCase))
        {
            return ("a holiday file's name ends in .ics (it is the name calendars include it by)", text);
        }

        var result = IcsHolidays.Parse(text, name);
        return result.Success ? (null, text) : (string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())), text);
    }
}
