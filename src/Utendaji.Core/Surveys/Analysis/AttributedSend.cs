namespace Utendaji.Core.Surveys.Analysis;

/// <summary>
/// A survey send with the team and credited agents of the ticket it follows, so a report grouped by team or agent
/// can give the response rate per group. Sends themselves carry only channel and language.
/// </summary>
/// <param name="Send">The send.</param>
/// <param name="Team">The ticket's team, or null (no ticket, or the ticket has no team).</param>
/// <param name="Agents">The agents credited with the ticket under the report's credit rule; empty when nobody is.</param>
public sealed record AttributedSend(SurveySend Send, string? Team, IReadOnlyList<string> Agents);
