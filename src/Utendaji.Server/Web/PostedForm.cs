using Microsoft.AspNetCore.Http;

namespace Utendaji.Server.Web;

/// <summary>Reads a posted form for the HTML pages, so a malformed body is the page's 400 and never a 500.</summary>
internal static class PostedForm
{
    /// <summary>
    /// The form, or null when the body is not one: not a form content type, a multipart type without a boundary, a
    /// value ASP.NET Core refuses (a NUL), or more fields or bytes than its form limits allow. A browser never sends
    /// these, so the pages answer 400 without saying more.
    /// </summary>
    public static async Task<IFormCollection?> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            // What the form reader throws for every one of these (boundary, invalid characters, count and length limits).
            return null;
        }
    }
}
