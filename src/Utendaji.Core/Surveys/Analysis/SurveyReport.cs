using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;

namespace Utendaji.Core.Surveys.Analysis;

/// <summary>How often one answer value (a scale point or an option id) was given.</summary>
/// <param name="Value">The scale value in invariant form ("5") or the option id.</param>
/// <param name="Count">Respondents who gave it.</param>
/// <param name="Share">Count ÷ respondents who answered the question; null when none did. Multiple-choice shares can sum above 1.</param>
public readonly record struct AnswerCount(string Value, long Count, double? Share);

/// <summary>
/// The distribution of one question's answers. Rating, NPS and CES questions list every point of their scale (zeros
/// included), in order; allocation questions list the point values given, ascending; choice questions list every
/// option in instrument order; free text lists nothing (only <see cref="Answered"/>).
/// </summary>
/// <param name="QuestionId">The question.</param>
/// <param name="Type">Its answer type.</param>
/// <param name="Answered">Respondents with a valid answer.</param>
/// <param name="Counts">Counts per value or option.</param>
/// <param name="Invalid">
/// Answers ignored because they are not on the question: a number outside the scale or not whole, an unknown
/// option, several options for a single choice, or an answer of the wrong kind. Ingest rejects these; the count is a
/// safety net so that nothing is dropped silently.
/// </param>
/// <param name="Mean">The mean of numeric answers with its t interval; null for choice and text questions.</param>
public sealed record AnswerDistribution(string QuestionId, QuestionType Type, long Answered, IReadOnlyList<AnswerCount> Counts, long Invalid, MeanEstimate? Mean);

/// <summary>CSAT of one rating question: the share of ratings at or above <see cref="SatisfiedMinimum"/>.</summary>
/// <param name="QuestionId">The rating question.</param>
/// <param name="SatisfiedMinimum">The lowest rating counted as satisfied.</param>
/// <param name="Satisfied">Satisfied among ratings: rate, n (= trials) and the Wilson 95% interval.</param>
public sealed record CsatFigure(string QuestionId, int SatisfiedMinimum, Proportion Satisfied);

/// <summary>NPS of one 0–10 question.</summary>
/// <param name="QuestionId">The NPS question.</param>
/// <param name="Estimate">Score, shares and intervals.</param>
public sealed record NpsFigure(string QuestionId, NpsEstimate Estimate);

/// <summary>CES of one agreement question (1–7 by default).</summary>
/// <param name="QuestionId">The CES question.</param>
/// <param name="Mean">The mean answer with its t interval.</param>
/// <param name="AgreeMinimum">The lowest answer counted as agreeing: the first point above the scale's midpoint (5 of 7).</param>
/// <param name="Agreeing">Agreeing among answers, with the Wilson 95% interval.</param>
public sealed record CesFigure(string QuestionId, MeanEstimate Mean, int AgreeMinimum, Proportion Agreeing);

/// <summary>The scores a SERVQUAL item, dimension or the whole scale is reported on.</summary>
public enum ServqualScale
{
    /// <summary>E: expectation (what an excellent organisation would do).</summary>
    Expectation,
    /// <summary>P: perception (what this organisation does).</summary>
    Perception,
    /// <summary>The SERVQUAL gap P − E, per respondent; negative when service falls short of expectations.</summary>
    Gap,
    /// <summary>Zone of tolerance: minimum acceptable service level.</summary>
    Minimum,
    /// <summary>Zone of tolerance: desired service level.</summary>
    Desired,
    /// <summary>Measure of service adequacy MSA = P − minimum; negative means below the zone of tolerance.</summary>
    Adequacy,
    /// <summary>Measure of service superiority MSS = P − desired; positive means above the zone of tolerance.</summary>
    Superiority,
}

/// <summary>The mean of one SERVQUAL scale with n and a 95% t interval.</summary>
/// <param name="Scale">The scale.</param>
/// <param name="Mean">The mean over respondents.</param>
public sealed record ServqualScaleMean(ServqualScale Scale, MeanEstimate Mean);

/// <summary>Cronbach's alpha of one dimension on one scale.</summary>
/// <param name="Scale">The scale whose item scores entered the alpha.</param>
/// <param name="Alpha">Alpha, the respondents used and the missing-data rule.</param>
public sealed record ServqualReliability(ServqualScale Scale, AlphaEstimate Alpha);

