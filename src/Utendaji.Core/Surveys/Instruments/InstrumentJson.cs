using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Utendaji.Core.Surveys;

/// <summary>One problem found in an instrument file.</summary>
/// <param name="Source">The file (or other source) name given to the parser.</param>
/// <param name="Path">JSON path of the offending value, e.g. <c>$.questions[2].scale.max</c>.</param>
/// <param name="Reason">What is wrong, quoting the offending value.</param>
public sealed record InstrumentError(string Source, string Path, string Reason)
{
    /// <summary><c>source: path: reason</c>, e.g. <c>csat.json: $.questions[0].type: 'stars' is not one of …</c>.</summary>
    public override string ToString() => $"{Source}: {Path}: {Reason}";
}

/// <summary>The outcome of parsing an instrument: the instrument, or every error found (never both).</summary>
public sealed record InstrumentParseResult
{
    /// <summary>The instrument when there were no errors.</summary>
    public SurveyInstrument? Instrument { get; init; }

    /// <summary>All errors found, in document order; empty on success.</summary>
    public IReadOnlyList<InstrumentError> Errors { get; init; } = [];

    /// <summary>Whether the instrument parsed without errors.</summary>
    public bool Success => Instrument is not null;
}

/// <summary>
/// Reads and writes survey instruments as JSON (schema in docs/surveys-instruments.md):
/// <c>{"id", "kind", "satisfied_minimum", "questions": [{"id", "type", "required", "scale": {"min", "max"}, "total",
/// "options", "dimension", "part", "item"}]}</c>. Texts are not part of an instrument: they live in per-language text
/// files keyed by question id (<see cref="SurveyTexts"/>). Collects every error with its JSON path and never throws
/// for bad input.
/// </summary>
public static class InstrumentJson
{
    /// <summary>Points shared by allocation questions when <c>total</c> is not given (SERVQUAL's 100 points).</summary>
    public const int DefaultAllocationTotal = 100;

    /// <summary>
    /// Most questions an instrument may have (500). An instrument is a survey people answer: the longest built-in one,
    /// SERVQUAL's zone of tolerance, has 67, and long employee surveys stay within a few hundred. The bound keeps the
    /// checks that compare questions pairwise (unique ids, SERVQUAL items) cheap; 100,000 questions took 27 s.
    /// </summary>
    public const int MaxQuestions = 500;

    /// <summary>
    /// Most options a choice question may have (500): room for a list of every country (about 250) and more, while
    /// keeping the pairwise check for repeated options cheap.
    /// </summary>
    public const int MaxOptions = 500;

    private static readonly string[] TopKeys = ["id", "kind", "satisfied_minimum", "questions"];
    private static readonly string[] QuestionKeys = ["id", "type", "required", "scale", "total", "options", "dimension", "part", "item"];
    private static readonly string[] ScaleKeys = ["min", "max"];

    private static readonly (string Name, InstrumentKind Value)[] Kinds =
    [
        ("csat", InstrumentKind.Csat), ("nps", InstrumentKind.Nps), ("ces", InstrumentKind.Ces), ("servqual", InstrumentKind.Servqual),
        ("servqual_zone_of_tolerance", InstrumentKind.ServqualZoneOfTolerance), ("custom", InstrumentKind.Custom),
    ];

    private static readonly (string Name, QuestionType Value)[] Types =
    [
        ("rating", QuestionType.Rating), ("nps", QuestionType.Nps), ("ces", QuestionType.Ces), ("single_choice", QuestionType.SingleChoice),
        ("multiple_choice", QuestionType.MultipleChoice), ("free_text", QuestionType.FreeText), ("allocation", QuestionType.Allocation),
    ];

    private static readonly (string Name, ServqualDimension Value)[] Dimensions =
    [
        ("tangibles", ServqualDimension.Tangibles), ("reliability", ServqualDimension.Reliability),
        ("responsiveness", ServqualDimension.Responsiveness), ("assurance", ServqualDimension.Assurance), ("empathy", ServqualDimension.Empathy),
    ];

    private static readonly (string Name, ServqualPart Value)[] Parts =
    [
        ("expectation", ServqualPart.Expectation), ("perception", ServqualPart.Perception), ("importance", ServqualPart.Importance),
        ("minimum", ServqualPart.Minimum), ("desired", ServqualPart.Desired),
    ];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The JSON name of a kind (<c>servqual_zone_of_tolerance</c>).</summary>
    public static string Name(InstrumentKind kind) => Kinds.First(k => k.Value == kind).Name;

