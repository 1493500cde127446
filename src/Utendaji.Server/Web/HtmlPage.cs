using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Utendaji.Server.Web;

/// <summary>
/// The frame of every server-rendered page: one inline style sheet allowed by its hash under a strict
/// Content-Security-Policy (nothing from another origin, no script), and the other security headers.
/// </summary>
internal static class HtmlPage
{
    /// <summary>Mobile first; WCAG AA contrast (text #1b1b1b on #fff, links and focus #0b4f9c); logical properties for right-to-left.</summary>
    public const string Css = """
        *{box-sizing:border-box}
        body{margin:0;font:1.0625rem/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fff}
        main{max-width:40rem;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;line-height:1.25}
        fieldset{border:1px solid #6b6b6b;border-radius:.5rem;margin:0 0 1rem;padding:.75rem;min-width:0}
        legend{font-weight:600;padding:0 .25rem}
        .scale{display:flex;flex-wrap:wrap;gap:.375rem;margin:.5rem 0}
        .scale label{display:flex;flex-direction:column;align-items:center;min-width:2.75rem;padding:.25rem;border:1px solid #6b6b6b;border-radius:.375rem}
        .ends{display:flex;justify-content:space-between;gap:1rem;font-size:.9375rem;color:#3b3b3b;margin:0}
        .choice{display:block;padding:.375rem 0}
        textarea,input[type=number]{font:inherit;width:100%;padding:.5rem;border:1px solid #6b6b6b;border-radius:.375rem}
        input[type=number]{max-width:8rem}
        input[type=radio],input[type=checkbox]{width:1.25rem;height:1.25rem}
        :focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
        button{font:inherit;font-weight:600;color:#fff;background:#0b4f9c;border:0;border-radius:.375rem;padding:.75rem 1.5rem;min-height:2.75rem}
        .error{color:#a4001d;font-weight:600;margin:.25rem 0}
        .summary{border:2px solid #a4001d;border-radius:.5rem;padding:.75rem;margin-bottom:1rem}
        .comment{white-space:pre-wrap;overflow-wrap:anywhere;border-inline-start:4px solid #6b6b6b;padding-inline-start:.75rem}
        .required{font-weight:400;font-size:.9375rem}
        """;

    /// <summary>The Content-Security-Policy: no script at all, only this style sheet, forms post to this origin.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    // Every script stays readable in the page source; markup characters (< > & " ') are always escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>HTML-escapes customer or translated text.</summary>
    public static string E(string? text) => Encoder.Encode(text ?? "");

    /// <summary>Writes a complete page with its security headers.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string language, bool rightToLeft, string title, string body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"").Append(E(language)).Append('"').Append(rightToLeft ? " dir=\"rtl\"" : " dir=\"ltr\"").Append('>')
            .Append("<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>").Append(E(title)).Append("</title><style>").Append(Css).Append("</style></head>")
            .Append("<body><main>").Append(body).Append("</main></body></html>");
        await response.WriteAsync(html.ToString(), context.RequestAborted);
    }
}
