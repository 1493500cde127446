using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Utendaji.Server.Access;
using Utendaji.Server.Infrastructure;
using Utendaji.Server.Web.Surveys;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Api;

/// <summary>The customer's survey link of one stored send.</summary>
/// <param name="SendId">The send.</param>
/// <param name="Path">The link path, <c>/s/{org}/{sendId}.{mac}</c>; put the public origin of the survey pages in front.</param>
/// <param name="Url">The absolute link, when <c>Utendaji:SurveySends:PublicOrigin</c> is configured; else absent.</param>
public sealed record SurveyLink(
    string SendId,
    string Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url);

/// <summary>Survey sends: the link an integrator puts in the survey it delivers itself (docs/survey-pages.md).</summary>
internal static class SurveySendsApi
{
    public static RouteGroupBuilder MapSurveySendsApi(this RouteGroupBuilder group)
    {
        // Agent and write scope: the link lets its holder answer as the customer, which is what an agent token may
        // already do with POST /survey-responses; a read-only token must not gain it.
        group.MapGet("/survey-sends/{sendId}/link", LinkAsync)
            .WithName("GetSurveySendLink")
            .WithSummary("The signed survey-page link of a stored survey send (404 when the send is unknown or survey pages are not configured)")
            .Produces<SurveyLink>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Requires(AccountRole.Agent, write: true);
        return group;
    }

    private static async Task<IResult> LinkAsync(string org, string sendId, HttpContext http, OrganisationStores stores, ServerSettings settings, CancellationToken ct)
    {
        if (http.RequestServices.GetService<SurveyLinks>() is not { } links)
        {
            return Problems.NotFound($"Survey pages are not configured on this server ({SurveyLinks.SecretKey}); there are no survey links.");
        }

        var exists = await stores.UseAsync(org, async store =>
            await store.CountSurveySendsAsync(new SurveySendQuery { SendId = sendId }, ct) > 0, ct);
        if (!exists)
        {
            return Problems.NotFound("No such survey send.");
        }

        var path = links.Create(org, sendId);
        return TypedResults.Ok(new SurveyLink(sendId, path, settings.SurveySends.Url(path)));
    }
}
