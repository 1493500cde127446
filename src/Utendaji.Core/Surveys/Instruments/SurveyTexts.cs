using System.Reflection;
using System.Text;

namespace Utendaji.Core.Surveys;

/// <summary>
/// The texts of one instrument in one language, every key filled: from the language's file, else from English
/// (listed in <see cref="Fallbacks"/>). Keys are described in docs/surveys-instruments.md.
/// </summary>
public sealed record SurveyTextSet
{
    /// <summary>The instrument.</summary>
    public required string InstrumentId { get; init; }

    /// <summary>The language asked for (primary subtag, lower case: <c>sw</c>).</summary>
    public required string Language { get; init; }

    /// <summary>Writing direction of <see cref="Language"/>; Urdu is right to left.</summary>
    public required TextDirection Direction { get; init; }

    /// <summary>Text by key: <c>title</c>, <c>introduction</c>, <c>thank_you</c>, each question id, <c>&lt;id&gt;.min</c>/<c>.max</c>, <c>&lt;id&gt;.&lt;option&gt;</c>, ….</summary>
    public required IReadOnlyDictionary<string, string> Texts { get; init; }

    /// <summary>Keys the language has no text for, shown in English instead; empty for a complete translation.</summary>
    public IReadOnlyList<string> Fallbacks { get; init; } = [];

    /// <summary>Keys with no text even in English (only possible for custom instruments with incomplete files).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Keys whose text is marked <c>needs_review</c> (not yet confirmed by a native speaker).</summary>
    public IReadOnlyList<string> NeedsReview { get; init; } = [];

    /// <summary>The text with <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">When the instrument has no such text.</exception>
    public string this[string key] => Texts.TryGetValue(key, out string? text)
        ? text
        : throw new KeyNotFoundException($"instrument '{InstrumentId}' has no text '{key}'");

    /// <summary>The wording of <paramref name="question"/>.</summary>
    public string QuestionText(SurveyQuestion question) => this[Guard.NotNull(question).Id];

    /// <summary>The label of the lowest scale point of <paramref name="question"/> (e.g. "Very dissatisfied").</summary>
    public string MinLabel(SurveyQuestion question) => this[Guard.NotNull(question).Id + ".min"];

    /// <summary>The label of the highest scale point of <paramref name="question"/> (e.g. "Very satisfied").</summary>
    public string MaxLabel(SurveyQuestion question) => this[Guard.NotNull(question).Id + ".max"];

    /// <summary>The label of option <paramref name="option"/> of a choice question.</summary>
    public string OptionLabel(SurveyQuestion question, string option) => this[Guard.NotNull(question).Id + "." + option];
}

/// <summary>A text still to be done by a translator: not yet confirmed by a native speaker, or not translated at all.</summary>
/// <param name="InstrumentId">Instrument the text is shown in.</param>
/// <param name="Language">Language code.</param>
/// <param name="Key">Key as written in the file (<c>scale.min</c>, <c>csat-2/csat.min</c>, <c>e07</c>).</param>
/// <param name="File">The file to edit, e.g. <c>servqual.ur.json</c>.</param>
/// <param name="Untranslated">True when the key is absent from the file and English is shown; false when it is there with <c>needs_review: true</c>.</param>
public sealed record SurveyTextReview(string InstrumentId, string Language, string Key, string File, bool Untranslated);

/// <summary>A key in a text file that no instrument of its family uses (usually a misspelt key).</summary>
/// <param name="File">File name, e.g. <c>csat.fi.json</c>.</param>
/// <param name="Key">The unused key.</param>
public sealed record SurveyTextUnusedKey(string File, string Key);

/// <summary>
/// A set of text files (families × languages) and the rules that find an instrument's texts in them. The built-in
/// files are <see cref="SurveyTexts.BuiltIn"/>; custom instruments bring their own files (family = instrument id).
/// </summary>
public sealed class SurveyTextCatalog
{
    private readonly Dictionary<(string Family, string Language), SurveyTextFile> _files = [];

