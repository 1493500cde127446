using System.Text;
using NodaTime;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>One survey send being read: its fields so far and its issues.</summary>
internal sealed class SendDraft(string file, long line) : IIssueSink
{
    public List<ImportIssue>? Issues { get; private set; }

    public string? SendId { get; set; }

    public string? InstrumentId { get; set; }

    public string? TicketId { get; set; }

    public string? Customer { get; set; }

    public string? Channel { get; set; }

    public string? Language { get; set; }

    public Instant? SentAt { get; set; }

    public void Issue(string field, string? value, string reason) =>
        (Issues ??= []).Add(new ImportIssue(file, line, field, value, reason));

    public bool HasIssue(string field) => Issues?.Exists(i => string.Equals(i.Field, field, StringComparison.Ordinal)) == true;
}

/// <summary>The checks every send row gets, whatever its format, and the duplicate-id memory of one file.</summary>
internal sealed class SendChecks(SurveyReaderOptions options, InstrumentCatalog catalog)
{
    private readonly IdSet? _ids = options.RejectDuplicateIds ? new IdSet() : null;

    /// <summary>Required fields, a known instrument and duplicate ids; then the send, or null when the draft has issues.</summary>
    public SurveySend? Finish(SendDraft draft)
    {
        if (draft.SendId is null && !draft.HasIssue(SurveyFields.SendId))
        {
            draft.Issue(SurveyFields.SendId, null, "is required");
        }

        if (draft.SentAt is null && !draft.HasIssue(SurveyFields.SentAt))
        {
            draft.Issue(SurveyFields.SentAt, null, "is required");
        }

        InstrumentItems? instrument = null;
        if (!draft.HasIssue(SurveyFields.Instrument))
        {
            instrument = catalog.Resolve(draft.InstrumentId, out var reason);
            if (instrument is null)
            {
                draft.Issue(SurveyFields.Instrument, draft.InstrumentId, reason!);
            }
        }

        if (draft.Issues is null && _ids is not null && !_ids.Add(Encoding.UTF8.GetBytes(draft.SendId!)))
        {
            draft.Issue(SurveyFields.SendId, draft.SendId, "already occurs earlier in this file");
        }

        return draft.Issues is not null
            ? null
            : new SurveySend
            {
                SendId = draft.SendId!,
                InstrumentId = instrument!.Id,
                SentAt = draft.SentAt!.Value,
                TicketId = draft.TicketId,
                Customer = draft.Customer,
                Channel = draft.Channel,
                Language = draft.Language,
            };
    }
}
