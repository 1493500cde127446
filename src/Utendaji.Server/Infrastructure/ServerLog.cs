using Microsoft.Extensions.Logging;

namespace Utendaji.Server.Infrastructure;

/// <summary>
/// The server's log lines. Never customer text, never a token: a caller is named by organisation and token
/// prefix, a request by its route template (not its path, which may carry ticket ids).
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} -> {Status} in {ElapsedMs:0.0} ms (org {Organisation}, token {TokenPrefix})")]
    public static partial void Request(ILogger logger, string method, string route, int status, double elapsedMs, string? organisation, string? tokenPrefix);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Ingested {Added} new and {Unchanged} known {Kind} for org {Organisation}; facts derived for {Tickets} ticket(s)")]
    public static partial void Ingested(ILogger logger, string kind, long added, long unchanged, long tickets, string organisation);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Configuration {Kind} '{Name}' {Action} for org {Organisation}; facts re-derived for {Tickets} ticket(s)")]
    public static partial void ConfigChanged(ILogger logger, string kind, string name, string action, string organisation, int tickets);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Rate limit reached by token {TokenPrefix}")]
    public static partial void RateLimited(ILogger logger, string tokenPrefix);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Webhook {Provider} for org {Organisation}: {Outcome}")]
    public static partial void Webhook(ILogger logger, string provider, string organisation, string outcome);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Background jobs: {Jobs}; SLA warnings: {SlaWarnings}; helpdesk webhooks: {Connectors}")]
    public static partial void BackgroundWork(ILogger logger, string jobs, string slaWarnings, string connectors);
}
