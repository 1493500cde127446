using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Utendaji.Core.Surveys;

namespace Utendaji.Core.Tests.Surveys.Instruments;

public class SurveyTextsTests
{
    private static readonly string[] Languages = ["en", "sw", "tl", "fi", "gu", "ur"];

    public static TheoryData<string, string> InstrumentsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (SurveyInstrument instrument in BuiltInInstruments.All)
        {
            foreach (string language in Languages)
            {
                data.Add(instrument.Id, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InstrumentsAndLanguages))]
    public void For_BuiltInInEachLanguage_EveryKeyTranslated(string instrumentId, string language)
    {
        SurveyInstrument instrument = BuiltInInstruments.Find(instrumentId)!;

        SurveyTextSet texts = SurveyTexts.For(instrumentId, language);

        Assert.Equal([], texts.Fallbacks);
        Assert.Equal([], texts.Missing);
        Assert.Equal(SurveyTextCatalog.Keys(instrument).Order(StringComparer.Ordinal), texts.Texts.Keys.Order(StringComparer.Ordinal));
        Assert.All(texts.Texts.Values, t => Assert.False(string.IsNullOrWhiteSpace(t)));
        foreach (SurveyQuestion question in instrument.Questions)
        {
            Assert.False(string.IsNullOrWhiteSpace(texts.QuestionText(question)));
            if (question.Type is QuestionType.Rating or QuestionType.Nps or QuestionType.Ces)
            {
                Assert.NotEqual(texts.MinLabel(question), texts.MaxLabel(question));
            }
        }
    }

    [Theory]
    [MemberData(nameof(InstrumentsAndLanguages))]
    public void For_EachTranslation_SamePlaceholdersAsEnglish(string instrumentId, string language)
    {
        SurveyTextSet english = SurveyTexts.For(instrumentId, "en");
        SurveyTextSet texts = SurveyTexts.For(instrumentId, language);

        foreach ((string key, string text) in texts.Texts)
        {
            // Finnish inflects nouns, so it may drop a placeholder where the sentence reads better without it.
            List<string> placeholders = [.. Regex.Matches(text, @"\{[^}]*\}").Select(m => m.Value).Distinct()];
            Assert.All(placeholders, p => Assert.Equal("{organisation}", p));
            if (language != "fi")
            {
                Assert.True(english.Texts[key].Contains("{organisation}", StringComparison.Ordinal) == placeholders.Count > 0, $"{language} {key}");
            }
        }
    }

    [Fact]
    public void For_Csat_VariantLabelsOverrideSharedOnes()
    {
        Assert.Equal(("Not satisfied", "Satisfied"), (SurveyTexts.For("csat-2", "en")["csat.min"], SurveyTexts.For("csat-2", "en")["csat.max"]));
        Assert.Equal(("Dissatisfied", "Satisfied"), (SurveyTexts.For("csat-3", "en")["csat.min"], SurveyTexts.For("csat-3", "en")["csat.max"]));
        Assert.Equal(("Very dissatisfied", "Very satisfied"), (SurveyTexts.For("csat-5", "en")["csat.min"], SurveyTexts.For("csat-5", "en")["csat.max"]));
        Assert.Equal(("Extremely dissatisfied", "Extremely satisfied"), (SurveyTexts.For("csat-7", "en")["csat.min"], SurveyTexts.For("csat-7", "en")["csat.max"]));
        Assert.Equal("How satisfied are you with the support you received?", SurveyTexts.For("csat-2", "en")["csat"]);
    }

    [Fact]
    public void For_ServqualItems_SharedScaleLabelsAndItemStatements()
    {
        SurveyTextSet servqual = SurveyTexts.For("servqual", "en");
        SurveyTextSet zot = SurveyTexts.For("servqual-zot", "en");

        Assert.Equal("Excellent organisations will have modern-looking equipment.", servqual["e01"]);
        Assert.Equal("{organisation} has modern-looking equipment.", servqual["p01"]);
        Assert.Equal(("Strongly disagree", "Strongly agree"), (servqual["p22.min"], servqual["p22.max"]));
        Assert.Equal("Modern-looking equipment", zot["m01"]);
        Assert.Equal(zot["m07"], zot["p07"]);
        Assert.Equal(("Low", "High"), (zot["d05.min"], zot["d05.max"]));
        Assert.Equal("My minimum acceptable service level", zot["minimum"]);
    }

