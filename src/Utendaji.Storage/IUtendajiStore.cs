using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage;

/// <summary>
/// The store one organisation's data lives in. One long-lived object per process; every query is scoped to
/// the organisation the store was opened for. SQLite now, PostgreSQL later: both pass the same test suite.
/// </summary>
public interface IUtendajiStore : IAsyncDisposable
{
    /// <summary>Where the data lives (file path or server), for <c>utendaji info</c>.</summary>
    string Location { get; }

    /// <summary>The organisation every query of this store object is scoped to.</summary>
    string Organisation { get; }

    /// <summary>The schema version after migrations ran.</summary>
    int SchemaVersion { get; }

    /// <summary>Saves (inserts or replaces) a configuration document: a calendar, an SLA policy, options.</summary>
    Task PutConfigAsync(ConfigKind kind, string name, string json, CancellationToken cancellationToken = default);

    /// <summary>Removes a configuration document; false when there was none.</summary>
    Task<bool> DeleteConfigAsync(ConfigKind kind, string name, CancellationToken cancellationToken = default);

    /// <summary>All configuration documents of a kind, ordered by name.</summary>
    Task<IReadOnlyList<ConfigDocument>> GetConfigAsync(ConfigKind kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts an import. Nothing it writes is visible until <see cref="IImportTransaction.CommitAsync"/>;
    /// disposing it uncommitted (or the process dying) leaves the store exactly as before.
    /// </summary>
    Task<IImportTransaction> BeginImportAsync(CancellationToken cancellationToken = default);

    /// <summary>Per-ticket facts matching <paramref name="query"/>, ordered by creation instant then ticket id; streamed.</summary>
    IAsyncEnumerable<TicketFacts> ReadFactsAsync(FactsQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The fast path for aggregating millions of tickets: the facts matching <paramref name="query"/> in column
    /// batches of at most <paramref name="batchSize"/> rows, in no particular order. The same batch object is
    /// refilled for each step of the enumeration.
    /// </summary>
    IAsyncEnumerable<FactsBatch> ReadFactBatchesAsync(FactsQuery query, int batchSize = 65536, CancellationToken cancellationToken = default);

    /// <summary>One ticket's facts, or null.</summary>
    Task<TicketFacts?> GetFactsAsync(string ticketId, CancellationToken cancellationToken = default);

    /// <summary>One ticket's events ordered by instant, then event id.</summary>
    Task<IReadOnlyList<TicketEvent>> ReadEventsAsync(string ticketId, CancellationToken cancellationToken = default);

    /// <summary>One ticket's summary row, when it was imported from a summary export.</summary>
    Task<TicketSummary?> GetSummaryAsync(string ticketId, CancellationToken cancellationToken = default);

    /// <summary>Counts for <c>utendaji info</c>.</summary>
    Task<StoreCounts> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-derives stored facts (after a calendar or SLA change): every ticket's events or summary are handed to
    /// <paramref name="derive"/> in batches and the results replace the stored facts, in one transaction.
    /// </summary>
    Task<int> RederiveAllAsync(Func<TicketSource, TicketFacts> derive, IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Survey responses matching <paramref name="query"/>, ordered by submission instant then response id; streamed.</summary>
    IAsyncEnumerable<SurveyResponse> ReadSurveyResponsesAsync(SurveyResponseQuery query, CancellationToken cancellationToken = default);

    /// <summary>Survey sends matching <paramref name="query"/>, ordered by send instant then send id; streamed.</summary>
    IAsyncEnumerable<SurveySend> ReadSurveySendsAsync(SurveySendQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many survey responses match <paramref name="query"/>.</summary>
    Task<long> CountSurveyResponsesAsync(SurveyResponseQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many survey sends match <paramref name="query"/> (response rate: see <see cref="SurveySendQuery.Answered"/>).</summary>
    Task<long> CountSurveySendsAsync(SurveySendQuery query, CancellationToken cancellationToken = default);

    /// <summary>Survey counts for <c>utendaji info</c>.</summary>
    Task<SurveyCounts> CountSurveysAsync(CancellationToken cancellationToken = default);
}

/// <summary>An import in progress. Dispose without commit rolls everything back.</summary>
public interface IImportTransaction : IAsyncDisposable
{
    /// <summary>
    /// Adds events. An event whose id is already stored with identical content is ignored; one whose id is
    /// stored with different content is a conflict and is not written.
    /// </summary>
    Task<AddResult> AddEventsAsync(IReadOnlyList<TicketEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces summary rows by ticket id; an identical row changes nothing.</summary>
    Task<AddResult> AddSummariesAsync(IReadOnlyList<TicketSummary> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tickets this transaction changed (new events or changed summaries), each with all its stored
    /// events (old and new, ordered by instant then id) or its summary; streamed in ticket order.
    /// </summary>
    IAsyncEnumerable<TicketSource> ReadChangedTicketsAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces derived facts.</summary>
    Task PutFactsAsync(IReadOnlyList<TicketFacts> facts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds survey sends, like <see cref="AddEventsAsync"/>: a send whose id is already stored with identical content
    /// is counted unchanged; one whose id is stored with different content is a conflict (its index is returned) and is
    /// not written.
    /// </summary>
    Task<AddResult> AddSurveySendsAsync(IReadOnlyList<SurveySend> sends, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds survey responses, like <see cref="AddEventsAsync"/>: a response whose id is already stored with identical
    /// content (every field and every answer) is counted unchanged; one whose id is stored with different content is a
    /// conflict (its index is returned) and is not written.
    /// </summary>
    /// <exception cref="ArgumentException">An answer's number is not finite.</exception>
    Task<AddResult> AddSurveyResponsesAsync(IReadOnlyList<SurveyResponse> responses, CancellationToken cancellationToken = default);

    /// <summary>Makes everything visible atomically.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}

/// <summary>What a ticket's facts are derived from: its events, or its summary row.</summary>
public sealed record TicketSource(string TicketId, IReadOnlyList<TicketEvent> Events, TicketSummary? Summary);

/// <summary>Outcome of adding a batch.</summary>
/// <param name="Added">Rows newly written (or, for summaries, replaced with different content).</param>
/// <param name="Unchanged">Rows already stored identically.</param>
/// <param name="Conflicts">Indexes into the batch of rows whose id is stored with different content (events, survey sends and responses; never summaries).</param>
public sealed record AddResult(int Added, int Unchanged, IReadOnlyList<int> Conflicts);

/// <summary>Kinds of configuration document.</summary>
public enum ConfigKind
{
    /// <summary>A business calendar (JSON).</summary>
    Calendar,
    /// <summary>An SLA policy (JSON).</summary>
    SlaPolicy,
    /// <summary>Metric options (JSON).</summary>
    Options,
    /// <summary>An iCalendar file a calendar refers to, stored by file name.</summary>
    HolidayFile,
    /// <summary>A survey instrument (JSON, docs/surveys.md), stored by instrument id.</summary>
    SurveyInstrument,
}

/// <summary>A stored configuration document.</summary>
public sealed record ConfigDocument(ConfigKind Kind, string Name, string Json);

/// <summary>Row counts of the store.</summary>
public sealed record StoreCounts(long Events, long Tickets, long Summaries, long Facts);

/// <summary>Filters for reading facts; null means no filter. Instants are inclusive start, exclusive end.</summary>
public sealed record FactsQuery
{
    /// <summary>No filter at all.</summary>
    public static FactsQuery All { get; } = new();
    /// <summary>Created at or after.</summary>
    public NodaTime.Instant? CreatedFrom { get; init; }
    /// <summary>Created before.</summary>
    public NodaTime.Instant? CreatedTo { get; init; }
    /// <summary>Only this team.</summary>
    public string? Team { get; init; }
    /// <summary>Only this channel.</summary>
    public string? Channel { get; init; }
    /// <summary>Only this credited agent.</summary>
    public string? Agent { get; init; }
    /// <summary>Only this priority.</summary>
    public string? Priority { get; init; }
    /// <summary>Only this language.</summary>
    public string? Language { get; init; }
    /// <summary>Only this status.</summary>
    public TicketStatus? Status { get; init; }

    /// <summary>Solved (the final solve) at or after; tickets not solved are left out when this or <see cref="SolvedTo"/> is given.</summary>
    public NodaTime.Instant? SolvedFrom { get; init; }

    /// <summary>Solved (the final solve) before.</summary>
    public NodaTime.Instant? SolvedTo { get; init; }
}