    /// <summary>The JSON name of a question type (<c>single_choice</c>).</summary>
    public static string Name(QuestionType type) => Types.First(t => t.Value == type).Name;

    /// <summary>The JSON name of a SERVQUAL dimension (<c>tangibles</c>).</summary>
    public static string Name(ServqualDimension dimension) => Dimensions.First(d => d.Value == dimension).Name;

    /// <summary>The JSON name of a SERVQUAL part (<c>expectation</c>).</summary>
    public static string Name(ServqualPart part) => Parts.First(p => p.Value == part).Name;

    /// <summary>
    /// The satisfied threshold a CSAT scale gets when none is written: the top two boxes on scales of five points
    /// or more (4 of 1–5, 6 of 1–7), the top box on shorter ones (2 of 1–2, 3 of 1–3), where two boxes would count
    /// every or nearly every answer as satisfied.
    /// </summary>
    public static int DefaultSatisfiedMinimum(int scaleMin, int scaleMax) =>
        scaleMax - scaleMin + 1 >= 5 ? scaleMax - 1 : scaleMax;

    /// <summary>
    /// Parses one instrument. Every problem is reported (not only the first), each naming
    /// <paramref name="sourceName"/>, the JSON path and the reason.
    /// </summary>
    /// <param name="text">The JSON text.</param>
    /// <param name="sourceName">Name used in error messages (usually the file name).</param>
    public static InstrumentParseResult Parse(string text, string sourceName)
    {
        Guard.NotNull(text);
        Guard.NotNull(sourceName);
        var reader = new Reader(sourceName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException ex)
        {
            // JsonException line numbers are 0-based; people count from 1.
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            reader.Error("$", string.Create(CultureInfo.InvariantCulture, $"not valid JSON at line {line}, byte {column}"));
            return new InstrumentParseResult { Errors = reader.Errors };
        }

        using (document)
        {
            if (JsonText.FindLoneSurrogate(text) is { } surrogatePath)
            {
                reader.Error(JsonText.DollarPath(surrogatePath), JsonText.LoneSurrogateReason);
                return new InstrumentParseResult { Errors = reader.Errors };
            }

            SurveyInstrument? instrument = reader.ReadRoot(document.RootElement);
            return reader.Errors.Count == 0 && instrument is not null
                ? new InstrumentParseResult { Instrument = instrument }
                : new InstrumentParseResult { Errors = reader.Errors };
        }
    }

