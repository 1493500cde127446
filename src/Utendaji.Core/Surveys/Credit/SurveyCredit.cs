using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Surveys.Credit;

/// <summary>
/// Decides which agent(s) a survey response is credited to. Pure: the caller supplies the ticket's facts and, for the
/// reply-based rules, its events.
/// </summary>
/// <remarks>
/// <para>A public human reply is an <see cref="TicketEventType.AgentReply"/> event by an <see cref="ActorKind.Agent"/>
/// with <see cref="TicketEvent.Public"/> set and an actor id; bot replies and internal notes never earn credit.
/// Replies after <see cref="SurveyResponse.SubmittedAt"/> are ignored: the customer could not have rated them.</para>
/// <para>Fallbacks, in order, when the rule cannot be applied: the reply-based rules fall back to the ticket's credited
/// agent when the ticket has no events (it came from a summary export); every rule falls back to the agent named in the
/// response file when the ticket is unknown or has no credited agent; otherwise nobody is credited. A ticket whose
/// events show no public human reply before the response credits nobody under the reply-based rules (it is not
/// guessed). <see cref="ResponseCredit.Basis"/> says which case applied.</para>
/// </remarks>
public static class SurveyCredit
{
    /// <summary>The agents <paramref name="response"/> is credited to under <paramref name="rule"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="ticket">The facts of the ticket the response follows (<see cref="SurveyResponse.TicketId"/>), or null when unknown.</param>
    /// <param name="events">That ticket's events in any order, or null (or empty) when it has none.</param>
    /// <param name="rule">The credit rule (default <see cref="SurveyCreditRule.Solver"/>).</param>
    /// <exception cref="ArgumentException">The facts or an event belong to another ticket than the response's.</exception>
    public static ResponseCredit Credit(SurveyResponse response, TicketFacts? ticket, IReadOnlyList<TicketEvent>? events = null, SurveyCreditRule rule = SurveyCreditRule.Solver)
    {
        Guard.NotNull(response);
        if (ticket is not null && !string.Equals(ticket.TicketId, response.TicketId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the facts are of ticket '{ticket.TicketId}', the response follows '{response.TicketId ?? "(none)"}'", nameof(ticket));
        }

        if (events is { Count: > 0 })
        {
            foreach (var e in events)
            {
                if (!string.Equals(e.TicketId, response.TicketId, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"event '{e.Id}' is of ticket '{e.TicketId}', the response follows '{response.TicketId ?? "(none)"}'", nameof(events));
                }
            }
        }

        switch (rule)
        {
            case SurveyCreditRule.Solver:
                return TicketAgent(response, ticket);
            case SurveyCreditRule.LastPublicReplier:
            case SurveyCreditRule.EveryParticipant:
                if (events is not { Count: > 0 })
                {
                    return TicketAgent(response, ticket);
                }

                var repliers = PublicRepliers(events, response);
                if (repliers.Count == 0)
                {
                    return new ResponseCredit([], CreditBasis.Events);
                }

                return rule == SurveyCreditRule.LastPublicReplier
                    ? new ResponseCredit([repliers.Last], CreditBasis.Events)
                    : new ResponseCredit(repliers.Distinct, CreditBasis.Events);
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "is not a survey credit rule");
        }
    }

    private static ResponseCredit TicketAgent(SurveyResponse response, TicketFacts? ticket)
    {
        if (ticket?.Agent is { } agent)
        {
            return new ResponseCredit([agent], CreditBasis.TicketAgent);
        }

        return response.Agent is { } named ? new ResponseCredit([named], CreditBasis.ResponseAgent) : ResponseCredit.Nobody;
    }

    /// <summary>Public human repliers up to the submission, in order of instant then event id (the store's order).</summary>
    private static Participants PublicRepliers(IReadOnlyList<TicketEvent> events, SurveyResponse response)
    {
        var replies = events
            .Where(e => e.Type == TicketEventType.AgentReply && e.ActorKind == ActorKind.Agent && e.Public && e.ActorId is not null && e.At <= response.SubmittedAt)
            .OrderBy(e => e.At)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        var distinct = new List<string>();
        foreach (var reply in replies)
        {
            if (!distinct.Contains(reply.ActorId!, StringComparer.Ordinal))
            {
                distinct.Add(reply.ActorId!);
            }
        }

        return new Participants(distinct, replies.Count == 0 ? "" : replies[^1].ActorId!);
    }

    private readonly record struct Participants(IReadOnlyList<string> Distinct, string Last)
    {
        public int Count => Distinct.Count;
    }
}
