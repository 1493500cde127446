using System.Runtime.InteropServices;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage;

/// <summary>
/// A block of tickets' facts laid out in columns: the fast read path for aggregations over millions of tickets
/// (the KPI report). Holds only the figures a report groups and aggregates by; everything else is in
/// <see cref="Core.Metrics.TicketFacts"/> through <see cref="IUtendajiStore.ReadFactsAsync"/>.
/// </summary>
/// <remarks>
/// Missing values are sentinels so the columns stay flat arrays: instants <see cref="NoInstant"/>, durations
/// <see cref="double.NaN"/>, satisfaction 0, label code 0. The store reuses one batch object while streaming:
/// its contents are valid until the enumeration moves on; copy what you keep.
/// <para>
/// Every store fills every column; a store reading SQL columns maps them as <c>FactsBatchReader</c> (SQLite) does:
/// durations are <c>Duration.FromTicks(ticks).TotalSeconds</c> (not ticks / 10⁷, which differs in the last bit for
/// durations of a day or more); <see cref="FirstSolvedAt"/> is <c>TicketFacts.FirstSolvedAt</c>;
/// <see cref="ResolutionSlaDue"/> and <see cref="ResolutionSlaOtherDues"/> come from the decided (met or breached)
/// resolution outcomes of <c>TicketFacts.Sla</c> as <see cref="AddResolutionDues"/> sets them. Rows come in creation
/// order (<c>created_at, ticket_id</c>), the order of <see cref="IUtendajiStore.ReadFactsAsync"/>, so a report built
/// from batches is identical to one built from records, floating-point means included.
/// </para>
/// </remarks>
public sealed class FactsBatch
{
    /// <summary>The value of an instant column where the instant is not known (e.g. not solved).</summary>
    public const long NoInstant = long.MinValue;

    private readonly LabelTable _labels;
    private ArraySegment<string?> _labelSnapshot;

    /// <param name="capacity">Rows per batch.</param>
    /// <param name="labels">The label table to share with the other batches of one enumeration (so codes agree), or null for a new one.</param>
    internal FactsBatch(int capacity, LabelTable? labels = null)
    {
        _labels = labels ?? new LabelTable();
        _labelSnapshot = _labels.Snapshot();
        Capacity = capacity;
        CreatedAtTicks = new long[capacity];
        SolvedAtTicks = new long[capacity];
        FirstSolvedAtTicks = new long[capacity];
        ResolutionDueTicks = new long[capacity];
        StatusColumn = new TicketStatus[capacity];
        TeamColumn = new int[capacity];
        ChannelColumn = new int[capacity];
        AgentColumn = new int[capacity];
        PriorityColumn = new int[capacity];
        LanguageColumn = new int[capacity];
        Durations = new double[(int)FactsDuration.Count][];
        for (var i = 0; i < Durations.Length; i++)
        {
            Durations[i] = new double[capacity];
        }

        AgentRepliesColumn = new int[capacity];
        ReopensColumn = new int[capacity];
        OneTouchColumn = new bool?[capacity];
        FirstContactColumn = new bool?[capacity];
        SatisfactionColumn = new byte[capacity];
        SlaColumns = new int[6][];
        for (var i = 0; i < SlaColumns.Length; i++)
        {
            SlaColumns[i] = new int[capacity];
        }
    }

    /// <summary>Rows in this batch.</summary>
    public int Count
    {
        get;
        internal set
        {
            field = value;
            _labelSnapshot = _labels.Snapshot(); // every code of these rows is in it; later additions are not needed
        }
    }

    /// <summary>The most rows a batch holds.</summary>
    public int Capacity { get; }

    /// <summary>
    /// The text behind the label codes of <see cref="Team"/>, <see cref="Channel"/>, <see cref="Agent"/>,
    /// <see cref="Priority"/> and <see cref="Language"/>: one table for all of them, code 0 is null. Codes are
    /// stable for the whole enumeration (the table only grows), so groups can be keyed by code.
    /// </summary>
    public IReadOnlyList<string?> Labels => _labelSnapshot;

    /// <summary>Creation instants, Unix ticks (100 ns).</summary>
    public ReadOnlySpan<long> CreatedAt => CreatedAtTicks.AsSpan(0, Count);

    /// <summary>Final-solve instants, Unix ticks, or <see cref="NoInstant"/> when the ticket is not solved now.</summary>
    public ReadOnlySpan<long> SolvedAt => SolvedAtTicks.AsSpan(0, Count);

    /// <summary>First-solve instants, Unix ticks, or <see cref="NoInstant"/> when the ticket was never solved.</summary>
    public ReadOnlySpan<long> FirstSolvedAt => FirstSolvedAtTicks.AsSpan(0, Count);