    /// <summary>
    /// Writes <paramref name="instrument"/> as indented UTF-8 JSON (non-ASCII written as is) that
    /// <see cref="Parse"/> reads back to an equal instrument. Every question carries <c>required</c>;
    /// <c>satisfied_minimum</c> is written when set.
    /// </summary>
    public static string Serialize(SurveyInstrument instrument)
    {
        Guard.NotNull(instrument);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", instrument.Id);
            writer.WriteString("kind", Name(instrument.Kind));
            if (instrument.SatisfiedMinimum is { } satisfied)
            {
                writer.WriteNumber("satisfied_minimum", satisfied);
            }

            writer.WriteStartArray("questions");
            foreach (SurveyQuestion question in instrument.Questions)
            {
                WriteQuestion(writer, question);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteQuestion(Utf8JsonWriter writer, SurveyQuestion question)
    {
        writer.WriteStartObject();
        writer.WriteString("id", question.Id);
        writer.WriteString("type", Name(question.Type));
        writer.WriteBoolean("required", question.Required);
        switch (question.Type)
        {
            case QuestionType.Rating:
                writer.WriteStartObject("scale");
                writer.WriteNumber("min", question.ScaleMin);
                writer.WriteNumber("max", question.ScaleMax);
                writer.WriteEndObject();
                break;
            case QuestionType.Allocation:
                writer.WriteNumber("total", question.ScaleMax);
                break;
            case QuestionType.SingleChoice or QuestionType.MultipleChoice:
                writer.WriteStartArray("options");
                foreach (string option in question.Options)
                {
                    writer.WriteStringValue(option);
                }

                writer.WriteEndArray();
                break;
        }

        if (question.Dimension is { } dimension)
        {
            writer.WriteString("dimension", Name(dimension));
        }

        if (question.Part is { } part)
        {
            writer.WriteString("part", Name(part));
        }

        if (question.Item is { } item)
        {
            writer.WriteNumber("item", item);
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether <paramref name="id"/> is usable as an instrument, question or option id: letters, digits, '-' and '_'.</summary>
    internal static bool IsId(string id) =>
        id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private sealed class Reader(string source)
    {
        public List<InstrumentError> Errors { get; } = [];

        public void Error(string path, string reason) => Errors.Add(new InstrumentError(source, path, reason));

        public SurveyInstrument? ReadRoot(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", $"an instrument is a JSON object, not {Describe(root)}");
                return null;
            }

            Dictionary<string, JsonElement> properties = Properties(root, "$", TopKeys);
            string? id = properties.TryGetValue("id", out JsonElement idValue) ? Id(idValue, "$.id") : Missing("$", "id");
            InstrumentKind kind = properties.TryGetValue("kind", out JsonElement kindValue)
                ? Choice(kindValue, "$.kind", Kinds) ?? InstrumentKind.Custom
                : InstrumentKind.Custom;
            List<SurveyQuestion>? questions = null;
            if (!properties.TryGetValue("questions", out JsonElement questionsValue))
            {
                Missing("$", "questions");
            }
            else
            {
                questions = ReadQuestions(questionsValue, "$.questions");
            }

            int? satisfied = null;
            if (properties.TryGetValue("satisfied_minimum", out JsonElement satisfiedValue))
            {
                satisfied = Int(satisfiedValue, "$.satisfied_minimum");
                if (kind != InstrumentKind.Csat)
                {
                    Error("$.satisfied_minimum", "only a csat instrument has a satisfied threshold");
                    satisfied = null;
                }
            }

            if (questions is not null)
            {
                satisfied = CheckKind(kind, questions, satisfied, properties.ContainsKey("satisfied_minimum"));
            }

            return id is null || questions is null
                ? null
                : new SurveyInstrument { Id = id, Kind = kind, Questions = questions, SatisfiedMinimum = satisfied };
        }

        private List<SurveyQuestion>? ReadQuestions(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                Error(path, $"expected a list of questions, not {Describe(value)}");
                return null;
            }

            int count = value.GetArrayLength();
            if (count == 0)
            {
                Error(path, "must list at least one question");
                return null;
            }

            if (count > MaxQuestions)
            {
                // Refused before reading any question, so a huge list costs one pass of the JSON reader only.
                Error(path, string.Create(CultureInfo.InvariantCulture, $"lists {count:#,0} questions; an instrument has at most {MaxQuestions}"));
                return null;
            }

            var questions = new List<SurveyQuestion>();
            var paths = new List<string>();
            int index = 0;
            foreach (JsonElement element in value.EnumerateArray())
            {
                string at = Index(path, index++);
                if (ReadQuestion(element, at) is { } question)
                {
                    int same = questions.FindIndex(q => string.Equals(q.Id, question.Id, StringComparison.Ordinal));
                    if (same >= 0)
                    {
                        Error(at + ".id", $"'{question.Id}' is already the id of {paths[same]}");
                        continue;
                    }

                    questions.Add(question);
                    paths.Add(at);
                }
            }

            CheckServqualItems(questions, paths);
            return questions;
        }

        private SurveyQuestion? ReadQuestion(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(path, $"a question is a JSON object, not {Describe(element)}");
                return null;
            }

            int before = Errors.Count;
            Dictionary<string, JsonElement> p = Properties(element, path, QuestionKeys);
            string? id = p.TryGetValue("id", out JsonElement idValue) ? Id(idValue, path + ".id") : Missing(path, "id");
            QuestionType? type = p.TryGetValue("type", out JsonElement typeValue) ? Choice(typeValue, path + ".type", Types) : Missing<QuestionType>(path, "type");
            bool required = p.TryGetValue("required", out JsonElement requiredValue) && Bool(requiredValue, path + ".required");
            ServqualDimension? dimension = p.TryGetValue("dimension", out JsonElement dimensionValue) ? Choice(dimensionValue, path + ".dimension", Dimensions) : null;
            ServqualPart? part = p.TryGetValue("part", out JsonElement partValue) ? Choice(partValue, path + ".part", Parts) : null;
            int? item = null;
            if (p.TryGetValue("item", out JsonElement itemValue))
            {
                item = Int(itemValue, path + ".item");
                if (item is < 1)
                {
                    Error(path + ".item", $"{itemValue.GetRawText()} is not an item number (1 or more)");
                }
            }

            if (type is not { } t)
            {
                return null;
            }

            string typeName = Name(t);
            int min = 0;
            int max = 0;
            if (p.TryGetValue("scale", out JsonElement scaleValue) && t != QuestionType.Rating)
            {
                string fixedScale = t switch
                {
                    QuestionType.Nps => "an nps question is always 0–10",
                    QuestionType.Ces => "a ces question is always 1–7",
                    QuestionType.Allocation => "an allocation question takes 'total', not a scale",
                    _ => $"a {typeName} question has no scale",
                };
                Error(path + ".scale", fixedScale + "; leave 'scale' out");
            }

            switch (t)
            {
                case QuestionType.Rating:
                    if (scaleValue.ValueKind == JsonValueKind.Undefined)
                    {
                        Error(path, "'scale' is required for a rating question");
                    }
                    else
                    {
                        (min, max) = Scale(scaleValue, path + ".scale");
                    }

                    break;
                case QuestionType.Nps:
                    (min, max) = (0, 10);
                    break;
                case QuestionType.Ces:
                    (min, max) = (1, 7);
                    break;
                case QuestionType.Allocation:
                    max = DefaultAllocationTotal;
                    if (p.TryGetValue("total", out JsonElement totalValue) && Int(totalValue, path + ".total") is { } total)
                    {
                        if (total < 1)
                        {
                            Error(path + ".total", $"{total.ToString(CultureInfo.InvariantCulture)} is not a total (1 or more)");
                        }

                        max = total;
                    }

                    break;
            }

            if (t != QuestionType.Allocation && p.ContainsKey("total"))
            {
                Error(path + ".total", "only allocation questions have a total");
            }

            IReadOnlyList<string> options = [];
            bool choice = t is QuestionType.SingleChoice or QuestionType.MultipleChoice;
            if (p.TryGetValue("options", out JsonElement optionsValue))
            {
                if (choice)
                {
                    options = Options(optionsValue, path + ".options");
                }
                else
                {
                    Error(path + ".options", "only choice questions have options");
                }
            }
            else if (choice)
            {
                Error(path, $"'options' is required for a {typeName} question");
            }

            CheckServqual(path, t, part, p);
            return Errors.Count == before && id is not null
                ? new SurveyQuestion
                {
                    Id = id,
                    Type = t,
                    Required = required,
                    ScaleMin = min,
                    ScaleMax = max,
                    Options = options,
                    Dimension = dimension,
                    Part = part,
                    Item = item,
                }
                : null;
        }

        private void CheckServqual(string path, QuestionType type, ServqualPart? part, Dictionary<string, JsonElement> p)
        {
            if (p.ContainsKey("item") && !p.ContainsKey("part"))
            {
                Error(path, "'item' needs a 'part'");
            }

            if (part is not { } pt)
            {
                return;
            }

            string partName = Name(pt);
            if (!p.ContainsKey("dimension"))
            {
                Error(path, $"a {partName} item needs a 'dimension'");
            }

            if (pt == ServqualPart.Importance)
            {
                if (type != QuestionType.Allocation)
                {
                    Error(path + ".part", $"an importance item is an allocation question, not {Name(type)}");
                }

                if (p.ContainsKey("item"))
                {
                    Error(path + ".item", "an importance item has no 'item' (importance is per dimension)");
                }
            }
            else
            {
                if (type != QuestionType.Rating)
                {
                    Error(path + ".part", $"a {partName} item is a rating question, not {Name(type)}");
                }

                if (!p.ContainsKey("item"))
                {
                    Error(path, $"'item' is required for a {partName} item");
                }
            }
        }

        /// <summary>One question per (part, item) and per importance dimension; an item number keeps its dimension in every part.</summary>
        private void CheckServqualItems(List<SurveyQuestion> questions, List<string> paths)
        {
            for (int i = 0; i < questions.Count; i++)
            {
                SurveyQuestion q = questions[i];
                if (q.Part is not { } part)
                {
                    continue;
                }

                for (int j = 0; j < i; j++)
                {
                    SurveyQuestion earlier = questions[j];
                    if (part == ServqualPart.Importance && earlier.Part == ServqualPart.Importance && earlier.Dimension == q.Dimension)
                    {
                        Error(paths[i], $"importance of {Name(q.Dimension!.Value)} is already {paths[j]}");
                        break;
                    }

                    if (part != ServqualPart.Importance && earlier.Item == q.Item && earlier.Part == part)
                    {
                        Error(paths[i], string.Create(CultureInfo.InvariantCulture, $"{Name(part)} item {q.Item} is already {paths[j]}"));
                        break;
                    }

                    if (part != ServqualPart.Importance && earlier.Item == q.Item && earlier.Part is not null && earlier.Dimension != q.Dimension)
                    {
                        Error(paths[i] + ".dimension",
                            string.Create(CultureInfo.InvariantCulture, $"item {q.Item} is {Name(q.Dimension!.Value)} here but {Name(earlier.Dimension!.Value)} in {paths[j]}"));
                        break;
                    }
                }
            }

            List<(SurveyQuestion Question, string Path)> allocations =
                questions.Select((q, i) => (q, paths[i])).Where(x => x.q.Type == QuestionType.Allocation).ToList();
            foreach ((SurveyQuestion question, string path) in allocations.Skip(1))
            {
                if (question.ScaleMax != allocations[0].Question.ScaleMax)
                {
                    Error(path + ".total", string.Create(CultureInfo.InvariantCulture,
                        $"allocation questions share one total; {allocations[0].Path} has {allocations[0].Question.ScaleMax}, this one {question.ScaleMax}"));
                }
            }
        }

        /// <summary>Checks what each kind needs and returns the satisfied threshold (defaulted for CSAT).</summary>
        private int? CheckKind(InstrumentKind kind, List<SurveyQuestion> questions, int? satisfied, bool satisfiedGiven)
        {
            switch (kind)
            {
                case InstrumentKind.Csat:
                    SurveyQuestion? rating = questions.Find(q => q.Type == QuestionType.Rating);
                    if (rating is null)
                    {
                        Error("$.questions", "a csat instrument needs a rating question");
                        return null;
                    }

                    if (satisfied is { } s && (s <= rating.ScaleMin || s > rating.ScaleMax))
                    {
                        Error("$.satisfied_minimum", string.Create(CultureInfo.InvariantCulture,
                            $"{s} is not a threshold on the {rating.ScaleMin}–{rating.ScaleMax} scale of '{rating.Id}' (from {rating.ScaleMin + 1} to {rating.ScaleMax})"));
                    }

                    return satisfiedGiven ? satisfied : DefaultSatisfiedMinimum(rating.ScaleMin, rating.ScaleMax);
                case InstrumentKind.Nps when !questions.Exists(q => q.Type == QuestionType.Nps):
                    Error("$.questions", "an nps instrument needs an nps question");
                    break;
                case InstrumentKind.Ces when !questions.Exists(q => q.Type == QuestionType.Ces):
                    Error("$.questions", "a ces instrument needs a ces question");
                    break;
                case InstrumentKind.Servqual:
                    CheckPairs(questions, [ServqualPart.Expectation, ServqualPart.Perception], "servqual");
                    List<ServqualDimension> weighted = questions.Where(q => q.Part == ServqualPart.Importance).Select(q => q.Dimension!.Value).ToList();
                    List<ServqualDimension> unweighted = Enum.GetValues<ServqualDimension>().Except(weighted).ToList();
                    if (weighted.Count > 0 && unweighted.Count > 0)
                    {
                        Error("$.questions", $"importance is allocated to {string.Join(", ", weighted.Select(Name))} but not to {string.Join(", ", unweighted.Select(Name))}");
                    }

                    break;
                case InstrumentKind.ServqualZoneOfTolerance:
                    CheckPairs(questions, [ServqualPart.Minimum, ServqualPart.Desired, ServqualPart.Perception], "servqual_zone_of_tolerance");
                    break;
            }

            return null;
        }

        /// <summary>Every item number present in one of <paramref name="parts"/> is present in all of them.</summary>
        private void CheckPairs(List<SurveyQuestion> questions, ServqualPart[] parts, string kindName)
        {
            List<int> items = questions.Where(q => q.Item is not null && q.Part is { } p && parts.Contains(p)).Select(q => q.Item!.Value).Distinct().Order().ToList();
            if (items.Count == 0)
            {
                Error("$.questions", $"a {kindName} instrument needs {string.Join(", ", parts.Select(Name))} items");
                return;
            }

            foreach (int item in items)
            {
                foreach (ServqualPart part in parts)
                {
                    if (!questions.Exists(q => q.Item == item && q.Part == part))
                    {
                        Error("$.questions", string.Create(CultureInfo.InvariantCulture, $"item {item} has no {Name(part)} question"));
                    }
                }
            }
        }

        private (int Min, int Max) Scale(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                Error(path, $"a scale is an object {{\"min\": 1, \"max\": 5}}, not {Describe(value)}");
                return (0, 0);
            }

            Dictionary<string, JsonElement> p = Properties(value, path, ScaleKeys);
            int? min = p.TryGetValue("min", out JsonElement minValue) ? Int(minValue, path + ".min") : Missing<int>(path, "min");
            int? max = p.TryGetValue("max", out JsonElement maxValue) ? Int(maxValue, path + ".max") : Missing<int>(path, "max");
            if (min is { } lo && max is { } hi)
            {
                if (lo >= hi)
                {
                    Error(path, string.Create(CultureInfo.InvariantCulture, $"min {lo} must be below max {hi}"));
                }
                else if ((long)hi - lo > 100)
                {
                    Error(path, string.Create(CultureInfo.InvariantCulture, $"{lo}–{hi} has more than 101 points"));
                }

                return (lo, hi);
            }

            return (0, 0);
        }

        private List<string> Options(JsonElement value, string path)
        {
            var options = new List<string>();
            if (value.ValueKind != JsonValueKind.Array)
            {
                Error(path, $"expected a list of option ids, not {Describe(value)}");
                return options;
            }

            int count = value.GetArrayLength();
            if (count > MaxOptions)
            {
                Error(path, string.Create(CultureInfo.InvariantCulture, $"lists {count:#,0} options; a question has at most {MaxOptions}"));
                return options;
            }

            int index = 0;
            foreach (JsonElement element in value.EnumerateArray())
            {
                string at = Index(path, index++);
                if (Id(element, at) is { } option)
                {
                    if (options.Contains(option, StringComparer.Ordinal))
                    {
                        Error(at, $"'{option}' is listed twice");
                    }
                    else
                    {
                        options.Add(option);
                    }
                }
            }

            if (value.GetArrayLength() < 2)
            {
                Error(path, "must list at least two options");
            }

            return options;
        }

        private string? Id(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                Error(path, $"expected an id, not {Describe(value)}");
                return null;
            }

            string id = value.GetString()!;
            if (!IsId(id))
            {
                Error(path, $"'{id}' is not an id (letters, digits, '-' and '_')");
                return null;
            }

            return id;
        }

