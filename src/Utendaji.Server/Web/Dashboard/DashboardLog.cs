using Microsoft.Extensions.Logging;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// The dashboard's log events (ids 500–519). Organisations and roles only: never a password, an e-mail address or a
/// token, so logs can be shipped without exposing who tried which account.
/// </summary>
internal static partial class DashboardLog
{
    /// <summary>The logger category.</summary>
    public const string Category = "Utendaji.Server.Dashboard";

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Dashboard sign-in to org {Organisation} as {Role}")]
    public static partial void SignedIn(ILogger logger, string organisation, string role);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Dashboard account of org {Organisation} locked until {LockedUntil} after {Failures} failed sign-ins")]
    public static partial void Locked(ILogger logger, string organisation, string lockedUntil, int failures);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Dashboard: {Change} in org {Organisation} by a {Role}")]
    public static partial void PeopleChanged(ILogger logger, string change, string organisation, string role);
}
