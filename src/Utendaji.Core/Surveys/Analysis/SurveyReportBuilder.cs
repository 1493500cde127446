using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;

namespace Utendaji.Core.Surveys.Analysis;

/// <summary>
/// Aggregates survey responses into the survey report. Enumerates the responses once (they may stream from the
/// store), then the sends once, keeping only mergeable partials per group × period × instrument: counts, moments
/// and item covariances, never the responses themselves. Pure: no I/O, no clock.
/// </summary>
/// <remarks>
/// A response is placed in the period of its submission instant; a send in the period of its send instant. Periods
/// and ISO weeks are those of the KPI report (<see cref="KpiReportBuilder"/>), so survey and ticket figures of the
/// same group and period line up.
/// </remarks>
public static class SurveyReportBuilder
{
    /// <summary>Builds the report.</summary>
    /// <param name="responses">Responses in any order; enumerated exactly once.</param>
    /// <param name="instruments">The instruments the responses answer (ids unique). Responses to other instruments are counted in <see cref="SurveyReport.UnknownInstrumentResponses"/>.</param>
    /// <param name="options">Instruments, grouping, periods, range, thresholds and methods.</param>
    /// <param name="sends">Sends, for the response rate; null when not recorded. Enumerated once, after the responses.</param>
    /// <param name="cancellationToken">Checked every few thousand responses.</param>
    /// <exception cref="ArgumentException">An instrument is malformed for analysis, ids repeat, the filter names an unknown instrument, or a CSAT threshold is off its scale.</exception>
    public static SurveyReport Build(
        IEnumerable<SurveyResponse> responses,
        IReadOnlyList<SurveyInstrument> instruments,
        SurveyReportOptions options,
        IEnumerable<SurveySend>? sends = null,
        CancellationToken cancellationToken = default) =>
        Build(responses, instruments, options, sends?.Select(s => new AttributedSend(s, null, [])), attributed: false, cancellationToken);

    /// <summary>
    /// Builds the report with sends attributed to the team and agents of the ticket they follow, so that the
    /// response rate is also given per team and per agent (sends themselves carry only channel and language).
    /// </summary>
    /// <param name="responses">Responses in any order; enumerated exactly once.</param>
    /// <param name="instruments">The instruments the responses answer (ids unique).</param>
    /// <param name="options">Instruments, grouping, periods, range, thresholds and methods.</param>
    /// <param name="sends">Sends with their attribution; enumerated once, after the responses.</param>
    /// <param name="cancellationToken">Checked every few thousand rows.</param>
    /// <exception cref="ArgumentException">As <see cref="Build(IEnumerable{SurveyResponse}, IReadOnlyList{SurveyInstrument}, SurveyReportOptions, IEnumerable{SurveySend}?, CancellationToken)"/>.</exception>
    public static SurveyReport BuildAttributed(
        IEnumerable<SurveyResponse> responses,
        IReadOnlyList<SurveyInstrument> instruments,
        SurveyReportOptions options,
        IEnumerable<AttributedSend> sends,
        CancellationToken cancellationToken = default) =>
        Build(responses, instruments, options, Guard.NotNull(sends), attributed: true, cancellationToken);

    private static SurveyReport Build(
        IEnumerable<SurveyResponse> responses,
        IReadOnlyList<SurveyInstrument> instruments,
        SurveyReportOptions options,
        IEnumerable<AttributedSend>? sends,
        bool attributed,
        CancellationToken cancellationToken)
    {
        Guard.NotNull(responses);
        Guard.NotNull(instruments);
        Guard.NotNull(options);
        options.Validate();

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            Guard.NotNull(instrument);
            Guard.InRange(known.Add(instrument.Id), $"instrument id '{instrument.Id}' is unique", nameof(instruments));
        }

        foreach (var id in options.Instruments)
        {
            Guard.InRange(known.Contains(id), $"the instrument filter names a given instrument ('{id}')", nameof(options));
        }