/// <summary>Means of one SERVQUAL item (statement), by scale.</summary>
/// <param name="Item">Item number (1–22 in the revised scale).</param>
/// <param name="Dimension">Its dimension.</param>
/// <param name="Scales">The scale means the instrument supports, in <see cref="ServqualScale"/> order.</param>
public sealed record ServqualItemFigures(int Item, ServqualDimension Dimension, IReadOnlyList<ServqualScaleMean> Scales);

/// <summary>Means, importance and reliability of one SERVQUAL dimension.</summary>
/// <param name="Dimension">The dimension.</param>
/// <param name="Items">Its item numbers.</param>
/// <param name="Scales">Means over respondents of each respondent's dimension score (the mean of the items they answered).</param>
/// <param name="Importance">Mean points allocated to the dimension; null when the instrument has no allocation for it.</param>
/// <param name="Reliability">Cronbach's alpha of the dimension's items on each scale (null alpha when the dimension has one item).</param>
public sealed record ServqualDimensionFigures(
    ServqualDimension Dimension,
    IReadOnlyList<int> Items,
    IReadOnlyList<ServqualScaleMean> Scales,
    MeanEstimate? Importance,
    IReadOnlyList<ServqualReliability> Reliability);

/// <summary>SERVQUAL and zone-of-tolerance figures of one instrument in one group and period.</summary>
/// <param name="Items">Per item.</param>
/// <param name="Dimensions">Per dimension, in <see cref="ServqualDimension"/> order.</param>
/// <param name="Overall">Unweighted: means over respondents of the mean of their dimension scores.</param>
/// <param name="Weighted">
/// Weighted by importance, for the difference scales (gap, MSA, MSS): each respondent's Σ_d w_d·score_d with
/// w_d = their points for d ÷ their total points, averaged. Empty when the instrument has no importance allocation.
/// </param>
public sealed record ServqualFigures(
    IReadOnlyList<ServqualItemFigures> Items,
    IReadOnlyList<ServqualDimensionFigures> Dimensions,
    IReadOnlyList<ServqualScaleMean> Overall,
    IReadOnlyList<ServqualScaleMean> Weighted);

/// <summary>Every figure of one instrument in one group and period (definitions in docs/surveys.md).</summary>
public sealed record InstrumentFigures
{
    /// <summary>The instrument.</summary>
    public required string InstrumentId { get; init; }

    /// <summary>Its family.</summary>
    public required InstrumentKind Kind { get; init; }

    /// <summary>Responses submitted in the group and period.</summary>
    public required long Responses { get; init; }

    /// <summary>True when <see cref="Responses"/> is below the minimum n: shown, but to be read with care.</summary>
    public required bool SmallGroup { get; init; }

    /// <summary>
    /// Answered sends among sends made in the period (by send instant) with the Wilson interval; null when no sends
    /// were given or the grouping uses team or agent, which sends do not carry.
    /// </summary>
    public required Proportion? ResponseRate { get; init; }

    /// <summary>CSAT per rating question of a CSAT instrument.</summary>
    public required IReadOnlyList<CsatFigure> Csat { get; init; }

    /// <summary>NPS per NPS question.</summary>
    public required IReadOnlyList<NpsFigure> Nps { get; init; }

    /// <summary>CES per CES question.</summary>
    public required IReadOnlyList<CesFigure> Ces { get; init; }

    /// <summary>The distribution of every question's answers, in instrument order.</summary>
    public required IReadOnlyList<AnswerDistribution> Answers { get; init; }

    /// <summary>SERVQUAL figures when the instrument has SERVQUAL items; otherwise null.</summary>
    public required ServqualFigures? Servqual { get; init; }
}

/// <summary>One line of the survey report: a group in a period, with the figures of each instrument it has data for.</summary>
/// <param name="Group">The group (<see cref="GroupKey.Total"/> for roll-ups over groups).</param>
/// <param name="Period">The period (the whole range for roll-ups over periods).</param>
/// <param name="Instruments">Figures per instrument, in the order the instruments were given.</param>
public sealed record SurveyRow(GroupKey Group, ReportPeriod Period, IReadOnlyList<InstrumentFigures> Instruments);

