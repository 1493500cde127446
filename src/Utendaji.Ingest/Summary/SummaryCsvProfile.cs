namespace Utendaji.Ingest.Summary;

/// <summary>Which header vocabulary a ticket summary CSV uses.</summary>
public enum SummaryCsvProfile
{
    /// <summary>Recognise the profile from the header (canonical first, then Zendesk, then Freshdesk).</summary>
    Auto,

    /// <summary>Utendaji's own snake_case columns: <c>id, created_at, first_reply_at, solved_at, …</c>.</summary>
    Canonical,

    /// <summary>Zendesk Support's ticket CSV export: <c>Id, Created at, Solved at, First reply time in minutes, …</c>.</summary>
    Zendesk,

    /// <summary>Freshdesk's ticket export: <c>Ticket ID, Created time, Resolved time, Initial response time, …</c>.</summary>
    Freshdesk,
}

/// <summary>The canonical fields of a ticket summary row, in the canonical column order.</summary>
internal enum SummaryField
{
    Id,
    CreatedAt,
    FirstReplyAt,
    SolvedAt,
    Reopens,
    AgentReplies,
    Priority,
    Channel,
    Team,
    Agent,
    Customer,
    Language,
    Satisfaction,

    /// <summary>Zendesk's "First reply time in minutes": first_reply_at is derived as created_at plus these minutes.</summary>
    FirstReplyMinutes,
}

/// <summary>The header names each profile accepts for each canonical field (matched ignoring case and surrounding spaces).</summary>
internal static class SummaryCsvProfiles
{
    public static readonly string[] CanonicalNames =
    [
        "id", "created_at", "first_reply_at", "solved_at", "reopens", "agent_replies", "priority", "channel", "team",
        "agent", "customer", "language", "satisfaction",
    ];

    /// <summary>
    /// Per field, the accepted headers in order of preference; when several are present, a row takes the first
    /// non-empty one (so Freshdesk's "Closed time" stands in for an empty "Resolved time").
    /// </summary>
    public static IReadOnlyDictionary<SummaryField, string[]> Columns(SummaryCsvProfile profile) => profile switch
    {
        SummaryCsvProfile.Canonical => Canonical,
        SummaryCsvProfile.Zendesk => Zendesk,
        SummaryCsvProfile.Freshdesk => Freshdesk,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "a concrete profile is needed"),
    };

    private static readonly Dictionary<SummaryField, string[]> Canonical = Enumerable.Range(0, CanonicalNames.Length)
        .ToDictionary(i => (SummaryField)i, i => new[] { CanonicalNames[i] });

    private static readonly Dictionary<SummaryField, string[]> Zendesk = new()
    {
        [SummaryField.Id] = ["Id"],
        [SummaryField.CreatedAt] = ["Created at"],
        [SummaryField.FirstReplyMinutes] = ["First reply time in minutes"],
        [SummaryField.SolvedAt] = ["Solved at"],
        [SummaryField.Reopens] = ["Reopens"],
        [SummaryField.AgentReplies] = ["Replies"],
        [SummaryField.Priority] = ["Priority"],
        [SummaryField.Channel] = ["Via"],
        [SummaryField.Team] = ["Group"],
        [SummaryField.Agent] = ["Assignee"],
        [SummaryField.Customer] = ["Requester id", "Requester email", "Requester"],
        [SummaryField.Language] = ["Requester language", "Language", "Locale"],
        [SummaryField.Satisfaction] = ["Satisfaction Score"],
    };

    private static readonly Dictionary<SummaryField, string[]> Freshdesk = new()
    {
        [SummaryField.Id] = ["Ticket ID"],
        [SummaryField.CreatedAt] = ["Created time"],
        [SummaryField.FirstReplyAt] = ["Initial response time"],
        [SummaryField.SolvedAt] = ["Resolved time", "Closed time"],
        [SummaryField.AgentReplies] = ["Agent interactions"],
        [SummaryField.Priority] = ["Priority"],
        [SummaryField.Channel] = ["Source"],
        [SummaryField.Team] = ["Group"],
        [SummaryField.Agent] = ["Agent"],
        [SummaryField.Customer] = ["Contact ID", "Email", "Requester Email", "Full name", "Requester Name"],
        [SummaryField.Language] = ["Language"],
        [SummaryField.Satisfaction] = ["Survey results", "Survey result"],
    };

    /// <summary>Recognises a profile from header names; null when none fits.</summary>
    public static SummaryCsvProfile? Detect(IReadOnlyList<string> headers)
    {
        bool Has(string name) => headers.Any(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        if (Has("created_at") && Has("id"))
        {
            return SummaryCsvProfile.Canonical;
        }

        if (Has("Created at") && Has("Id"))
        {
            return SummaryCsvProfile.Zendesk;
        }

        if (Has("Created time") && Has("Ticket ID"))
        {
            return SummaryCsvProfile.Freshdesk;
        }

        return null;
    }
}
