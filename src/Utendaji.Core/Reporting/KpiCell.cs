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
    public Proportion SlaFirstReply;
    public Proportion SlaNextReply;
    public Proportion SlaResolution;
    public Proportion FirstContact;
    public Proportion Reopened;
    public Proportion Satisfied;

    public bool IsEmpty =>
        Created == 0 && Solved == 0 && FirstReplyBusiness.Count == 0 && ResolutionBusiness.Count == 0
        && SlaFirstReply.Trials == 0 && SlaNextReply.Trials == 0 && SlaResolution.Trials == 0
        && FirstContact.Trials == 0 && Reopened.Trials == 0 && Satisfied.Trials == 0;

    /// <summary>Makes room in the samples for merging <paramref name="cells"/>, so each merge copies its values once.</summary>
    public void Reserve(IEnumerable<KpiCell> cells)
    {
        int firstReply = FirstReplyBusiness.Count, resolution = ResolutionBusiness.Count;
        foreach (var cell in cells)
        {
            firstReply += cell.FirstReplyBusiness.Count;
            resolution += cell.ResolutionBusiness.Count;
        }

        FirstReplyBusiness.EnsureCapacity(firstReply);
        FirstReplyCalendar.EnsureCapacity(firstReply);
        ResolutionBusiness.EnsureCapacity(resolution);
        ResolutionCalendar.EnsureCapacity(resolution);
    }

    public void Merge(KpiCell other)
    {
        Created += other.Created;
        Solved += other.Solved;
        FirstReplyBusiness.Merge(other.FirstReplyBusiness);
        FirstReplyCalendar.Merge(other.FirstReplyCalendar);
        ResolutionBusiness.Merge(other.ResolutionBusiness);
        ResolutionCalendar.Merge(other.ResolutionCalendar);
        SlaFirstReply += other.SlaFirstReply;
        SlaNextReply += other.SlaNextReply;
        SlaResolution += other.SlaResolution;
        FirstContact += other.FirstContact;
        Reopened += other.Reopened;
        Satisfied += other.Satisfied;
    }

    public KpiFigures Summarize(long backlog, QuantileDefinition definition) => new(
        Created,
        Solved,
        backlog,
        new DurationFigures(FirstReplyBusiness.Summarize(definition), FirstReplyCalendar.Summarize(definition)),
        new DurationFigures(ResolutionBusiness.Summarize(definition), ResolutionCalendar.Summarize(definition)),
        SlaFirstReply,
        SlaNextReply,
        SlaResolution,
        FirstContact,
        Reopened,
        Satisfied);
}
