using System.Globalization;
using NodaTime;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Metrics;

/// <summary>
/// One pass over a ticket's events in time order (definitions in docs/metrics.md). Every figure is
/// decided here exactly once; the trace only records the decisions.
/// </summary>
internal static class EventMetrics
{
    private static readonly Comparison<TicketEvent> ByInstantThenId = (a, b) =>
    {
        var byInstant = a.At.CompareTo(b.At);
        return byInstant != 0 ? byInstant : string.CompareOrdinal(a.Id, b.Id);
    };

    public static TicketFacts Run(string ticketId, IReadOnlyList<TicketEvent> events, MetricContext context, MetricTrace trace)
    {
        Guard.NotBlank(ticketId);
        Guard.NotNull(events);
        Guard.NotNull(context);
        if (events.Count == 0)
        {
            throw new ArgumentException("a ticket needs at least one event", nameof(events));
        }

        foreach (var e in events)
        {
            if (!string.Equals(e.TicketId, ticketId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"event '{e.Id}' belongs to ticket '{e.TicketId}', not '{ticketId}'", nameof(events));
            }
        }

        var ordered = Sorted(events);
        return new Walk(ticketId, ordered, context, trace).Run();
    }

    private static IReadOnlyList<TicketEvent> Sorted(IReadOnlyList<TicketEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            if (ByInstantThenId(events[i - 1], events[i]) > 0)
            {
                // OrderBy is stable: events with the same instant and id keep their given order.
                return events.OrderBy(e => e.At).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
            }
        }

