using Utendaji.Core.Surveys;
using Utendaji.Server.Web.Dashboard;

namespace Utendaji.Server.Tests.Dashboard;

public class DashboardTextsTests
{
    [Fact]
    public void Shell_EveryKeyInEveryLanguage()
    {
        var table = DashboardTexts.ShellTable;
        var english = table["en"].Keys.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(SurveyLanguages.All.Select(l => l.Code).Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        foreach (var (language, texts) in table)
        {
            Assert.True(english.SequenceEqual(texts.Keys.Order(StringComparer.Ordinal)), $"'{language}' does not have exactly the English keys: missing {string.Join(", ", english.Except(texts.Keys))}; extra {string.Join(", ", texts.Keys.Except(english))}");
            Assert.All(texts, pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), $"{language}/{pair.Key} is blank"));
        }
    }

    [Fact]
    public void Shell_PlaceholdersKeptInEveryLanguage()
    {
        var table = DashboardTexts.ShellTable;
        foreach (var (key, text) in table["en"])
        {
            var placeholders = System.Text.RegularExpressions.Regex.Matches(text, @"\{[a-z]+\}").Select(m => m.Value).Order(StringComparer.Ordinal).ToList();
            foreach (var language in table.Keys)
            {
                var translated = System.Text.RegularExpressions.Regex.Matches(table[language][key], @"\{[a-z]+\}").Select(m => m.Value).Order(StringComparer.Ordinal);
                Assert.True(placeholders.SequenceEqual(translated), $"{language}/{key} does not keep the placeholders {string.Join(" ", placeholders)}");
            }
        }
    }

    [Fact]
    public void NeedsReview_EveryLanguageButEnglish()
    {
        Assert.Equal(SurveyLanguages.All.Select(l => l.Code).Where(c => c != "en").Order(StringComparer.Ordinal), DashboardTexts.NeedsReview.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Format_ReplacesNamedValues()
    {
        Assert.Equal("The password needs at least 12 characters.", DashboardTexts.Format("en", "people.password_short", ("min", "12")));
        Assert.Equal("Salasanassa on oltava vähintään 12 merkkiä.", DashboardTexts.Format("fi", "people.password_short", ("min", "12")));
    }
}
