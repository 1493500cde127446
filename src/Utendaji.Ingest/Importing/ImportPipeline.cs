using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Ingest;
using Utendaji.Ingest.Events;
using Utendaji.Ingest.Rejects;
using Utendaji.Ingest.Summary;
using Utendaji.Ingest.Surveys;
using Utendaji.Storage;

namespace Utendaji.Ingest.Importing;

/// <summary>What a file holds.</summary>
public enum ImportFileKind
{
    /// <summary>Canonical ticket events, one JSON object per line.</summary>
    Events,
    /// <summary>A ticket summary export, one CSV row per ticket.</summary>
    Summary,
    /// <summary>Survey responses, CSV (a column per item) or NDJSON.</summary>
    SurveyResponses,
    /// <summary>Survey sends, CSV or NDJSON.</summary>
    SurveySends,
}

/// <summary>How to import one file.</summary>
public sealed record ImportSettings
{
    /// <summary>What the file holds.</summary>
    public required ImportFileKind Kind { get; init; }
    /// <summary>Summary files: which helpdesk's column names to expect.</summary>
    public SummaryCsvProfile Profile { get; init; } = SummaryCsvProfile.Auto;
    /// <summary>Zone for summary date-times written without an offset.</summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;
    /// <summary>Import the good rows and write the bad ones to <see cref="RejectsPath"/>; otherwise one bad row stops the file.</summary>
    public bool SkipBadRows { get; init; }
    /// <summary>Where rejected rows and their reasons go with <see cref="SkipBadRows"/>.</summary>
    public required string RejectsPath { get; init; }
    /// <summary>Survey files: the instrument every row answers, or null when a column names it per row.</summary>
    public SurveyInstrument? Instrument { get; init; }
    /// <summary>Survey files: instruments by id (built-in and stored).</summary>
    public Func<string, SurveyInstrument?> Instruments { get; init; } = _ => null;
}

/// <summary>What importing one file did.</summary>
public sealed record ImportOutcome
{
    /// <summary>The file as the user named it.</summary>
    public required string File { get; init; }
    /// <summary>Whether anything was written (false: the store is as before).</summary>
    public required bool Committed { get; init; }
    /// <summary>Rows read.</summary>
    public long Rows { get; init; }
    /// <summary>Rows newly stored.</summary>
    public long Added { get; init; }
    /// <summary>Rows already stored identically.</summary>
    public long Unchanged { get; init; }
    /// <summary>Rows left out because they were invalid.</summary>
    public long Rejected { get; init; }
    /// <summary>Tickets whose facts were derived anew.</summary>
    public long TicketsDerived { get; init; }
    /// <summary>The first issues (at most <see cref="ImportPipeline.MaxIssuesKept"/>), in file order.</summary>
    public IReadOnlyList<ImportIssue> Issues { get; init; } = [];
    /// <summary>All issues found, including those beyond <see cref="Issues"/>.</summary>
    public long IssueCount { get; init; }
    /// <summary>The rejects file written, if any.</summary>
    public string? RejectsPath { get; init; }
}

/// <summary>
/// parse → validate → store → derive, for one file, in one store transaction: either every good row and the
/// facts derived from it become visible together, or nothing does (a bad row without --skip-bad-rows, a
/// conflict, cancellation, a killed process).
/// </summary>
public sealed class ImportPipeline(IUtendajiStore store, MetricContext context)
{
    /// <summary>Issues kept for the message; the count covers all of them.</summary>
    public const int MaxIssuesKept = 50;

    private const int BatchSize = 4096;
    private const int FactsBatchSize = 2048;

