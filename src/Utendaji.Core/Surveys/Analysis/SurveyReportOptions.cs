using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;

namespace Utendaji.Core.Surveys.Analysis;

/// <summary>A response attribute the survey report can group by.</summary>
public enum SurveyGroupDimension
{
    /// <summary><see cref="SurveyResponse.Team"/>.</summary>
    Team,
    /// <summary><see cref="SurveyResponse.Agent"/>, the agent as credited on the response by ingest (see the credit rule in docs/surveys.md).</summary>
    Agent,
    /// <summary><see cref="SurveyResponse.Channel"/>.</summary>
    Channel,
    /// <summary><see cref="SurveyResponse.Language"/>.</summary>
    Language,
}

/// <summary>
/// Two periods to compare, each [Start, End). They must not overlap, so that the two samples are independent, which
/// every change test assumes. The report range (<see cref="SurveyReportOptions.From"/>/<see cref="SurveyReportOptions.To"/>)
/// does not restrict them.
/// </summary>
/// <param name="BaselineStart">Inclusive start of the earlier (reference) period.</param>
/// <param name="BaselineEnd">Exclusive end of the reference period.</param>
/// <param name="CurrentStart">Inclusive start of the period compared with it.</param>
/// <param name="CurrentEnd">Exclusive end of the compared period.</param>
public sealed record SurveyPeriodComparison(Instant BaselineStart, Instant BaselineEnd, Instant CurrentStart, Instant CurrentEnd)
{
    /// <summary>Throws when a period is empty or the two overlap.</summary>
    public void Validate()
    {
        Guard.InRange(BaselineStart < BaselineEnd, "the baseline starts before it ends", nameof(BaselineStart));
        Guard.InRange(CurrentStart < CurrentEnd, "the current period starts before it ends", nameof(CurrentStart));
        Guard.InRange(BaselineEnd <= CurrentStart || CurrentEnd <= BaselineStart, "the two periods do not overlap", nameof(CurrentStart));
    }
}

/// <summary>
/// What the survey report covers and how: instruments, grouping, periods, range, thresholds and methods. Immutable;
/// change with <c>with</c>. Every default is documented on its property and in docs/surveys.md.
/// </summary>
public sealed record SurveyReportOptions
{
    /// <summary>The documented defaults.</summary>
    public static SurveyReportOptions Default { get; } = new();

    /// <summary>Instrument ids to report; empty (the default) reports every instrument given to the builder.</summary>
    public IReadOnlyList<string> Instruments { get; init; } = [];

    /// <summary>Dimensions to group by, in column order; empty (the default) gives one total group. No duplicates.</summary>
    public IReadOnlyList<SurveyGroupDimension> GroupBy { get; init; } = [];

    /// <summary>Period length; responses are placed by their submission instant. Default <see cref="PeriodGranularity.None"/>.</summary>
    public PeriodGranularity Period { get; init; } = PeriodGranularity.None;

    /// <summary>Time zone in which days, ISO weeks (Monday 00:00) and months begin. Default UTC.</summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;

    /// <summary>Inclusive start of the report range; null (default) = from the earliest response or send.</summary>
    public Instant? From { get; init; }

    /// <summary>Exclusive end of the report range; null (default) = up to the latest response or send.</summary>
    public Instant? To { get; init; }

    /// <summary>An instrument's figures in a group and period with fewer responses than this are flagged small (shown, never hidden). Default 30.</summary>
    public int MinimumN { get; init; } = 30;

    /// <summary>How Cronbach's alpha treats missing answers. Default <see cref="MissingDataRule.Listwise"/>.</summary>
    public MissingDataRule AlphaMissingData { get; init; } = MissingDataRule.Listwise;

    /// <summary>
    /// Overrides the lowest rating counted as satisfied for every CSAT instrument reported; null (default) = the
    /// instrument's own <see cref="SurveyInstrument.SatisfiedMinimum"/>, else the top two boxes (top box for 2- and
    /// 3-point scales). Must lie on each CSAT scale above its lowest value; combine with <see cref="Instruments"/>
    /// when scales differ.
    /// </summary>
    public int? CsatSatisfiedMinimum { get; init; }

    /// <summary>How the 95% interval of an NPS is computed. Default <see cref="NpsIntervalMethod.AdjustedWald"/>.</summary>
    public NpsIntervalMethod NpsInterval { get; init; } = NpsIntervalMethod.AdjustedWald;

    /// <summary>Two periods whose figures are compared with significance tests; null (default) = no comparison.</summary>
    public SurveyPeriodComparison? Comparison { get; init; }

    /// <summary>A change is marked significant when its two-sided p-value is below this. Default 0.05.</summary>
    public double SignificanceLevel { get; init; } = 0.05;

    /// <summary>Throws when the options contradict themselves.</summary>
    public void Validate()
    {
        Guard.NotNull(Instruments);
        Guard.NotNull(GroupBy);
        Guard.NotNull(TimeZone);
        Guard.InRange(GroupBy.Distinct().Count() == GroupBy.Count, "a dimension appears once", nameof(GroupBy));
        Guard.InRange(GroupBy.All(Enum.IsDefined), "known dimensions", nameof(GroupBy));
        Guard.InRange(Enum.IsDefined(Period), "a known period", nameof(Period));
        Guard.InRange(Enum.IsDefined(AlphaMissingData), "a known missing-data rule", nameof(AlphaMissingData));
        Guard.InRange(Enum.IsDefined(NpsInterval), "a known NPS interval method", nameof(NpsInterval));
        Guard.InRange(From is null || To is null || From.Value < To.Value, "From lies before To", nameof(From));
        Guard.InRange(MinimumN >= 0, "minimum n is not negative", nameof(MinimumN));
        Guard.InRange(SignificanceLevel is > 0 and < 1, "a significance level lies in (0, 1)", nameof(SignificanceLevel));
        Comparison?.Validate();
    }
}
