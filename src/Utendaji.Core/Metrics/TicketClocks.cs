using NodaTime;
using Utendaji.Core.Calendars;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Metrics;

/// <summary>What events and summaries share: choosing calendars, measuring durations twice, applying SLA policies.</summary>
internal static class TicketClocks
{
    /// <summary>The ticket's calendar: its team's, else the context default, else 24×7.</summary>
    public static TimeMeasure ResolveCalendar(string? team, MetricContext context, MetricTrace trace)
    {
        if (team is not null && context.TeamCalendars.TryGetValue(team, out var teamCalendarName))
        {
            if (context.Calendars.TryGetValue(teamCalendarName, out var teamCalendar))
            {
                if (trace.Enabled)
                {
                    trace.Add("calendar", $"Team '{team}' is measured in calendar '{teamCalendar.Name}'.",
                        MetricTrace.Value("team", team), MetricTrace.Value("calendar", teamCalendar.Name));
                }

                return TimeMeasure.Of(teamCalendar);
            }

            if (trace.Enabled)
            {
                trace.Add("calendar", $"Team '{team}' names calendar '{teamCalendarName}', which is not loaded; falling back.",
                    MetricTrace.Value("team", team), MetricTrace.Value("missing_calendar", teamCalendarName));
            }
        }

        if (context.DefaultCalendar is { } defaultName)
        {
            if (context.Calendars.TryGetValue(defaultName, out var defaultCalendar))
            {
                if (trace.Enabled)
                {
                    trace.Add("calendar", $"No calendar for team '{team ?? "(none)"}'; using the default calendar '{defaultCalendar.Name}'.",
                        MetricTrace.Value("calendar", defaultCalendar.Name));
                }

                return TimeMeasure.Of(defaultCalendar);
            }

            if (trace.Enabled)
            {
                trace.Add("calendar", $"The default calendar '{defaultName}' is not loaded; falling back to 24×7.",
                    MetricTrace.Value("missing_calendar", defaultName));
            }
        }

        var name = BusinessCalendar.AlwaysOpen().Name;
        if (trace.Enabled)
        {
            trace.Add("calendar", "No business calendar applies; business time equals calendar time (24×7).",
                MetricTrace.Value("calendar", name));
        }

        return TimeMeasure.AllHours(name);
    }

    /// <summary>The clock of an SLA target: calendar hours, the named calendar, or the ticket's own calendar.</summary>
    public static TimeMeasure ResolveSlaClock(SlaTarget target, TimeMeasure ticketClock, MetricContext context, MetricTrace trace)
    {
        if (target.Clock.Hours == SlaHours.Calendar)
        {
            return TimeMeasure.AllHours("calendar hours");
        }

        if (target.Clock.CalendarName is not { } name)
        {
            return ticketClock;
        }

        if (context.Calendars.TryGetValue(name, out var calendar))
        {
            return TimeMeasure.Of(calendar);
        }

        if (trace.Enabled)
        {
            trace.Add("sla", $"The SLA target names calendar '{name}', which is not loaded; using the ticket's calendar '{ticketClock.Name}'.",
                MetricTrace.Value("missing_calendar", name), MetricTrace.Value("calendar", ticketClock.Name));
        }

        return ticketClock;
    }

    /// <summary>Measures [from, to) in calendar time and in the ticket calendar's business time.</summary>
    public static DualDuration Measure(TimeMeasure clock, string metric, string text, Instant from, Instant to, MetricTrace trace)
    {
        var dual = new DualDuration(to - from, clock.Elapsed(from, to));
        if (trace.Enabled)
        {
            trace.Add(metric,
                $"{text}: {MetricTrace.Format(dual.Calendar)} calendar time, {MetricTrace.Format(dual.Business)} business time in '{clock.Name}'.",
                trace.Value("from", from), trace.Value("to", to),
                MetricTrace.Value("calendar", dual.Calendar), MetricTrace.Value("business", dual.Business));
            ExplainIntervals(clock, metric, from, to, trace);
        }

        return dual;
    }

    /// <summary>Lists the open intervals that counted and the closed periods (and whole closed days) skipped.</summary>
    public static void ExplainIntervals(TimeMeasure clock, string metric, Instant from, Instant to, MetricTrace trace)
    {
        if (!trace.Enabled || clock.Calendar is null || to <= from)
        {
            return;
        }

        var values = new List<ExplanationValue>();
        var closed = new List<ExplanationValue>();
        var closedDays = new List<ExplanationValue>();
        var cursor = from;
        var total = Duration.Zero;
        foreach (var open in clock.Calendar.OpenIntervals(from, to))
        {
            if (open.Start > cursor)
            {
                AddClosed(cursor, open.Start);
            }

            values.Add(new ExplanationValue("open", trace.Format(open)));
            total += open.Duration;
            cursor = open.End;
        }

        if (cursor < to)
        {
            AddClosed(cursor, to);
        }

        if (trace.Enabled)
        {
            trace.Add(metric,
                $"Counted {values.Count} open interval(s) of '{clock.Name}' ({MetricTrace.Format(total)}); skipped {closed.Count} closed period(s)"
                + (closedDays.Count > 0 ? $", among them {closedDays.Count} whole closed day(s) (weekends, holidays)." : "."),
                [.. values, .. closed, .. closedDays]);
        }

        void AddClosed(Instant start, Instant end)
        {
            closed.Add(new ExplanationValue("closed", trace.Format(new Interval(start, end))));
            var zone = clock.Zone;
            var date = start.InZone(zone).Date;
            if (zone.AtStartOfDay(date).ToInstant() < start)
            {
                date = date.PlusDays(1);
            }

            while (zone.AtStartOfDay(date.PlusDays(1)).ToInstant() <= end)
            {
                closedDays.Add(new ExplanationValue("closed_day", date.ToString("uuuu'-'MM'-'dd' 'ddd", System.Globalization.CultureInfo.InvariantCulture)));
                date = date.PlusDays(1);
            }
        }
    }

