using System.Globalization;
using Utendaji.Core.Statistics;

namespace Utendaji.Core.Surveys.Analysis;

/// <summary>Partials of one question in one group × period. Mergeable.</summary>
internal sealed class QuestionCell
{
    private readonly Dictionary<int, long>? _numberCounts;
    private readonly long[]? _optionCounts;

    public QuestionCell(QuestionPlan plan)
    {
        if (plan.IsNumeric)
        {
            _numberCounts = [];
        }
        else if (plan.OptionIndex is not null)
        {
            _optionCounts = new long[plan.Question.Options.Count];
        }
    }

    public long Answered { get; private set; }

    public long Invalid { get; private set; }

    public SampleMoments Moments { get; private set; }

    public Proportion Satisfied { get; private set; }

    public NpsCounts Nps { get; private set; }

    public Proportion Agreeing { get; private set; }

    /// <summary>Adds one answer (null = not answered); <paramref name="number"/> is the answer's scale value or NaN.</summary>
    public void Add(QuestionPlan plan, SurveyAnswer? answer, double number)
    {
        if (answer is null || (answer.Number is null && answer.Choices is null && answer.Text is null))
        {
            return;
        }

        if (plan.IsNumeric)
        {
            if (double.IsNaN(number))
            {
                Invalid++;
                return;
            }

            Answered++;
            var key = (int)number;
            _numberCounts![key] = _numberCounts.TryGetValue(key, out var c) ? c + 1 : 1;
            Moments = Moments.Add(number);
            if (plan.SatisfiedMinimum is { } satisfied)
            {
                Satisfied = Satisfied.Add(number >= satisfied);
            }

            if (plan.Type == QuestionType.Nps)
            {
                Nps = Nps.Add(number);
            }

            if (plan.AgreeMinimum is { } agree)
            {
                Agreeing = Agreeing.Add(number >= agree);
            }

            return;
        }

        switch (plan.Type)
        {
            case QuestionType.SingleChoice:
                if (answer.Choices is [var only] && plan.OptionIndex!.TryGetValue(only, out var index))
                {
                    Answered++;
                    _optionCounts![index]++;
                }
                else
                {
                    Invalid++;
                }

                break;

            case QuestionType.MultipleChoice:
                if (answer.Choices is null)
                {
                    Invalid++;
                    break;
                }

                var chosen = new HashSet<int>();
                foreach (var choice in answer.Choices)
                {
                    if (plan.OptionIndex!.TryGetValue(choice, out var option))
                    {
                        chosen.Add(option);
                    }
                    else
                    {
                        Invalid++;
                    }
                }

                if (chosen.Count > 0)
                {
                    Answered++;
                    foreach (var option in chosen)
                    {
                        _optionCounts![option]++;
                    }
                }

                break;

            default:
                if (!string.IsNullOrWhiteSpace(answer.Text))
                {
                    Answered++;
                }
                else if (answer.Text is null)
                {
                    Invalid++;
                }

                break;
        }
    }

    public void Merge(QuestionCell other)
    {
        Answered += other.Answered;
        Invalid += other.Invalid;
        Moments += other.Moments;
        Satisfied += other.Satisfied;
        Nps += other.Nps;
        Agreeing += other.Agreeing;
        if (_numberCounts is not null)
        {
            foreach (var (value, count) in other._numberCounts!)
            {
                _numberCounts[value] = _numberCounts.TryGetValue(value, out var c) ? c + count : count;
            }
        }

        if (_optionCounts is not null)
        {
            for (var i = 0; i < _optionCounts.Length; i++)
            {
                _optionCounts[i] += other._optionCounts![i];
            }
        }
    }

    public AnswerDistribution Distribution(QuestionPlan plan)
    {
        double? Share(long count) => Answered == 0 ? null : (double)count / Answered;
        var counts = new List<AnswerCount>();
        if (_numberCounts is not null)
        {
            IEnumerable<int> values = plan.Type == QuestionType.Allocation
                ? _numberCounts.Keys.Order()
                : Enumerable.Range(plan.ScaleMin, plan.ScaleMax - plan.ScaleMin + 1);
            foreach (var value in values)
            {
                var count = _numberCounts.GetValueOrDefault(value);
                counts.Add(new AnswerCount(value.ToString(CultureInfo.InvariantCulture), count, Share(count)));
            }
        }
        else if (_optionCounts is not null)
        {
            for (var i = 0; i < _optionCounts.Length; i++)
            {
                counts.Add(new AnswerCount(plan.Question.Options[i], _optionCounts[i], Share(_optionCounts[i])));
            }
        }

        return new AnswerDistribution(plan.Id, plan.Type, Answered, counts, Invalid, plan.IsNumeric ? Moments.Estimate() : null);
    }
}

/// <summary>SERVQUAL partials of one instrument in one group × period. Mergeable.</summary>
internal sealed class ServqualCell
{
    private readonly SampleMoments[,] _items;
    private readonly SampleMoments[,] _dimensions;
    private readonly SampleMoments[] _overall;
    private readonly SampleMoments[] _weighted;
    private readonly SampleMoments[] _importance;
    private readonly ItemCovariance?[,] _alpha;