    /// <summary>
    /// Due instant (Unix ticks) of the ticket's first decided (met or breached) resolution SLA outcome in
    /// <c>TicketFacts.Sla</c> order, or <see cref="NoInstant"/> when it has none. The KPI report places a resolution
    /// breach of a ticket never solved at this instant.
    /// </summary>
    public ReadOnlySpan<long> ResolutionSlaDue => ResolutionDueTicks.AsSpan(0, Count);

    /// <summary>
    /// For the rare tickets whose decided resolution outcomes fall due at more than one instant (several SLA
    /// policies): one entry per further due instant (in order of first appearance) with the met and breached outcomes
    /// due then. Those outcomes are also counted in <see cref="SlaCount"/>. Rows ascending.
    /// </summary>
    public ReadOnlySpan<KpiDueOutcomes> ResolutionSlaOtherDues => CollectionsMarshal.AsSpan(OtherDues);

    /// <summary>Status after the last known event.</summary>
    public ReadOnlySpan<TicketStatus> Status => StatusColumn.AsSpan(0, Count);

    /// <summary>Team label codes (see <see cref="Labels"/>).</summary>
    public ReadOnlySpan<int> Team => TeamColumn.AsSpan(0, Count);

    /// <summary>Channel label codes.</summary>
    public ReadOnlySpan<int> Channel => ChannelColumn.AsSpan(0, Count);

    /// <summary>Credited agent label codes.</summary>
    public ReadOnlySpan<int> Agent => AgentColumn.AsSpan(0, Count);

    /// <summary>Priority label codes.</summary>
    public ReadOnlySpan<int> Priority => PriorityColumn.AsSpan(0, Count);

    /// <summary>Language label codes.</summary>
    public ReadOnlySpan<int> Language => LanguageColumn.AsSpan(0, Count);

    /// <summary>Public human agent replies.</summary>
    public ReadOnlySpan<int> AgentReplies => AgentRepliesColumn.AsSpan(0, Count);

    /// <summary>Reopens.</summary>
    public ReadOnlySpan<int> Reopens => ReopensColumn.AsSpan(0, Count);

    /// <summary>One-touch resolution; null while unsolved.</summary>
    public ReadOnlySpan<bool?> OneTouch => OneTouchColumn.AsSpan(0, Count);

    /// <summary>First-contact resolution; null while unsolved.</summary>
    public ReadOnlySpan<bool?> FirstContactResolved => FirstContactColumn.AsSpan(0, Count);

    /// <summary>Satisfaction rating 1–5, or 0 when none was given.</summary>
    public ReadOnlySpan<byte> Satisfaction => SatisfactionColumn.AsSpan(0, Count);

    internal long[] CreatedAtTicks { get; }
    internal long[] SolvedAtTicks { get; }
    internal long[] FirstSolvedAtTicks { get; }
    internal long[] ResolutionDueTicks { get; }
    internal List<KpiDueOutcomes> OtherDues { get; } = [];
    internal TicketStatus[] StatusColumn { get; }
    internal int[] TeamColumn { get; }
    internal int[] ChannelColumn { get; }
    internal int[] AgentColumn { get; }
    internal int[] PriorityColumn { get; }
    internal int[] LanguageColumn { get; }
    internal double[][] Durations { get; }
    internal int[] AgentRepliesColumn { get; }
    internal int[] ReopensColumn { get; }
    internal bool?[] OneTouchColumn { get; }
    internal bool?[] FirstContactColumn { get; }
    internal byte[] SatisfactionColumn { get; }
    internal int[][] SlaColumns { get; }

    /// <summary>
    /// A duration column in seconds as <c>NodaTime.Duration.TotalSeconds</c> gives them, <see cref="double.NaN"/> where
    /// the duration is not known.
    /// </summary>
    public ReadOnlySpan<double> Seconds(FactsDuration duration) => Durations[(int)duration].AsSpan(0, Count);

    /// <summary>How many of a ticket's SLA targets of <paramref name="metric"/> were met (<paramref name="met"/> true) or breached.</summary>
    public ReadOnlySpan<int> SlaCount(SlaMetric metric, bool met) =>
        SlaColumns[(SlaIndex(metric) * 2) + (met ? 0 : 1)].AsSpan(0, Count);

