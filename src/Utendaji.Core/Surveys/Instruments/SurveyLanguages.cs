namespace Utendaji.Core.Surveys;

/// <summary>Writing direction of a language, for the <c>dir</c> attribute of HTML and for aligning table columns.</summary>
public enum TextDirection
{
    /// <summary>Left to right (<c>dir="ltr"</c>).</summary>
    LeftToRight,
    /// <summary>Right to left (<c>dir="rtl"</c>), e.g. Urdu.</summary>
    RightToLeft,
}

/// <summary>A language survey texts are shipped in.</summary>
/// <param name="Code">ISO 639-1 code: <c>en</c>, <c>sw</c>, <c>tl</c>, <c>fi</c>, <c>gu</c>, <c>ur</c>.</param>
/// <param name="EnglishName">Name in English.</param>
/// <param name="NativeName">Name in the language itself (its autonym).</param>
/// <param name="Direction">Writing direction.</param>
public sealed record SurveyLanguage(string Code, string EnglishName, string NativeName, TextDirection Direction)
{
    /// <summary>The HTML <c>dir</c> value: <c>ltr</c> or <c>rtl</c>.</summary>
    public string HtmlDirection => Direction == TextDirection.RightToLeft ? "rtl" : "ltr";
}

/// <summary>The six languages of the built-in survey texts.</summary>
public static class SurveyLanguages
{
    /// <summary>The language every text falls back to: English, the language the built-in texts are written in.</summary>
    public const string Fallback = "en";

    /// <summary>English, Swahili, Tagalog, Finnish, Gujarati, Urdu.</summary>
    public static IReadOnlyList<SurveyLanguage> All { get; } =
    [
        new("en", "English", "English", TextDirection.LeftToRight),
        new("sw", "Swahili", "Kiswahili", TextDirection.LeftToRight),
        new("tl", "Tagalog", "Tagalog", TextDirection.LeftToRight),
        new("fi", "Finnish", "suomi", TextDirection.LeftToRight),
        new("gu", "Gujarati", "ગુજરાતી", TextDirection.LeftToRight),
        new("ur", "Urdu", "اردو", TextDirection.RightToLeft),
    ];

    /// <summary>
    /// The language named by <paramref name="tag"/>, matching its primary subtag case-insensitively
    /// (<c>sw-KE</c> and <c>SW</c> are Swahili); null when it is not one of the six.
    /// </summary>
    public static SurveyLanguage? Find(string tag)
    {
        Guard.NotNull(tag);
        string primary = Primary(tag);
        return All.FirstOrDefault(l => string.Equals(l.Code, primary, StringComparison.Ordinal));
    }

    /// <summary>
    /// Writing direction of <paramref name="tag"/>: right to left for Urdu, and for Arabic, Persian, Hebrew, Pashto,
    /// Sindhi, Uyghur, Yiddish and Dhivehi should a translator add them; left to right otherwise.
    /// </summary>
    public static TextDirection Direction(string tag)
    {
        Guard.NotNull(tag);
        return Primary(tag) is "ur" or "ar" or "fa" or "he" or "ps" or "sd" or "ug" or "yi" or "dv"
            ? TextDirection.RightToLeft
            : TextDirection.LeftToRight;
    }

    /// <summary>The primary subtag of a language tag, lower case: <c>sw-KE</c> → <c>sw</c>.</summary>
    internal static string Primary(string tag)
    {
        int cut = tag.IndexOfAny(['-', '_']);
        return (cut < 0 ? tag : tag[..cut]).Trim().ToLowerInvariant();
    }
}
