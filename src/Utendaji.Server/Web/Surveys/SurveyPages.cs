using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Utendaji.Core.Surveys;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;
using static Utendaji.Server.Web.HtmlPage;

namespace Utendaji.Server.Web.Surveys;

/// <summary>Options of the customer survey pages.</summary>
public sealed record SurveyPageOptions
{
    /// <summary>The link secret (<c>Utendaji:SurveyLinks:Secret</c>), at least 32 bytes, the same on every node.</summary>
    public required string Secret { get; init; }

    /// <summary>Longest comment accepted, in characters.</summary>
    public int MaxTextLength { get; init; } = 4000;
}

/// <summary>The customer survey pages: <c>GET/POST /s/{org}/{sendId}.{mac}</c> (docs/survey-pages.md).</summary>
public static class SurveyPages
{
    /// <summary>The route of a survey page. Not named <c>{org}</c>: the access middleware would ask for a token.</summary>
    public const string Route = "/s/{organisation}/{link}";

    private const string FormTokenField = "_form";

    /// <summary>Registers <see cref="SurveyLinks"/> and the page options.</summary>
    public static IServiceCollection AddSurveyPages(this IServiceCollection services, SurveyPageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(new SurveyLinks(options.Secret));
        return services;
    }

    /// <summary>
    /// Registers the survey pages with the secret of <c>Utendaji:SurveyLinks:Secret</c>; without that key nothing is
    /// registered and <see cref="MapSurveyPages"/> maps nothing (a server without survey pages).
    /// </summary>
    /// <exception cref="ArgumentException">When the secret is shorter than 32 bytes (the message names the key).</exception>
    public static IServiceCollection AddSurveyPages(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secret = configuration[SurveyLinks.SecretKey];
        return string.IsNullOrEmpty(secret) ? services : services.AddSurveyPages(new SurveyPageOptions { Secret = secret });
    }

