using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Utendaji.Core.Surveys;
using Utendaji.Ingest;
using Utendaji.Ingest.Importing;
using Utendaji.Server.Caching;
using Utendaji.Server.Infrastructure;
using Utendaji.Server.Performance;
using Utendaji.Storage;

namespace Utendaji.Server.Api;

/// <summary>What an accepted ingestion request did.</summary>
/// <param name="Received">Objects or rows read.</param>
/// <param name="Added">Newly stored.</param>
/// <param name="Unchanged">Already stored identically (a repeated request changes nothing).</param>
/// <param name="TicketsDerived">Tickets whose facts were derived anew.</param>
public sealed record IngestResponse(long Received, long Added, long Unchanged, long TicketsDerived);

/// <summary>
/// Runs request bodies through the CLI's import pipeline (readers, validation, store transaction, fact derivation),
/// staged as a temporary file; either everything in the request is stored with its facts, or nothing is.
/// </summary>
internal sealed class Ingestion(
    OrganisationStores stores, OrganisationCache cache, EventGroupCommit groupCommit, ServerOptions options, ServerMetrics metrics, ILogger<Ingestion> logger)
{
    private const string ConflictReason = "is already stored with different content";

    /// <summary>A JSON batch (already shape-checked) of <paramref name="kind"/>.</summary>
    public async Task<IResult> IngestBatchAsync(string organisation, JsonBatch batch, ImportFileKind kind, CancellationToken cancellationToken, IDisposable? arrival = null)
    {
        // Small event requests share a transaction with others arriving at the same time (answered after it commits).
        if (kind == ImportFileKind.Events && await groupCommit.TryStoreAsync(organisation, batch, arrival, cancellationToken) is { } stored)
        {
            return Stored(organisation, kind, stored, batch.NewestAt);
        }

        var path = TempPath(".ndjson");
        try
        {
            await batch.WriteNdjsonAsync(path, cancellationToken);
            return await RunAsync(organisation, path, new ImportSettings { Kind = kind, RejectsPath = path + ".rejects" }, batch.Key, batch.NewestAt, jsonBody: true, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Counts an event request on its way to the group commit from its arrival (see <see cref="EventGroupCommit.Arrive"/>).</summary>
    public IDisposable ArriveWithEvents(string organisation) => groupCommit.Arrive(organisation);

    /// <summary>A file body in one of the CLI's formats.</summary>
    public async Task<IResult> IngestFileAsync(string organisation, byte[] body, string extension, ImportSettings settings, CancellationToken cancellationToken)
    {
        var path = TempPath(extension);
        try
        {
            await File.WriteAllBytesAsync(path, body, cancellationToken);
            return await RunAsync(organisation, path, settings with { RejectsPath = path + ".rejects" }, FileKey, null, jsonBody: false, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A built-in or stored instrument by id, or null.</summary>
    public Task<SurveyInstrument?> InstrumentAsync(string organisation, string id, CancellationToken cancellationToken) =>
        stores.UseAsync(organisation, async store => (await InstrumentCatalog.LoadAsync(store, cancellationToken)).GetValueOrDefault(id), cancellationToken);

    private static string FileKey(long line, string field) =>
        field.Length == 0 ? $"line {line.ToString(CultureInfo.InvariantCulture)}" : $"line {line.ToString(CultureInfo.InvariantCulture)}: {field}";

    private string TempPath(string extension) =>
        Path.Combine(options.TempDirectory, $"utendaji-request-{Guid.NewGuid():N}{extension}");

    private async Task<IResult> RunAsync(
        string organisation, string path, ImportSettings settings, Func<long, string, string> key, NodaTime.Instant? newestAt, bool jsonBody, CancellationToken cancellationToken)
    {
        ImportOutcome outcome;
        try
        {
            outcome = await stores.UseAsync(organisation, async store =>
            {
                var context = await cache.EngineContextAsync(organisation, store, options.Clock.GetCurrentInstant(), cancellationToken);
                var catalog = settings.Kind is ImportFileKind.SurveyResponses or ImportFileKind.SurveySends
                    ? await InstrumentCatalog.LoadAsync(store, cancellationToken)
                    : null;
                var run = catalog is null ? settings : settings with { Instruments = id => catalog.GetValueOrDefault(id) };
                return await new ImportPipeline(store, context).RunAsync(path, "request", run, static (_, _) => { }, cancellationToken);
            }, cancellationToken);
        }
        catch (ImportFileException e)
        {
            return Problems.UnprocessableFile(e.Message.Replace(path, "request", StringComparison.Ordinal));
        }
        finally
        {
            // After the transaction ended (committed or not): cached reports are no longer trusted.
            cache.DataChanged(organisation);
        }

        if (!outcome.Committed)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var issue in outcome.Issues)
            {
                var k = key(issue.Line, issue.Field);
                errors[k] = errors.TryGetValue(k, out var known) ? [.. known, Message(issue)] : [Message(issue)];
            }

            if (outcome.Issues.All(i => i.Reason.StartsWith(ConflictReason, StringComparison.Ordinal)))
            {
                return Problems.Conflict(errors);
            }

            var more = outcome.IssueCount - outcome.Issues.Count;
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"{outcome.IssueCount} problem(s) in {outcome.Rejected} row(s){(more > 0 ? $" ({more} not shown)" : "")}; nothing was stored.");
            return jsonBody ? Problems.Validation(errors, detail) : Problems.UnprocessableFile(detail, errors);
        }

        return Stored(organisation, settings.Kind, new IngestResponse(outcome.Rows, outcome.Added, outcome.Unchanged, outcome.TicketsDerived), newestAt);
    }

    /// <summary>Metrics, the log line and the answer for a committed request.</summary>
    private IResult Stored(string organisation, ImportFileKind kind, IngestResponse stored, NodaTime.Instant? newestAt)
    {
        if (kind == ImportFileKind.Events)
        {
            metrics.RecordEvents(stored.Added, stored.Added > 0 ? newestAt : null);
        }
        else if (kind is ImportFileKind.SurveyResponses or ImportFileKind.SurveySends)
        {
            metrics.RecordSurveyRows(stored.Added);
        }

        ServerLog.Ingested(logger, kind.ToString(), stored.Added, stored.Unchanged, stored.TicketsDerived, organisation);
        return TypedResults.Ok(stored);
    }

    /// <summary>The CLI's message for the issue without its <c>file:line: field:</c> prefix (the error key says where).</summary>
    private static string Message(ImportIssue issue)
    {
        var text = issue.ToString();
        var prefix = $"{issue.File}:{issue.Line.ToString(CultureInfo.InvariantCulture)}: " + (issue.Field.Length > 0 ? issue.Field + ": " : "");
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
    }
}

/// <summary>The instruments an organisation knows: built-in ones and stored ones (which win on the same id).</summary>
internal static class InstrumentCatalog
{
    public static async Task<Dictionary<string, SurveyInstrument>> LoadAsync(IUtendajiStore store, CancellationToken cancellationToken)
    {
        var instruments = BuiltInInstruments.All.ToDictionary(i => i.Id, StringComparer.Ordinal);
        foreach (var document in await store.GetConfigAsync(ConfigKind.SurveyInstrument, cancellationToken))
        {
            var result = InstrumentJson.Parse(document.Json, $"stored instrument '{document.Name}'");
            instruments[document.Name] = result.Success
                ? result.Instrument!
                : throw new ConfigurationException(string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())));
        }

        return instruments;
    }
}
