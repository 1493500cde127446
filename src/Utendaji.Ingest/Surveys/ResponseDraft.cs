using System.Globalization;
using System.Text;
using NodaTime;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// One response being read: the fields found so far, its answers and its issues. The CSV and NDJSON readers fill it
/// their own way; <see cref="ResponseChecks.Finish"/> applies the checks that need the whole row.
/// </summary>
internal sealed class ResponseDraft(string file, long line) : IIssueSink
{
    public string File { get; } = file;

    public long Line { get; } = line;

    public List<ImportIssue>? Issues { get; private set; }

    public string? ResponseId { get; set; }

    public string? InstrumentId { get; set; }

    public InstrumentItems? Instrument { get; set; }

    public string? TicketId { get; set; }

    public string? Customer { get; set; }

    public string? Agent { get; set; }

    public string? Team { get; set; }

    public string? Channel { get; set; }

    public string? Language { get; set; }

    public string? SendId { get; set; }

    public Instant? SentAt { get; set; }

    public string? SentAtText { get; set; }

    public Instant? SubmittedAt { get; set; }

    public Dictionary<string, SurveyAnswer> Answers { get; } = new(StringComparer.Ordinal);

    public void Issue(string field, string? value, string reason) =>
        (Issues ??= []).Add(new ImportIssue(File, Line, field, value, reason));

    public bool HasIssue(string field) => Issues?.Exists(i => string.Equals(i.Field, field, StringComparison.Ordinal)) == true;

    public bool HasIssueStartingWith(string prefix) =>
        Issues?.Exists(i => i.Field.Length > 0 && i.Field.StartsWith(prefix, StringComparison.Ordinal)) == true;
}

/// <summary>The checks every response row gets, whatever its format, and the duplicate-id memory of one file.</summary>
internal sealed class ResponseChecks(SurveyReaderOptions options)
{
    private readonly IdSet? _ids = options.RejectDuplicateIds ? new IdSet() : null;

    /// <summary>Parses a date-time field; a value without an offset is read in <see cref="SurveyReaderOptions.TimeZone"/>.</summary>
    public Instant? Instant(ResponseDraft draft, string field, ReadOnlySpan<byte> text)
    {
        if (IsoDateTime.TryParseInstant(text, options.TimeZone, out var instant))
        {
            if (SupportedInstants.Contains(instant))
            {
                return instant;
            }

            draft.Issue(field, Encoding.UTF8.GetString(text), SupportedInstants.Reason);
            return null;
        }

        draft.Issue(field, Encoding.UTF8.GetString(text), "is not a date-time");
        return null;
    }

    /// <summary>
    /// Required fields and answers, the allocation total, sent-before-submitted and duplicate ids; then the response,
    /// or null when the draft has issues. <paramref name="itemPrefix"/> is what item fields start with
    /// (<c>""</c> in CSV, <c>answers.</c> in NDJSON); <paramref name="answersField"/> names the answers as a whole
    /// (<c>""</c>, the row, in CSV; <c>answers</c> in NDJSON).
    /// </summary>
    public SurveyResponse? Finish(ResponseDraft draft, string itemPrefix, string answersField)
    {
        if (draft.ResponseId is null && !draft.HasIssue(SurveyFields.ResponseId))
        {
            draft.Issue(SurveyFields.ResponseId, null, "is required");
        }

        if (draft.SubmittedAt is null && !draft.HasIssue(SurveyFields.SubmittedAt))
        {
            draft.Issue(SurveyFields.SubmittedAt, null, "is required");
        }

        if (draft.SentAt is { } sent && draft.SubmittedAt is { } submitted && sent > submitted)
        {
            draft.Issue(SurveyFields.SentAt, draft.SentAtText, "is after submitted_at");
        }

        // Answers that are not even an object already explain the row: "q01 is required" would only add noise.
        if (draft.Instrument is { } items && (answersField.Length == 0 || !draft.HasIssue(answersField)))
        {
            foreach (var question in items.Required)
            {
                if (!draft.Answers.ContainsKey(question.Id) && !draft.HasIssue(itemPrefix + question.Id))
                {
                    draft.Issue(itemPrefix + question.Id, null, "is required");
                }
            }

            CheckAllocation(draft, items, itemPrefix);
            if (draft.Answers.Count == 0 && !AnyAnswerIssue(draft))
            {
                draft.Issue(answersField, null, "has no answers");
            }
        }

        // Only accepted rows claim their id, so a corrected copy of a rejected row further down is not a duplicate.
        if (draft.Issues is null && _ids is not null && !_ids.Add(Encoding.UTF8.GetBytes(draft.ResponseId!)))
        {
            draft.Issue(SurveyFields.ResponseId, draft.ResponseId, "already occurs earlier in this file");
        }

        if (draft.Issues is not null)
        {
            return null;
        }

        return new SurveyResponse
        {
            ResponseId = draft.ResponseId!,
            InstrumentId = draft.Instrument!.Id,
            SubmittedAt = draft.SubmittedAt!.Value,
            Answers = draft.Answers,
            SendId = draft.SendId,
            SentAt = draft.SentAt,
            TicketId = draft.TicketId,
            Customer = draft.Customer,
            Agent = draft.Agent,
            Team = draft.Team,
            Channel = draft.Channel,
            Language = draft.Language,
        };
    }

    /// <summary>Whether an issue concerns an answer (any field that is not a response field nor the whole row).</summary>
    private static bool AnyAnswerIssue(ResponseDraft draft) =>
        draft.Issues?.Exists(i => i.Field.Length > 0 && Array.IndexOf(SurveyFields.ResponseMeta, i.Field) < 0) == true;

    /// <summary>
    /// The importance points of a SERVQUAL-style allocation are shares of one total: all answered, they must add up to
    /// it; partly answered, they must not exceed it.
    /// </summary>
    private static void CheckAllocation(ResponseDraft draft, InstrumentItems items, string itemPrefix)
    {
        if (items.Allocation.Count == 0)
        {
            return;
        }

        double sum = 0;
        var answered = 0;
        foreach (var question in items.Allocation)
        {
            if (draft.HasIssue(itemPrefix + question.Id))
            {
                return; // One bad value already explains the row; a sum over the rest would only add noise.
            }

            if (draft.Answers.TryGetValue(question.Id, out var answer) && answer.Number is { } points)
            {
                sum += points;
                answered++;
            }
        }

        var total = items.Allocation[0].ScaleMax;
        // Points may be decimals (33.3 + 33.3 + 33.4): compare with a tolerance far below any meaningful share.
        const double Tolerance = 1e-6;
        var complete = answered == items.Allocation.Count;
        if (answered == 0 || (complete ? Math.Abs(sum - total) <= Tolerance : sum <= total + Tolerance))
        {
            return;
        }

        var ids = string.Join(", ", items.Allocation.Select(q => q.Id));
        var reason = complete
            ? string.Create(CultureInfo.InvariantCulture, $"the points of {ids} add up to {sum}, not {total}")
            : string.Create(CultureInfo.InvariantCulture, $"the points of {ids} add up to {sum}, more than {total}");
        draft.Issue(itemPrefix + items.Allocation[0].Id, null, reason);
    }
}
