using System.Globalization;

namespace Utendaji.Core.Surveys;

/// <summary>
/// The instruments Utendaji ships: CSAT (2, 3, 5 and 7 points), NPS, CES, SERVQUAL and the SERVQUAL
/// zone-of-tolerance format. Each ends with an optional free-text question <c>comment</c>. Their texts, in six
/// languages, are in <see cref="SurveyTexts"/>; the structures are described in docs/surveys-instruments.md.
/// </summary>
public static class BuiltInInstruments
{
    /// <summary>Id of the optional free-text question every built-in instrument ends with.</summary>
    public const string CommentQuestionId = "comment";

    /// <summary>Id of the rating question of every CSAT variant.</summary>
    public const string CsatQuestionId = "csat";

    /// <summary>Id of the NPS question.</summary>
    public const string NpsQuestionId = "nps";

    /// <summary>Id of the CES question.</summary>
    public const string CesQuestionId = "ces";

    /// <summary>Number of SERVQUAL items (revised scale, Parasuraman, Berry and Zeithaml 1991).</summary>
    public const int ServqualItemCount = 22;

    private static readonly SurveyQuestion Comment = new() { Id = CommentQuestionId, Type = QuestionType.FreeText };

    /// <summary>CSAT on 1–2 (not satisfied, satisfied); satisfied = 2 (the top box).</summary>
    public static SurveyInstrument Csat2 { get; } = CsatOn(2);

    /// <summary>CSAT on 1–3; satisfied = 3 (the top box: top two of three would count the neutral middle).</summary>
    public static SurveyInstrument Csat3 { get; } = CsatOn(3);

    /// <summary>CSAT on 1–5; satisfied = 4 or 5 (the top two boxes), the common industry definition.</summary>
    public static SurveyInstrument Csat5 { get; } = CsatOn(5);

    /// <summary>CSAT on 1–7; satisfied = 6 or 7 (the top two boxes).</summary>
    public static SurveyInstrument Csat7 { get; } = CsatOn(7);

    /// <summary>Net Promoter Score: 0–10 likelihood to recommend (question <c>nps</c>).</summary>
    public static SurveyInstrument Nps { get; } = new()
    {
        Id = "nps",
        Kind = InstrumentKind.Nps,
        Questions = [new SurveyQuestion { Id = NpsQuestionId, Type = QuestionType.Nps, Required = true, ScaleMin = 0, ScaleMax = 10 }, Comment],
    };

    /// <summary>Customer Effort Score: 1–7 agreement with "… made it easy for me to handle my issue" (question <c>ces</c>).</summary>
    public static SurveyInstrument Ces { get; } = new()
    {
        Id = "ces",
        Kind = InstrumentKind.Ces,
        Questions = [new SurveyQuestion { Id = CesQuestionId, Type = QuestionType.Ces, Required = true, ScaleMin = 1, ScaleMax = 7 }, Comment],
    };

    /// <summary>
    /// SERVQUAL (revised 1991 scale): expectations <c>e01</c>–<c>e22</c> and perceptions <c>p01</c>–<c>p22</c> on
    /// 1–7 (strongly disagree – strongly agree), between them 100 points of importance allocated across the five
    /// dimensions (<c>importance_tangibles</c> … <c>importance_empathy</c>). No item is required: analysis states
    /// its missing-data rule instead.
    /// </summary>
    public static SurveyInstrument Servqual { get; } = new()
    {
        Id = "servqual",
        Kind = InstrumentKind.Servqual,
        Questions =
        [
            .. Items(ServqualPart.Expectation, "e", 7),
            .. Enum.GetValues<ServqualDimension>().Select(d => new SurveyQuestion
            {
                Id = ImportanceQuestionId(d),
                Type = QuestionType.Allocation,
                ScaleMin = 0,
                ScaleMax = InstrumentJson.DefaultAllocationTotal,
                Dimension = d,
                Part = ServqualPart.Importance,
            }),
            .. Items(ServqualPart.Perception, "p", 7),
            Comment,
        ],
    };