    /// <summary>Builds a catalogue of <paramref name="files"/>.</summary>
    /// <exception cref="ArgumentException">When two files have the same family and language.</exception>
    public SurveyTextCatalog(IEnumerable<SurveyTextFile> files)
    {
        Guard.NotNull(files);
        foreach (SurveyTextFile file in files)
        {
            if (!_files.TryAdd((file.Family, file.Language), file))
            {
                throw new ArgumentException($"{file.FileName} is given twice", nameof(files));
            }
        }

        Files = [.. _files.Values.OrderBy(f => f.Family, StringComparer.Ordinal).ThenBy(f => f.Language, StringComparer.Ordinal)];
    }

    /// <summary>The files, ordered by family then language.</summary>
    public IReadOnlyList<SurveyTextFile> Files { get; }

    /// <summary>The file of <paramref name="family"/> in <paramref name="language"/>, or null.</summary>
    public SurveyTextFile? File(string family, string language) =>
        _files.TryGetValue((family, language), out SurveyTextFile? file) ? file : null;

    /// <summary>
    /// The keys <paramref name="instrument"/> needs, in display order: <c>title</c>, <c>introduction</c>, the section
    /// headings of its kind, then per question its id, <c>&lt;id&gt;.min</c> and <c>&lt;id&gt;.max</c> for scales
    /// (rating, nps, ces) and <c>&lt;id&gt;.&lt;option&gt;</c> for choices, and last <c>thank_you</c>.
    /// </summary>
    public static IReadOnlyList<string> Keys(SurveyInstrument instrument) => [.. Slots(Guard.NotNull(instrument)).Select(s => s.Key)];

    /// <summary>
    /// The texts of <paramref name="instrument"/> in <paramref name="language"/>, each key found in
    /// <c>&lt;family&gt;.&lt;language&gt;.json</c> or else in <c>&lt;family&gt;.en.json</c> (reported in
    /// <see cref="SurveyTextSet.Fallbacks"/>). In a file, a key prefixed with an instrument id and a slash
    /// (<c>csat-2/csat.min</c>) wins over the plain key for that instrument only.
    /// </summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="language">A language tag; only its primary subtag is used (<c>sw-KE</c> → <c>sw</c>).</param>
    /// <param name="family">The family of its files; by default the built-in family, or the instrument id for a custom instrument.</param>
    public SurveyTextSet For(SurveyInstrument instrument, string language, string? family = null)
    {
        Guard.NotNull(instrument);
        Guard.NotNull(language);
        string code = SurveyLanguages.Primary(language);
        family ??= FamilyOf(instrument);
        SurveyTextFile? own = File(family, code);
        SurveyTextFile? english = File(family, SurveyLanguages.Fallback);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var fallbacks = new List<string>();
        var missing = new List<string>();
        var review = new List<string>();
        foreach (Slot slot in Slots(instrument))
        {
            if (Resolve(own, instrument.Id, slot) is { } found)
            {
                texts[slot.Key] = found.Text.Text;
                if (found.Text.NeedsReview)
                {
                    review.Add(slot.Key);
                }
            }
            else if (Resolve(english, instrument.Id, slot) is { } fallback)
            {
                texts[slot.Key] = fallback.Text.Text;
                fallbacks.Add(slot.Key);
                if (fallback.Text.NeedsReview)
                {
                    review.Add(slot.Key);
                }
            }
            else
            {
                missing.Add(slot.Key);
            }
        }

        return new SurveyTextSet
        {
            InstrumentId = instrument.Id,
            Language = code,
            Direction = SurveyLanguages.Direction(code),
            Texts = texts,
            Fallbacks = fallbacks,
            Missing = missing,
            NeedsReview = review,
        };
    }

