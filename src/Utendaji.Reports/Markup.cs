using System.Text;

namespace Utendaji.Reports;

/// <summary>Escaping for HTML and SVG text and attribute values.</summary>
public static class Markup
{
    /// <summary>
    /// Escapes &amp; &lt; &gt; " and ' so the text can sit in element content or a quoted attribute of HTML or
    /// SVG. Every other character, in any script, is kept as it is (no numeric references), so names survive byte
    /// for byte. Characters XML forbids (C0 controls other than tab/newline/return, lone surrogates, U+FFFE/U+FFFF)
    /// become U+FFFD so the output stays well-formed.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            };

            if (replacement is null)
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder?.Append(c).Append(text[i + 1]);
                    i++;
                    continue;
                }

                if (IsForbidden(c))
                {
                    replacement = "\uFFFD";
                }
            }

            if (replacement is null)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            builder.Append(replacement);
        }

        return builder?.ToString() ?? text;
    }

    private static bool IsForbidden(char c) =>
        (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF';
}