    /// <summary>
    /// SERVQUAL zone-of-tolerance (three-column) format: for each of the 22 items, the minimum acceptable level
    /// (<c>m01</c>…), the desired level (<c>d01</c>…) and the perceived performance (<c>p01</c>…), each on 1–9
    /// (low – high), asked item by item.
    /// </summary>
    public static SurveyInstrument ServqualZoneOfTolerance { get; } = new()
    {
        Id = "servqual-zot",
        Kind = InstrumentKind.ServqualZoneOfTolerance,
        Questions =
        [
            .. Enumerable.Range(1, ServqualItemCount).SelectMany(item => new[]
            {
                ItemQuestion(ServqualPart.Minimum, "m", item, 9),
                ItemQuestion(ServqualPart.Desired, "d", item, 9),
                ItemQuestion(ServqualPart.Perception, "p", item, 9),
            }),
            Comment,
        ],
    };

    /// <summary>All built-in instruments, in a stable order.</summary>
    public static IReadOnlyList<SurveyInstrument> All { get; } =
        [Csat2, Csat3, Csat5, Csat7, Nps, Ces, Servqual, ServqualZoneOfTolerance];

    /// <summary>The built-in instrument with <paramref name="id"/> (<c>csat-5</c>, <c>nps</c>, <c>servqual-zot</c>, …), or null.</summary>
    public static SurveyInstrument? Find(string id)
    {
        Guard.NotNull(id);
        return All.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.Ordinal));
    }

    /// <summary>The CSAT variant with <paramref name="points"/> points (2, 3, 5 or 7).</summary>
    /// <exception cref="ArgumentOutOfRangeException">For any other number of points.</exception>
    public static SurveyInstrument Csat(int points) => points switch
    {
        2 => Csat2,
        3 => Csat3,
        5 => Csat5,
        7 => Csat7,
        _ => throw new ArgumentOutOfRangeException(nameof(points), points, "CSAT is built in with 2, 3, 5 or 7 points"),
    };

    /// <summary>
    /// The text family of a built-in instrument (the <c>&lt;family&gt;.&lt;language&gt;.json</c> file its texts are in):
    /// <c>csat</c> for every CSAT variant, otherwise the instrument id. Null for an id that is not built in.
    /// </summary>
    public static string? Family(string id)
    {
        Guard.NotNull(id);
        return Find(id) is not { } instrument ? null : instrument.Kind == InstrumentKind.Csat ? "csat" : instrument.Id;
    }

    /// <summary>
    /// The dimension of SERVQUAL item <paramref name="item"/> in the revised scale: 1–4 tangibles, 5–9 reliability,
    /// 10–13 responsiveness, 14–17 assurance, 18–22 empathy.
    /// </summary>
    public static ServqualDimension DimensionOfItem(int item) => item switch
    {
        >= 1 and <= 4 => ServqualDimension.Tangibles,
        >= 5 and <= 9 => ServqualDimension.Reliability,
        >= 10 and <= 13 => ServqualDimension.Responsiveness,
        >= 14 and <= 17 => ServqualDimension.Assurance,
        >= 18 and <= ServqualItemCount => ServqualDimension.Empathy,
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "SERVQUAL items are numbered 1 to 22"),
    };

    /// <summary>Id of the SERVQUAL importance question of <paramref name="dimension"/>, e.g. <c>importance_tangibles</c>.</summary>
    public static string ImportanceQuestionId(ServqualDimension dimension) => "importance_" + InstrumentJson.Name(dimension);

    /// <summary>Id of a SERVQUAL item question: prefix and two digits, e.g. <c>e01</c>, <c>p22</c>, <c>m07</c>.</summary>
    public static string ItemQuestionId(string prefix, int item) =>
        prefix + item.ToString("00", CultureInfo.InvariantCulture);

    private static SurveyInstrument CsatOn(int points) => new()
    {
        Id = "csat-" + points.ToString(CultureInfo.InvariantCulture),
        Kind = InstrumentKind.Csat,
        SatisfiedMinimum = InstrumentJson.DefaultSatisfiedMinimum(1, points),
        Questions = [new SurveyQuestion { Id = CsatQuestionId, Type = QuestionType.Rating, Required = true, ScaleMin = 1, ScaleMax = points }, Comment],
    };

    private static IEnumerable<SurveyQuestion> Items(ServqualPart part, string prefix, int points) =>
        Enumerable.Range(1, ServqualItemCount).Select(item => ItemQuestion(part, prefix, item, points));

    private static SurveyQuestion ItemQuestion(ServqualPart part, string prefix, int item, int points) => new()
    {
        Id = ItemQuestionId(prefix, item),
        Type = QuestionType.Rating,
        ScaleMin = 1,
        ScaleMax = points,
        Dimension = DimensionOfItem(item),
        Part = part,
        Item = item,
    };
}
