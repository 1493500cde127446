using Utendaji.Core.Statistics;

namespace Utendaji.Core.Surveys.Analysis;

/// <summary>What the report computes for one question, decided once per instrument before any response is read.</summary>
internal sealed class QuestionPlan
{
    /// <param name="question">The question.</param>
    /// <param name="instrument">Its instrument (kind and CSAT threshold).</param>
    /// <param name="csatOverride">The report's CSAT threshold override, if any.</param>
    public QuestionPlan(SurveyQuestion question, SurveyInstrument instrument, int? csatOverride)
    {
        Question = question;
        (ScaleMin, ScaleMax) = question.Type switch
        {
            // NPS is 0–10 by definition; an instrument that leaves the scale unset still means that.
            QuestionType.Nps => (0, 10),
            QuestionType.Ces when question.ScaleMax <= question.ScaleMin => (1, 7),
            QuestionType.Allocation when question.ScaleMax <= question.ScaleMin => (0, 100),
            _ => (question.ScaleMin, question.ScaleMax),
        };
        if (question.Type == QuestionType.Rating)
        {
            Guard.InRange(ScaleMax > ScaleMin, $"rating question '{question.Id}' has a scale with at least two points", nameof(question));
        }

        if (question.Type == QuestionType.Nps)
        {
            Guard.InRange(question.ScaleMax <= question.ScaleMin || (question.ScaleMin == 0 && question.ScaleMax == 10), $"NPS question '{question.Id}' is on 0–10", nameof(question));
        }

        if (instrument.Kind == InstrumentKind.Csat && question.Type == QuestionType.Rating)
        {
            // Default: the top two boxes (4–5 of 5, 6–7 of 7); on 2- and 3-point scales the top box only, since their
            // top two boxes would include the middle or the bottom.
            var points = ScaleMax - ScaleMin + 1;
            var threshold = csatOverride ?? instrument.SatisfiedMinimum ?? (points <= 3 ? ScaleMax : ScaleMax - 1);
            Guard.InRange(
                threshold > ScaleMin && threshold <= ScaleMax,
                $"the CSAT threshold {threshold} of '{instrument.Id}' lies on its {ScaleMin}–{ScaleMax} scale above the lowest point",
                nameof(csatOverride));
            SatisfiedMinimum = threshold;
        }

        if (question.Type == QuestionType.Ces)
        {
            // The first whole point above the midpoint: 5 on 1–7, 4 on 1–5.
            AgreeMinimum = ((ScaleMin + ScaleMax) / 2) + 1;
        }

        if (question.Type is QuestionType.SingleChoice or QuestionType.MultipleChoice)
        {
            OptionIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < question.Options.Count; i++)
            {
                OptionIndex.TryAdd(question.Options[i], i);
            }
        }
    }

    public SurveyQuestion Question { get; }

    public string Id => Question.Id;

    public QuestionType Type => Question.Type;

    public int ScaleMin { get; }

    public int ScaleMax { get; }

    public bool IsNumeric => Type is QuestionType.Rating or QuestionType.Nps or QuestionType.Ces or QuestionType.Allocation;

    /// <summary>Set for rating questions of CSAT instruments.</summary>
    public int? SatisfiedMinimum { get; }

    /// <summary>Set for CES questions.</summary>
    public int? AgreeMinimum { get; }

    public Dictionary<string, int>? OptionIndex { get; }

    /// <summary>The answer as a number on the scale, or NaN when absent or not on the scale (whole, within bounds).</summary>
    public double NumberOf(SurveyAnswer? answer) =>
        answer?.Number is { } v && double.IsFinite(v) && v >= ScaleMin && v <= ScaleMax && v == Math.Floor(v) ? v : double.NaN;
}

/// <summary>The SERVQUAL structure of an instrument: items by number with their E/P/minimum/desired questions, dimensions, importance.</summary>
internal sealed class ServqualLayout
{
    // Part slots of an item.
    public const int E = 0, P = 1, Min = 2, Des = 3;

