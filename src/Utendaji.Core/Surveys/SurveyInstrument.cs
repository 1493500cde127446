namespace Utendaji.Core.Surveys;

/// <summary>What kind of answer a question takes.</summary>
public enum QuestionType
{
    /// <summary>A number on a scale with labelled ends (CSAT 1–5, SERVQUAL 1–7, zone of tolerance 1–9).</summary>
    Rating,
    /// <summary>Net Promoter Score: 0–10 likelihood to recommend.</summary>
    Nps,
    /// <summary>Customer Effort Score: 1–7 agreement that the organisation made it easy.</summary>
    Ces,
    /// <summary>One option among several.</summary>
    SingleChoice,
    /// <summary>Any number of options.</summary>
    MultipleChoice,
    /// <summary>Free text (a comment).</summary>
    FreeText,
    /// <summary>Points allocated to this item out of a total shared with the other allocation items (SERVQUAL importance).</summary>
    Allocation,
}

/// <summary>The five SERVQUAL dimensions (Parasuraman, Zeithaml and Berry, 1988; revised 1991).</summary>
public enum ServqualDimension
{
    /// <summary>Physical facilities, equipment, appearance of personnel.</summary>
    Tangibles,
    /// <summary>Ability to perform the promised service dependably and accurately.</summary>
    Reliability,
    /// <summary>Willingness to help customers and provide prompt service.</summary>
    Responsiveness,
    /// <summary>Knowledge and courtesy of employees and their ability to inspire trust and confidence.</summary>
    Assurance,
    /// <summary>Caring, individualised attention.</summary>
    Empathy,
}

/// <summary>Which part of a SERVQUAL instrument a question belongs to.</summary>
public enum ServqualPart
{
    /// <summary>What an excellent organisation would do (E).</summary>
    Expectation,
    /// <summary>What this organisation does (P).</summary>
    Perception,
    /// <summary>Points of importance allocated to a dimension (out of 100).</summary>
    Importance,
    /// <summary>Zone-of-tolerance format: minimum acceptable service level.</summary>
    Minimum,
    /// <summary>Zone-of-tolerance format: desired service level.</summary>
    Desired,
}

/// <summary>One question of an instrument. Texts live in per-language resources, keyed by <see cref="Id"/>.</summary>
public sealed record SurveyQuestion
{
    /// <summary>Item id, unique within the instrument (e.g. <c>csat</c>, <c>p01</c>, <c>e01</c>).</summary>
    public required string Id { get; init; }
    /// <summary>Answer type.</summary>
    public required QuestionType Type { get; init; }
    /// <summary>Whether a response without this answer is invalid.</summary>
    public bool Required { get; init; }
    /// <summary>Lowest scale value (rating, NPS 0, CES 1, allocation 0).</summary>
    public int ScaleMin { get; init; }
    /// <summary>Highest scale value (rating, NPS 10, CES 7, allocation = the total).</summary>
    public int ScaleMax { get; init; }
    /// <summary>Option ids of choice questions.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
    /// <summary>SERVQUAL dimension of the item, when it has one.</summary>
    public ServqualDimension? Dimension { get; init; }
    /// <summary>SERVQUAL part of the item, when it has one.</summary>
    public ServqualPart? Part { get; init; }
    /// <summary>SERVQUAL item number (1–22) shared by the E, P, minimum and desired versions of one statement.</summary>
    public int? Item { get; init; }

    /// <summary>
    /// Value equality, including the <see cref="Options"/> element by element (a record would compare the list
    /// reference), so a question read back from JSON equals the one written.
    /// </summary>
    public bool Equals(SurveyQuestion? other) =>
        other is not null
        && string.Equals(Id, other.Id, StringComparison.Ordinal)
        && Type == other.Type
        && Required == other.Required
        && ScaleMin == other.ScaleMin
        && ScaleMax == other.ScaleMax
        && Options.SequenceEqual(other.Options, StringComparer.Ordinal)
        && Dimension == other.Dimension
        && Part == other.Part
        && Item == other.Item;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Id), Type, Required, ScaleMin, ScaleMax, Options.Count, Part, Item);
}

/// <summary>Which built-in family an instrument belongs to; <see cref="Custom"/> for user-written ones.</summary>
public enum InstrumentKind
{
    /// <summary>Customer satisfaction, one rating.</summary>
    Csat,
    /// <summary>Net Promoter Score.</summary>
    Nps,
    /// <summary>Customer Effort Score.</summary>
    Ces,
    /// <summary>SERVQUAL with expectations, perceptions and importance allocation.</summary>
    Servqual,
    /// <summary>SERVQUAL zone-of-tolerance format (minimum, desired, perceived, 9-point).</summary>
    ServqualZoneOfTolerance,
    /// <summary>Any other questionnaire.</summary>
    Custom,
}

/// <summary>A questionnaire as data (JSON: <see cref="InstrumentJson"/>, docs/surveys-instruments.md). Immutable.</summary>
public sealed record SurveyInstrument
{
    /// <summary>Instrument id (e.g. <c>csat-5</c>, <c>nps</c>, <c>servqual</c>).</summary>
    public required string Id { get; init; }
    /// <summary>Family of the instrument.</summary>
    public required InstrumentKind Kind { get; init; }
    /// <summary>The questions in the order they are asked.</summary>
    public required IReadOnlyList<SurveyQuestion> Questions { get; init; }
    /// <summary>For CSAT: the lowest rating counted as satisfied (top-2 boxes of 5 = 4 by default).</summary>
    public int? SatisfiedMinimum { get; init; }

    /// <summary>
    /// Value equality, including <see cref="Questions"/> element by element (a record would compare the list
    /// reference), so an instrument read back from JSON equals the one written.
    /// </summary>
    public bool Equals(SurveyInstrument? other) =>
        other is not null
        && string.Equals(Id, other.Id, StringComparison.Ordinal)
        && Kind == other.Kind
        && SatisfiedMinimum == other.SatisfiedMinimum
        && Questions.SequenceEqual(other.Questions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Id), Kind, SatisfiedMinimum, Questions.Count);

    /// <summary>The question with <paramref name="id"/>, or null.</summary>
    public SurveyQuestion? Question(string id) => Questions.FirstOrDefault(q => string.Equals(q.Id, id, StringComparison.Ordinal));
}
