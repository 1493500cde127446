using NodaTime;

namespace Utendaji.Reports.Surveys;

/// <summary>
/// A survey text not yet confirmed by a native speaker, listed by the HTML report so that nobody mistakes a draft
/// translation for a checked one. Maps one to one from the instrument catalogue's review list.
/// </summary>
/// <param name="InstrumentId">The instrument (or text family) the text belongs to.</param>
/// <param name="Language">Its language tag, e.g. <c>ur</c>.</param>
/// <param name="Key">The text key, e.g. <c>csat.min</c>.</param>
/// <param name="File">The text file to edit, when known.</param>
/// <param name="Untranslated">True when the English fallback is shown because no translation exists yet.</param>
public sealed record TextNeedingReview(string InstrumentId, string Language, string Key, string? File = null, bool Untranslated = false);

/// <summary>A free-text answer shown in the HTML report's comment list. Its text is customer-written and always escaped.</summary>
/// <param name="InstrumentId">The instrument.</param>
/// <param name="QuestionId">The free-text question.</param>
/// <param name="Text">The comment as the customer wrote it.</param>
/// <param name="Language">Its language tag when known; sets <c>lang</c> and, for Urdu and other right-to-left languages, <c>dir="rtl"</c>.</param>
/// <param name="Group">A label of the group it belongs to (team, agent…), shown beside it.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
public sealed record SurveyComment(string InstrumentId, string QuestionId, string Text, string? Language = null, string? Group = null, Instant? SubmittedAt = null);

/// <summary>Choices for the survey HTML page. Immutable; change with <c>with</c>.</summary>
public sealed record SurveyHtmlOptions
{
    /// <summary>The defaults: English, "Utendaji survey report", nothing extra listed.</summary>
    public static SurveyHtmlOptions Default { get; } = new();

    /// <summary>Page title and heading. Default "Utendaji survey report".</summary>
    public string Title { get; init; } = "Utendaji survey report";

    /// <summary>BCP 47 tag of the page's language, written to <c>lang</c>; right-to-left languages (ur, ar, fa, he…) set <c>dir="rtl"</c>. Default "en".</summary>
    public string Language { get; init; } = "en";

    /// <summary>Instrument titles by instrument id (e.g. from the survey texts in the page language), shown beside the ids. Default none.</summary>
    public IReadOnlyDictionary<string, string> InstrumentTitles { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Survey texts still marked "needs review"; listed in their own section when not empty. Default none.</summary>
    public IReadOnlyList<TextNeedingReview> NeedsReview { get; init; } = [];

    /// <summary>Free-text comments to show (the caller chooses which and how many). Default none.</summary>
    public IReadOnlyList<SurveyComment> Comments { get; init; } = [];
}