/// <summary>Which figure a <see cref="FigureChange"/> compares.</summary>
public enum ChangeFigure
{
    /// <summary>CSAT share satisfied (two-proportion z).</summary>
    CsatSatisfied,
    /// <summary>NPS itself (z on the NPS difference).</summary>
    NpsScore,
    /// <summary>Promoter share (two-proportion z).</summary>
    NpsPromoters,
    /// <summary>Detractor share (two-proportion z).</summary>
    NpsDetractors,
    /// <summary>CES mean (Welch t).</summary>
    CesMean,
    /// <summary>CES share agreeing (two-proportion z).</summary>
    CesAgreeing,
    /// <summary>A SERVQUAL dimension's mean on a difference scale (Welch t).</summary>
    ServqualDimension,
    /// <summary>The unweighted overall SERVQUAL score on a difference scale (Welch t).</summary>
    ServqualOverall,
    /// <summary>The importance-weighted SERVQUAL score on a difference scale (Welch t).</summary>
    ServqualWeighted,
}

/// <summary>
/// One figure in the baseline and the current period, its change and the test of that change. Values are in the
/// figure's own unit: rates as fractions 0–1, NPS on −100..100, means on the answer scale.
/// </summary>
/// <param name="Figure">Which figure.</param>
/// <param name="QuestionId">The question, for CSAT, NPS and CES figures.</param>
/// <param name="Dimension">The dimension, for <see cref="ChangeFigure.ServqualDimension"/>.</param>
/// <param name="Scale">The SERVQUAL difference scale (gap, MSA or MSS), for SERVQUAL figures.</param>
/// <param name="BaselineN">n in the baseline.</param>
/// <param name="Baseline">The baseline value; null when it has no data.</param>
/// <param name="CurrentN">n in the current period.</param>
/// <param name="Current">The current value; null when it has no data.</param>
/// <param name="Difference">Current − baseline; null when either is missing.</param>
/// <param name="Test">The two-sided test; null when it is undefined (see <see cref="ChangeTests"/>).</param>
/// <param name="Significant">True when the test's p-value is below the report's significance level.</param>
public sealed record FigureChange(
    ChangeFigure Figure,
    string? QuestionId,
    ServqualDimension? Dimension,
    ServqualScale? Scale,
    long BaselineN,
    double? Baseline,
    long CurrentN,
    double? Current,
    double? Difference,
    SignificanceTest? Test,
    bool Significant);

/// <summary>One instrument's figures in both periods and the tested changes.</summary>
/// <param name="InstrumentId">The instrument.</param>
/// <param name="Baseline">Its figures in the baseline period.</param>
/// <param name="Current">Its figures in the current period.</param>
/// <param name="Changes">Every comparable figure, tested.</param>
public sealed record InstrumentChange(string InstrumentId, InstrumentFigures Baseline, InstrumentFigures Current, IReadOnlyList<FigureChange> Changes);

/// <summary>The changes of one group.</summary>
/// <param name="Group">The group (<see cref="GroupKey.Total"/> first, then each group when grouping).</param>
/// <param name="Instruments">Per instrument with data in either period.</param>
public sealed record GroupChange(GroupKey Group, IReadOnlyList<InstrumentChange> Instruments);

/// <summary>The comparison of two periods.</summary>
/// <param name="Baseline">The reference period.</param>
/// <param name="Current">The compared period.</param>
/// <param name="SignificanceLevel">The level below which a p-value marks a change significant.</param>
/// <param name="Groups">Changes of the total and of each group.</param>
public sealed record SurveyComparison(ReportPeriod Baseline, ReportPeriod Current, double SignificanceLevel, IReadOnlyList<GroupChange> Groups);

/// <summary>The survey report: figures per group × period, roll-ups, and an optional comparison of two periods.</summary>
public sealed record SurveyReport
{
    /// <summary>The options the report was built with.</summary>
    public required SurveyReportOptions Options { get; init; }

    /// <summary>The periods, in order (one "all" period when not split).</summary>
    public required IReadOnlyList<ReportPeriod> Periods { get; init; }

    /// <summary>The whole report range.</summary>
    public required ReportPeriod Range { get; init; }

    /// <summary>One row per group and period (groups in key order, periods in time order).</summary>
    public required IReadOnlyList<SurveyRow> Rows { get; init; }

    /// <summary>One row per group over the whole range.</summary>
    public required IReadOnlyList<SurveyRow> ByGroup { get; init; }

    /// <summary>One row per period over all groups.</summary>
    public required IReadOnlyList<SurveyRow> ByPeriod { get; init; }

    /// <summary>All groups over the whole range.</summary>
    public required SurveyRow Overall { get; init; }

    /// <summary>The comparison of two periods, when requested.</summary>
    public required SurveyComparison? Comparison { get; init; }

    /// <summary>Responses ignored because their instrument id is not among the instruments given to the builder (and not filtered out).</summary>
    public required long UnknownInstrumentResponses { get; init; }
}