    /// <summary>
    /// Every text of <paramref name="instruments"/> a translator still has to do, in each language with a file of
    /// the instrument's family (and each of the six languages for built-in families): keys marked
    /// <c>needs_review</c>, and keys missing from the file. Each file key is listed once per instrument and language.
    /// </summary>
    public IReadOnlyList<SurveyTextReview> NeedsReview(IEnumerable<SurveyInstrument> instruments)
    {
        Guard.NotNull(instruments);
        var result = new List<SurveyTextReview>();
        foreach (SurveyInstrument instrument in instruments)
        {
            string family = FamilyOf(instrument);
            IEnumerable<string> languages = Files.Where(f => string.Equals(f.Family, family, StringComparison.Ordinal)).Select(f => f.Language);
            if (BuiltInInstruments.Family(instrument.Id) is not null)
            {
                languages = languages.Concat(SurveyLanguages.All.Select(l => l.Code));
            }

            foreach (string language in languages.Distinct(StringComparer.Ordinal).OrderBy(LanguageOrder).ThenBy(l => l, StringComparer.Ordinal))
            {
                SurveyTextFile? own = File(family, language);
                string fileName = own?.FileName ?? $"{family}.{language}.json";
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (Slot slot in Slots(instrument))
                {
                    if (Resolve(own, instrument.Id, slot) is { } found)
                    {
                        if (found.Text.NeedsReview && seen.Add(found.Key))
                        {
                            result.Add(new SurveyTextReview(instrument.Id, language, found.Key, fileName, Untranslated: false));
                        }
                    }
                    else
                    {
                        // Name the key the English file uses, so the translator copies that entry.
                        string key = Resolve(File(family, SurveyLanguages.Fallback), instrument.Id, slot)?.Key ?? slot.Key;
                        if (seen.Add(key))
                        {
                            result.Add(new SurveyTextReview(instrument.Id, language, key, fileName, Untranslated: true));
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Keys in the files of the families of <paramref name="instruments"/> that none of them uses.</summary>
    public IReadOnlyList<SurveyTextUnusedKey> UnusedKeys(IEnumerable<SurveyInstrument> instruments)
    {
        Guard.NotNull(instruments);
        var used = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (SurveyInstrument instrument in instruments)
        {
            string family = FamilyOf(instrument);
            if (!used.TryGetValue(family, out HashSet<string>? keys))
            {
                used[family] = keys = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (Slot slot in Slots(instrument))
            {
                foreach (string candidate in slot.Candidates)
                {
                    keys.Add(candidate);
                    keys.Add(instrument.Id + "/" + candidate);
                }
            }
        }

        return
        [
            .. Files.Where(f => used.ContainsKey(f.Family))
                .SelectMany(f => f.Texts.Where(t => !used[f.Family].Contains(t.Key)).Select(t => new SurveyTextUnusedKey(f.FileName, t.Key))),
        ];
    }

    private static string FamilyOf(SurveyInstrument instrument) => BuiltInInstruments.Family(instrument.Id) ?? instrument.Id;

    private static int LanguageOrder(string code)
    {
        int index = SurveyLanguages.All.ToList().FindIndex(l => string.Equals(l.Code, code, StringComparison.Ordinal));
        return index < 0 ? int.MaxValue : index;
    }

    private static (string Key, SurveyText Text)? Resolve(SurveyTextFile? file, string instrumentId, Slot slot)
    {
        if (file is null)
        {
            return null;
        }

        foreach (string candidate in slot.Candidates)
        {
            string specific = instrumentId + "/" + candidate;
            if (file.Find(specific) is { } special)
            {
                return (specific, special);
            }

            if (file.Find(candidate) is { } plain)
            {
                return (candidate, plain);
            }
        }

        return null;
    }

    /// <summary>A text an instrument needs, and the file keys that can supply it, most specific first.</summary>
    private sealed record Slot(string Key, string[] Candidates)
    {
        public Slot(string key)
            : this(key, [key])
        {
        }
    }

    private static List<Slot> Slots(SurveyInstrument instrument)
    {
        List<Slot> slots = [new("title"), new("introduction")];
        slots.AddRange(instrument.Kind switch
        {
            InstrumentKind.Servqual =>
                [new("expectations.introduction"), new("importance.introduction"), new("importance.total"), new("perceptions.introduction")],
            InstrumentKind.ServqualZoneOfTolerance => [new("minimum"), new("desired"), new("perceived")],
            _ => [],
        });
        foreach (SurveyQuestion question in instrument.Questions)
        {
            // SERVQUAL items share one statement across their parts unless a part has its own wording
            // (the zone-of-tolerance format asks minimum, desired and perceived about the same "item07").
            slots.Add(question.Item is { } item
                ? new Slot(question.Id, [question.Id, BuiltInInstruments.ItemQuestionId("item", item)])
                : new Slot(question.Id));
            if (question.Type is QuestionType.Rating or QuestionType.Nps or QuestionType.Ces)
            {
                slots.Add(new Slot(question.Id + ".min", [question.Id + ".min", "scale.min"]));
                slots.Add(new Slot(question.Id + ".max", [question.Id + ".max", "scale.max"]));
            }

            slots.AddRange(question.Options.Select(option => new Slot(question.Id + "." + option)));
        }

        slots.Add(new Slot("thank_you"));
        return slots;
    }
}

/// <summary>
/// The texts of the built-in instruments in English, Swahili, Tagalog, Finnish, Gujarati and Urdu, read from the
/// <c>Surveys/Texts/&lt;family&gt;.&lt;language&gt;.json</c> files embedded in this assembly.
/// </summary>
public static class SurveyTexts
{
    private const string ResourcePrefix = "Utendaji.Core.Surveys.Texts.";
    private static readonly Lazy<SurveyTextCatalog> Catalog = new(Load);

    /// <summary>The catalogue of the embedded text files.</summary>
    /// <exception cref="InvalidOperationException">When an embedded file does not parse (the errors are in the message).</exception>
    public static SurveyTextCatalog BuiltIn => Catalog.Value;

    /// <summary>
    /// The texts of built-in instrument <paramref name="instrumentId"/> in <paramref name="language"/>, with English
    /// for each key the language lacks (listed in <see cref="SurveyTextSet.Fallbacks"/>; a language that is not one of
    /// the six falls back entirely).
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="instrumentId"/> is not a built-in instrument.</exception>
    public static SurveyTextSet For(string instrumentId, string language)
    {
        Guard.NotNull(instrumentId);
        Guard.NotNull(language);
        SurveyInstrument instrument = BuiltInInstruments.Find(instrumentId)
            ?? throw new ArgumentException($"'{instrumentId}' is not a built-in instrument ({string.Join(", ", BuiltInInstruments.All.Select(i => i.Id))})", nameof(instrumentId));
        return BuiltIn.For(instrument, language);
    }

    /// <summary>Every built-in text still to review or translate, by instrument, language and key (see <see cref="SurveyTextCatalog.NeedsReview"/>).</summary>
    public static IReadOnlyList<SurveyTextReview> NeedsReview() => BuiltIn.NeedsReview(BuiltInInstruments.All);

    /// <summary>Writing direction of <paramref name="language"/> (Urdu: right to left).</summary>
    public static TextDirection Direction(string language) => SurveyLanguages.Direction(language);

    private static SurveyTextCatalog Load()
    {
        Assembly assembly = typeof(SurveyTexts).Assembly;
        var files = new List<SurveyTextFile>();
        var errors = new List<InstrumentError>();
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            string fileName = name[ResourcePrefix.Length..];
            SurveyTextFileParseResult parsed = SurveyTextFileJson.Parse(reader.ReadToEnd(), fileName);
            errors.AddRange(parsed.Errors);
            if (parsed.File is { } file)
            {
                if (!string.Equals(file.FileName, fileName, StringComparison.Ordinal))
                {
                    errors.Add(new InstrumentError(fileName, "$", $"family and language say {file.FileName}"));
                }

                files.Add(file);
            }
        }

        return errors.Count == 0
            ? new SurveyTextCatalog(files)
            : throw new InvalidOperationException("Built-in survey texts are broken:\n" + string.Join("\n", errors));
    }
}
