using Utendaji.Core.Statistics;

namespace Utendaji.Core.Reporting;

/// <summary>The mergeable partial of one group × period: counts, proportions and the duration samples.</summary>
internal sealed class KpiCell
{
    public long Created;
    public long Solved;
    public readonly SampleAccumulator FirstReplyBusiness = new();
    public readonly SampleAccumulator FirstReplyCalendar = new();
    public readonly SampleAccumulator ResolutionBusiness = new();
    public readonly SampleAccumulator ResolutionCalendar = new();
    public Tally SlaFirstReply;
    public Tally SlaNextReply;
    public Tally SlaResolution;
    public Tally FirstContact;
    public Tally Reopened;
    public Tally Satisfied;

    public bool IsEmpty =>
        Created == 0 && Solved == 0 && FirstReplyBusiness.Count == 0 && ResolutionBusiness.Count == 0
        && SlaFirstReply.Trials == 0 && SlaNextReply.Trials == 0 && SlaResolution.Trials == 0
        && FirstContact.Trials == 0 && Reopened.Trials == 0 && Satisfied.Trials == 0;

    /// <summary>The duration samples, numbered as <see cref="Figures"/> takes their summaries.</summary>
    public const int Samples = 4;

    /// <summary>Duration sample <paramref name="index"/>: first reply business, calendar, resolution business, calendar.</summary>
    public SampleAccumulator Sample(int index) => index switch
    {
        0 => FirstReplyBusiness,
        1 => FirstReplyCalendar,
        2 => ResolutionBusiness,
        3 => ResolutionCalendar,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "a cell has four duration samples"),
    };

    /// <summary>
    /// The figures of the cells together (a total), with the summaries of their duration samples already computed
    /// (<see cref="SampleAccumulator.SummarizeUnion"/>, in <see cref="Sample"/> order). Counts and proportions are added;
    /// nothing is copied.
    /// </summary>
    public static KpiFigures Total(IEnumerable<KpiCell> cells, long backlog, IReadOnlyList<SampleSummary> samples)
    {
        var total = new KpiCell();
        foreach (var cell in cells)
        {
            total.Created += cell.Created;
            total.Solved += cell.Solved;
            total.SlaFirstReply.Add(cell.SlaFirstReply);
            total.SlaNextReply.Add(cell.SlaNextReply);
            total.SlaResolution.Add(cell.SlaResolution);
            total.FirstContact.Add(cell.FirstContact);
            total.Reopened.Add(cell.Reopened);
            total.Satisfied.Add(cell.Satisfied);
        }

        return total.Figures(backlog, samples[0], samples[1], samples[2], samples[3]);
    }

    public KpiFigures Summarize(long backlog, QuantileDefinition definition) => Figures(
        backlog,
        FirstReplyBusiness.Summarize(definition),
        FirstReplyCalendar.Summarize(definition),
        ResolutionBusiness.Summarize(definition),
        ResolutionCalendar.Summarize(definition));

    private KpiFigures Figures(long backlog, SampleSummary firstReplyBusiness, SampleSummary firstReplyCalendar, SampleSummary resolutionBusiness, SampleSummary resolutionCalendar) => new(
        Created,
        Solved,
        backlog,
        new DurationFigures(firstReplyBusiness, firstReplyCalendar),
        new DurationFigures(resolutionBusiness, resolutionCalendar),
        SlaFirstReply.ToProportion(),
        SlaNextReply.ToProportion(),
        SlaResolution.ToProportion(),
        FirstContact.ToProportion(),
        Reopened.ToProportion(),
        Satisfied.ToProportion());
}

/// <summary>
/// Successes among trials, counted in place while a report is built (a <see cref="Proportion"/> is immutable and
/// validates every step; this validates what it is given and becomes a proportion once, at the end).
/// </summary>
internal struct Tally
{
    public long Successes;
    public long Trials;

    public void Add(bool success)
    {
        Successes += success ? 1 : 0;
        Trials++;
    }

    /// <summary>Adds met + breached trials of which met succeeded.</summary>
    public void Add(int met, int breached)
    {
        Guard.InRange((met | breached) >= 0, "outcome counts are not negative", nameof(met));
        Successes += met;
        Trials += met + breached;
    }

    public void Add(Tally other)
    {
        Successes += other.Successes;
        Trials += other.Trials;
    }

    public readonly Proportion ToProportion() => new(Successes, Trials);
}
