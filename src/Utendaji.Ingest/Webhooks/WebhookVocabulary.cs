using Utendaji.Core.Tickets;
using Utendaji.Ingest.Summary;

namespace Utendaji.Ingest.Webhooks;

/// <summary>How helpdesk statuses and channel names map onto the canonical ones (tables in docs/connectors.md).</summary>
internal static class WebhookVocabulary
{
    private static readonly Dictionary<string, TicketStatus> ZendeskStatuses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["new"] = TicketStatus.New,
        ["open"] = TicketStatus.Open,
        ["pending"] = TicketStatus.Pending,
        ["hold"] = TicketStatus.OnHold,
        ["on_hold"] = TicketStatus.OnHold,
        ["solved"] = TicketStatus.Solved,
        ["closed"] = TicketStatus.Closed,
    };

    // Chatwoot's "pending" is a conversation a bot still handles, before any human has seen it: our "new".
    // "snoozed" hides a conversation until a date or the customer's next message: waiting, our "pending".
    private static readonly Dictionary<string, TicketStatus> ChatwootStatuses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["open"] = TicketStatus.Open,
        ["pending"] = TicketStatus.New,
        ["snoozed"] = TicketStatus.Pending,
        ["resolved"] = TicketStatus.Solved,
    };

    // Zendesk's via.channel values in event payloads (snake_case), where they differ from the export's names.
    private static readonly Dictionary<string, string> ZendeskChannels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email",
        ["web"] = "web",
        ["web_form"] = "web",
        ["web_widget"] = "web",
        ["help_center"] = "web",
        ["chat"] = "chat",
        ["native_messaging"] = "chat",
        ["messaging"] = "chat",
        ["mobile_sdk"] = "chat",
        ["sdk"] = "chat",
        ["voice"] = "phone",
        ["phone"] = "phone",
        ["twitter"] = "social",
        ["facebook"] = "social",
        ["instagram"] = "social",
        ["instagram_dm"] = "social",
        ["whatsapp"] = "social",
        ["line"] = "social",
        ["wechat"] = "social",
        ["telegram"] = "social",
        ["api"] = "api",
        ["web_service"] = "api",
    };

    private static readonly Dictionary<string, string> ChatwootChannels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Channel::WebWidget"] = "chat",
        ["Channel::Email"] = "email",
        ["Channel::Api"] = "api",
        ["Channel::Sms"] = "sms",
        ["Channel::TwilioSms"] = "sms",
        ["Channel::Voice"] = "phone",
        ["Channel::Whatsapp"] = "social",
        ["Channel::FacebookPage"] = "social",
        ["Channel::Instagram"] = "social",
        ["Channel::TwitterProfile"] = "social",
        ["Channel::Telegram"] = "social",
        ["Channel::Line"] = "social",
        ["Channel::Tiktok"] = "social",
    };

    public static TicketStatus? ZendeskStatus(string text) =>
        ZendeskStatuses.TryGetValue(text.Trim(), out var status) ? status : null;

    public static TicketStatus? ChatwootStatus(string text) =>
        ChatwootStatuses.TryGetValue(text.Trim(), out var status) ? status : null;

    public static string ZendeskChannel(string text) =>
        ZendeskChannels.TryGetValue(text.Trim(), out var channel) ? channel : SummaryValues.MapChannel(text);

    /// <summary>A Chatwoot inbox type (<c>Channel::WebWidget</c>); unknown ones lose the prefix and are lower-cased.</summary>
    public static string ChatwootChannel(string text)
    {
        var trimmed = text.Trim();
        if (ChatwootChannels.TryGetValue(trimmed, out var channel))
        {
            return channel;
        }

        return trimmed.StartsWith("Channel::", StringComparison.Ordinal) ? trimmed["Channel::".Length..].ToLowerInvariant() : trimmed.ToLowerInvariant();
    }

    /// <summary>True when a ticket moves from solved or closed back to an unsolved status.</summary>
    public static bool IsReopen(TicketStatus? before, TicketStatus next) =>
        before is TicketStatus.Solved or TicketStatus.Closed && next is not (TicketStatus.Solved or TicketStatus.Closed);
}
