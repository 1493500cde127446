using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Utendaji.Core;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Surveys;
using Utendaji.Server.Api;
using Utendaji.Server.Caching;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Web.Dashboard.Pages;

/// <summary>One kind of configuration the settings pages show.</summary>
/// <param name="Path">Its path under /dashboard/settings.</param>
/// <param name="ApiSegment">Its segment in the configuration API, whose validation an upload goes through.</param>
/// <param name="Store">Where it is stored.</param>
/// <param name="Title">The text key of its title.</param>
internal sealed record SettingsKind(string Path, string ApiSegment, ConfigKind Store, string Title)
{
    public static readonly SettingsKind Calendars = new("calendars", "calendars", ConfigKind.Calendar, "settings.calendars");
    public static readonly SettingsKind HolidayFiles = new("holiday-files", "holiday-files", ConfigKind.HolidayFile, "settings.holidayFiles");
    public static readonly SettingsKind SlaPolicies = new("sla-policies", "sla-policies", ConfigKind.SlaPolicy, "settings.slaPolicies");
    public static readonly SettingsKind Instruments = new("instruments", "survey-instruments", ConfigKind.SurveyInstrument, "settings.instruments");

    public static readonly SettingsKind[] All = [Calendars, HolidayFiles, SlaPolicies, Instruments];

    public string Link => DashboardRoutes.Prefix + "/settings/" + Path;
}

/// <summary>
/// Calendars (with their .ics holiday files), SLA policies and survey instruments: everyone signed in reads them,
/// managers and above upload. An upload goes through exactly the configuration API's validation and re-derivation
/// (<see cref="ConfigApi.StoreFromDashboardAsync"/>); a bad one is refused naming the field and reason, and nothing changes.
/// </summary>
internal static class SettingsPages
{
    private static string T(string language, string key) => DashboardTexts.Get(language, key);

    /// <summary>The page a signed-in person below manager gets for a change.</summary>
    public static DashboardPage Forbidden(DashboardUser user) => new(
        T(user.Language, "settings.forbiddenTitle"),
        "<h1>" + HtmlPage.E(T(user.Language, "settings.forbiddenTitle")) + "</h1><p>" + HtmlPage.E(T(user.Language, "settings.forbidden")) + "</p>",
        StatusCodes.Status403Forbidden);

    /// <summary>The list page of a kind: names (linked), and for managers the upload form(s).</summary>
    public static async Task<DashboardPage> ListAsync(HttpContext context, SettingsKind kind, OrganisationStores stores, string? message, IReadOnlyList<string>? errors, CancellationToken ct)
    {
        var user = DashboardUser.From(context)!;
        var language = user.Language;
        var html = new StringBuilder();
        html.Append("<h1>").Append(HtmlPage.E(T(language, kind.Title))).Append("</h1>\n");
        html.Append("<nav class=\"settings\">");
        foreach (var other in new[] { SettingsKind.Calendars, SettingsKind.SlaPolicies, SettingsKind.Instruments })
        {
            html.Append("<a href=\"").Append(other.Link).Append("\">").Append(HtmlPage.E(T(language, other.Title))).Append("</a> ");
        }

        html.Append("</nav>\n");
        if (message is not null)
        {
            html.Append("<p class=\"done\" role=\"status\">").Append(HtmlPage.E(message)).Append("</p>\n");
        }

        if (errors is { Count: > 0 })
        {
            html.Append("<div class=\"summary\" role=\"alert\"><p>").Append(HtmlPage.E(T(language, "settings.refused"))).Append("</p><ul>");
            foreach (var error in errors)
            {
                html.Append("<li class=\"error\">").Append(HtmlPage.E(error)).Append("</li>");
            }

            html.Append("</ul></div>\n");
        }

        var kinds = kind == SettingsKind.Calendars ? new[] { SettingsKind.Calendars, SettingsKind.HolidayFiles } : [kind];
        foreach (var shown in kinds)
        {
            var documents = await stores.UseAsync(user.Organisation, store => store.GetConfigAsync(shown.Store, ct), ct);
            if (shown != kind)
            {
                html.Append("<h2>").Append(HtmlPage.E(T(language, shown.Title))).Append("</h2>\n");
            }

            if (documents.Count == 0)
            {
                html.Append("<p>").Append(HtmlPage.E(T(language, "settings.none"))).Append("</p>\n");
            }
            else
            {
                html.Append("<ul class=\"documents\">");
                foreach (var document in documents.OrderBy(d => d.Name, StringComparer.Ordinal))
                {
                    html.Append("<li><a href=\"").Append(HtmlPage.E(shown.Link + "/" + Uri.EscapeDataString(document.Name))).Append("\"><bdi>").Append(HtmlPage.E(document.Name)).Append("</bdi></a></li>");
                }

                html.Append("</ul>\n");
            }

            if (user.Has(AccountRole.Manager))
            {
                var accept = shown == SettingsKind.HolidayFiles ? ".ics,text/calendar" : shown == SettingsKind.Instruments ? ".json,.yaml,.yml" : ".json,application/json";
                html.Append("<form method=\"post\" enctype=\"multipart/form-data\" action=\"").Append(shown.Link).Append("\">")
                    .Append(DashboardForms.AntiforgeryField(context))
                    .Append("<label>").Append(HtmlPage.E(T(language, "settings.upload." + shown.Path))).Append(" <input type=\"file\" name=\"file\" required accept=\"").Append(accept).Append("\"></label> ")
                    .Append("<button type=\"submit\">").Append(HtmlPage.E(T(language, "settings.uploadButton"))).Append("</button></form>\n");
            }
        }

        var status = errors is { Count: > 0 } ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        return new DashboardPage(T(language, kind.Title), html.ToString(), status);
    }

