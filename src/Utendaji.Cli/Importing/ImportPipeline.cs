using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;
using Utendaji.Ingest;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Rejects;
using Utendaji.Ingest.Summary;
using Utendaji.Storage;

namespace Utendaji.Cli.Importing;

/// <summary>What a file holds.</summary>
internal enum ImportFileKind
{
    /// <summary>Canonical ticket events, one JSON object per line.</summary>
    Events,
    /// <summary>A ticket summary export, one CSV row per ticket.</summary>
    Summary,
}

/// <summary>How to import one file.</summary>
internal sealed record ImportSettings
{
    public required ImportFileKind Kind { get; init; }
    public SummaryCsvProfile Profile { get; init; } = SummaryCsvProfile.Auto;
    /// <summary>Zone for summary date-times written without an offset.</summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;
    /// <summary>Import the good rows and write the bad ones to <see cref="RejectsPath"/>; otherwise one bad row stops the file.</summary>
    public bool SkipBadRows { get; init; }
    public required string RejectsPath { get; init; }
}

/// <summary>What importing one file did.</summary>
internal sealed record ImportOutcome
{
    public required string File { get; init; }
    public required bool Committed { get; init; }
    public long Rows { get; init; }
    public long Added { get; init; }
    public long Unchanged { get; init; }
    public long Rejected { get; init; }
    public long TicketsDerived { get; init; }
    /// <summary>The first issues (at most <see cref="ImportPipeline.MaxIssuesKept"/>), in file order.</summary>
    public IReadOnlyList<ImportIssue> Issues { get; init; } = [];
    public long IssueCount { get; init; }
    public string? RejectsPath { get; init; }
}

/// <summary>
/// parse → validate → store → derive, for one file, in one store transaction: either every good row and the
/// facts derived from it become visible together, or nothing does (a bad row without --skip-bad-rows, a
/// conflict, cancellation, a killed process).
/// </summary>
internal sealed class ImportPipeline(IUtendajiStore store, MetricContext context)
{
    /// <summary>Issues kept for the message; the count covers all of them.</summary>
    public const int MaxIssuesKept = 50;

    private const int BatchSize = 4096;
    private const int FactsBatchSize = 2048;

    public async Task<ImportOutcome> RunAsync(
        string path, string displayName, ImportSettings settings, Action<long, long> progress, CancellationToken cancellationToken)
    {
        var total = new FileInfo(path).Length;
        await using var transaction = await store.BeginImportAsync(cancellationToken);
        var state = new ImportState(displayName, settings);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (settings.Kind == ImportFileKind.Events)
            {
                await ImportEventsAsync(stream, displayName, transaction, state, progress, total, cancellationToken);
            }
            else
            {
                await ImportSummariesAsync(stream, displayName, transaction, state, progress, total, cancellationToken);
            }
        }
        catch (ImportFileException e)
        {
            // The file as a whole cannot be read (no header, not UTF-8 ...): nothing was committed.
            state.Rejects?.Dispose();
            DeleteRejects(settings.RejectsPath);
            throw new CliException(e.Message);
        }

        if (state.IssueCount > 0 && !settings.SkipBadRows)
        {
            // Disposing the transaction uncommitted rolls back every row already written.
            return state.Outcome(committed: false, derived: 0);
        }