    /// <summary>Applies every policy's chosen target to the ticket's clocks.</summary>
    public static IReadOnlyList<SlaOutcome> ApplyPolicies(SlaInputs inputs, MetricContext context, TimeMeasure ticketClock, MetricTrace trace)
    {
        if (context.SlaPolicies.Count == 0)
        {
            return [];
        }

        var outcomes = new List<SlaOutcome>();
        foreach (var policy in context.SlaPolicies)
        {
            var target = policy.SelectTarget(inputs.Priority, inputs.Channel, inputs.Team);
            if (trace.Enabled)
            {
                ExplainSelection(policy, target, inputs, trace);
            }

            if (target is null)
            {
                continue;
            }

            var clock = ResolveSlaClock(target, ticketClock, context, trace);
            if (target.FirstReply is { } firstReply)
            {
                if (inputs.FirstReplyStart is { } start)
                {
                    outcomes.Add(SlaEvaluator.Evaluate(SlaMetric.FirstReply, policy.Name, firstReply, clock, start, inputs.FirstReplyStop,
                        inputs.Timeline, target.Pauses.FirstReply, false, context.Now, trace, inputs.FirstReplyStartText));
                }
                else
                {
                    if (trace.Enabled)
                    {
                        trace.Add("sla", "First reply target not applied: the clock never started (an agent opened the ticket and the customer never wrote).",
                            MetricTrace.Value("policy", policy.Name));
                    }
                }
            }

            if (target.NextReply is { } nextReply)
            {
                foreach (var (start, stop, eventId) in inputs.NextReplyWindows)
                {
                    outcomes.Add(SlaEvaluator.Evaluate(SlaMetric.NextReply, policy.Name, nextReply, clock, start, stop,
                        inputs.Timeline, target.Pauses.NextReply, false, context.Now, trace, trace.Enabled ? $"customer message {eventId}" : string.Empty));
                }
            }

            if (target.Resolution is { } resolution)
            {
                // Solved and closed always stop the resolution clock; a reopen starts it again with what was left.
                outcomes.Add(SlaEvaluator.Evaluate(SlaMetric.Resolution, policy.Name, resolution, clock, inputs.CreatedAt, inputs.ResolutionStop,
                    inputs.Timeline, target.Pauses.Resolution, true, context.Now, trace, "creation"));
            }
        }

        return outcomes;
    }

    private static void ExplainSelection(SlaPolicy policy, SlaTarget? target, SlaInputs inputs, MetricTrace trace)
    {
        var ticket = $"priority={inputs.Priority ?? "(none)"} channel={inputs.Channel ?? "(none)"} team={inputs.Team ?? "(none)"}";
        if (target is null)
        {
            if (trace.Enabled)
            {
                trace.Add("sla", $"Policy '{policy.Name}': no target matches the ticket ({ticket}); no SLA applies from it.",
                    MetricTrace.Value("policy", policy.Name));
            }

            return;
        }

        var matching = policy.Targets.Where(t => t.Matches(inputs.Priority, inputs.Channel, inputs.Team)).ToList();
        var why = matching.Count == 1
            ? "the only matching target"
            : $"the most specific of {matching.Count} matching targets (team and channel > team or channel > priority only; then file order)";
        if (trace.Enabled)
        {
            trace.Add("sla",
                $"Policy '{policy.Name}': target #{target.Order} ({target.Describe()}) applies to the ticket ({ticket}) as {why}. "
                + "The latest priority, channel and team are applied from creation.",
                MetricTrace.Value("policy", policy.Name),
                MetricTrace.Value("target", "$.targets[" + MetricTrace.Format(target.Order) + "]"),
                MetricTrace.Value("specificity", MetricTrace.Format(target.Specificity)));
        }
    }
}

/// <summary>The clocks of one ticket, as SLA evaluation needs them.</summary>
internal sealed record SlaInputs
{
    public required Instant CreatedAt { get; init; }
    public string? Priority { get; init; }
    public string? Channel { get; init; }
    public string? Team { get; init; }
    public required IReadOnlyList<StatusSegment> Timeline { get; init; }
    public Instant? FirstReplyStart { get; init; }
    public string FirstReplyStartText { get; init; } = "creation";
    public Instant? FirstReplyStop { get; init; }
    public IReadOnlyList<(Instant Start, Instant? Stop, string EventId)> NextReplyWindows { get; init; } = [];
    public Instant? ResolutionStop { get; init; }
}
