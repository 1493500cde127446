using NodaTime;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Metrics;

/// <summary>
/// The figures one summary row allows (docs/metrics.md, "From a summary export"): no status history, so
/// no pauses, no requester wait, no next replies.
/// </summary>
internal static class SummaryMetrics
{
    public static TicketFacts Run(TicketSummary summary, MetricContext context, MetricTrace trace)
    {
        Guard.NotNull(summary);
        Guard.NotNull(context);
        var clock = TicketClocks.ResolveCalendar(summary.Team, context, trace);
        trace.Zone = clock.Zone;
        var createdAt = summary.CreatedAt;
        if (trace.Enabled)
        {
            trace.Add("ticket",
                $"Ticket {summary.TicketId} from a summary row: created {trace.Format(createdAt)}; only the row's figures are known "
                + "(no status history: no pauses, no requester wait, no next replies).",
                trace.Value("created", createdAt));
        }

        var firstReplyAt = Usable(summary.FirstReplyAt, createdAt, "first_reply", "first reply", trace);
        var solvedAt = Usable(summary.SolvedAt, createdAt, "full_resolution", "solved", trace);

        DualDuration? firstReply = firstReplyAt is { } fr
            ? TicketClocks.Measure(clock, "first_reply", "First reply: creation to the row's first reply", createdAt, fr, trace)
            : null;
        DualDuration? fullResolution = solvedAt is { } sv
            ? TicketClocks.Measure(clock, "full_resolution", "Full resolution: creation to the row's solve", createdAt, sv, trace)
            : null;

        // The row's solve is the final one; it is also the first solve only when the ticket was never reopened.
        var firstKnown = solvedAt is not null && summary.Reopens == 0;
        trace.Add("first_resolution", firstKnown
            ? "First resolution equals full resolution: the row reports no reopens."
            : solvedAt is null ? "No first resolution: the row has no solve." : "First resolution unknown: the ticket was reopened, so the row's solve is not the first.");

        var solved = solvedAt is not null;
        bool? oneTouch = solved ? summary.AgentReplies == 1 && summary.Reopens == 0 : null;
        bool? firstContact = !solved ? null : context.Options.FirstContact switch
        {
            FirstContactDefinition.NoReopen => summary.Reopens == 0,
            // Customer messages are not in the row: determinable only when it surely fails.
            FirstContactDefinition.NoCustomerFollowUp => summary.Reopens > 0 || summary.AgentReplies == 0 ? false : null,
            _ => oneTouch,
        };
        if (trace.Enabled)
        {
            trace.Add("one_touch", solved
                ? $"One-touch: {(oneTouch == true ? "yes" : "no")} ({MetricTrace.Format(summary.AgentReplies)} agent repl(ies), {MetricTrace.Format(summary.Reopens)} reopen(s))."
                : "One-touch undecided: the ticket is not solved.");
            if (trace.Enabled)
            {
                trace.Add("first_contact", $"First-contact resolution ({context.Options.FirstContact}): "
                    + (firstContact is null ? "not determinable from a summary row." : firstContact.Value ? "yes." : "no."),
                    MetricTrace.Value("definition", context.Options.FirstContact.ToString()));
            }

            if (trace.Enabled)
            {
                trace.Add("agent", $"Credited agent: '{summary.Agent ?? "(none)"}' as the export names it; the credit rule cannot be applied without events.",
                    MetricTrace.Value("agent", summary.Agent ?? string.Empty));
            }
        }

        int? satisfaction = summary.Satisfaction is >= 1 and <= 5 ? summary.Satisfaction : null;
        if (summary.Satisfaction is not null && satisfaction is null)
        {
            if (trace.Enabled)
            {
                trace.Add("satisfaction", $"Satisfaction {MetricTrace.Format(summary.Satisfaction.Value)} is outside 1–5; ignored.");
            }
        }

        var status = solved ? TicketStatus.Solved : firstReplyAt is null ? TicketStatus.New : TicketStatus.Open;
        var sla = TicketClocks.ApplyPolicies(new SlaInputs
        {
            CreatedAt = createdAt,
            Priority = summary.Priority,
            Channel = summary.Channel,
            Team = summary.Team,
            // No status history: one segment, nothing pauses.
            Timeline = [new StatusSegment(createdAt, TicketStatus.Open)],
            FirstReplyStart = createdAt,
            FirstReplyStop = firstReplyAt ?? solvedAt,
            ResolutionStop = solvedAt,
        }, context, clock, trace);

        return new TicketFacts
        {
            TicketId = summary.TicketId,
            Source = FactsSource.Summary,
            CreatedAt = createdAt,
            Status = status,
            Channel = summary.Channel,
            Team = summary.Team,
            Priority = summary.Priority,
            Agent = summary.Agent,
            Customer = summary.Customer,
            Language = summary.Language,
            Calendar = clock.Name,
            FirstReplyAt = firstReplyAt,
            FirstReply = firstReply,
            FirstSolvedAt = firstKnown ? solvedAt : null,
            FirstResolution = firstKnown ? fullResolution : null,
            SolvedAt = solvedAt,
            FullResolution = fullResolution,
            AgentReplies = summary.AgentReplies,
            Reopens = summary.Reopens,
            OneTouch = oneTouch,
            FirstContactResolved = firstContact,
            Satisfaction = satisfaction,
            Sla = sla,
        };
    }

    private static Instant? Usable(Instant? at, Instant createdAt, string metric, string what, MetricTrace trace)
    {
        if (at is { } value && value < createdAt)
        {
            if (trace.Enabled)
            {
                trace.Add(metric, $"The row's {what} instant {trace.Format(value)} is before creation; ignored.", trace.Value("at", value));
            }

            return null;
        }

        return at;
    }
}
