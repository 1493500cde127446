using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Utendaji.Server.Api;

/// <summary>
/// Describes a request body in the OpenAPI document only. <c>Accepts()</c> would also make routing answer 415 to
/// another content type before the token is checked, leaking that the route exists; handlers read the body
/// themselves, whatever its declared type.
/// </summary>
internal static class RequestBodyDocs
{
    public static RouteHandlerBuilder AcceptsBody(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var body = new OpenApiRequestBody { Required = true, Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) };
            foreach (var type in contentTypes)
            {
                body.Content[type] = new OpenApiMediaType();
            }

            operation.RequestBody = body;
            return Task.CompletedTask;
        });
}