        return events;
    }

    private static bool IsSolved(TicketStatus status) => status is TicketStatus.Solved or TicketStatus.Closed;

    /// <summary>The mutable state of one pass; never escapes <see cref="Run"/>.</summary>
    private sealed class Walk(string ticketId, IReadOnlyList<TicketEvent> events, MetricContext context, MetricTrace trace)
    {
        private readonly List<StatusSegment> _timeline = [];
        private readonly List<(TicketEvent Message, TicketEvent Reply)> _nextReplies = [];
        private readonly List<(Instant Start, Instant? Stop, string EventId)> _nextReplyWindows = [];

        private int _summaryIndex;
        private TicketStatus _status;
        private string? _channel;
        private string? _team;
        private string? _priority;
        private string? _customer;
        private string? _customerActor;
        private string? _language;
        private string? _assignee;
        private int? _satisfaction;

        private TicketEvent? _firstReplyStart;
        private TicketEvent? _firstReply;
        private Instant? _firstReplyClockStop;
        private TicketEvent? _awaitingReply;
        private TicketEvent? _awaitingSla;
        private int _customerMessagesAfterFirstReply;

        private int _agentReplies;
        private string? _firstResponder;
        private string? _lastResponder;

        private TicketEvent? _firstSolve;
        private TicketEvent? _lastSolve;
        private string? _solver;
        private int _reopens;
        private bool _reopenCountedSinceSolve;

        public TicketFacts Run()
        {
            // The calendar depends on the last stated team, so it is chosen before the pass: every instant of the
            // explanation is then shown in the team's own zone.
            string? lastTeam = null;
            foreach (var e in events)
            {
                lastTeam = e.Team ?? lastTeam;
            }

            var clock = TicketClocks.ResolveCalendar(lastTeam, context, trace);
            trace.Zone = clock.Zone;
            _summaryIndex = trace.Steps.Count;
            var created = FindCreation();
            var createdAt = created.At;
            var agentOpened = created.Type == TicketEventType.Created && created.ActorKind == ActorKind.Agent;

            foreach (var e in events)
            {
                Note(e);
                if (ReferenceEquals(e, created))
                {
                    Start(e, agentOpened);
                    continue;
                }

                switch (e.Type)
                {
                    case TicketEventType.CustomerReply:
                        CustomerMessage(e, agentOpened);
                        break;
                    case TicketEventType.AgentReply:
                        AgentReply(e);
                        break;
                    case TicketEventType.StatusChanged:
                        if (e.Status is { } status)
                        {
                            ChangeStatus(e, status);
                        }
                        else
                        {
                            if (trace.Enabled)
                            {
                                trace.Add("ticket", $"Event {e.Id} changes status but names none; ignored.", MetricTrace.Value("event", e.Id));
                            }
                        }

                        break;
                    case TicketEventType.Reopened:
                        Reopen(e);
                        break;
                    case TicketEventType.Assigned:
                        _assignee = e.Attribute("assignee") ?? e.ActorId ?? _assignee;
                        break;
                    case TicketEventType.Created:
                        if (trace.Enabled)
                        {
                            trace.Add("ticket", $"Event {e.Id} is a second 'created' event; only {created.Id} marks the creation.",
                                MetricTrace.Value("event", e.Id));
                        }

                        break;
                    default:
                        break;
                }
            }

            return Finish(clock, created, createdAt, agentOpened);
        }

        private TicketEvent FindCreation()
        {
            foreach (var e in events)
            {
                if (e.Type == TicketEventType.Created)
                {
                    return e;
                }
            }

            if (trace.Enabled)
            {
                trace.Add("ticket", $"No 'created' event; the earliest event {events[0].Id} stands for the creation.",
                    MetricTrace.Value("event", events[0].Id));
            }

            return events[0];
        }

        private void Start(TicketEvent created, bool agentOpened)
        {
            _status = created.Type == TicketEventType.Created ? created.Status ?? TicketStatus.New : TicketStatus.New;
            _timeline.Add(new StatusSegment(created.At, _status));
            if (created.Type == TicketEventType.Created && created.ActorKind == ActorKind.Customer)
            {
                _customerActor ??= created.ActorId;
            }

            if (IsSolved(_status))
            {
                _firstSolve = _lastSolve = created;
                _solver = created.ActorKind == ActorKind.Agent ? created.ActorId : _assignee;
            }

            if (agentOpened)
            {
                if (trace.Enabled)
                {
                    trace.Add("first_reply",
                        $"An agent opened the ticket ({created.Id}); the first reply clock starts at the customer's first message, not at creation.",
                        MetricTrace.Value("event", created.Id), trace.Value("at", created.At));
                }
            }
            else
            {
                _firstReplyStart = created;
                var by = created.ActorKind switch
                {
                    ActorKind.Bot => " by a bot; the time with the bot counts, since the customer was waiting for a human from the start",
                    ActorKind.System => " by the system on the customer's behalf",
                    _ => string.Empty,
                };
                if (trace.Enabled)
                {
                    trace.Add("first_reply", $"The first reply clock starts at creation ({created.Id}){by}.",
                        MetricTrace.Value("event", created.Id), trace.Value("at", created.At));
                }
            }
        }

        private void Note(TicketEvent e)
        {
            _channel = e.Channel ?? _channel;
            _team = e.Team ?? _team;
            _priority = e.Priority ?? _priority;
            if (e.Attributes is null)
            {
                return;
            }

            _customer = e.Attribute("customer") ?? _customer;
            _language = e.Attribute("language") ?? _language;
            if (e.Attribute("satisfaction") is { } rating)
            {
                if (int.TryParse(rating, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 5)
                {
                    _satisfaction = value;
                    if (trace.Enabled)
                    {
                        trace.Add("satisfaction", $"Event {e.Id} rates the ticket {value} of 5 (the last rating wins).",
                            MetricTrace.Value("event", e.Id), MetricTrace.Value("rating", rating));
                    }
                }
                else
                {
                    if (trace.Enabled)
                    {
                        trace.Add("satisfaction", $"Event {e.Id} has satisfaction '{rating}', not a whole number 1–5; ignored.",
                            MetricTrace.Value("event", e.Id), MetricTrace.Value("rating", rating));
                    }
                }
            }
        }

        private void CustomerMessage(TicketEvent e, bool agentOpened)
        {
            if (e.ActorKind == ActorKind.Customer)
            {
                _customerActor ??= e.ActorId;
            }

            if (_firstReplyStart is null && agentOpened)
            {
                _firstReplyStart = e;
                if (trace.Enabled)
                {
                    trace.Add("first_reply", $"The customer's first message {e.Id} starts the first reply clock.",
                        MetricTrace.Value("event", e.Id), trace.Value("at", e.At));
                }
            }

            if (_firstReply is not null)
            {
                _customerMessagesAfterFirstReply++;
                if (_awaitingReply is null)
                {
                    _awaitingReply = e;
                }
                else
                {
                    if (trace.Enabled)
                    {
                        trace.Add("next_reply", $"Customer message {e.Id} joins the unanswered run that began with {_awaitingReply.Id}.",
                            MetricTrace.Value("event", e.Id));
                    }
                }
            }

            // Next-reply SLA clocks begin once the first-reply clock has stopped (by a reply or a solve).
            if (_firstReplyClockStop is not null && _awaitingSla is null)
            {
                _awaitingSla = e;
            }
        }

        private void AgentReply(TicketEvent e)
        {
            if (e.ActorKind != ActorKind.Agent)
            {
                if (trace.Enabled)
                {
                    trace.Add("agent_replies",
                        $"Reply {e.Id} is by a {(e.ActorKind == ActorKind.Bot ? "bot" : e.ActorKind.ToString().ToLowerInvariant())}, not a human agent; it answers nothing.",
                        MetricTrace.Value("event", e.Id), MetricTrace.Value("actor", e.ActorId ?? string.Empty));
                }

                return;
            }

            if (!e.Public)
            {
                if (trace.Enabled)
                {
                    trace.Add("agent_replies", $"Reply {e.Id} is an internal note; the customer never saw it, so it answers nothing.",
                        MetricTrace.Value("event", e.Id));
                }

                return;
            }

            _agentReplies++;
            _firstResponder ??= e.ActorId;
            _lastResponder = e.ActorId;
            if (trace.Enabled)
            {
                trace.Add("agent_replies", $"Public human reply {e.Id} by '{e.ActorId ?? "(unknown)"}' (#{MetricTrace.Format(_agentReplies)}).",
                    MetricTrace.Value("event", e.Id), trace.Value("at", e.At));
            }

            if (_firstReply is null && _firstReplyStart is not null)
            {
                _firstReply = e;
                _firstReplyClockStop ??= e.At;
            }
            else if (_firstReply is not null && _awaitingReply is not null)
            {
                _nextReplies.Add((_awaitingReply, e));
                _awaitingReply = null;
            }

            if (_awaitingSla is not null)
            {
                _nextReplyWindows.Add((_awaitingSla.At, e.At, _awaitingSla.Id));
                _awaitingSla = null;
            }
        }

        private void Reopen(TicketEvent e)
        {
            if (!IsSolved(_status) && !_reopenCountedSinceSolve)
            {
                // The status change out of solved, if any, came first and was not counted, or there was none.
                _reopens++;
                _reopenCountedSinceSolve = true;
                if (trace.Enabled)
                {
                    trace.Add("reopens", $"Reopened event {e.Id} counts as reopen #{MetricTrace.Format(_reopens)}.",
                        MetricTrace.Value("event", e.Id), trace.Value("at", e.At));
                }
            }
            else if (!IsSolved(_status))
            {
                if (trace.Enabled)
                {
                    trace.Add("reopens", $"Reopened event {e.Id} repeats a reopen already counted; not counted again.",
                        MetricTrace.Value("event", e.Id));
                }
            }

            ChangeStatus(e, e.Status is { } s && !IsSolved(s) ? s : TicketStatus.Open);
        }

        private void ChangeStatus(TicketEvent e, TicketStatus next)
        {
            if (next == _status)
            {
                return;
            }

            var wasSolved = IsSolved(_status);
            var isSolved = IsSolved(next);
            if (!wasSolved && isSolved)
            {
                Solve(e);
            }
            else if (wasSolved && !isSolved)
            {
                if (!_reopenCountedSinceSolve)
                {
                    _reopens++;
                    _reopenCountedSinceSolve = true;
                    if (trace.Enabled)
                    {
                        trace.Add("reopens", $"Event {e.Id} moves the ticket from {SlaEvaluator.Name(_status)} back to {SlaEvaluator.Name(next)}: reopen #{MetricTrace.Format(_reopens)}.",
                            MetricTrace.Value("event", e.Id), trace.Value("at", e.At));
                    }
                }
                else
                {
                    if (trace.Enabled)
                    {
                        trace.Add("reopens", $"Event {e.Id} repeats a reopen already counted; not counted again.", MetricTrace.Value("event", e.Id));
                    }
                }
            }

            _status = next;
            if (_timeline[^1].Start == e.At)
            {
                // Several changes at one instant: only the last status held for any time.
                _timeline[^1] = new StatusSegment(e.At, next);
            }
            else
            {
                _timeline.Add(new StatusSegment(e.At, next));
            }
        }

        private void Solve(TicketEvent e)
        {
            _firstSolve ??= e;
            _lastSolve = e;
            _reopenCountedSinceSolve = false;
            _solver = e.ActorKind == ActorKind.Agent && e.ActorId is not null ? e.ActorId : _assignee;
            if (trace.Enabled)
            {
                trace.Add("full_resolution", $"Event {e.Id} solves the ticket{(_firstSolve == e ? " (first solve)" : string.Empty)}.",
                    MetricTrace.Value("event", e.Id), trace.Value("at", e.At));
            }

            // A solve answers whatever was waiting: reply clocks stop, the unanswered run ends without a reply time.
            if (_firstReplyStart is not null && _firstReplyClockStop is null)
            {
                _firstReplyClockStop = e.At;
            }

            if (_awaitingSla is not null)
            {
                _nextReplyWindows.Add((_awaitingSla.At, e.At, _awaitingSla.Id));
                _awaitingSla = null;
            }

            if (_awaitingReply is not null)
            {
                if (trace.Enabled)
                {
                    trace.Add("next_reply", $"Customer message {_awaitingReply.Id} was never replied to before the solve {e.Id}; no next reply time.",
                        MetricTrace.Value("event", _awaitingReply.Id));
                }

                _awaitingReply = null;
            }
        }

        private TicketFacts Finish(TimeMeasure clock, TicketEvent created, Instant createdAt, bool agentOpened)
        {
            var solvedNow = IsSolved(_status);
            if (trace.Enabled)
            {
                trace.Insert(_summaryIndex, "ticket",
                    $"Ticket {ticketId}: created {trace.Format(createdAt)}, {events.Count} event(s), status now {SlaEvaluator.Name(_status)}; "
                    + $"priority {_priority ?? "(none)"}, channel {_channel ?? "(none)"}, team {_team ?? "(none)"} (each the last stated).",
                    MetricTrace.Value("event", created.Id), trace.Value("created", createdAt),
                    MetricTrace.Value("status", SlaEvaluator.Name(_status)));
            }

            // First reply.
            DualDuration? firstReply = null;
            if (_firstReply is not null && _firstReplyStart is not null)
            {
                firstReply = TicketClocks.Measure(clock, "first_reply",
                    $"First reply: {_firstReplyStart.Id} to the first public human reply {_firstReply.Id}",
                    _firstReplyStart.At, _firstReply.At, trace);
            }
            else
            {
                trace.Add("first_reply", _firstReplyStart is null
                    ? "No first reply time: the customer never wrote on this agent-opened ticket."
                    : "No first reply time: no public human agent reply yet.");
            }

            // Next replies.
            var nextReplies = new List<DualDuration>(_nextReplies.Count);
            foreach (var (message, reply) in _nextReplies)
            {
                nextReplies.Add(TicketClocks.Measure(clock, "next_reply", $"Next reply: customer message {message.Id} to reply {reply.Id}",
                    message.At, reply.At, trace));
            }

            if (_awaitingReply is not null)
            {
                if (trace.Enabled)
                {
                    trace.Add("next_reply", $"Customer message {_awaitingReply.Id} still awaits a reply; it has no next reply time yet.",
                        MetricTrace.Value("event", _awaitingReply.Id), trace.Value("at", _awaitingReply.At));
                }
            }

            if (_awaitingSla is not null)
            {
                _nextReplyWindows.Add((_awaitingSla.At, null, _awaitingSla.Id));
            }

            // Resolution.
            DualDuration? firstResolution = _firstSolve is null ? null
                : TicketClocks.Measure(clock, "first_resolution", $"First resolution: creation to the first solve {_firstSolve.Id}",
                    createdAt, _firstSolve.At, trace);
            Instant? solvedAt = solvedNow ? _lastSolve!.At : null;
            DualDuration? fullResolution = null;
            DualDuration? requesterWait = null;
            if (solvedNow)
            {
                fullResolution = TicketClocks.Measure(clock, "full_resolution", $"Full resolution: creation to the final solve {_lastSolve!.Id}",
                    createdAt, solvedAt!.Value, trace);
                requesterWait = RequesterWait(clock, createdAt, solvedAt.Value);
            }
            else
            {
                trace.Add("full_resolution", "No full resolution or requester wait time: the ticket is not solved now.");
            }

            // Counts and flags.
            bool? oneTouch = solvedNow ? _agentReplies == 1 && _reopens == 0 : null;
            bool? firstContact = solvedNow
                ? context.Options.FirstContact switch
                {
                    FirstContactDefinition.NoReopen => _reopens == 0,
                    FirstContactDefinition.NoCustomerFollowUp => _firstReply is not null && _customerMessagesAfterFirstReply == 0 && _reopens == 0,
                    _ => oneTouch,
                }
                : null;
            ExplainFlags(solvedNow, oneTouch, firstContact);

            var agent = CreditedAgent(solvedNow);
            var customer = _customer ?? _customerActor;
            if (_satisfaction is null)
            {
                trace.Add("satisfaction", "No satisfaction rating.");
            }

            var sla = TicketClocks.ApplyPolicies(new SlaInputs
            {
                CreatedAt = createdAt,
                Priority = _priority,
                Channel = _channel,
                Team = _team,
                Timeline = _timeline,
                FirstReplyStart = _firstReplyStart?.At,
                FirstReplyStartText = agentOpened && trace.Enabled ? $"customer message {_firstReplyStart?.Id}" : "creation",
                FirstReplyStop = _firstReplyClockStop,
                NextReplyWindows = _nextReplyWindows,
                ResolutionStop = solvedAt,
            }, context, clock, trace);

            return new TicketFacts
            {
                TicketId = ticketId,
                Source = FactsSource.Events,
                CreatedAt = createdAt,
                Status = _status,
                Channel = _channel,
                Team = _team,
                Priority = _priority,
                Agent = agent,
                Customer = customer,
                Language = _language,
                Calendar = clock.Name,
                FirstReplyAt = _firstReply?.At,
                FirstReply = firstReply,
                NextReplies = nextReplies,
                FirstSolvedAt = _firstSolve?.At,
                FirstResolution = firstResolution,
                SolvedAt = solvedAt,
                FullResolution = fullResolution,
                RequesterWait = requesterWait,
                AgentReplies = _agentReplies,
                Reopens = _reopens,
                OneTouch = oneTouch,
                FirstContactResolved = firstContact,
                Satisfaction = _satisfaction,
                Sla = sla,
            };
        }

        private DualDuration RequesterWait(TimeMeasure clock, Instant createdAt, Instant solvedAt)
        {
            // The requester waits on the organisation in new, open and on-hold; pending (waiting on them) and
            // solved periods before a reopen do not count.
            var calendar = Duration.Zero;
            var business = Duration.Zero;
            var counted = trace.Enabled ? new List<ExplanationValue>() : null;
            for (var i = 0; i < _timeline.Count; i++)
            {
                var segment = _timeline[i];
                var end = i + 1 < _timeline.Count ? _timeline[i + 1].Start : solvedAt;
                var from = Instant.Max(segment.Start, createdAt);
                if (end > solvedAt)
                {
                    end = solvedAt;
                }

                if (end <= from)
                {
                    continue;
                }

                var waits = segment.Status is TicketStatus.New or TicketStatus.Open or TicketStatus.OnHold;
                counted?.Add(new ExplanationValue((waits ? "counted_" : "excluded_") + SlaEvaluator.Name(segment.Status),
                    trace.Format(new Interval(from, end))));
                if (waits)
                {
                    calendar += end - from;
                    business += clock.Elapsed(from, end);
                    TicketClocks.ExplainIntervals(clock, "requester_wait", from, end, trace);
                }
            }

            var wait = new DualDuration(calendar, business);
            if (trace.Enabled)
            {
                trace.Add("requester_wait",
                    $"Requester wait: time in new, open and on-hold until the final solve (pending and solved excluded): "
                    + $"{MetricTrace.Format(calendar)} calendar time, {MetricTrace.Format(business)} business time.",
                    [.. counted!, MetricTrace.Value("calendar", calendar), MetricTrace.Value("business", business)]);
            }

            return wait;
        }

        private void ExplainFlags(bool solvedNow, bool? oneTouch, bool? firstContact)
        {
            if (!trace.Enabled)
            {
                return;
            }

            if (trace.Enabled)
            {
                trace.Add("reopens", $"Reopens: {MetricTrace.Format(_reopens)}.", MetricTrace.Value("reopens", MetricTrace.Format(_reopens)));
            }

            if (trace.Enabled)
            {
                trace.Add("agent_replies", $"Public human agent replies: {MetricTrace.Format(_agentReplies)}.",
                    MetricTrace.Value("agent_replies", MetricTrace.Format(_agentReplies)));
            }

            if (!solvedNow)
            {
                trace.Add("one_touch", "One-touch and first-contact resolution are undecided while the ticket is unsolved.");
                return;
            }

            if (trace.Enabled)
            {
                trace.Add("one_touch",
                    $"One-touch: {(oneTouch == true ? "yes" : "no")} (solved, {MetricTrace.Format(_agentReplies)} public agent repl(ies), {MetricTrace.Format(_reopens)} reopen(s); needs exactly 1 and 0).",
                    MetricTrace.Value("one_touch", oneTouch == true ? "true" : "false"));
            }

            var rule = context.Options.FirstContact switch
            {
                FirstContactDefinition.NoReopen => "solved and never reopened",
                FirstContactDefinition.NoCustomerFollowUp =>
                    $"solved, replied to, never reopened and no customer message after the first reply ({MetricTrace.Format(_customerMessagesAfterFirstReply)} found)",
                _ => "one-touch",
            };
            if (trace.Enabled)
            {
                trace.Add("first_contact", $"First-contact resolution ({context.Options.FirstContact}: {rule}): {(firstContact == true ? "yes" : "no")}.",
                    MetricTrace.Value("definition", context.Options.FirstContact.ToString()),
                    MetricTrace.Value("first_contact", firstContact == true ? "true" : "false"));
            }
        }

        private string? CreditedAgent(bool solvedNow)
        {
            string? agent;
            string why;
            switch (context.Options.Credit)
            {
                case CreditRule.Assignee:
                    agent = _assignee;
                    why = "the assignee at the last event";
                    break;
                case CreditRule.FirstResponder:
                    agent = _firstResponder;
                    why = "the agent of the first public reply";
                    break;
                case CreditRule.LastResponder:
                    agent = _lastResponder;
                    why = "the agent of the last public reply";
                    break;
                default:
                    if (solvedNow)
                    {
                        agent = _solver;
                        why = "the agent who made the final solve (else the assignee then)";
                    }
                    else
                    {
                        agent = _assignee;
                        why = "the current assignee, since the ticket is not solved";
                    }

                    break;
            }

            if (trace.Enabled)
            {
                trace.Add("agent", $"Credited agent ({context.Options.Credit}): {agent ?? "(none)"}, {why}.",
                    MetricTrace.Value("agent", agent ?? string.Empty), MetricTrace.Value("rule", context.Options.Credit.ToString()));
            }

            return agent;
        }
    }
}
