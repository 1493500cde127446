using Microsoft.AspNetCore.Http;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// What a dashboard endpoint returns: the page's title and its body, already HTML (every piece of customer or
/// user text in it escaped with <see cref="HtmlPage.E"/>). <see cref="DashboardLayout"/> wraps it in the frame
/// (navigation, language picker, sign-out, security headers) when the result is executed.
/// </summary>
public sealed record DashboardPage(string Title, string Body, int Status = StatusCodes.Status200OK) : IResult
{
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext) => DashboardLayout.WriteAsync(httpContext, this);
}
