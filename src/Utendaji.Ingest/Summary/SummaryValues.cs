namespace Utendaji.Ingest.Summary;

/// <summary>How the text values of helpdesk exports map onto canonical values.</summary>
internal static class SummaryValues
{
    /// <summary>
    /// Survey answers that are not a number 1–5. Zendesk's good/bad become 5/1; Freshdesk's 7-point answers map so that
    /// every "happy" answer is in the top two of five (Freshdesk counts them all as satisfied) and its 3-point classic
    /// answers to 5/3/1. "Offered"/"Unoffered" mean no rating.
    /// </summary>
    private static readonly Dictionary<string, int?> SatisfactionTexts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Good"] = 5,
        ["Good with comment"] = 5,
        ["Good without comment"] = 5,
        ["Bad"] = 1,
        ["Bad with comment"] = 1,
        ["Bad without comment"] = 1,
        ["Offered"] = null,
        ["Unoffered"] = null,
        ["Not offered"] = null,
        ["Extremely Happy"] = 5,
        ["Very Happy"] = 5,
        ["Happy"] = 4,
        ["Neutral"] = 3,
        ["Unhappy"] = 2,
        ["Very Unhappy"] = 1,
        ["Extremely Unhappy"] = 1,
        ["Awesome"] = 5,
        ["Just Okay"] = 3,
        ["Not Good"] = 1,
    };

    /// <summary>Zendesk "Via" and Freshdesk "Source" values onto the canonical channels email, chat, phone, social, web.</summary>
    private static readonly Dictionary<string, string> ChannelTexts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Email"] = "email",
        ["Outbound Email"] = "email",
        ["Mail"] = "email",
        ["Web form"] = "web",
        ["Web Widget"] = "web",
        ["Portal"] = "web",
        ["Feedback Widget"] = "web",
        ["Help Center"] = "web",
        ["Chat"] = "chat",
        ["Messaging"] = "chat",
        ["Native messaging"] = "chat",
        ["Mobile SDK"] = "chat",
        ["Phone"] = "phone",
        ["Phone call (incoming)"] = "phone",
        ["Phone call (outgoing)"] = "phone",
        ["Voicemail"] = "phone",
        ["Twitter"] = "social",
        ["Twitter DM"] = "social",
        ["X Corp"] = "social",
        ["Facebook"] = "social",
        ["Facebook post"] = "social",
        ["Facebook private message"] = "social",
        ["Instagram"] = "social",
        ["Instagram Direct"] = "social",
        ["WhatsApp"] = "social",
    };

    /// <summary>Maps a survey answer; false when it is not a known answer nor 1–5.</summary>
    public static bool TryMapSatisfactionText(string text, out int? rating) =>
        SatisfactionTexts.TryGetValue(text.Trim(), out rating);

    /// <summary>The canonical channel for a helpdesk's channel name, or the name in lower case when unknown.</summary>
    public static string MapChannel(string text) =>
        ChannelTexts.TryGetValue(text.Trim(), out var channel) ? channel : text.Trim().ToLowerInvariant();
}
