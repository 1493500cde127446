namespace Utendaji.Cli.Demo;

/// <summary>How a respondent felt, which decides the tone of a comment.</summary>
internal enum CommentTone
{
    Negative,
    Mixed,
    Positive,
}

/// <summary>
/// The free-text comments of the demo's survey responses: short praise and complaints in the six customer
/// languages, each in its own script. A few contain <c>&lt;</c>, <c>&amp;</c> and double quotes on purpose, so
/// that every renderer has to escape them. Written for the demo, not by native speakers of every language.
/// </summary>
internal static class DemoComments
{
    // Indexed by DemoCast.Languages order (en, sw, tl, fi, gu, ur), then by CommentTone.
    private static readonly string[][][] Pools =
    [
        // en
        [
            [
                "Waited three days for a reply.",
                "My issue was closed but not solved.",
                "I was passed between three agents.",
                "Still charged twice & nobody called back.",
                "The reply did not answer my question.",
                "A reply in <24h was promised. It took 4 days.",
                "Had to reopen the ticket again.",
                "The form said \"we'll call you\" and nobody did.",
                "I typed <b>urgent</b> in the web form and the tags showed up in your reply.",
                "Too slow, and too many copy-paste answers.",
            ],
            [
                "Fixed in the end, but it took a while.",
                "OK, though I had to explain my issue twice.",
                "The answer was fine but the reply was slow.",
                "Helpful once I reached a person. The bot was not.",
                "Average. Nothing special.",
                "Resolved, but I'd like updates by SMS.",
            ],
            [
                "Quick and friendly help, thank you!",
                "Problem solved on the first call.",
                "The agent explained everything clearly.",
                "Very patient with my questions.",
                "Fast reply, even on a Saturday.",
                "Great service & a quick refund.",
                "Sorted out in minutes. 5 stars.",
                "Thanks for following up without me asking.",
                "Clear answer, no back and forth.",
                "She said \"no problem\" and fixed it right away.",
            ],
        ],

        // sw
        [
            [
                "Nilisubiri siku tatu kupata jibu.",
                "Tiketi ilifungwa bila tatizo kutatuliwa.",
                "Nimehamishwa kwa wahudumu watatu tofauti.",
                "Bado nimetozwa mara mbili na hakuna aliyenipigia simu.",
                "Mliahidi \"jibu leo\" lakini sikupata chochote.",
                "Huduma ni polepole mno.",
                "Nililazimika kufungua tiketi tena.",
                "Malipo ya M-Pesa < KSh 500 hayajarudishwa.",
            ],
            [
                "Tatizo limetatuliwa, lakini ilichukua muda mrefu.",
                "Ni sawa, ingawa nililazimika kueleza mara mbili.",
                "Jibu lilikuwa zuri lakini lilichelewa.",
                "Huduma ya kawaida tu.",
                "Roboti haikunisaidia, lakini mhudumu alinisaidia.",
            ],
            [
                "Huduma nzuri sana, asanteni!",
                "Tatizo langu lilitatuliwa haraka.",
                "Mhudumu alikuwa mpole na mvumilivu.",
                "Nimepata jibu ndani ya dakika chache.",
                "Maelezo yalikuwa wazi kabisa.",
                "Asante kwa kunifuatilia bila mimi kuuliza.",
                "Huduma ya haraka & ya kirafiki.",
                "Nimefurahi sana, nitawapendekeza kwa marafiki.",
            ],
        ],

        // tl
        [
            [
                "Tatlong araw akong naghintay ng sagot.",
                "Isinara ang ticket pero hindi naayos ang problema.",
                "Pinasa-pasa ako sa tatlong agent.",
                "Sabi ninyo \"tatawag kami\" pero walang tumawag.",
                "Ang bagal ng serbisyo.",
                "Dalawang beses pa rin akong siningil & walang sumasagot.",
                "Kinailangan kong buksan ulit ang ticket.",
            ],
            [
                "Naayos din, pero medyo natagalan.",
                "Okay lang, pero dalawang beses kong ipinaliwanag ang problema.",
                "Maayos ang sagot pero mabagal ang reply.",
                "Hindi nakatulong ang bot, pero nakatulong ang agent.",
            ],
            [
                "Mabilis at magalang ang serbisyo, salamat po!",
                "Naayos agad ang problema ko.",
                "Malinaw ang paliwanag ng agent.",
                "Napakabait at matiyaga ng nakausap ko.",
                "Sumagot kayo kahit Sabado, salamat!",
                "Ang galing ng serbisyo & mabilis ang refund.",
                "Sulit ang paghihintay, ayos na lahat.",
            ],
        ],

        // fi
        [
            [
                "Odotin vastausta kolme päivää.",
                "Tiketti suljettiin, vaikka ongelma ei ratkennut.",
                "Minua pompoteltiin kolmen eri henkilön välillä.",
                "Lasku veloitettiin kahdesti & kukaan ei soittanut takaisin.",
                "Luvattiin \"huomenna\", mutta mitään ei tapahtunut.",
                "Liian hidasta.",
                "Jouduin avaamaan tiketin uudelleen.",
            ],
            [
                "Asia hoitui lopulta, mutta siihen meni aikaa.",
                "Ihan ok, vaikka jouduin selittämään asian kahdesti.",
                "Vastaus oli hyvä, mutta se tuli hitaasti.",
                "Botista ei ollut apua, mutta ihminen auttoi.",
                "Keskinkertaista.",
            ],
            [
                "Nopeaa ja ystävällistä palvelua, kiitos!",
                "Ongelma ratkesi heti ensimmäisellä yhteydenotolla.",
                "Asiakaspalvelija selitti kaiken selkeästi.",
                "Vastausaika < 10 min, erinomaista.",
                "Kärsivällistä ja asiantuntevaa palvelua.",
                "Kiitos, että otitte yhteyttä ennen kuin ehdin kysyä.",
                "Hyvä palvelu & nopea hyvitys.",
            ],
        ],

        // gu (Gujarati script)
        [
            [
                "જવાબ માટે ત્રણ દિવસ રાહ જોઈ.",
                "ટિકિટ બંધ કરી દીધી પણ સમસ્યા ઉકેલાઈ નથી.",
                "મને ત્રણ અલગ એજન્ટ પાસે મોકલવામાં આવ્યો.",
                "તમે કહ્યું \"કાલે ફોન કરીશું\" પણ કોઈએ ફોન ન કર્યો.",
                "સેવા ખૂબ ધીમી છે.",
                "મારે ટિકિટ ફરીથી ખોલવી પડી.",
            ],
            [
                "સમસ્યા ઉકેલાઈ, પણ ઘણો સમય લાગ્યો.",
                "ઠીક છે, પણ મારે બે વાર સમજાવવું પડ્યું.",
                "જવાબ સારો હતો પણ મોડો આવ્યો.",
                "સામાન્ય સેવા.",
            ],
            [
                "ખૂબ સરસ સેવા, આભાર!",
                "મારી સમસ્યા તરત જ ઉકેલાઈ ગઈ.",
                "એજન્ટે બધું સ્પષ્ટ રીતે સમજાવ્યું.",
                "ઝડપી અને નમ્ર જવાબ મળ્યો.",
                "ખૂબ ધીરજથી મારી વાત સાંભળી.",
                "સેવા સારી & રિફંડ ઝડપી.",
                "હું મારા મિત્રોને પણ ભલામણ કરીશ.",
            ],
        ],

        // ur (Arabic script, right to left)
        [
            [
                "جواب کے لیے تین دن انتظار کیا۔",
                "ٹکٹ بند کر دیا گیا لیکن مسئلہ حل نہیں ہوا۔",
                "مجھے تین مختلف ایجنٹوں کے پاس بھیجا گیا۔",
                "آپ نے کہا تھا \"کل فون کریں گے\" مگر کسی نے فون نہیں کیا۔",
                "سروس بہت سست ہے۔",
                "مجھے ٹکٹ دوبارہ کھولنا پڑا۔",
                "دو بار رقم کاٹی گئی & کوئی جواب نہیں۔",
            ],
            [
                "مسئلہ حل ہو گیا، لیکن کافی وقت لگا۔",
                "ٹھیک ہے، لیکن مجھے دو بار وضاحت کرنی پڑی۔",
                "جواب اچھا تھا مگر دیر سے آیا۔",
                "عام سی سروس۔",
            ],
            [
                "بہت اچھی سروس، شکریہ!",
                "میرا مسئلہ فوراً حل ہو گیا۔",
                "ایجنٹ نے سب کچھ واضح طور پر سمجھایا۔",
                "تیز اور شائستہ جواب ملا۔",
                "بہت صبر سے میری بات سنی۔",
                "سروس اچھی & ریفنڈ جلدی ملا۔",
                "میں اپنے دوستوں کو بھی تجویز کروں گا۔",
            ],
        ],
    ];

    /// <summary>Every comment sentence of <paramref name="language"/>, all tones (for tests and docs).</summary>
    public static IEnumerable<string> All(string language) => Pools[LanguageIndex(language)].SelectMany(p => p);

    /// <summary>
    /// A comment in <paramref name="language"/> of the given tone: one sentence, or now and then two different
    /// ones of the same tone.
    /// </summary>
    public static string Write(string language, CommentTone tone, DemoRandom random)
    {
        var pool = Pools[LanguageIndex(language)][(int)tone];
        var first = random.Next(pool.Length);
        if (!random.Chance(0.25))
        {
            return pool[first];
        }

        var second = (first + 1 + random.Next(pool.Length - 1)) % pool.Length;
        return pool[first] + " " + pool[second];
    }

    private static int LanguageIndex(string language)
    {
        for (var i = 0; i < DemoCast.Languages.Length; i++)
        {
            if (string.Equals(DemoCast.Languages[i], language, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return 0; // English, the fallback of the survey texts
    }
}
