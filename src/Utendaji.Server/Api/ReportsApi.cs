using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Importing;
using Utendaji.Reports;
using Utendaji.Reports.Surveys;
using Utendaji.Server.Access;
using Utendaji.Server.Caching;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Api;

/// <summary>Figures out: the KPI report (the JSON of <c>utendaji report --format json</c>), tickets and one ticket explained.</summary>
internal static class ReportsApi
{
    private const int DefaultPageSize = 100;

    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/reports/kpi", KpiAsync)
            .WithName("GetKpiReport")
            .WithSummary("KPI report per group and period: the same parameters and JSON as 'utendaji report --format json'")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesValidationProblem()
            .Requires(AccountRole.Viewer);

        group.MapGet("/tickets", TicketsAsync)
            .WithName("ListTickets")
            .WithSummary("Tickets with every per-ticket figure (the objects of 'utendaji tickets --format json'), by creation instant; paginated with limit and cursor")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesValidationProblem()
            .Requires(AccountRole.Viewer);

        group.MapGet("/tickets/{ticketId}", TicketAsync)
            .WithName("GetTicket")
            .WithSummary("One ticket's figures and how each was reached (as 'utendaji explain --format json')")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Requires(AccountRole.Viewer);
        return group;
    }

    private static async Task<IResult> KpiAsync(
        string org, OrganisationStores stores, OrganisationCache cache, HttpContext http, string? by, string? period, string? time_zone, string? min_n, string? from, string? to,
        string? team, string? channel, string? agent, string? priority, string? language, string? with_surveys, CancellationToken ct)
    {
        var q = new QueryErrors();
        var dimensions = Dimensions(by, q);
        var granularity = PeriodGranularity.None;
        if (period is not null && (!Enum.TryParse(period, ignoreCase: true, out granularity) || int.TryParse(period, out _)))
        {
            q.Add("period", $"'{period}' is not one of none, day, week, month");
        }

        var options = KpiReportOptions.Default with
        {
            GroupBy = dimensions,
            Period = granularity,
            TimeZone = q.Zone("time_zone", time_zone),
            MinimumN = q.Integer("min_n", min_n, KpiReportOptions.Default.MinimumN, 0, int.MaxValue),
            From = q.Instant("from", from),
            To = q.Instant("to", to),
        };
        q.Range(options.From, options.To);
        var surveys = with_surveys is "true" or "1";
        if (with_surveys is not null and not ("true" or "false" or "1" or "0"))
        {
            q.Add("with_surveys", $"'{with_surveys}' is not true or false");
        }
        else if (surveys && dimensions.Contains(GroupDimension.Priority))
        {
            q.Add("with_surveys", "survey responses carry no priority; group by team, channel, agent or language");
        }

        if (q.Any)
        {
            return Problems.Validation(q.Errors);
        }

        // The query string names the report completely (path and organisation aside); the same text, the same report.
        var key = http.Request.QueryString.Value ?? "";
        if (cache.Report(org, key) is { } cached)
        {
            return TypedResults.Bytes(cached, "application/json");
        }

        var query = new FactsQuery { Team = team, Channel = channel, Agent = agent, Priority = priority, Language = language };
        try
        {
            return TypedResults.Bytes(await KpiBodyAsync(org, key, query, options, surveys, stores, cache, ct), "application/json");
        }
        catch (ReportTooLargeException e)
        {
            return Problems.Validation("period", e.Message);
        }
    }

    /// <summary>The report's JSON, built and kept in the cache.</summary>
    private static Task<byte[]> KpiBodyAsync(
        string org, string key, FactsQuery query, KpiReportOptions options, bool surveys, OrganisationStores stores, OrganisationCache cache, CancellationToken ct) =>
        stores.UseAsync(org, async store =>
        {
            var version = cache.ReportVersion(org);
            var report = await KpiReports.BuildAsync(store, query, options, ct);
            var survey = surveys ? await SurveyColumnsAsync(store, report, options, ct) : null;
            using var buffer = new MemoryStream();
            KpiReportRenderer.Write(report, ReportFormat.Json, buffer, survey: survey);
            var body = buffer.ToArray();
            cache.KeepReport(org, key, version, body);
            return body;
        }, ct);

    /// <summary>Survey CSAT and NPS for the same groups and periods (what <c>report --with-surveys</c> adds).</summary>
    private static async Task<SurveyColumns> SurveyColumnsAsync(IUtendajiStore store, KpiReport kpi, KpiReportOptions options, CancellationToken ct)
    {
        var surveyOptions = SurveyReportOptions.Default with
        {
            GroupBy = options.GroupBy.Select(d => Enum.Parse<SurveyGroupDimension>(d.ToString())).ToList(),
            Period = options.Period,
            TimeZone = options.TimeZone,
            From = kpi.Range.Start,
            To = kpi.Range.End,
            MinimumN = options.MinimumN,
        };
        var catalog = await InstrumentCatalog.LoadAsync(store, ct);
        var responses = store.ReadSurveyResponsesAsync(SurveyResponseQuery.All, ct).ToBlockingEnumerable(ct);
        var survey = SurveyReportBuilder.Build(responses, catalog.Values.ToList(), surveyOptions, null, ct);
        return SurveyColumns.For(kpi, survey);
    }

    private static List<GroupDimension> Dimensions(string? text, QueryErrors q)
    {
        var dimensions = new List<GroupDimension>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<GroupDimension>(part, ignoreCase: true, out var dimension) || int.TryParse(part, out _))
            {
                q.Add("by", $"'{part}' is not one of team, channel, agent, priority, language");
            }
            else if (dimensions.Contains(dimension))
            {
                q.Add("by", $"'{part}' is given twice");
            }
            else
            {
                dimensions.Add(dimension);
            }
        }

        return dimensions;
    }

    private static async Task<IResult> TicketsAsync(
        string org, OrganisationStores stores, ServerOptions options, string? limit, string? cursor, string? from, string? to,
        string? team, string? channel, string? agent, string? priority, string? language, string? status, CancellationToken ct)
    {
        var q = new QueryErrors();
        var size = q.Integer("limit", limit, DefaultPageSize, 1, options.MaxPageSize);
        var query = new FactsQuery
        {
            Team = team, Channel = channel, Agent = agent, Priority = priority, Language = language,
            CreatedFrom = q.Instant("from", from),
            CreatedTo = q.Instant("to", to),
        };
        q.Range(query.CreatedFrom, query.CreatedTo);
        if (status is not null)
        {
            if (Enum.TryParse<TicketStatus>(status.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var s) && !int.TryParse(status, out _))
            {
                query = query with { Status = s };
            }
            else
            {
                q.Add("status", $"'{status}' is not one of new, open, pending, on_hold, solved, closed");
            }
        }

        var after = cursor is null ? null : Cursor.Decode(cursor);
        if (cursor is not null && after is null)
        {
            q.Add("cursor", "is not a cursor this server issued (pass next_cursor of the previous page unchanged)");
        }

        if (q.Any)
        {
            return Problems.Validation(q.Errors);
        }

        if (after is { } c && (query.CreatedFrom is null || c.CreatedAt > query.CreatedFrom))
        {
            query = query with { CreatedFrom = c.CreatedAt };
        }

        var page = await stores.UseAsync(org, async store =>
        {
            var items = new List<TicketFacts>(size + 1);
            var passed = after is null;
            await foreach (var facts in store.ReadFactsAsync(query, ct))
            {
                if (!passed)
                {
                    // Rows of the cursor's instant up to and including the cursor's ticket were on earlier pages.
                    if (facts.CreatedAt == after!.Value.CreatedAt)
                    {
                        passed = facts.TicketId == after.Value.TicketId;
                        continue;
                    }

                    passed = true;
                }

                items.Add(facts);
                if (items.Count > size)
                {
                    break;
                }
            }

            return items;
        }, ct);

        var more = page.Count > size;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        using var tickets = new MemoryStream();
        TicketExport.WriteJson(page, tickets, ct);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, ApiJson.Writer))
        {
            json.WriteStartObject();
            json.WritePropertyName("tickets");
            json.WriteRawValue(tickets.ToArray(), skipInputValidation: true);
            if (more)
            {
                json.WriteString("next_cursor", Cursor.Encode(page[^1].CreatedAt, page[^1].TicketId));
            }
            else
            {
                json.WriteNull("next_cursor");
            }

            json.WriteEndObject();
        }

        return TypedResults.Bytes(buffer.ToArray(), "application/json");
    }

    private static async Task<IResult> TicketAsync(string org, string ticketId, OrganisationStores stores, OrganisationCache cache, ServerOptions options, CancellationToken ct)
    {
        var explanation = await stores.UseAsync(org, async store =>
        {
            var context = await cache.EngineContextAsync(org, store, options.Clock.GetCurrentInstant(), ct);
            var events = await store.ReadEventsAsync(ticketId, ct);
            if (events.Count > 0)
            {
                return TicketMetricsEngine.Explain(ticketId, events, context);
            }

            return await store.GetSummaryAsync(ticketId, ct) is { } summary ? TicketMetricsEngine.Explain(summary, context) : null;
        }, ct);
        if (explanation is null)
        {
            return Problems.NotFound("No such ticket.");
        }

        using var facts = new MemoryStream();
        TicketExport.WriteJson([explanation.Facts], facts, ct);
        using var document = JsonDocument.Parse(facts.ToArray());
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, ApiJson.Writer))
        {
            json.WriteStartObject();
            json.WriteString("ticket_id", explanation.TicketId);
            json.WritePropertyName("ticket");
            document.RootElement[0].WriteTo(json);
            json.WriteStartArray("steps");
            foreach (var step in explanation.Steps)
            {
                json.WriteStartObject();
                json.WriteString("metric", step.Metric);
                json.WriteString("text", step.Text);
                json.WriteStartObject("values");
                foreach (var value in step.Values)
                {
                    json.WriteString(value.Name, value.Value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return TypedResults.Bytes(buffer.ToArray(), "application/json");
    }

    /// <summary>The position after the last ticket of a page: its creation instant and id, base64url.</summary>
    private static class Cursor
    {
        public static string Encode(NodaTime.Instant createdAt, string ticketId) =>
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(createdAt.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture) + "|" + ticketId));

        public static (NodaTime.Instant CreatedAt, string TicketId)? Decode(string text)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
                var bar = decoded.IndexOf('|', StringComparison.Ordinal);
                return bar > 0 && long.TryParse(decoded.AsSpan(0, bar), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ticks) && bar < decoded.Length - 1
                    ? (NodaTime.Instant.FromUnixTimeTicks(ticks), decoded[(bar + 1)..])
                    : null;
            }
            catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
            {
                return null; // not base64url, or ticks beyond NodaTime's instants (a forged cursor)
            }
        }
    }
}