    [Fact]
    public void For_LanguageTagWithRegion_UsesPrimarySubtag()
    {
        SurveyTextSet texts = SurveyTexts.For("nps", "SW-ke");

        Assert.Equal("sw", texts.Language);
        Assert.Empty(texts.Fallbacks);
        Assert.Equal("Utafiti wa kupendekeza", texts["title"]);
    }

    [Fact]
    public void For_UnknownLanguage_EveryKeyFallsBackToEnglishAndIsReported()
    {
        SurveyTextSet texts = SurveyTexts.For("ces", "de");

        Assert.Equal(SurveyTextCatalog.Keys(BuiltInInstruments.Ces), texts.Fallbacks);
        Assert.Equal(SurveyTexts.For("ces", "en").Texts, texts.Texts);
        Assert.Equal(TextDirection.LeftToRight, texts.Direction);
    }

    [Fact]
    public void For_UnknownInstrument_Throws()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => SurveyTexts.For("csat-4", "en"));

        Assert.StartsWith("'csat-4' is not a built-in instrument", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_MissingKeyInTranslation_FallsBackPerKeyAndIsReported()
    {
        SurveyTextCatalog builtIn = SurveyTexts.BuiltIn;
        SurveyTextFile swahili = builtIn.File("nps", "sw")!;
        SurveyTextFile partial = swahili with { Texts = [.. swahili.Texts.Where(t => t.Key != "nps.max")] };
        var catalog = new SurveyTextCatalog([builtIn.File("nps", "en")!, partial]);

        SurveyTextSet texts = catalog.For(BuiltInInstruments.Nps, "sw");

        Assert.Equal(["nps.max"], texts.Fallbacks);
        Assert.Equal("Extremely likely", texts["nps.max"]);
        Assert.Equal("Haiwezekani kabisa", texts["nps.min"]);
        Assert.Contains(new SurveyTextReview("nps", "sw", "nps.max", "nps.sw.json", Untranslated: true), catalog.NeedsReview([BuiltInInstruments.Nps]));
    }

    [Fact]
    public void For_CustomInstrument_UsesItsOwnFamilyAndReportsMissing()
    {
        SurveyInstrument custom = InstrumentJson.Parse(InstrumentJsonTests.Example, "onboarding.json").Instrument!;
        SurveyTextFile english = SurveyTextFileJson.Parse("""
            { "family": "onboarding-check", "language": "en", "texts": {
              "title": { "text": "Onboarding", "needs_review": false },
              "channel": { "text": "Which channel did you use?", "needs_review": false },
              "channel.email": { "text": "Email", "needs_review": false },
              "scale.min": { "text": "Poor", "needs_review": false }
            } }
            """, "onboarding-check.en.json").File!;

        SurveyTextSet texts = new SurveyTextCatalog([english]).For(custom, "en");

        Assert.Equal(("Email", "Poor"), (texts.OptionLabel(custom.Question("channel")!, "email"), texts.MinLabel(custom.Question("clarity")!)));
        Assert.Contains("channel.phone", texts.Missing);
        Assert.Contains("thank_you", texts.Missing);
        Assert.DoesNotContain("clarity.min", texts.Missing);
        Assert.Throws<KeyNotFoundException>(() => texts["thank_you"]);
    }

    [Fact]
    public void Direction_UrduRightToLeft_OthersLeftToRight()
    {
        Assert.Equal(TextDirection.RightToLeft, SurveyTexts.Direction("ur"));
        Assert.Equal(TextDirection.RightToLeft, SurveyTexts.For("servqual", "ur-PK").Direction);
        Assert.Equal(
            [("en", "ltr"), ("sw", "ltr"), ("tl", "ltr"), ("fi", "ltr"), ("gu", "ltr"), ("ur", "rtl")],
            SurveyLanguages.All.Select(l => (l.Code, l.HtmlDirection)));
        Assert.All(SurveyLanguages.All, l => Assert.Equal(l.Direction, SurveyTexts.Direction(l.Code)));
        Assert.Equal("اردو", SurveyLanguages.Find("UR")!.NativeName);
        Assert.Null(SurveyLanguages.Find("de"));
    }

    [Fact]
    public void NeedsReview_EveryNonEnglishTextListedOnceEnglishNever()
    {
        IReadOnlyList<SurveyTextReview> review = SurveyTexts.NeedsReview();

        Assert.DoesNotContain(review, r => r.Language == "en");
        Assert.DoesNotContain(review, r => r.Untranslated);
        Assert.Equal(review.Count, review.Distinct().Count());
        foreach (SurveyInstrument instrument in BuiltInInstruments.All)
        {
            foreach (string language in Languages.Skip(1))
            {
                SurveyTextSet texts = SurveyTexts.For(instrument.Id, language);
                List<SurveyTextReview> listed = [.. review.Where(r => r.InstrumentId == instrument.Id && r.Language == language)];
                Assert.Equal(texts.NeedsReview.Count, texts.Texts.Count);
                Assert.All(listed, r => Assert.Equal($"{BuiltInInstruments.Family(instrument.Id)}.{language}.json", r.File));
                Assert.NotEmpty(listed);
            }
        }

        // Keys are file keys, so the 44 SERVQUAL items sharing "scale.min" list it once, and CSAT variants list their own labels.
        Assert.Single(review, r => r is { InstrumentId: "servqual", Language: "gu", Key: "scale.min" });
        Assert.Contains(new SurveyTextReview("csat-2", "ur", "csat-2/csat.min", "csat.ur.json", false), review);
        Assert.DoesNotContain(review, r => r is { InstrumentId: "csat-5", Key: "csat-2/csat.min" });
        // title, introduction, csat, csat-2/csat.min, csat-2/csat.max, comment, thank_you.
        Assert.Equal(7, review.Count(r => r is { InstrumentId: "csat-2", Language: "fi" }));
    }

    [Fact]
    public void NeedsReview_ConfirmedText_NoLongerListed()
    {
        SurveyTextCatalog builtIn = SurveyTexts.BuiltIn;
        SurveyTextFile finnish = builtIn.File("ces", "fi")!;
        SurveyTextFile confirmed = finnish with
        {
            Texts = [.. finnish.Texts.Select(t => t.Key == "ces" ? new KeyValuePair<string, SurveyText>(t.Key, t.Value with { NeedsReview = false }) : t)],
        };
        var catalog = new SurveyTextCatalog([builtIn.File("ces", "en")!, confirmed]);

        IReadOnlyList<SurveyTextReview> review = catalog.NeedsReview([BuiltInInstruments.Ces]);

        Assert.DoesNotContain(review, r => r is { Language: "fi", Key: "ces" });
        Assert.Contains(review, r => r is { Language: "fi", Key: "ces.min" });
        Assert.Contains(new SurveyTextReview("ces", "gu", "ces", "ces.gu.json", Untranslated: true), review);
    }

    [Fact]
    public void UnusedKeys_BuiltInFiles_None()
    {
        Assert.Empty(SurveyTexts.BuiltIn.UnusedKeys(BuiltInInstruments.All));
        Assert.Equal(30, SurveyTexts.BuiltIn.Files.Count);
    }

    [Fact]
    public void UnusedKeys_MisspeltKey_Reported()
    {
        SurveyTextFile english = SurveyTexts.BuiltIn.File("nps", "en")!;
        SurveyTextFile misspelt = english with { Texts = [.. english.Texts, new("thankyou", new SurveyText("Thanks", false))] };

        Assert.Equal([new SurveyTextUnusedKey("nps.en.json", "thankyou")], new SurveyTextCatalog([misspelt]).UnusedKeys([BuiltInInstruments.Nps]));
    }

    public static TheoryData<string> ResourceNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in typeof(SurveyTexts).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("Utendaji.Core.Surveys.Texts.", StringComparison.Ordinal)))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ResourceNames))]
    public void SerializeParse_ShippedFile_SameBytes(string resourceName)
    {
        byte[] original = ReadResource(resourceName);
        string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(original);

        SurveyTextFileParseResult parsed = SurveyTextFileJson.Parse(text, resourceName);

        Assert.True(parsed.Success, string.Join("\n", parsed.Errors));
        Assert.Equal(original, Encoding.UTF8.GetBytes(SurveyTextFileJson.Serialize(parsed.File!)));
    }

    [Theory]
    [InlineData("gu")]
    [InlineData("ur")]
    public void SerializeParse_GujaratiAndUrdu_EveryTextByteForByte(string language)
    {
        foreach (SurveyTextFile file in SurveyTexts.BuiltIn.Files.Where(f => f.Language == language))
        {
            byte[] raw = ReadResource("Utendaji.Core.Surveys.Texts." + file.FileName);
            SurveyTextFile again = SurveyTextFileJson.Parse(SurveyTextFileJson.Serialize(file), "again.json").File!;

            Assert.Equal(file.Texts.Count, again.Texts.Count);
            for (int i = 0; i < file.Texts.Count; i++)
            {
                byte[] expected = Encoding.UTF8.GetBytes(file.Texts[i].Value.Text);
                Assert.Equal(expected, Encoding.UTF8.GetBytes(again.Texts[i].Value.Text));
                Assert.True(raw.AsSpan().IndexOf(expected) >= 0, $"{file.FileName} {file.Texts[i].Key} is not stored unescaped");
            }
        }
    }

    [Fact]
    public void For_Urdu_ArabicScriptIntact()
    {
        string title = SurveyTexts.For("csat-5", "ur")["title"];

        // The bytes of "صارفین کے اطمینان کا سروے" as written in csat.ur.json.
        Assert.Equal("صارفین کے اطمینان کا سروے", title);
        Assert.All(title.Where(char.IsLetter), c => Assert.InRange(c, '\u0600', '\u06FF'));
        Assert.All(SurveyTexts.For("servqual", "gu")["title"].Where(char.IsLetter), c => Assert.InRange(c, '\u0A80', '\u0AFF'));
    }

    [Theory]
    [InlineData("[]", "t.json: $: a text file is a JSON object")]
    [InlineData("""{ "language": "sw", "texts": {} }""", "t.json: $: 'family' is required")]
    [InlineData("""{ "family": "nps", "texts": {} }""", "t.json: $: 'language' is required")]
    [InlineData("""{ "family": "nps", "language": "sw" }""", "t.json: $: 'texts' is required")]
    [InlineData("""{ "family": "nps", "language": "Swahili", "texts": {} }""", "t.json: $.language: 'Swahili' is not a language code (two or three lower-case letters, e.g. sw)")]
    [InlineData("""{ "family": "n p s", "language": "sw", "texts": {} }""", "t.json: $.family: 'n p s' is not an id (letters, digits, '-' and '_')")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": {}, "notes": "x" }""", "t.json: $.notes: unknown key; expected one of family, language, texts")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": [] }""", "t.json: $.texts: expected an object of texts by key, not a list")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { "title": "Kichwa" } }""", "t.json: $.texts.title: expected {\"text\": \"…\", \"needs_review\": true}, not 'Kichwa'")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { "title": { "text": "Kichwa" } } }""", "t.json: $.texts.title: 'needs_review' is required")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { "title": { "text": " ", "needs_review": true } } }""", "t.json: $.texts.title.text: expected a non-empty string, not ' '")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { "title": { "text": "K", "needs_review": "yes" } } }""", "t.json: $.texts.title.needs_review: expected true or false, not 'yes'")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { "title": { "text": "K", "needs_review": true, "note": "x" } } }""", "t.json: $.texts.title.note: unknown key; expected one of text, needs_review")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { "title": { "text": "K", "needs_review": true }, "title": { "text": "L", "needs_review": true } } }""", "t.json: $.texts.title: 'title' is given twice")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { "a b": { "text": "K", "needs_review": true } } }""", "t.json: $.texts.a b: 'a b' is not a text key (no spaces)")]
    [InlineData("""{ "family": "nps", "language": "sw", "language": "fi", "texts": {} }""", "t.json: $.language: 'language' is given twice")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { """, "t.json: $: not valid JSON at line 1, byte 49")]
    [InlineData("""{ "family": "nps", "language": "sw", "texts": { "title": { "text": "K\ud800", "needs_review": true } } }""", @"t.json: $.texts.title.text: is not valid text (a lone UTF-16 surrogate escape such as \ud800)")]
    public void TextFileParse_BadInput_OneExactError(string json, string expected)
    {
        SurveyTextFileParseResult result = SurveyTextFileJson.Parse(json, "t.json");

        Assert.False(result.Success);
        Assert.Equal([expected], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void TextFileParse_ByteOrderMark_Accepted()
    {
        SurveyTextFileParseResult result = SurveyTextFileJson.Parse("\uFEFF{ \"family\": \"nps\", \"language\": \"sw\", \"texts\": {} }", "t.json");

        Assert.True(result.Success);
        Assert.Equal("nps.sw.json", result.File!.FileName);
    }

    [Fact]
    public void Catalog_SameFileTwice_Throws()
    {
        SurveyTextFile file = SurveyTexts.BuiltIn.File("nps", "en")!;

        Assert.Throws<ArgumentException>(() => new SurveyTextCatalog([file, file]));
    }

    private static byte[] ReadResource(string name)
    {
        using Stream stream = typeof(SurveyTexts).Assembly.GetManifestResourceStream(name)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
