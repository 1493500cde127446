namespace Utendaji.Core.Surveys.Credit;

/// <summary>
/// Which agent a survey response is credited to in per-agent figures (CSAT by agent, NPS by agent). Each rule is
/// documented, with the helpdesk behaviour it matches, in docs/surveys-responses.md.
/// </summary>
public enum SurveyCreditRule
{
    /// <summary>
    /// Default: the agent credited with the ticket the survey follows (<c>TicketFacts.Agent</c>: the agent who solved it,
    /// unless the metric options choose another ticket credit rule).
    /// </summary>
    Solver,

    /// <summary>The agent of the ticket's last public human reply at or before the response was submitted.</summary>
    LastPublicReplier,

    /// <summary>
    /// Every agent who made a public human reply on the ticket at or before the response was submitted: one response
    /// counts once for each of them, so per-agent counts add up to more than the number of responses.
    /// </summary>
    EveryParticipant,
}

/// <summary>What a response's credit was decided from.</summary>
public enum CreditBasis
{
    /// <summary>The ticket's credited agent (<c>TicketFacts.Agent</c>).</summary>
    TicketAgent,

    /// <summary>The ticket's events (its public human replies).</summary>
    Events,

    /// <summary>The agent named in the response file, because the ticket is not known (or has no credited agent).</summary>
    ResponseAgent,

    /// <summary>Nothing names an agent: the response is credited to nobody.</summary>
    None,
}