    public ServqualCell(ServqualLayout layout, MissingDataRule rule)
    {
        var scales = layout.Scales.Length;
        var dimensions = layout.Dimensions.Length;
        _items = new SampleMoments[layout.ItemNumbers.Length, scales];
        _dimensions = new SampleMoments[dimensions, scales];
        _overall = new SampleMoments[scales];
        _weighted = new SampleMoments[scales];
        _importance = new SampleMoments[dimensions];
        _alpha = new ItemCovariance?[dimensions, scales];
        for (var d = 0; d < dimensions; d++)
        {
            for (var k = 0; k < scales; k++)
            {
                var items = layout.DimensionScaleItems[d][k].Length;
                _alpha[d, k] = items == 0 ? null : new ItemCovariance(items, rule);
            }
        }
    }

    /// <summary>Adds one respondent, given their numeric answers by question index (NaN = missing or invalid).</summary>
    public void Add(ServqualLayout layout, ReadOnlySpan<double> answers)
    {
        var scales = layout.Scales.Length;
        var dimensions = layout.Dimensions.Length;
        Span<double> dimensionScore = stackalloc double[dimensions * scales];
        Span<double> row = stackalloc double[layout.ItemNumbers.Length];

        for (var slot = 0; slot < layout.ItemNumbers.Length; slot++)
        {
            for (var k = 0; k < scales; k++)
            {
                var v = layout.Value(answers, slot, layout.Scales[k]);
                if (!double.IsNaN(v))
                {
                    _items[slot, k] = _items[slot, k].Add(v);
                }
            }
        }

        // A respondent's dimension score is the mean of the items of that dimension they answered.
        for (var d = 0; d < dimensions; d++)
        {
            for (var k = 0; k < scales; k++)
            {
                var items = layout.DimensionScaleItems[d][k];
                double sum = 0;
                var n = 0;
                for (var i = 0; i < items.Length; i++)
                {
                    row[i] = layout.Value(answers, items[i], layout.Scales[k]);
                    if (!double.IsNaN(row[i]))
                    {
                        sum += row[i];
                        n++;
                    }
                }

                _alpha[d, k]?.Add(row[..items.Length]);
                dimensionScore[(d * scales) + k] = n == 0 ? double.NaN : sum / n;
                if (n > 0)
                {
                    _dimensions[d, k] = _dimensions[d, k].Add(sum / n);
                }
            }
        }

        // Unweighted overall: the mean of the respondent's dimension scores (dimensions weigh equally, not items).
        for (var k = 0; k < scales; k++)
        {
            double sum = 0;
            var n = 0;
            for (var d = 0; d < dimensions; d++)
            {
                var v = dimensionScore[(d * scales) + k];
                if (!double.IsNaN(v))
                {
                    sum += v;
                    n++;
                }
            }

            if (n > 0)
            {
                _overall[k] = _overall[k].Add(sum / n);
            }
        }

        Span<double> points = stackalloc double[dimensions];
        var complete = layout.WeightsComplete;
        double total = 0;
        for (var d = 0; d < dimensions; d++)
        {
            var q = layout.ImportanceQuestion[d];
            points[d] = q >= 0 ? answers[q] : double.NaN;
            if (double.IsNaN(points[d]))
            {
                complete = false;
            }
            else
            {
                _importance[d] = _importance[d].Add(points[d]);
                total += points[d];
            }
        }

        // Weighted: Σ_d (points_d / total points) · score_d, only for respondents who allocated all their points
        // and have a score in every dimension they gave weight to.
        if (!complete || !(total > 0))
        {
            return;
        }

        foreach (var k in layout.DifferenceScales)
        {
            double weighted = 0;
            var usable = true;
            for (var d = 0; d < dimensions && usable; d++)
            {
                if (points[d] > 0)
                {
                    var score = dimensionScore[(d * scales) + k];
                    usable = !double.IsNaN(score);
                    weighted += points[d] / total * score;
                }
            }

            if (usable)
            {
                _weighted[k] = _weighted[k].Add(weighted);
            }
        }
    }

    public void Merge(ServqualCell other)
    {
        for (var i = 0; i < _items.GetLength(0); i++)
        {
            for (var k = 0; k < _items.GetLength(1); k++)
            {
                _items[i, k] += other._items[i, k];
            }
        }

        for (var d = 0; d < _dimensions.GetLength(0); d++)
        {
            _importance[d] += other._importance[d];
            for (var k = 0; k < _dimensions.GetLength(1); k++)
            {
                _dimensions[d, k] += other._dimensions[d, k];
                _alpha[d, k]?.Merge(other._alpha[d, k]!);
            }
        }

        for (var k = 0; k < _overall.Length; k++)
        {
            _overall[k] += other._overall[k];
            _weighted[k] += other._weighted[k];
        }
    }

    public SampleMoments Dimension(int dimension, int scale) => _dimensions[dimension, scale];

    public SampleMoments Overall(int scale) => _overall[scale];