        private T? Choice<T>(JsonElement value, string path, (string Name, T Value)[] names)
            where T : struct
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                string text = value.GetString()!;
                foreach ((string name, T v) in names)
                {
                    if (string.Equals(name, text, StringComparison.Ordinal))
                    {
                        return v;
                    }
                }
            }

            Error(path, $"{Describe(value)} is not one of {string.Join(", ", names.Select(n => n.Name))}");
            return null;
        }

        private int? Int(JsonElement value, string path)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n))
            {
                return n;
            }

            Error(path, $"expected a whole number, not {Describe(value)}");
            return null;
        }

        private bool Bool(JsonElement value, string path)
        {
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            Error(path, $"expected true or false, not {Describe(value)}");
            return false;
        }

        private string? Missing(string path, string name)
        {
            Error(path, $"'{name}' is required");
            return null;
        }

        private T? Missing<T>(string path, string name)
            where T : struct
        {
            Error(path, $"'{name}' is required");
            return null;
        }

        /// <summary>An object's properties, reporting unknown and repeated keys (and skipping them).</summary>
        private Dictionary<string, JsonElement> Properties(JsonElement value, string path, string[] allowed)
        {
            var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (JsonProperty property in value.EnumerateObject())
            {
                string at = path + "." + property.Name;
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    // Strict on purpose: a misspelt "required" would otherwise silently make a question optional.
                    Error(at, $"unknown key; expected one of {string.Join(", ", allowed)}");
                }
                else if (!result.TryAdd(property.Name, property.Value))
                {
                    Error(at, $"'{property.Name}' is given twice");
                }
            }

            return result;
        }

        private static string Index(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => $"'{value.GetString()}'",
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "a list",
            JsonValueKind.Object => "an object",
            _ => "nothing",
        };
    }
}