    private ServqualLayout(
        int[] itemNumbers,
        ServqualDimension[] itemDimensions,
        int[,] partQuestion,
        ServqualScale[] scales,
        (ServqualDimension Dimension, int[] Items)[] dimensions,
        int[] importanceQuestion)
    {
        ItemNumbers = itemNumbers;
        ItemDimensions = itemDimensions;
        PartQuestion = partQuestion;
        Scales = scales;
        Dimensions = dimensions;
        ImportanceQuestion = importanceQuestion;
        DifferenceScales = scales.Select((s, k) => (s, k)).Where(x => x.s is ServqualScale.Gap or ServqualScale.Adequacy or ServqualScale.Superiority).Select(x => x.k).ToArray();
        WeightsComplete = importanceQuestion.All(q => q >= 0);
        DimensionScaleItems = dimensions
            .Select(d => scales.Select(scale => d.Items.Where(slot => Supports(slot, scale)).ToArray()).ToArray())
            .ToArray();
    }

    /// <summary>Whether item <paramref name="slot"/> has the questions <paramref name="scale"/> needs.</summary>
    public bool Supports(int slot, ServqualScale scale)
    {
        bool Has(int part) => PartQuestion[slot, part] >= 0;
        return scale switch
        {
            ServqualScale.Expectation => Has(E),
            ServqualScale.Perception => Has(P),
            ServqualScale.Gap => Has(E) && Has(P),
            ServqualScale.Minimum => Has(Min),
            ServqualScale.Desired => Has(Des),
            ServqualScale.Adequacy => Has(Min) && Has(P),
            _ => Has(Des) && Has(P),
        };
    }

    /// <summary>The respondent's score of item <paramref name="slot"/> on <paramref name="scale"/>, from answers by question index; NaN when missing.</summary>
    public double Value(ReadOnlySpan<double> answers, int slot, ServqualScale scale)
    {
        var e = Part(answers, slot, E);
        var p = Part(answers, slot, P);
        return scale switch
        {
            ServqualScale.Expectation => e,
            ServqualScale.Perception => p,
            ServqualScale.Gap => p - e,
            ServqualScale.Minimum => Part(answers, slot, Min),
            ServqualScale.Desired => Part(answers, slot, Des),
            ServqualScale.Adequacy => p - Part(answers, slot, Min),
            _ => p - Part(answers, slot, Des),
        };
    }

    private double Part(ReadOnlySpan<double> answers, int slot, int part) =>
        PartQuestion[slot, part] is var q and >= 0 ? answers[q] : double.NaN;

    /// <summary>Item numbers, ascending; index = item slot.</summary>
    public int[] ItemNumbers { get; }

    public ServqualDimension[] ItemDimensions { get; }

    /// <summary>[item slot, part slot] → question index in the instrument, or −1.</summary>
    public int[,] PartQuestion { get; }

    /// <summary>Scales the instrument supports, in enum order.</summary>
    public ServqualScale[] Scales { get; }

    /// <summary>Indices into <see cref="Scales"/> of gap, MSA and MSS.</summary>
    public int[] DifferenceScales { get; }

    /// <summary>[dimension slot][scale index] → the item slots of the dimension that support the scale.</summary>
    public int[][][] DimensionScaleItems { get; }

    /// <summary>Dimensions with items, in enum order, with their item slots.</summary>
    public (ServqualDimension Dimension, int[] Items)[] Dimensions { get; }

    /// <summary>[dimension slot in <see cref="Dimensions"/>] → importance question index, or −1.</summary>
    public int[] ImportanceQuestion { get; }

    /// <summary>True when every measured dimension has an importance question, so the weighted score can be computed.</summary>
    public bool WeightsComplete { get; }