        var wanted = options.Instruments.Count == 0 ? null : new HashSet<string>(options.Instruments, StringComparer.Ordinal);
        var layouts = new List<InstrumentLayout>();
        foreach (var instrument in instruments)
        {
            if (wanted is null || wanted.Contains(instrument.Id))
            {
                layouts.Add(new InstrumentLayout(instrument, layouts.Count, options));
            }
        }

        var byId = layouts.ToDictionary(l => l.Instrument.Id, StringComparer.Ordinal);
        var state = new BuildState(options, layouts, attributed);
        var numbers = new double[layouts.Count == 0 ? 0 : layouts.Max(l => l.Questions.Length)];
        long unknown = 0;
        var seen = 0;

        foreach (var response in responses)
        {
            if ((++seen & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Guard.NotNull(response);
            if (!byId.TryGetValue(response.InstrumentId, out var layout))
            {
                if (!known.Contains(response.InstrumentId))
                {
                    unknown++;
                }

                continue;
            }

            if (sends is not null && response.SendId is { } sendId)
            {
                state.Responded.Add(sendId);
            }

            var key = KeyOf(response, options.GroupBy);
            var at = response.SubmittedAt;
            if (state.Calendar.InRange(at))
            {
                state.Track(at);
                state.Cell(key, state.Calendar.PeriodOf(at), layout).Add(layout, response, numbers);
            }

            if (options.Comparison is { } comparison)
            {
                if (at >= comparison.BaselineStart && at < comparison.BaselineEnd)
                {
                    state.ComparisonCell(key, current: false, layout).Add(layout, response, numbers);
                }
                else if (at >= comparison.CurrentStart && at < comparison.CurrentEnd)
                {
                    state.ComparisonCell(key, current: true, layout).Add(layout, response, numbers);
                }
            }
        }

        if (sends is not null)
        {
            var sendIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var attributedSend in sends)
            {
                if ((++seen & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Guard.NotNull(attributedSend);
                var send = Guard.NotNull(attributedSend.Send);
                // A send recorded twice is one send; an unknown or filtered instrument has no row to go to.
                if (!byId.TryGetValue(send.InstrumentId, out var layout) || !sendIds.Add(send.SendId) || !state.Calendar.InRange(send.SentAt))
                {
                    continue;
                }

                state.Track(send.SentAt);
                var period = state.Calendar.PeriodOf(send.SentAt);
                var responded = state.Responded.Contains(send.SendId);
                state.AddSendToTotals(period, layout.Index, responded);
                if (!state.SendsGroupable)
                {
                    continue;
                }

                // Like a response credited to several agents, a send counts once for each credited agent, and once
                // without an agent when nobody is credited, so each agent's rate is over the sends of their tickets.
                if (!options.GroupBy.Contains(SurveyGroupDimension.Agent) || attributedSend.Agents.Count == 0)
                {
                    state.AddSend(KeyOf(attributedSend, null, options.GroupBy), period, layout.Index, responded);
                    continue;
                }

                foreach (var agent in attributedSend.Agents)
                {
                    state.AddSend(KeyOf(attributedSend, agent, options.GroupBy), period, layout.Index, responded);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Assemble(state, sends is not null, unknown);
    }

    private static SurveyReport Assemble(BuildState state, bool haveSends, long unknown)
    {
        var options = state.Options;
        var layouts = state.Layouts;
        var periods = state.Calendar.Periods(state.MinPlaced, state.MaxPlaced);
        var range = state.Calendar.Range(periods);
        var minimumN = options.MinimumN;

        // Response rate lookups: per (group, period) only when sends carry every grouping dimension; totals always.
        // Roll-ups are summed once here rather than per row.
        var sendsByKey = new Dictionary<GroupKey, Proportion[]>();
        var sendsByPeriod = new Dictionary<LocalDate, Proportion[]>();
        var sendsOverall = new Proportion[layouts.Count];
        foreach (var ((sendKey, _), counts) in state.Sends)
        {
            var byKey = sendsByKey.TryGetValue(sendKey, out var k) ? k : sendsByKey[sendKey] = new Proportion[layouts.Count];
            for (var i = 0; i < counts.Length; i++)
            {
                byKey[i] += counts[i];
            }
        }

        // Totals come from each send once, even when it counts for several credited agents.
        foreach (var (sendPeriod, counts) in state.SendTotals)
        {
            var byPeriodCounts = sendsByPeriod.TryGetValue(sendPeriod, out var pc) ? pc : sendsByPeriod[sendPeriod] = new Proportion[layouts.Count];
            for (var i = 0; i < counts.Length; i++)
            {
                byPeriodCounts[i] += counts[i];
                sendsOverall[i] += counts[i];
            }
        }

        Proportion? Rate(GroupKey? key, LocalDate? period, int instrument)
        {
            if (!haveSends || (key is not null && !state.SendsGroupable))
            {
                return null;
            }

            Proportion[]? counts = (key, period) switch
            {
                (null, null) => sendsOverall,
                (null, { } p) => sendsByPeriod.GetValueOrDefault(p),
                ({ } g, null) => sendsByKey.GetValueOrDefault(g),
                ({ } g, { } p) => state.Sends.GetValueOrDefault((g, p)),
            };
            return counts?[instrument] ?? default(Proportion);
        }

        var keys = new SortedSet<GroupKey>(state.Groups.Keys);
        if (state.SendsGroupable)
        {
            keys.UnionWith(state.Sends.Keys.Select(k => k.Key));
        }

        var rows = new List<SurveyRow>();
        var byGroup = new List<SurveyRow>();
        var overallCells = new InstrumentCell?[layouts.Count];
        var periodCells = new InstrumentCell?[periods.Count][];
        for (var p = 0; p < periods.Count; p++)
        {
            periodCells[p] = new InstrumentCell?[layouts.Count];
        }

        foreach (var key in keys)
        {
            var cells = state.Groups.TryGetValue(key, out var g) ? g : [];
            var present = layouts
                .Where(l => cells.Values.Any(c => c[l.Index] is not null) || (state.SendsGroupable && sendsByKey.TryGetValue(key, out var sent) && sent[l.Index].Trials > 0))
                .ToArray();
            if (present.Length == 0)
            {
                continue;
            }

            var totals = new InstrumentCell?[layouts.Count];
            for (var p = 0; p < periods.Count; p++)
            {
                var slot = periods[p];
                var periodCell = cells.TryGetValue(slot.Key, out var c) ? c : new InstrumentCell?[layouts.Count];
                var figures = new List<InstrumentFigures>(present.Length);
                foreach (var layout in present)
                {
                    var cell = periodCell[layout.Index] ?? new InstrumentCell(layout);
                    figures.Add(cell.Figures(layout, Rate(key, slot.Key, layout.Index), minimumN));
                    MergeInto(totals, layout, cell);
                    MergeInto(periodCells[p], layout, cell);
                }

                rows.Add(new SurveyRow(key, slot.Period, figures));
            }

            byGroup.Add(new SurveyRow(key, range, present.Select(l => Figures(totals, l, Rate(key, null, l.Index), minimumN)).ToArray()));
            foreach (var layout in present)
            {
                MergeInto(overallCells, layout, totals[layout.Index] ?? new InstrumentCell(layout));
            }
        }

        var overallPresent = layouts.Where(l => overallCells[l.Index] is not null).ToArray();
        List<SurveyRow> byPeriod;
        if (options.GroupBy.Count == 0)
        {
            byPeriod = rows; // one total group: its rows already are the per-period totals
        }
        else
        {
            byPeriod = new List<SurveyRow>(periods.Count);
            for (var p = 0; p < periods.Count; p++)
            {
                var cells = periodCells[p];
                byPeriod.Add(new SurveyRow(
                    GroupKey.Total,
                    periods[p].Period,
                    overallPresent.Select(l => Figures(cells, l, Rate(null, periods[p].Key, l.Index), minimumN)).ToArray()));
            }
        }

        var overall = new SurveyRow(GroupKey.Total, range, overallPresent.Select(l => Figures(overallCells, l, Rate(null, null, l.Index), minimumN)).ToArray());
        return new SurveyReport
        {
            Options = options,
            Periods = periods.Select(p => p.Period).ToArray(),
            Range = range,
            Rows = rows,
            ByGroup = byGroup,
            ByPeriod = byPeriod,
            Overall = overall,
            Comparison = options.Comparison is { } comparison ? Compare(state, comparison) : null,
            UnknownInstrumentResponses = unknown,
        };
    }

    private static InstrumentFigures Figures(InstrumentCell?[] cells, InstrumentLayout layout, Proportion? rate, int minimumN) =>
        (cells[layout.Index] ?? new InstrumentCell(layout)).Figures(layout, rate, minimumN);

    private static void MergeInto(InstrumentCell?[] target, InstrumentLayout layout, InstrumentCell cell) =>
        (target[layout.Index] ??= new InstrumentCell(layout)).Merge(cell);

    private static SurveyComparison Compare(BuildState state, SurveyPeriodComparison comparison)
    {
        var options = state.Options;
        var layouts = state.Layouts;
        var groups = new List<(GroupKey Key, InstrumentCell?[] Baseline, InstrumentCell?[] Current)>();
        var totalBaseline = new InstrumentCell?[layouts.Count];
        var totalCurrent = new InstrumentCell?[layouts.Count];
        foreach (var (key, (baseline, current)) in state.Comparison.OrderBy(g => g.Key))
        {
            foreach (var layout in layouts)
            {
                if (baseline[layout.Index] is { } b)
                {
                    MergeInto(totalBaseline, layout, b);
                }

                if (current[layout.Index] is { } c)
                {
                    MergeInto(totalCurrent, layout, c);
                }
            }

            groups.Add((key, baseline, current));
        }

        if (options.GroupBy.Count > 0 || groups.Count == 0)
        {
            groups.Insert(0, (GroupKey.Total, totalBaseline, totalCurrent));
        }

        var result = new List<GroupChange>(groups.Count);
        foreach (var (key, baseline, current) in groups)
        {
            var instruments = new List<InstrumentChange>();
            foreach (var layout in layouts)
            {
                if (baseline[layout.Index] is null && current[layout.Index] is null)
                {
                    continue;
                }

                var b = baseline[layout.Index] ?? new InstrumentCell(layout);
                var c = current[layout.Index] ?? new InstrumentCell(layout);
                instruments.Add(new InstrumentChange(
                    layout.Instrument.Id,
                    b.Figures(layout, null, options.MinimumN),
                    c.Figures(layout, null, options.MinimumN),
                    Changes(layout, b, c, options.SignificanceLevel)));
            }

            result.Add(new GroupChange(key, instruments));
        }

        return new SurveyComparison(
            new ReportPeriod("baseline", comparison.BaselineStart, comparison.BaselineEnd),
            new ReportPeriod("current", comparison.CurrentStart, comparison.CurrentEnd),
            options.SignificanceLevel,
            result);
    }

    private static List<FigureChange> Changes(InstrumentLayout layout, InstrumentCell baseline, InstrumentCell current, double level)
    {
        var changes = new List<FigureChange>();
        for (var q = 0; q < layout.Questions.Length; q++)
        {
            var plan = layout.Questions[q];
            var b = baseline.Questions[q];
            var c = current.Questions[q];
            if (plan.SatisfiedMinimum is not null)
            {
                changes.Add(RateChange(ChangeFigure.CsatSatisfied, plan.Id, b.Satisfied, c.Satisfied, level));
            }

            if (plan.Type == QuestionType.Nps)
            {
                var test = ChangeTests.NpsDifference(b.Nps, c.Nps);
                changes.Add(Change(ChangeFigure.NpsScore, plan.Id, null, null, b.Nps.Total, b.Nps.Score, c.Nps.Total, c.Nps.Score, test, level));
                changes.Add(RateChange(ChangeFigure.NpsPromoters, plan.Id, new Proportion(b.Nps.Promoters, b.Nps.Total), new Proportion(c.Nps.Promoters, c.Nps.Total), level));
                changes.Add(RateChange(ChangeFigure.NpsDetractors, plan.Id, new Proportion(b.Nps.Detractors, b.Nps.Total), new Proportion(c.Nps.Detractors, c.Nps.Total), level));
            }

            if (plan.AgreeMinimum is not null)
            {
                changes.Add(MeanChange(ChangeFigure.CesMean, plan.Id, null, null, b.Moments, c.Moments, level));
                changes.Add(RateChange(ChangeFigure.CesAgreeing, plan.Id, b.Agreeing, c.Agreeing, level));
            }
        }

        if (layout.Servqual is { } servqual)
        {
            var bs = baseline.Servqual!;
            var cs = current.Servqual!;
            foreach (var k in servqual.DifferenceScales)
            {
                var scale = servqual.Scales[k];
                for (var d = 0; d < servqual.Dimensions.Length; d++)
                {
                    if (servqual.DimensionScaleItems[d][k].Length > 0)
                    {
                        changes.Add(MeanChange(ChangeFigure.ServqualDimension, null, servqual.Dimensions[d].Dimension, scale, bs.Dimension(d, k), cs.Dimension(d, k), level));
                    }
                }

                changes.Add(MeanChange(ChangeFigure.ServqualOverall, null, null, scale, bs.Overall(k), cs.Overall(k), level));
                if (servqual.WeightsComplete)
                {
                    changes.Add(MeanChange(ChangeFigure.ServqualWeighted, null, null, scale, bs.Weighted(k), cs.Weighted(k), level));
                }
            }
        }

        return changes;
    }

    private static FigureChange RateChange(ChangeFigure figure, string questionId, Proportion baseline, Proportion current, double level) =>
        Change(figure, questionId, null, null, baseline.Trials, baseline.Rate, current.Trials, current.Rate, ChangeTests.TwoProportions(baseline, current), level);

    private static FigureChange MeanChange(ChangeFigure figure, string? questionId, ServqualDimension? dimension, ServqualScale? scale, SampleMoments baseline, SampleMoments current, double level) =>
        Change(
            figure,
            questionId,
            dimension,
            scale,
            baseline.Count,
            baseline.Count == 0 ? null : baseline.Mean,
            current.Count,
            current.Count == 0 ? null : current.Mean,
            ChangeTests.Welch(baseline, current),
            level);

    private static FigureChange Change(
        ChangeFigure figure,
        string? questionId,
        ServqualDimension? dimension,
        ServqualScale? scale,
        long baselineN,
        double? baseline,
        long currentN,
        double? current,
        SignificanceTest? test,
        double level) =>
        new(figure, questionId, dimension, scale, baselineN, baseline, currentN, current, current - baseline, test, test?.IsSignificant(level) ?? false);

    private static GroupKey KeyOf(SurveyResponse response, IReadOnlyList<SurveyGroupDimension> dimensions)
    {
        if (dimensions.Count == 0)
        {
            return GroupKey.Total;
        }

        var values = new string?[dimensions.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = dimensions[i] switch
            {
                SurveyGroupDimension.Team => response.Team,
                SurveyGroupDimension.Agent => response.Agent,
                SurveyGroupDimension.Channel => response.Channel,
                _ => response.Language,
            };
        }

        return new GroupKey(values);
    }

    private static GroupKey KeyOf(AttributedSend send, string? agent, IReadOnlyList<SurveyGroupDimension> dimensions) =>
        dimensions.Count == 0
            ? GroupKey.Total
            : new GroupKey(dimensions.Select(d => d switch
            {
                SurveyGroupDimension.Team => send.Team,
                SurveyGroupDimension.Agent => agent,
                SurveyGroupDimension.Channel => send.Send.Channel,
                _ => send.Send.Language,
            }));

    /// <summary>Everything one build accumulates.</summary>
    private sealed class BuildState(SurveyReportOptions options, List<InstrumentLayout> layouts, bool attributed)
    {
        public SurveyReportOptions Options { get; } = options;

        public List<InstrumentLayout> Layouts { get; } = layouts;

        public KpiReportBuilder.PeriodCalendar Calendar { get; } = new(new KpiReportOptions
        {
            Period = options.Period,
            TimeZone = options.TimeZone,
            From = options.From,
            To = options.To,
        });

        /// <summary>
        /// Sends carry channel and language only: grouping by team or agent needs them attributed to their tickets,
        /// else the rate is left to the totals.
        /// </summary>
        public bool SendsGroupable { get; } = attributed || options.GroupBy.All(d => d is SurveyGroupDimension.Channel or SurveyGroupDimension.Language);

        public Dictionary<GroupKey, Dictionary<LocalDate, InstrumentCell?[]>> Groups { get; } = [];

        public Dictionary<GroupKey, (InstrumentCell?[] Baseline, InstrumentCell?[] Current)> Comparison { get; } = [];

        /// <summary>Send counts per group and period; a send credited to several agents is in several groups.</summary>
        public Dictionary<(GroupKey Key, LocalDate Period), Proportion[]> Sends { get; } = [];

        /// <summary>Send counts per period, each send once.</summary>
        public Dictionary<LocalDate, Proportion[]> SendTotals { get; } = [];

        public HashSet<string> Responded { get; } = new(StringComparer.Ordinal);

        public Instant? MinPlaced { get; private set; }

        public Instant? MaxPlaced { get; private set; }

        public void Track(Instant at)
        {
            if (MinPlaced is null || at < MinPlaced.Value)
            {
                MinPlaced = at;
            }

            if (MaxPlaced is null || at > MaxPlaced.Value)
            {
                MaxPlaced = at;
            }
        }

        public InstrumentCell Cell(GroupKey key, LocalDate period, InstrumentLayout layout)
        {
            if (!Groups.TryGetValue(key, out var periods))
            {
                periods = [];
                Groups.Add(key, periods);
            }

            if (!periods.TryGetValue(period, out var cells))
            {
                cells = new InstrumentCell?[Layouts.Count];
                periods.Add(period, cells);
            }

            return cells[layout.Index] ??= new InstrumentCell(layout);
        }

        public InstrumentCell ComparisonCell(GroupKey key, bool current, InstrumentLayout layout)
        {
            if (!Comparison.TryGetValue(key, out var pair))
            {
                pair = (new InstrumentCell?[Layouts.Count], new InstrumentCell?[Layouts.Count]);
                Comparison.Add(key, pair);
            }

            var cells = current ? pair.Current : pair.Baseline;
            return cells[layout.Index] ??= new InstrumentCell(layout);
        }

        public void AddSendToTotals(LocalDate period, int instrument, bool responded)
        {
            if (!SendTotals.TryGetValue(period, out var counts))
            {
                counts = new Proportion[Layouts.Count];
                SendTotals.Add(period, counts);
            }

            counts[instrument] = counts[instrument].Add(responded);
        }

        public void AddSend(GroupKey key, LocalDate period, int instrument, bool responded)
        {
            if (!Sends.TryGetValue((key, period), out var counts))
            {
                counts = new Proportion[Layouts.Count];
                Sends.Add((key, period), counts);
            }

            counts[instrument] = counts[instrument].Add(responded);
        }
    }
}
