using Utendaji.Core.Tickets;

namespace Utendaji.Ingest.Webhooks;

/// <summary>What became of one webhook body.</summary>
public enum WebhookMappingStatus
{
    /// <summary>The body gave one or more canonical events (<see cref="WebhookMapping.Events"/>).</summary>
    Mapped,

    /// <summary>
    /// A well-formed payload Utendaji does not measure (a user event, a tag change, a private-to-public edit…):
    /// acknowledge it so the helpdesk does not retry, store nothing. <see cref="WebhookMapping.IgnoredReason"/> says why.
    /// </summary>
    Ignored,

    /// <summary>The body is not a payload of this helpdesk: bad JSON, a required field missing or of the wrong type.</summary>
    Invalid,
}

/// <summary>
/// The result of mapping one webhook body: canonical events, or why nothing was mapped. Mapping is pure and
/// deterministic: the same body always gives the same events with the same ids, so a redelivered webhook is a
/// no-op for a store that is idempotent by event id.
/// </summary>
public sealed record WebhookMapping
{
    private WebhookMapping(WebhookMappingStatus status, IReadOnlyList<TicketEvent> events, string? ignoredReason, IReadOnlyList<WebhookIssue> issues)
    {
        Status = status;
        Events = events;
        IgnoredReason = ignoredReason;
        Issues = issues;
    }

    /// <summary>Mapped, ignored or invalid.</summary>
    public WebhookMappingStatus Status { get; }

    /// <summary>The canonical events (empty unless <see cref="WebhookMappingStatus.Mapped"/>), in the order they happened.</summary>
    public IReadOnlyList<TicketEvent> Events { get; }

    /// <summary>Why the payload was ignored (only with <see cref="WebhookMappingStatus.Ignored"/>).</summary>
    public string? IgnoredReason { get; }

    /// <summary>Every problem found (only with <see cref="WebhookMappingStatus.Invalid"/>).</summary>
    public IReadOnlyList<WebhookIssue> Issues { get; }

    internal static WebhookMapping Mapped(IReadOnlyList<TicketEvent> events) =>
        events.Count == 0 ? throw new ArgumentException("A mapping needs at least one event.", nameof(events)) : new(WebhookMappingStatus.Mapped, events, null, []);

    internal static WebhookMapping Ignored(string reason) => new(WebhookMappingStatus.Ignored, [], reason, []);

    internal static WebhookMapping Invalid(IReadOnlyList<WebhookIssue> issues) => new(WebhookMappingStatus.Invalid, [], null, issues);

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        WebhookMappingStatus.Mapped => $"mapped {Events.Count} event(s)",
        WebhookMappingStatus.Ignored => $"ignored: {IgnoredReason}",
        _ => "invalid: " + string.Join("; ", Issues),
    };
}
