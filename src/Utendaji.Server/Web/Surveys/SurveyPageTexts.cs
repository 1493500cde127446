using Utendaji.Core.Surveys;

namespace Utendaji.Server.Web.Surveys;

/// <summary>
/// The words of the survey page around the instrument (button, thanks, errors) in the six survey languages.
/// English is the reference; every other language is machine-assisted and needs review by a native speaker
/// (<see cref="NeedsReview"/>), as the instrument texts in src/Utendaji.Core/Surveys/Texts.
/// </summary>
public static class SurveyPageTexts
{
    /// <summary>Keys of the page texts.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["submit", "thanks_title", "already_title", "already", "required", "not_a_choice", "out_of_range", "allocation_total", "errors", "your_comment", "not_found_title", "not_found", "required_mark"];

    private static readonly Dictionary<string, Dictionary<string, string>> Texts = new(StringComparer.Ordinal)
    {
        ["en"] = new(StringComparer.Ordinal)
        {
            ["submit"] = "Send answers",
            ["thanks_title"] = "Thank you",
            ["already_title"] = "Already answered",
            ["already"] = "You have already answered this survey. Thank you!",
            ["required"] = "Please answer this question.",
            ["not_a_choice"] = "Please choose one of the options.",
            ["out_of_range"] = "Please give a whole number from {min} to {max}.",
            ["allocation_total"] = "The points must add up to {total}; they add up to {sum}.",
            ["errors"] = "Some answers need attention:",
            ["your_comment"] = "Your comment:",
            ["not_found_title"] = "Survey not found",
            ["not_found"] = "This survey link is not valid.",
            ["required_mark"] = "(required)",
        },
        ["sw"] = new(StringComparer.Ordinal)
        {
            ["submit"] = "Tuma majibu",
            ["thanks_title"] = "Asante",
            ["already_title"] = "Umeshajibu",
            ["already"] = "Umeshajibu utafiti huu. Asante!",
            ["required"] = "Tafadhali jibu swali hili.",
            ["not_a_choice"] = "Tafadhali chagua mojawapo ya chaguo.",
            ["out_of_range"] = "Tafadhali andika namba kamili kutoka {min} hadi {max}.",
            ["allocation_total"] = "Jumla ya pointi lazima iwe {total}; sasa ni {sum}.",
            ["errors"] = "Baadhi ya majibu yanahitaji kurekebishwa:",
            ["your_comment"] = "Maoni yako:",
            ["not_found_title"] = "Utafiti haukupatikana",
            ["not_found"] = "Kiungo hiki cha utafiti si sahihi.",
            ["required_mark"] = "(lazima)",
        },
        ["tl"] = new(StringComparer.Ordinal)
        {
            ["submit"] = "Ipadala ang mga sagot",
            ["thanks_title"] = "Salamat",
            ["already_title"] = "Nasagutan na",
            ["already"] = "Nasagutan mo na ang survey na ito. Salamat!",
            ["required"] = "Pakisagot ang tanong na ito.",
            ["not_a_choice"] = "Pakipili ang isa sa mga pagpipilian.",
            ["out_of_range"] = "Pakilagay ang buong numero mula {min} hanggang {max}.",
            ["allocation_total"] = "Ang kabuuan ng puntos ay dapat {total}; ito ay {sum}.",
            ["errors"] = "May mga sagot na kailangang ayusin:",
            ["your_comment"] = "Ang iyong komento:",
            ["not_found_title"] = "Hindi nahanap ang survey",
            ["not_found"] = "Hindi wasto ang link ng survey na ito.",
            ["required_mark"] = "(kailangan)",
        },
        ["fi"] = new(StringComparer.Ordinal)
        {
            ["submit"] = "Lähetä vastaukset",
            ["thanks_title"] = "Kiitos",
            ["already_title"] = "Olet jo vastannut",
            ["already"] = "Olet jo vastannut tähän kyselyyn. Kiitos!",
            ["required"] = "Vastaa tähän kysymykseen.",
            ["not_a_choice"] = "Valitse yksi vaihtoehdoista.",
            ["out_of_range"] = "Anna kokonaisluku väliltä {min}–{max}.",
            ["allocation_total"] = "Pisteiden summan pitää olla {total}; nyt se on {sum}.",
            ["errors"] = "Tarkista seuraavat vastaukset:",
            ["your_comment"] = "Kommenttisi:",
            ["not_found_title"] = "Kyselyä ei löytynyt",
            ["not_found"] = "Tämä kyselylinkki ei ole voimassa.",
            ["required_mark"] = "(pakollinen)",
        },
        ["gu"] = new(StringComparer.Ordinal)
        {
            ["submit"] = "જવાબો મોકલો",
            ["thanks_title"] = "આભાર",
            ["already_title"] = "પહેલેથી જવાબ આપેલ છે",
            ["already"] = "તમે આ સર્વેનો પહેલેથી જવાબ આપ્યો છે. આભાર!",
            ["required"] = "કૃપા કરીને આ પ્રશ્નનો જવાબ આપો.",
            ["not_a_choice"] = "કૃપા કરીને વિકલ્પોમાંથી એક પસંદ કરો.",
            ["out_of_range"] = "કૃપા કરીને {min} થી {max} સુધીની પૂર્ણ સંખ્યા આપો.",
            ["allocation_total"] = "પોઇન્ટનો સરવાળો {total} હોવો જોઈએ; હાલ તે {sum} છે.",
            ["errors"] = "કેટલાક જવાબો પર ધ્યાન આપવાની જરૂર છે:",
            ["your_comment"] = "તમારી ટિપ્પણી:",
            ["not_found_title"] = "સર્વે મળ્યો નથી",
            ["not_found"] = "આ સર્વે લિંક માન્ય નથી.",
            ["required_mark"] = "(જરૂરી)",
        },
        ["ur"] = new(StringComparer.Ordinal)
        {
            ["submit"] = "جوابات بھیجیں",
            ["thanks_title"] = "شکریہ",
            ["already_title"] = "پہلے ہی جواب دیا جا چکا ہے",
            ["already"] = "آپ اس سروے کا پہلے ہی جواب دے چکے ہیں۔ شکریہ!",
            ["required"] = "براہ کرم اس سوال کا جواب دیں۔",
            ["not_a_choice"] = "براہ کرم دیے گئے اختیارات میں سے ایک منتخب کریں۔",
            ["out_of_range"] = "براہ کرم {min} سے {max} تک کوئی مکمل عدد درج کریں۔",
            ["allocation_total"] = "پوائنٹس کا مجموعہ {total} ہونا چاہیے؛ ابھی یہ {sum} ہے۔",
            ["errors"] = "کچھ جوابات پر توجہ درکار ہے:",
            ["your_comment"] = "آپ کا تبصرہ:",
            ["not_found_title"] = "سروے نہیں ملا",
            ["not_found"] = "یہ سروے لنک درست نہیں ہے۔",
            ["required_mark"] = "(لازمی)",
        },
    };

    /// <summary>Languages whose page texts are not yet confirmed by a native speaker (all but English).</summary>
    public static IReadOnlyList<string> NeedsReview { get; } = ["sw", "tl", "fi", "gu", "ur"];

    /// <summary>The language code used for <paramref name="language"/>: its primary subtag when it is one of the six, else English.</summary>
    public static string Resolve(string? language)
    {
        var code = string.IsNullOrWhiteSpace(language) ? SurveyLanguages.Fallback : language.Split('-', '_')[0].ToLowerInvariant();
        return Texts.ContainsKey(code) ? code : SurveyLanguages.Fallback;
    }

    /// <summary>The text <paramref name="key"/> in <paramref name="language"/> (English when the language lacks it).</summary>
    public static string Get(string language, string key) =>
        Texts.TryGetValue(Resolve(language), out var texts) && texts.TryGetValue(key, out var text) ? text : Texts[SurveyLanguages.Fallback][key];

    /// <summary>Whether <paramref name="language"/> has a text for every key.</summary>
    internal static bool IsComplete(string language) => Texts.TryGetValue(language, out var texts) && Keys.All(texts.ContainsKey);
}
