using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Surveys;

/// <summary>The survey figures shown beside one KPI row.</summary>
/// <param name="Csat">Satisfied among CSAT ratings with n and Wilson interval; n = 0 when the survey has no ratings for the row.</param>
/// <param name="Nps">NPS with n and interval; n = 0 when the survey has no NPS answers for the row.</param>
public sealed record SurveyColumnFigures(Proportion Csat, NpsEstimate Nps);

/// <summary>
/// CSAT and NPS from a survey report, looked up by the group values and period label of KPI report rows, so that the
/// KPI renderers can show customer-perceived figures beside the ticket KPIs of the same group and period. Built
/// once by <see cref="For"/>, which checks that the two reports group and split time alike.
/// </summary>
/// <remarks>
/// Rows match on group values (ordinal) and period label; totals over groups match the survey's totals, the range
/// row ("all") the survey's range row. For the spans to coincide, build the survey report with the KPI report's
/// range (<c>From = kpi.Range.Start, To = kpi.Range.End</c>); labels of clipped first and last periods are equal
/// even when their clipping differs.
/// </remarks>
public sealed class SurveyColumns
{
    private readonly Dictionary<(GroupKey Group, string Period), SurveyColumnFigures> _figures;
    private readonly SurveyColumnFigures _empty;

    private SurveyColumns(Dictionary<(GroupKey, string), SurveyColumnFigures> figures, int minimumN)
    {
        _figures = figures;
        MinimumN = minimumN;
        _empty = new SurveyColumnFigures(default, NpsEstimate.From(default));
    }

    /// <summary>The CSAT instrument the columns come from; null when the survey report has none.</summary>
    public string? CsatInstrumentId { get; private init; }

    /// <summary>The CSAT question.</summary>
    public string? CsatQuestionId { get; private init; }

    /// <summary>The lowest rating counted as satisfied on that question.</summary>
    public int? CsatSatisfiedMinimum { get; private init; }

    /// <summary>The NPS instrument the columns come from; null when the survey report has none.</summary>
    public string? NpsInstrumentId { get; private init; }

    /// <summary>The NPS question.</summary>
    public string? NpsQuestionId { get; private init; }

    /// <summary>How the NPS interval was computed.</summary>
    public NpsIntervalMethod NpsInterval { get; private init; }

    /// <summary>The survey report's minimum n: figures with fewer answers are flagged small.</summary>
    public int MinimumN { get; }

    /// <summary>
    /// The columns for <paramref name="kpi"/> from <paramref name="survey"/>. CSAT comes from
    /// <paramref name="csatInstrumentId"/> (default: the first instrument of the survey report with a CSAT figure) and
    /// its first CSAT question; NPS from <paramref name="npsInstrumentId"/> (default: the first with an NPS question).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The reports do not line up: different group-by dimensions or order (the KPI report's priority has no survey
    /// counterpart), a different period length or time zone.
    /// </exception>
    public static SurveyColumns For(KpiReport kpi, SurveyReport survey, string? csatInstrumentId = null, string? npsInstrumentId = null)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        ArgumentNullException.ThrowIfNull(survey);
        var k = kpi.Options;
        var s = survey.Options;
        var kpiGroups = string.Join(",", k.GroupBy.Select(Format.DimensionName));
        var surveyGroups = string.Join(",", s.GroupBy.Select(SurveyFormat.DimensionName));
        if (!string.Equals(kpiGroups, surveyGroups, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the survey report groups by [{surveyGroups}] but the KPI report by [{kpiGroups}]; survey columns need the same dimensions in the same order (team, agent, channel, language)", nameof(survey));
        }

        if (k.Period != s.Period)
        {
            throw new ArgumentException($"the survey report's period is {Format.PeriodName(s.Period)} but the KPI report's is {Format.PeriodName(k.Period)}", nameof(survey));
        }

        if (!string.Equals(k.TimeZone.Id, s.TimeZone.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the survey report's time zone is {s.TimeZone.Id} but the KPI report's is {k.TimeZone.Id}", nameof(survey));
        }

        var all = survey.Rows.Concat(survey.ByPeriod).Concat(survey.ByGroup).Append(survey.Overall).ToArray();
        var csatId = csatInstrumentId ?? all.SelectMany(r => r.Instruments).FirstOrDefault(f => f.Csat.Count > 0)?.InstrumentId;
        var npsId = npsInstrumentId ?? all.SelectMany(r => r.Instruments).FirstOrDefault(f => f.Nps.Count > 0)?.InstrumentId;
        var csatSample = all.Select(r => SurveyReportRows.Find(r, csatId ?? string.Empty)).FirstOrDefault(f => f is { Csat.Count: > 0 })?.Csat[0];
        var npsSample = all.Select(r => SurveyReportRows.Find(r, npsId ?? string.Empty)).FirstOrDefault(f => f is { Nps.Count: > 0 })?.Nps[0];

        var figures = new Dictionary<(GroupKey, string), SurveyColumnFigures>();
        foreach (var row in all)
        {
            var csat = csatSample is null ? default : SurveyReportRows.Find(row, csatId!)?.Csat.FirstOrDefault(c => c.QuestionId == csatSample.QuestionId)?.Satisfied ?? default;
            var nps = (npsSample is null ? null : SurveyReportRows.Find(row, npsId!)?.Nps.FirstOrDefault(n => n.QuestionId == npsSample.QuestionId)?.Estimate)
                ?? NpsEstimate.From(default, s.NpsInterval);

            // Rows and roll-ups with equal keys hold equal figures (one period = the range; no grouping = the total).
            figures.TryAdd((row.Group, row.Period.Label), new SurveyColumnFigures(csat, nps));
        }

        return new SurveyColumns(figures, s.MinimumN)
        {
            CsatInstrumentId = csatSample is null ? null : csatId,
            CsatQuestionId = csatSample?.QuestionId,
            CsatSatisfiedMinimum = csatSample?.SatisfiedMinimum,
            NpsInstrumentId = npsSample is null ? null : npsId,
            NpsQuestionId = npsSample?.QuestionId,
            NpsInterval = s.NpsInterval,
        };
    }

    /// <summary>The survey figures of the KPI row's group and period; n = 0 figures when the survey has none there.</summary>
    public SurveyColumnFigures Find(KpiRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Find(row.Group, row.Period.Label);
    }

    /// <summary>The survey figures of a group and period label; n = 0 figures when the survey has none there.</summary>
    public SurveyColumnFigures Find(GroupKey group, string periodLabel)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(periodLabel);
        return _figures.TryGetValue((group, periodLabel), out var figures) ? figures : _empty;
    }

    /// <summary>"csat-5 · csat ≥ 4", or "none" without CSAT data.</summary>
    internal string CsatSource => CsatInstrumentId is null ? "none" : $"{CsatInstrumentId} · {CsatQuestionId} ≥ {CsatSatisfiedMinimum}";

    /// <summary>"nps · nps", or "none" without NPS data.</summary>
    internal string NpsSource => NpsInstrumentId is null ? "none" : $"{NpsInstrumentId} · {NpsQuestionId}";
}
