using Utendaji.Core.Surveys;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// The dashboard's words in its six languages. The frame, sign-in and people pages keep theirs in
/// <see cref="Shell"/> (this file); the KPI, ticket and settings pages in <c>Pages</c> (DashboardTexts.Pages.cs).
/// Every key must exist in English; other languages fall back to English key by key.
/// </summary>
public static partial class DashboardTexts
{
    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>, else in English.</summary>
    /// <exception cref="KeyNotFoundException">No English text for the key (a programming error, caught by tests).</exception>
    public static string Get(string language, string key)
    {
        foreach (var table in new[] { Shell, Pages })
        {
            if (table.TryGetValue(language, out var texts) && texts.TryGetValue(key, out var text))
            {
                return text;
            }
        }

        foreach (var table in new[] { Shell, Pages })
        {
            if (table[SurveyLanguages.Fallback].TryGetValue(key, out var text))
            {
                return text;
            }
        }

        throw new KeyNotFoundException($"dashboard text '{key}' has no English text");
    }

    /// <summary>The frame's, sign-in's and people pages' texts: language → key → text.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Shell { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["en"] = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["app.name"] = "Utendaji",
            },
        };
}
