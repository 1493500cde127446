using Utendaji.Core.Surveys;

namespace Utendaji.Ingest.Surveys;

/// <summary>An instrument prepared for validating answers: its questions by id, its required and allocation items.</summary>
internal sealed class InstrumentItems
{
    private readonly Dictionary<string, SurveyQuestion> _byId;

    public InstrumentItems(SurveyInstrument instrument)
    {
        Instrument = instrument;
        _byId = new Dictionary<string, SurveyQuestion>(instrument.Questions.Count, StringComparer.Ordinal);
        foreach (var question in instrument.Questions)
        {
            // The first question of an id wins, as SurveyInstrument.Question does.
            _byId.TryAdd(question.Id, question);
        }

        Required = [.. instrument.Questions.Where(q => q.Required)];
        Allocation = [.. instrument.Questions.Where(q => q.Type == QuestionType.Allocation)];
    }

    public SurveyInstrument Instrument { get; }

    public string Id => Instrument.Id;

    /// <summary>Required questions in instrument order.</summary>
    public IReadOnlyList<SurveyQuestion> Required { get; }

    /// <summary>Allocation questions in instrument order; they share one total (the first one's <see cref="SurveyQuestion.ScaleMax"/>).</summary>
    public IReadOnlyList<SurveyQuestion> Allocation { get; }

    public SurveyQuestion? Question(string id) => _byId.GetValueOrDefault(id);
}

/// <summary>
/// Where a reader finds the instrument of each row: one instrument for the whole file, or a lookup by the row's
/// <c>instrument</c> value. Lookups are remembered, so the caller's function runs once per distinct id.
/// </summary>
internal sealed class InstrumentCatalog
{
    // A file naming thousands of distinct unknown instruments must not grow memory without bound.
    private const int MaxRemembered = 1024;

    private readonly Func<string, SurveyInstrument?>? _lookup;
    private readonly Dictionary<string, InstrumentItems?> _known = new(StringComparer.Ordinal);

    private InstrumentCatalog(InstrumentItems? fixedItems, Func<string, SurveyInstrument?>? lookup)
    {
        Fixed = fixedItems;
        _lookup = lookup;
    }

    /// <summary>The one instrument of the file, or null when each row names its own.</summary>
    public InstrumentItems? Fixed { get; }

    public static InstrumentCatalog Of(SurveyInstrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return new InstrumentCatalog(new InstrumentItems(instrument), null);
    }

    public static InstrumentCatalog Of(Func<string, SurveyInstrument?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return new InstrumentCatalog(null, lookup);
    }

    /// <summary>
    /// The instrument of a row whose <c>instrument</c> value is <paramref name="id"/> (null when absent), or null
    /// with the reason it cannot be used (phrased to follow the value, as in <see cref="ImportIssue.Reason"/>).
    /// </summary>
    public InstrumentItems? Resolve(string? id, out string? reason)
    {
        reason = null;
        if (Fixed is not null)
        {
            if (id is null || string.Equals(id, Fixed.Id, StringComparison.Ordinal))
            {
                return Fixed;
            }

            reason = $"is not the instrument being imported ('{Fixed.Id}')";
            return null;
        }

        if (id is null)
        {
            reason = "is required";
            return null;
        }

        if (!_known.TryGetValue(id, out var items))
        {
            var instrument = _lookup!(id);
            items = instrument is null ? null : new InstrumentItems(instrument);
            if (_known.Count < MaxRemembered)
            {
                _known.Add(id, items);
            }
        }

        if (items is null)
        {
            reason = "is not a known instrument";
        }

        return items;
    }
}