    /// <summary>The layout of <paramref name="instrument"/>, or null when it has no SERVQUAL item.</summary>
    public static ServqualLayout? Of(SurveyInstrument instrument)
    {
        var items = new SortedDictionary<int, (ServqualDimension Dimension, int[] Parts)>();
        var importance = new Dictionary<ServqualDimension, int>();
        for (var q = 0; q < instrument.Questions.Count; q++)
        {
            var question = instrument.Questions[q];
            if (question.Dimension is not { } dimension || question.Part is not { } part)
            {
                continue;
            }

            if (part == ServqualPart.Importance)
            {
                importance.TryAdd(dimension, q);
                continue;
            }

            if (question.Item is not { } number || !question.Type.IsScaled())
            {
                continue;
            }

            if (!items.TryGetValue(number, out var entry))
            {
                entry = (dimension, [-1, -1, -1, -1]);
                items.Add(number, entry);
            }

            var slot = part switch
            {
                ServqualPart.Expectation => E,
                ServqualPart.Perception => P,
                ServqualPart.Minimum => Min,
                _ => Des,
            };
            if (entry.Parts[slot] < 0)
            {
                entry.Parts[slot] = q;
            }
        }

        if (items.Count == 0)
        {
            return null;
        }

        var numbers = items.Keys.ToArray();
        var itemDimensions = items.Values.Select(v => v.Dimension).ToArray();
        var partQuestion = new int[numbers.Length, 4];
        var has = new bool[4];
        var i = 0;
        foreach (var (_, parts) in items.Values)
        {
            for (var p = 0; p < 4; p++)
            {
                partQuestion[i, p] = parts[p];
                has[p] |= parts[p] >= 0;
            }

            i++;
        }

        var scales = new List<ServqualScale>();
        if (has[E])
        {
            scales.Add(ServqualScale.Expectation);
        }

        if (has[P])
        {
            scales.Add(ServqualScale.Perception);
        }

        if (has[E] && has[P])
        {
            scales.Add(ServqualScale.Gap);
        }

        if (has[Min])
        {
            scales.Add(ServqualScale.Minimum);
        }

        if (has[Des])
        {
            scales.Add(ServqualScale.Desired);
        }

        if (has[Min] && has[P])
        {
            scales.Add(ServqualScale.Adequacy);
        }

        if (has[Des] && has[P])
        {
            scales.Add(ServqualScale.Superiority);
        }

        var dimensions = Enum.GetValues<ServqualDimension>()
            .Select(d => (Dimension: d, Items: Enumerable.Range(0, numbers.Length).Where(s => itemDimensions[s] == d).ToArray()))
            .Where(d => d.Items.Length > 0)
            .ToArray();
        var importanceQuestion = dimensions.Select(d => importance.TryGetValue(d.Dimension, out var q) ? q : -1).ToArray();
        return new ServqualLayout(numbers, itemDimensions, partQuestion, scales.ToArray(), dimensions, importanceQuestion);
    }
}

/// <summary>The plan for one instrument in one report.</summary>
internal sealed class InstrumentLayout
{
    public InstrumentLayout(SurveyInstrument instrument, int index, SurveyReportOptions options)
    {
        Instrument = instrument;
        Index = index;
        Questions = new QuestionPlan[instrument.Questions.Count];
        for (var q = 0; q < Questions.Length; q++)
        {
            Questions[q] = new QuestionPlan(instrument.Questions[q], instrument, options.CsatSatisfiedMinimum);
        }

        Servqual = ServqualLayout.Of(instrument);
        NpsMethod = options.NpsInterval;
        AlphaRule = options.AlphaMissingData;
    }

    public SurveyInstrument Instrument { get; }

    public int Index { get; }

    public QuestionPlan[] Questions { get; }

    public ServqualLayout? Servqual { get; }

    public NpsIntervalMethod NpsMethod { get; }

    public MissingDataRule AlphaRule { get; }
}

internal static class QuestionTypeExtensions
{
    /// <summary>Types answered with a point on a scale (not allocation, which is points out of a total).</summary>
    public static bool IsScaled(this QuestionType type) => type is QuestionType.Rating or QuestionType.Nps or QuestionType.Ces;
}