    /// <summary>
    /// Imports the file at <paramref name="path"/> in one store transaction; <paramref name="progress"/> gets bytes
    /// read and the file's length. A file that cannot be read at all throws <see cref="ImportFileException"/>.
    /// </summary>
    public async Task<ImportOutcome> RunAsync(
        string path, string displayName, ImportSettings settings, Action<long, long> progress, CancellationToken cancellationToken)
    {
        var total = new FileInfo(path).Length;
        await using var transaction = await store.BeginImportAsync(cancellationToken);
        var state = new ImportState(displayName, settings);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var csv = Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase);
            switch (settings.Kind)
            {
                case ImportFileKind.Events:
                    await ImportEventsAsync(stream, displayName, transaction, state, progress, total, cancellationToken);
                    break;
                case ImportFileKind.Summary:
                    await ImportSummariesAsync(stream, displayName, transaction, state, progress, total, cancellationToken);
                    break;
                case ImportFileKind.SurveyResponses:
                    await ImportSurveyResponsesAsync(stream, displayName, csv, transaction, state, progress, total, cancellationToken);
                    break;
                default:
                    await ImportSurveySendsAsync(stream, displayName, csv, transaction, state, progress, total, cancellationToken);
                    break;
            }
        }
        catch (ImportFileException)
        {
            // The file as a whole cannot be read (no header, not UTF-8 ...): nothing was committed.
            state.Rejects?.Dispose();
            DeleteRejects(settings.RejectsPath);
            throw;
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
        var rows = new RowSource<TicketEvent>(reader.ReadRows(cancellationToken), () => reader.BytesRead, default, e => e.Id, "id");
        await ImportRowsAsync(rows, transaction.AddEventsAsync, displayName, state, progress, total, cancellationToken);
    }

    private static async Task ImportSummariesAsync(
        Stream stream, string displayName, IImportTransaction transaction, ImportState state,
        Action<long, long> progress, long total, CancellationToken cancellationToken)
    {
        var options = TicketSummaryCsvOptions.Default with { Profile = state.Settings.Profile, TimeZone = state.Settings.TimeZone };
        using var reader = TicketSummaryCsvReader.Open(stream, displayName, options, leaveOpen: true);
        var rows = new RowSource<TicketSummary>(reader.ReadRows(cancellationToken), () => reader.BytesRead, reader.Header.ToArray(), s => s.TicketId, "id");
        await ImportRowsAsync(rows, transaction.AddSummariesAsync, displayName, state, progress, total, cancellationToken);
    }

    private static async Task ImportSurveyResponsesAsync(
        Stream stream, string displayName, bool csv, IImportTransaction transaction, ImportState state,
        Action<long, long> progress, long total, CancellationToken cancellationToken)
    {
        var settings = state.Settings;
        var options = SurveyReaderOptions.Default with { TimeZone = settings.TimeZone, RejectDuplicateIds = false };
        Func<string, SurveyInstrument?> lookup = settings.Instrument is { } one ? id => id == one.Id ? one : settings.Instruments(id) : settings.Instruments;
        RowSource<SurveyResponse> rows;
        IDisposable reader;
        if (csv)
        {
            var csvReader = settings.Instrument is { } instrument
                ? SurveyResponseCsvReader.Open(stream, displayName, instrument, options, leaveOpen: true)
                : SurveyResponseCsvReader.Open(stream, displayName, lookup, options, leaveOpen: true);
            rows = new(csvReader.ReadRows(cancellationToken), () => csvReader.BytesRead, csvReader.Header.ToArray(), r => r.ResponseId, "response_id");
            reader = csvReader;
        }
        else
        {
            var ndjsonReader = settings.Instrument is { } instrument
                ? SurveyResponseNdjsonReader.Open(stream, displayName, instrument, options, leaveOpen: true)
                : SurveyResponseNdjsonReader.Open(stream, displayName, lookup, options, leaveOpen: true);
            rows = new(ndjsonReader.ReadRows(cancellationToken), () => ndjsonReader.BytesRead, default, r => r.ResponseId, "response_id");
            reader = ndjsonReader;
        }

        using (reader)
        {
            await ImportRowsAsync(rows, transaction.AddSurveyResponsesAsync, displayName, state, progress, total, cancellationToken);
        }
    }

    private static async Task ImportSurveySendsAsync(
        Stream stream, string displayName, bool csv, IImportTransaction transaction, ImportState state,
        Action<long, long> progress, long total, CancellationToken cancellationToken)
    {
        var settings = state.Settings;
        var options = SurveyReaderOptions.Default with { TimeZone = settings.TimeZone, RejectDuplicateIds = false };
        Func<string, SurveyInstrument?> lookup = settings.Instrument is { } one ? id => id == one.Id ? one : settings.Instruments(id) : settings.Instruments;
        RowSource<SurveySend> rows;
        IDisposable reader;
        if (csv)
        {
            var csvReader = SurveySendCsvReader.Open(stream, displayName, lookup, options, leaveOpen: true);
            rows = new(csvReader.ReadRows(cancellationToken), () => csvReader.BytesRead, csvReader.Header.ToArray(), r => r.SendId, "send_id");
            reader = csvReader;
        }
        else
        {
            var ndjsonReader = SurveySendNdjsonReader.Open(stream, displayName, lookup, options, leaveOpen: true);
            rows = new(ndjsonReader.ReadRows(cancellationToken), () => ndjsonReader.BytesRead, default, r => r.SendId, "send_id");
            reader = ndjsonReader;
        }

        using (reader)
        {
            await ImportRowsAsync(rows, transaction.AddSurveySendsAsync, displayName, state, progress, total, cancellationToken);
        }
    }

    /// <summary>The rows of one file, how far the reader is, the header rejects repeat, and how a row names itself.</summary>
    private sealed record RowSource<T>(IEnumerable<ImportRow<T>> Rows, Func<long> BytesRead, ReadOnlyMemory<byte> Header, Func<T, string> IdOf, string IdField)
        where T : class;

    /// <summary>
    /// The one loop every format shares: bad rows to the issues (and rejects), good rows in batches to the store,
    /// and ids the store already holds with other content reported as conflicts on their own line.
    /// </summary>
    private static async Task ImportRowsAsync<T>(
        RowSource<T> source, Func<IReadOnlyList<T>, CancellationToken, Task<AddResult>> add, string displayName, ImportState state,
        Action<long, long> progress, long total, CancellationToken cancellationToken)
        where T : class
    {
        var batch = new List<T>(BatchSize);
        var pending = new List<PendingRow>(BatchSize);
        foreach (var row in source.Rows)
        {
            state.Rows++;
            if (!row.IsValid)
            {
                state.Reject(row.Raw, row.Issues, source.Header);
                continue;
            }

            batch.Add(row.Value);
            pending.Add(new PendingRow(row.Line, row.Raw.ToArray()));
            if (batch.Count == BatchSize)
            {
                await FlushAsync();
                progress(source.BytesRead(), total);
            }
        }

        await FlushAsync();
        progress(total, total);

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var result = await add(batch, cancellationToken);
            state.Added += result.Added;
            state.Unchanged += result.Unchanged;
            foreach (var index in result.Conflicts)
            {
                var issue = new ImportIssue(displayName, pending[index].Line, source.IdField, source.IdOf(batch[index]), "is already stored with different content (ids must not be reused)");
                state.Reject(pending[index].Raw, [issue], source.Header);
            }

            batch.Clear();
            pending.Clear();
        }
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