    internal static int SlaIndex(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstReply => 0,
        SlaMetric.NextReply => 1,
        SlaMetric.Resolution => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>This batch as the KPI report's input: every column the report reads, as spans over this batch.</summary>
    public KpiFactColumns ReportColumns() => new()
    {
        CreatedAt = CreatedAt,
        SolvedAt = SolvedAt,
        FirstSolvedAt = FirstSolvedAt,
        ResolutionSlaDue = ResolutionSlaDue,
        ResolutionSlaOtherDues = ResolutionSlaOtherDues,
        Team = Team,
        Channel = Channel,
        Agent = Agent,
        Priority = Priority,
        Language = Language,
        FirstReplyBusiness = Seconds(FactsDuration.FirstReplyBusiness),
        FirstReplyCalendar = Seconds(FactsDuration.FirstReplyCalendar),
        FullResolutionBusiness = Seconds(FactsDuration.FullResolutionBusiness),
        FullResolutionCalendar = Seconds(FactsDuration.FullResolutionCalendar),
        Reopens = Reopens,
        FirstContactResolved = FirstContactResolved,
        Satisfaction = Satisfaction,
        SlaFirstReplyMet = SlaCount(SlaMetric.FirstReply, met: true),
        SlaFirstReplyBreached = SlaCount(SlaMetric.FirstReply, met: false),
        SlaNextReplyMet = SlaCount(SlaMetric.NextReply, met: true),
        SlaNextReplyBreached = SlaCount(SlaMetric.NextReply, met: false),
        SlaResolutionMet = SlaCount(SlaMetric.Resolution, met: true),
        SlaResolutionBreached = SlaCount(SlaMetric.Resolution, met: false),
    };

    /// <summary>
    /// Sets row <paramref name="row"/>'s <see cref="ResolutionSlaDue"/> from <paramref name="sla"/> and appends its
    /// <see cref="ResolutionSlaOtherDues"/>: the rule every store follows.
    /// </summary>
    internal void AddResolutionDues(int row, IReadOnlyList<SlaOutcome> sla)
    {
        ResolutionDueTicks[row] = NoInstant;
        var first = OtherDues.Count;
        foreach (var outcome in sla)
        {
            if (outcome.Metric != SlaMetric.Resolution || outcome.State == SlaState.Running)
            {
                continue;
            }

            var due = outcome.Due.ToUnixTimeTicks();
            var met = outcome.State == SlaState.Met ? 1 : 0;
            if (ResolutionDueTicks[row] == NoInstant)
            {
                ResolutionDueTicks[row] = due;
                continue;
            }

            if (due == ResolutionDueTicks[row])
            {
                continue;
            }

            var k = first;
            while (k < OtherDues.Count && OtherDues[k].Due != due)
            {
                k++;
            }

            if (k == OtherDues.Count)
            {
                OtherDues.Add(new KpiDueOutcomes(row, due, 0, 0));
            }

            var entry = OtherDues[k];
            OtherDues[k] = entry with { Met = entry.Met + met, Breached = entry.Breached + (1 - met) };
        }
    }

    /// <summary>The code of a label given as UTF-8, without allocating once the label is known.</summary>
    internal int Label(ReadOnlySpan<byte> utf8) => _labels.Code(utf8);

    /// <summary>
    /// Label text ↔ code for one enumeration, shared by the batches it fills. Only the filling thread adds; a reader holds a
    /// <see cref="Snapshot"/>, whose entries never change (growing copies the array), so a batch can be read on another
    /// thread while the next one is filled.
    /// </summary>
    internal sealed class LabelTable
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private string?[] _items = new string?[16];
        private int _count = 1; // code 0 is null

        public ArraySegment<string?> Snapshot() => new(Volatile.Read(ref _items), 0, Volatile.Read(ref _count));

        public int Code(ReadOnlySpan<byte> utf8)
        {
            var length = System.Text.Encoding.UTF8.GetMaxCharCount(utf8.Length);
            var chars = length <= 256 ? stackalloc char[256] : new char[length];
            chars = chars[..System.Text.Encoding.UTF8.GetChars(utf8, chars)];
            var lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars, out var code))
            {
                return code;
            }

            var text = new string(chars);
            code = _count;
            if (code == _items.Length)
            {
                var grown = new string?[_items.Length * 2];
                _items.CopyTo(grown, 0);
                Volatile.Write(ref _items, grown);
            }

            _items[code] = text;
            _codes.Add(text, code);
            Volatile.Write(ref _count, code + 1);
            return code;
        }
    }
}

/// <summary>The duration columns of a <see cref="FactsBatch"/>, each in calendar and business time.</summary>
public enum FactsDuration
{
    /// <summary>Creation to first public human reply, calendar time.</summary>
    FirstReplyCalendar,
    /// <summary>Creation to first public human reply, business time.</summary>
    FirstReplyBusiness,
    /// <summary>Creation to first solve, calendar time.</summary>
    FirstResolutionCalendar,
    /// <summary>Creation to first solve, business time.</summary>
    FirstResolutionBusiness,
    /// <summary>Creation to final solve, calendar time.</summary>
    FullResolutionCalendar,
    /// <summary>Creation to final solve, business time.</summary>
    FullResolutionBusiness,
    /// <summary>Requester wait time, calendar time.</summary>
    RequesterWaitCalendar,
    /// <summary>Requester wait time, business time.</summary>
    RequesterWaitBusiness,
    /// <summary>The number of duration columns (not a column).</summary>
    Count,
}