    /// <summary>Maps the survey pages (no token: the link is the credential); nothing when they were not registered.</summary>
    public static IEndpointRouteBuilder MapSurveyPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<SurveyLinks>() is null)
        {
            return endpoints;
        }

        endpoints.MapGet(Route, ShowAsync).ExcludeFromDescription();
        endpoints.MapPost(Route, SubmitAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private sealed record Resolved(string Organisation, SurveySend Send, SurveyInstrument Instrument, string Language, SurveyTextSet Texts);

    private static async Task ShowAsync(HttpContext context, string organisation, string link)
    {
        var resolved = await ResolveAsync(context, organisation, link);
        if (resolved is null)
        {
            await NotFoundAsync(context);
            return;
        }

        if (await AnsweredAsync(context, resolved))
        {
            await DoneAsync(context, resolved, alreadyAnswered: true, comment: null);
            return;
        }

        await FormAsync(context, resolved, StatusCodes.Status200OK, null, new Dictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>Whether any stored response answers the send (from this page or imported from a file).</summary>
    private static Task<bool> AnsweredAsync(HttpContext context, Resolved resolved) =>
        context.RequestServices.GetRequiredService<OrganisationStores>().UseAsync(resolved.Organisation,
            async store => await store.CountSurveySendsAsync(new SurveySendQuery { SendId = resolved.Send.SendId, Answered = true }, context.RequestAborted) > 0,
            context.RequestAborted);

    private static async Task SubmitAsync(HttpContext context, string organisation, string link)
    {
        var resolved = await ResolveAsync(context, organisation, link);
        if (resolved is null || !context.Request.HasFormContentType)
        {
            await NotFoundAsync(context);
            return;
        }

        if (await PostedForm.ReadAsync(context) is not { } form)
        {
            // A body no browser sends (a NUL, no multipart boundary, too many fields): the empty form again, nothing stored.
            await FormAsync(context, resolved, StatusCodes.Status400BadRequest, null, new Dictionary<string, string>(StringComparer.Ordinal));
            return;
        }

        var links = context.RequestServices.GetRequiredService<SurveyLinks>();
        if (!links.VerifyFormToken(resolved.Organisation, resolved.Send.SendId, form[FormTokenField].ToString()))
        {
            await NotFoundAsync(context);
            return;
        }

        var options = context.RequestServices.GetRequiredService<SurveyPageOptions>();
        var (answers, errors) = Validate(resolved, form, options.MaxTextLength);
        if (errors.Count > 0)
        {
            await FormAsync(context, resolved, StatusCodes.Status422UnprocessableEntity, form, errors);
            return;
        }

        var send = resolved.Send;
        var response = new SurveyResponse
        {
            // One response per link: the id follows from the send, so the store refuses a second, different one.
            ResponseId = ResponseIdOf(send.SendId),
            InstrumentId = send.InstrumentId,
            SubmittedAt = context.RequestServices.GetRequiredService<IClock>().GetCurrentInstant(),
            Answers = answers,
            SendId = send.SendId,
            SentAt = send.SentAt,
            TicketId = send.TicketId,
            Customer = send.Customer,
            Channel = send.Channel,
            Language = resolved.Language,
        };
        var comment = answers.Values.Select(a => a.Text).FirstOrDefault(t => t is not null);
        if (await AnsweredAsync(context, resolved))
        {
            await DoneAsync(context, resolved, alreadyAnswered: true, comment);
            return;
        }

        // Two submissions at once (another node): the deterministic id makes the store keep the first only.
        var stores = context.RequestServices.GetRequiredService<OrganisationStores>();
        var result = await stores.UseAsync(resolved.Organisation, async store =>
        {
            await using var import = await store.BeginImportAsync(context.RequestAborted);
            var added = await import.AddSurveyResponsesAsync([response], context.RequestAborted);
            await import.CommitAsync(context.RequestAborted);
            return added;
        }, context.RequestAborted);
        // A response changes CSAT and NPS: cached reports and dashboard figures (--cache) are stale.
        context.RequestServices.GetRequiredService<Caching.OrganisationCache>().DataChanged(resolved.Organisation);
        await DoneAsync(context, resolved, alreadyAnswered: result.Conflicts.Count > 0, comment);
    }

    /// <summary>The thank-you or already-answered page, with the comment just submitted shown back (escaped).</summary>
    private static Task DoneAsync(HttpContext context, Resolved resolved, bool alreadyAnswered, string? comment)
    {
        var language = resolved.Language;
        var body = new StringBuilder();
        if (alreadyAnswered)
        {
            body.Append("<h1>").Append(E(SurveyPageTexts.Get(language, "already_title"))).Append("</h1><p>").Append(E(SurveyPageTexts.Get(language, "already"))).Append("</p>");
        }
        else
        {
            body.Append("<h1>").Append(E(SurveyPageTexts.Get(language, "thanks_title"))).Append("</h1><p>").Append(E(resolved.Texts["thank_you"])).Append("</p>");
        }

        if (comment is not null)
        {
            body.Append("<p>").Append(E(SurveyPageTexts.Get(language, "your_comment"))).Append("</p><p class=\"comment\" id=\"comment\">").Append(E(comment)).Append("</p>");
        }

        var title = SurveyPageTexts.Get(language, alreadyAnswered ? "already_title" : "thanks_title");
        return WriteAsync(context, StatusCodes.Status200OK, language, IsRtl(language), title, body.ToString());
    }

    /// <summary>The id of the response a survey page stores for send <paramref name="sendId"/>.</summary>
    public static string ResponseIdOf(string sendId) => "web:" + sendId;

    private static async Task<Resolved?> ResolveAsync(HttpContext context, string organisation, string link)
    {
        var services = context.RequestServices;
        var sendId = services.GetRequiredService<SurveyLinks>().Verify(organisation, link);
        if (sendId is null || !await services.GetRequiredService<IAccountStore>().OrganisationExistsAsync(organisation, context.RequestAborted))
        {
            return null;
        }

        var send = await services.GetRequiredService<OrganisationStores>().UseAsync(organisation, async store =>
        {
            await foreach (var s in store.ReadSurveySendsAsync(new SurveySendQuery { SendId = sendId }, context.RequestAborted))
            {
                if (string.Equals(s.SendId, sendId, StringComparison.Ordinal))
                {
                    return s;
                }
            }

            return null;
        }, context.RequestAborted);
        var instrument = send is null ? null : BuiltInInstruments.Find(send.InstrumentId);
        if (send is null || instrument is null)
        {
            return null;
        }

        var language = SurveyPageTexts.Resolve(send.Language);
        var texts = SurveyTexts.For(instrument.Id, language);
        // Any text may name the organisation ("… recommend {organisation} …").
        texts = texts with { Texts = texts.Texts.ToDictionary(t => t.Key, t => t.Value.Replace("{organisation}", organisation, StringComparison.Ordinal), StringComparer.Ordinal) };
        return new Resolved(organisation, send, instrument, language, texts);
    }

    private static bool IsRtl(string language) => SurveyTexts.Direction(language) == TextDirection.RightToLeft;

    private static Task NotFoundAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status404NotFound, "en", false, SurveyPageTexts.Get("en", "not_found_title"),
            $"<h1>{E(SurveyPageTexts.Get("en", "not_found_title"))}</h1><p>{E(SurveyPageTexts.Get("en", "not_found"))}</p>");

    private static (Dictionary<string, SurveyAnswer> Answers, Dictionary<string, string> Errors) Validate(Resolved resolved, IFormCollection form, int maxText)
    {
        var language = resolved.Language;
        var answers = new Dictionary<string, SurveyAnswer>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var allocationSum = 0;
        var allocationTotal = 0;
        string? firstAllocation = null;
        foreach (var q in resolved.Instrument.Questions)
        {
            var values = form[q.Id];
            var raw = values.ToString().Trim();
            switch (q.Type)
            {
                case QuestionType.FreeText:
                    var text = values.ToString();
                    if (text.Length > maxText)
                    {
                        errors[q.Id] = SurveyPageTexts.Get(language, "out_of_range").Replace("{min}", "0", StringComparison.Ordinal).Replace("{max}", maxText.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    }
                    else if (!string.IsNullOrWhiteSpace(text))
                    {
                        answers[q.Id] = new SurveyAnswer { Text = text };
                    }
                    else if (q.Required)
                    {
                        errors[q.Id] = SurveyPageTexts.Get(language, "required");
                    }

                    break;
                case QuestionType.SingleChoice:
                case QuestionType.MultipleChoice:
                    var chosen = values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).ToList();
                    if (chosen.Count == 0)
                    {
                        if (q.Required)
                        {
                            errors[q.Id] = SurveyPageTexts.Get(language, "required");
                        }
                    }
                    else if (chosen.Any(c => !q.Options.Contains(c, StringComparer.Ordinal)) || (q.Type == QuestionType.SingleChoice && chosen.Count > 1))
                    {
                        errors[q.Id] = SurveyPageTexts.Get(language, "not_a_choice");
                    }
                    else
                    {
                        answers[q.Id] = new SurveyAnswer { Choices = chosen };
                    }

                    break;
                default:
                    if (raw.Length == 0)
                    {
                        if (q.Required)
                        {
                            errors[q.Id] = SurveyPageTexts.Get(language, "required");
                        }
                    }
                    else if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < q.ScaleMin || number > q.ScaleMax)
                    {
                        errors[q.Id] = SurveyPageTexts.Get(language, "out_of_range")
                            .Replace("{min}", q.ScaleMin.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                            .Replace("{max}", q.ScaleMax.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    }
                    else
                    {
                        answers[q.Id] = new SurveyAnswer { Number = number };
                        if (q.Type == QuestionType.Allocation)
                        {
                            allocationSum += number;
                        }
                    }

                    if (q.Type == QuestionType.Allocation)
                    {
                        allocationTotal = q.ScaleMax;
                        firstAllocation ??= q.Id;
                    }

                    break;
            }
        }

        var anyAllocation = resolved.Instrument.Questions.Any(q => q.Type == QuestionType.Allocation && answers.ContainsKey(q.Id));
        if (firstAllocation is not null && anyAllocation && allocationSum != allocationTotal && !errors.ContainsKey(firstAllocation))
        {
            errors[firstAllocation] = SurveyPageTexts.Get(language, "allocation_total")
                .Replace("{total}", allocationTotal.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{sum}", allocationSum.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return (answers, errors);
    }

    private static async Task FormAsync(HttpContext context, Resolved resolved, int status, IFormCollection? form, Dictionary<string, string> errors)
    {
        var language = resolved.Language;
        var texts = resolved.Texts;
        var links = context.RequestServices.GetRequiredService<SurveyLinks>();
        var html = new StringBuilder();
        html.Append("<h1>").Append(E(texts["title"])).Append("</h1>");
        html.Append("<p>").Append(E(texts["introduction"])).Append("</p>");
        if (errors.Count > 0)
        {
            html.Append("<div class=\"summary\" role=\"alert\"><p class=\"error\">").Append(E(SurveyPageTexts.Get(language, "errors"))).Append("</p><ul>");
            foreach (var (id, message) in errors)
            {
                html.Append("<li><a href=\"#q-").Append(E(id)).Append("\">").Append(E(texts[id])).Append("</a>: ").Append(E(message)).Append("</li>");
            }

            html.Append("</ul></div>");
        }

        html.Append("<form method=\"post\" novalidate><input type=\"hidden\" name=\"").Append(FormTokenField).Append("\" value=\"")
            .Append(E(links.FormToken(resolved.Organisation, resolved.Send.SendId))).Append("\">");
        var requiredMark = E(SurveyPageTexts.Get(language, "required_mark"));
        foreach (var q in resolved.Instrument.Questions)
        {
            var id = E(q.Id);
            var given = form is null ? [] : form[q.Id].Select(v => v ?? "").ToHashSet(StringComparer.Ordinal);
            var error = errors.TryGetValue(q.Id, out var message) ? $"<p class=\"error\" id=\"e-{id}\">{E(message)}</p>" : "";
            var describedBy = error.Length > 0 ? $" aria-describedby=\"e-{id}\"" : "";
            var invalid = error.Length > 0 ? " aria-invalid=\"true\"" : "";
            var mark = q.Required ? $" <span class=\"required\">{requiredMark}</span>" : "";
            switch (q.Type)
            {
                case QuestionType.FreeText:
                    html.Append("<p><label for=\"q-").Append(id).Append("\"><strong>").Append(E(texts.QuestionText(q))).Append("</strong>").Append(mark).Append("</label></p>").Append(error)
                        .Append("<textarea id=\"q-").Append(id).Append("\" name=\"").Append(id).Append("\" rows=\"5\"").Append(describedBy).Append(invalid).Append('>')
                        .Append(E(given.FirstOrDefault())).Append("</textarea>");
                    break;
                case QuestionType.Allocation:
                    html.Append("<p><label for=\"q-").Append(id).Append("\"><strong>").Append(E(texts.QuestionText(q))).Append("</strong>").Append(mark).Append("</label></p>").Append(error)
                        .Append("<input type=\"number\" inputmode=\"numeric\" id=\"q-").Append(id).Append("\" name=\"").Append(id).Append("\" min=\"").Append(q.ScaleMin).Append("\" max=\"").Append(q.ScaleMax)
                        .Append("\" value=\"").Append(E(given.FirstOrDefault())).Append('"').Append(describedBy).Append(invalid).Append('>');
                    break;
                case QuestionType.SingleChoice:
                case QuestionType.MultipleChoice:
                    var type = q.Type == QuestionType.SingleChoice ? "radio" : "checkbox";
                    html.Append("<fieldset id=\"q-").Append(id).Append('"').Append(describedBy).Append("><legend>").Append(E(texts.QuestionText(q))).Append(mark).Append("</legend>").Append(error);
                    foreach (var option in q.Options)
                    {
                        html.Append("<label class=\"choice\"><input type=\"").Append(type).Append("\" name=\"").Append(id).Append("\" value=\"").Append(E(option)).Append('"')
                            .Append(given.Contains(option) ? " checked" : "").Append("> ").Append(E(texts.OptionLabel(q, option))).Append("</label>");
                    }

                    html.Append("</fieldset>");
                    break;
                default:
                    var ends = $"e-{id}-ends";
                    html.Append("<fieldset id=\"q-").Append(id).Append("\" aria-describedby=\"").Append(ends).Append(error.Length > 0 ? $" e-{id}" : "").Append("\"><legend>")
                        .Append(E(texts.QuestionText(q))).Append(mark).Append("</legend>").Append(error).Append("<div class=\"scale\">");
                    for (var value = q.ScaleMin; value <= q.ScaleMax; value++)
                    {
                        var v = value.ToString(CultureInfo.InvariantCulture);
                        html.Append("<label><input type=\"radio\" name=\"").Append(id).Append("\" value=\"").Append(v).Append('"').Append(given.Contains(v) ? " checked" : "")
                            .Append("><span>").Append(v).Append("</span></label>");
                    }

                    html.Append("</div><p class=\"ends\" id=\"").Append(ends).Append("\"><span>").Append(q.ScaleMin).Append(" = ").Append(E(texts.MinLabel(q)))
                        .Append("</span><span>").Append(q.ScaleMax).Append(" = ").Append(E(texts.MaxLabel(q))).Append("</span></p></fieldset>");
                    break;
            }
        }

        html.Append("<p><button type=\"submit\">").Append(E(SurveyPageTexts.Get(language, "submit"))).Append("</button></p></form>");
        await WriteAsync(context, status, language, IsRtl(language), texts["title"], html.ToString());
    }
}