    public SampleMoments Weighted(int scale) => _weighted[scale];

    public ServqualFigures Figures(ServqualLayout layout)
    {
        var scales = layout.Scales;
        var items = new List<ServqualItemFigures>(layout.ItemNumbers.Length);
        for (var slot = 0; slot < layout.ItemNumbers.Length; slot++)
        {
            var means = new List<ServqualScaleMean>();
            for (var k = 0; k < scales.Length; k++)
            {
                if (layout.Supports(slot, scales[k]))
                {
                    means.Add(new ServqualScaleMean(scales[k], _items[slot, k].Estimate()));
                }
            }

            items.Add(new ServqualItemFigures(layout.ItemNumbers[slot], layout.ItemDimensions[slot], means));
        }

        var dimensions = new List<ServqualDimensionFigures>(layout.Dimensions.Length);
        for (var d = 0; d < layout.Dimensions.Length; d++)
        {
            var means = new List<ServqualScaleMean>();
            var reliability = new List<ServqualReliability>();
            for (var k = 0; k < scales.Length; k++)
            {
                if (_alpha[d, k] is { } alpha)
                {
                    means.Add(new ServqualScaleMean(scales[k], _dimensions[d, k].Estimate()));
                    reliability.Add(new ServqualReliability(scales[k], alpha.Alpha()));
                }
            }

            var (dimension, slots) = layout.Dimensions[d];
            dimensions.Add(new ServqualDimensionFigures(
                dimension,
                slots.Select(s => layout.ItemNumbers[s]).ToArray(),
                means,
                layout.ImportanceQuestion[d] >= 0 ? _importance[d].Estimate() : null,
                reliability));
        }

        var overall = scales.Select((scale, k) => new ServqualScaleMean(scale, _overall[k].Estimate())).ToArray();
        var weighted = layout.WeightsComplete
            ? layout.DifferenceScales.Select(k => new ServqualScaleMean(scales[k], _weighted[k].Estimate())).ToArray()
            : [];
        return new ServqualFigures(items, dimensions, overall, weighted);
    }
}

/// <summary>Partials of one instrument in one group × period: every question and the SERVQUAL structure. Mergeable.</summary>
internal sealed class InstrumentCell
{
    private readonly QuestionCell[] _questions;
    private readonly ServqualCell? _servqual;

    public InstrumentCell(InstrumentLayout layout)
    {
        _questions = layout.Questions.Select(q => new QuestionCell(q)).ToArray();
        _servqual = layout.Servqual is { } servqual ? new ServqualCell(servqual, layout.AlphaRule) : null;
    }

    public long Responses { get; private set; }

    public IReadOnlyList<QuestionCell> Questions => _questions;

    public ServqualCell? Servqual => _servqual;

    /// <summary>Adds one response; <paramref name="numbers"/> is scratch space of one slot per question.</summary>
    public void Add(InstrumentLayout layout, SurveyResponse response, Span<double> numbers)
    {
        Responses++;
        for (var q = 0; q < _questions.Length; q++)
        {
            var plan = layout.Questions[q];
            var answer = response.Answers.TryGetValue(plan.Id, out var a) ? a : null;
            numbers[q] = plan.IsNumeric ? plan.NumberOf(answer) : double.NaN;
            _questions[q].Add(plan, answer, numbers[q]);
        }

        _servqual?.Add(layout.Servqual!, numbers);
    }

    public void Merge(InstrumentCell other)
    {
        Responses += other.Responses;
        for (var q = 0; q < _questions.Length; q++)
        {
            _questions[q].Merge(other._questions[q]);
        }

        _servqual?.Merge(other._servqual!);
    }

    public InstrumentFigures Figures(InstrumentLayout layout, Proportion? responseRate, int minimumN)
    {
        var csat = new List<CsatFigure>();
        var nps = new List<NpsFigure>();
        var ces = new List<CesFigure>();
        var answers = new List<AnswerDistribution>(_questions.Length);
        for (var q = 0; q < _questions.Length; q++)
        {
            var plan = layout.Questions[q];
            var cell = _questions[q];
            answers.Add(cell.Distribution(plan));
            if (plan.SatisfiedMinimum is { } satisfied)
            {
                csat.Add(new CsatFigure(plan.Id, satisfied, cell.Satisfied));
            }

            if (plan.Type == QuestionType.Nps)
            {
                nps.Add(new NpsFigure(plan.Id, NpsEstimate.From(cell.Nps, layout.NpsMethod)));
            }

            if (plan.AgreeMinimum is { } agree)
            {
                ces.Add(new CesFigure(plan.Id, cell.Moments.Estimate(), agree, cell.Agreeing));
            }
        }

        return new InstrumentFigures
        {
            InstrumentId = layout.Instrument.Id,
            Kind = layout.Instrument.Kind,
            Responses = Responses,
            SmallGroup = Responses < minimumN,
            ResponseRate = responseRate,
            Csat = csat,
            Nps = nps,
            Ces = ces,
            Answers = answers,
            Servqual = _servqual?.Figures(layout.Servqual!),
        };
    }
}