        var derived = await DeriveAsync(transaction, cancellationToken);
        state.Rejects?.Dispose();
        await transaction.CommitAsync(cancellationToken);
        return state.Outcome(committed: true, derived);
    }

    private async Task<long> DeriveAsync(IImportTransaction transaction, CancellationToken cancellationToken)
    {
        var facts = new List<TicketFacts>(FactsBatchSize);
        long derived = 0;
        await foreach (var source in transaction.ReadChangedTicketsAsync(cancellationToken))
        {
            facts.Add(Derive(source, context));
            if (facts.Count == FactsBatchSize)
            {
                await transaction.PutFactsAsync(facts, cancellationToken);
                derived += facts.Count;
                facts.Clear();
            }
        }

        if (facts.Count > 0)
        {
            await transaction.PutFactsAsync(facts, cancellationToken);
            derived += facts.Count;
        }

        return derived;
    }

    /// <summary>Events win over a summary row: they say more.</summary>
    public static TicketFacts Derive(TicketSource source, MetricContext context) =>
        source.Events.Count > 0 || source.Summary is null
            ? TicketMetricsEngine.Compute(source.TicketId, source.Events, context)
            : TicketMetricsEngine.FromSummary(source.Summary, context);

    private static async Task ImportEventsAsync(
        Stream stream, string displayName, IImportTransaction transaction, ImportState state,
        Action<long, long> progress, long total, CancellationToken cancellationToken)
    {
        // Duplicate ids are left to the store: an identical repeat changes nothing, a different one is a
        // conflict. Keeping every id in memory here would make memory grow with the file.
        using var reader = EventNdjsonReader.Open(stream, displayName, EventNdjsonReaderOptions.Default with { RejectDuplicateIds = false }, leaveOpen: true);
        var batch = new List<TicketEvent>(BatchSize);
        var pending = new List<PendingRow>(BatchSize);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            state.Rows++;
            if (!row.IsValid)
            {
                state.Reject(row.Raw, row.Issues, header: default);
                continue;
            }

            batch.Add(row.Value);
            pending.Add(new PendingRow(row.Line, row.Raw.ToArray()));
            if (batch.Count == BatchSize)
            {
                await FlushEventsAsync(transaction, batch, pending, state, displayName, cancellationToken);
                progress(reader.BytesRead, total);
            }
        }

        await FlushEventsAsync(transaction, batch, pending, state, displayName, cancellationToken);
        progress(total, total);
    }

    private static async Task FlushEventsAsync(
        IImportTransaction transaction, List<TicketEvent> batch, List<PendingRow> pending, ImportState state,
        string displayName, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var result = await transaction.AddEventsAsync(batch, cancellationToken);
        state.Added += result.Added;
        state.Unchanged += result.Unchanged;
        foreach (var index in result.Conflicts)
        {
            var issue = new ImportIssue(displayName, pending[index].Line, "id", batch[index].Id, "is already stored with different content (event ids must not be reused)");
            state.Reject(pending[index].Raw, [issue], header: default);
        }

        batch.Clear();
        pending.Clear();
    }

    private static async Task ImportSummariesAsync(
        Stream stream, string displayName, IImportTransaction transaction, ImportState state,
        Action<long, long> progress, long total, CancellationToken cancellationToken)
    {
        var options = TicketSummaryCsvOptions.Default with { Profile = state.Settings.Profile, TimeZone = state.Settings.TimeZone };
        using var reader = TicketSummaryCsvReader.Open(stream, displayName, options, leaveOpen: true);
        var header = reader.Header.ToArray();
        var batch = new List<TicketSummary>(BatchSize);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            state.Rows++;
            if (!row.IsValid)
            {
                state.Reject(row.Raw, row.Issues, header);
                continue;
            }

            batch.Add(row.Value);
            if (batch.Count == BatchSize)
            {
                await FlushSummariesAsync(transaction, batch, state, cancellationToken);
                progress(reader.BytesRead, total);
            }
        }

        await FlushSummariesAsync(transaction, batch, state, cancellationToken);
        progress(total, total);
    }

    private static async Task FlushSummariesAsync(IImportTransaction transaction, List<TicketSummary> batch, ImportState state, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var result = await transaction.AddSummariesAsync(batch, cancellationToken);
        state.Added += result.Added;
        state.Unchanged += result.Unchanged;
        batch.Clear();
    }

    private static void DeleteRejects(string path)
    {
        File.Delete(path);
        File.Delete(RejectsWriter.ReasonsPath(path));
    }

    private readonly record struct PendingRow(long Line, byte[] Raw);

    private sealed class ImportState(string file, ImportSettings settings)
    {
        private readonly List<ImportIssue> _issues = [];

        public ImportSettings Settings { get; } = settings;
        public long Rows { get; set; }
        public long Added { get; set; }
        public long Unchanged { get; set; }
        public long Rejected { get; private set; }
        public long IssueCount { get; private set; }
        public RejectsWriter? Rejects { get; private set; }

        public void Reject(ReadOnlyMemory<byte> raw, IReadOnlyList<ImportIssue> issues, ReadOnlyMemory<byte> header)
        {
            Rejected++;
            IssueCount += issues.Count;
            foreach (var issue in issues)
            {
                if (_issues.Count < MaxIssuesKept)
                {
                    _issues.Add(issue);
                }
            }

            if (Settings.SkipBadRows)
            {
                Rejects ??= RejectsWriter.Create(Settings.RejectsPath, header);
                Rejects.Write(raw.Span, issues);
            }
        }

        public ImportOutcome Outcome(bool committed, long derived) => new()
        {
            File = file,
            Committed = committed,
            Rows = Rows,
            Added = committed ? Added : 0,
            Unchanged = committed ? Unchanged : 0,
            Rejected = Rejected,
            TicketsDerived = derived,
            Issues = _issues,
            IssueCount = IssueCount,
            RejectsPath = Rejects is null ? null : Settings.RejectsPath,
        };
    }
}