    /// <summary>One document, as stored.</summary>
    public static async Task<DashboardPage> ViewAsync(DashboardUser user, SettingsKind kind, string name, OrganisationStores stores, CancellationToken ct)
    {
        var documents = await stores.UseAsync(user.Organisation, store => store.GetConfigAsync(kind.Store, ct), ct);
        var language = user.Language;
        if (documents.FirstOrDefault(d => d.Name == name) is not { } document)
        {
            return new DashboardPage(T(language, "settings.notFound"), "<h1>" + HtmlPage.E(T(language, "settings.notFound")) + "</h1>", StatusCodes.Status404NotFound);
        }

        var html = new StringBuilder();
        html.Append("<h1>").Append(HtmlPage.E(T(language, kind.Title))).Append(": <bdi>").Append(HtmlPage.E(document.Name)).Append("</bdi></h1>\n");
        html.Append("<pre class=\"document\">").Append(HtmlPage.E(document.Json)).Append("</pre>\n");
        html.Append("<p><a href=\"").Append((kind == SettingsKind.HolidayFiles ? SettingsKind.Calendars : kind).Link).Append("\">").Append(HtmlPage.E(T(language, "settings.back"))).Append("</a></p>\n");
        return new DashboardPage(document.Name, html.ToString());
    }

    /// <summary>An upload: managers only; validated as the API validates; redirects to the list when stored.</summary>
    public static async Task<IResult> UploadAsync(
        HttpContext context, SettingsKind kind, OrganisationStores stores, OrganisationCache cache, ServerOptions options, ILogger logger, CancellationToken ct)
    {
        var user = DashboardUser.From(context)!;
        if (!user.Has(AccountRole.Manager))
        {
            return Forbidden(user);
        }

        var language = user.Language;
        var listKind = kind == SettingsKind.HolidayFiles ? SettingsKind.Calendars : kind;
        // Refuse an oversized body before reading it (the file's limit and room for the form around it).
        var limit = kind == SettingsKind.HolidayFiles ? options.FileBodyLimit : options.JsonBodyLimit;
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + (64 << 10);
        }

        if (context.Request.ContentLength > limit + (64 << 10))
        {
            return await ListAsync(context, listKind, stores, null, [$"file: {T(language, "settings.tooLarge")} ({limit:#,0} B)"], ct);
        }

        if (await PostedForm.ReadAsync(context) is not { } form)
        {
            return TypedResults.BadRequest();
        }

        if (form.Files.GetFile("file") is not { } file || file.Length == 0)
        {
            return await ListAsync(context, listKind, stores, null, ["file: " + T(language, "settings.noFile")], ct);
        }

        if (file.Length > limit)
        {
            return await ListAsync(context, listKind, stores, null, [$"file: {T(language, "settings.tooLarge")} ({limit:#,0} B)"], ct);
        }

        string text;
        using (var reader = new StreamReader(file.OpenReadStream(), new UTF8Encoding(false, throwOnInvalidBytes: true)))
        {
            try
            {
                text = await reader.ReadToEndAsync(ct);
            }
            catch (DecoderFallbackException)
            {
                return await ListAsync(context, listKind, stores, null, ["file: " + T(language, "settings.notUtf8")], ct);
            }
        }

        var (name, problem) = NameOf(kind, file.FileName, ref text);
        if (problem is not null)
        {
            return await ListAsync(context, listKind, stores, null, problem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), ct);
        }

        var (error, change) = await ConfigApi.StoreFromDashboardAsync(kind.ApiSegment, user.Organisation, name!, text, stores, cache, options, logger, ct);
        if (error is not null)
        {
            return await ListAsync(context, listKind, stores, null, error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), ct);
        }

        return TypedResults.Redirect(listKind.Link + "?stored=" + Uri.EscapeDataString(change!.Name) + "&rederived=" + change.TicketsRederived.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The name a document is stored under: the file name for a holiday file, the instrument's id, the calendar's or
    /// policy's name. A YAML instrument is turned into its JSON here (the API stores JSON).
    /// </summary>
    private static (string? Name, string? Problem) NameOf(SettingsKind kind, string fileName, ref string text)
    {
        if (kind == SettingsKind.HolidayFiles)
        {
            return (System.IO.Path.GetFileName(fileName), null);
        }

        if (kind == SettingsKind.Instruments && InstrumentYaml.IsYamlFile(fileName))
        {
            var parsed = InstrumentYaml.Parse(text, System.IO.Path.GetFileName(fileName));
            if (!parsed.Success)
            {
                return (null, string.Join('\n', parsed.Errors.Select(e => e.ToString())));
            }

            text = InstrumentJson.Serialize(parsed.Instrument!);
            return (parsed.Instrument!.Id, null);
        }

        var property = kind == SettingsKind.Instruments ? "id" : "name";
        try
        {
            using var document = JsonDocument.Parse(text);
            if (JsonText.FindLoneSurrogate(text) is { } surrogatePath)
            {
                return (null, $"{JsonText.DollarPath(surrogatePath)}: {JsonText.LoneSurrogateReason}");
            }

            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } name
                ? (name, null)
                : (null, $"$.{property}: is missing or not a non-empty text");
        }
        catch (JsonException e)
        {
            return (null, $"line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: is not JSON ({e.Message})");
        }
    }
}
