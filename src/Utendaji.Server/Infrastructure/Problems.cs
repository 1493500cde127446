using Microsoft.AspNetCore.Http;

namespace Utendaji.Server.Infrastructure;

/// <summary>RFC 9457 problem details, the one error shape of the API.</summary>
internal static class Problems
{
    public static IResult Validation(IDictionary<string, string[]> errors, string detail = "The request is not valid; nothing was changed.") =>
        TypedResults.ValidationProblem(errors, detail, title: "Invalid request");

    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static IResult TooLarge(long limit) =>
        TypedResults.Problem($"The request body is larger than {limit} bytes; nothing was changed.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static IResult UnprocessableFile(string detail, IDictionary<string, string[]>? errors = null) =>
        errors is null
            ? TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The data was not imported")
            : TypedResults.Problem(new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "The data was not imported",
                Detail = detail,
            });

    public static IResult Conflict(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Conflict",
            Detail = "Some ids are already stored with different content (ids must not be reused); nothing was changed.",
        });
}
