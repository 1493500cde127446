using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Sla;

/// <summary>A status held from <see cref="Start"/> until the next segment's start (the last one has no end).</summary>
internal readonly record struct StatusSegment(Instant Start, TicketStatus Status);

/// <summary>
/// Runs one SLA clock over a ticket's status timeline: the clock counts from <c>start</c> to <c>stop</c> (or
/// forever when not stopped), in the target's clock, standing still in paused statuses.
/// </summary>
internal static class SlaEvaluator
{
    /// <summary>Evaluates one target.</summary>
    /// <param name="metric">The target's kind.</param>
    /// <param name="policy">Policy name.</param>
    /// <param name="target">Target duration.</param>
    /// <param name="clock">The target's clock.</param>
    /// <param name="start">When the clock starts.</param>
    /// <param name="stop">When the target was reached (reply, solve), or null while not reached.</param>
    /// <param name="timeline">Status segments of the ticket, in time order, the first starting at creation.</param>
    /// <param name="paused">Statuses during which the clock stands still.</param>
    /// <param name="stopsWhenSolved">Whether solved and closed periods stand still too (resolution: until a reopen).</param>
    /// <param name="now">The instant a clock that has not stopped is measured at.</param>
    /// <param name="trace">Explanation sink.</param>
    /// <param name="what">Short description of what started the clock, for the explanation.</param>
    public static SlaOutcome Evaluate(
        SlaMetric metric,
        string policy,
        Duration target,
        TimeMeasure clock,
        Instant start,
        Instant? stop,
        IReadOnlyList<StatusSegment> timeline,
        IReadOnlySet<TicketStatus> paused,
        bool stopsWhenSolved,
        Instant now,
        MetricTrace trace,
        string what)
    {
        // One pass over [start, stop) (or [start, ∞) when not stopped), without allocating: the running time, the
        // due instant (where the running time reaches the target; pauses before it push it later), and the
        // running time up to "now" for a clock that has not stopped.
        var pauses = trace.Enabled ? new List<ExplanationValue>() : null;
        var used = Duration.Zero;
        var usedBeforeNow = Duration.Zero;
        Instant? due = null;
        for (var i = 0; i < timeline.Count; i++)
        {
            var status = timeline[i].Status;
            var from = Instant.Max(timeline[i].Start, start);
            Instant? to = i + 1 < timeline.Count ? timeline[i + 1].Start : null;
            if (stop is { } s && (to is null || to.Value > s))
            {
                to = s;
            }

            if (to is { } end && end <= from)
            {
                continue;
            }

            if (paused.Contains(status) || (stopsWhenSolved && status is TicketStatus.Solved or TicketStatus.Closed))
            {
                pauses?.Add(new ExplanationValue(
                    "paused_" + Name(status),
                    trace.Format(from) + "/" + (to is { } pe ? trace.Format(pe) : "…")));
                continue;
            }

            if (to is not { } until)
            {
                // Runs on forever (only when not stopped): the budget runs out here unless it already has.
                due ??= clock.Add(from, target - used);
                if (from < now)
                {
                    usedBeforeNow += clock.Elapsed(from, now);
                }

                break;
            }

            var length = clock.Elapsed(from, until);
            if (due is null && used + length >= target)
            {
                due = clock.Add(from, target - used);
            }

            if (stop is null && from < now)
            {
                usedBeforeNow += until <= now ? length : clock.Elapsed(from, now);
            }

            used += length;
        }

        SlaState state;
        Duration margin;
        Duration counted;
        if (stop is { } stopped)
        {
            // Reached with budget to spare: the clock is taken to run on after the stop to place the due instant.
            due ??= clock.Add(stopped, target - used);
            counted = used;
            state = stopped <= due.Value ? SlaState.Met : SlaState.Breached;
        }
        else
        {
            counted = usedBeforeNow;

            // Paused right now: the due instant is where the remaining budget would run out if the clock resumed now.
            due ??= clock.Add(Instant.Max(now, start), target - counted);
            state = now > due.Value ? SlaState.Breached : SlaState.Running;
        }

        margin = state == SlaState.Breached ? counted - target : target - counted;
        if (margin < Duration.Zero)
        {
            // A stop after the due instant inside closed hours uses no more business time than the target.
            margin = Duration.Zero;
        }

        if (trace.Enabled)
        {
            var values = new List<ExplanationValue>
            {
                MetricTrace.Value("policy", policy),
                MetricTrace.Value("target", target),
                MetricTrace.Value("clock", clock.Name),
                trace.Value("start", start),
            };
            if (stop is { } st)
            {
                values.Add(trace.Value("stop", st));
            }
            else
            {
                values.Add(trace.Value("now", now));
            }

            values.AddRange(pauses!);
            values.Add(MetricTrace.Value("counted", counted));
            values.Add(trace.Value("due", due.Value));
            values.Add(MetricTrace.Value("state", state.ToString()));
            values.Add(MetricTrace.Value("margin", margin));
            var pauseText = pauses!.Count == 0 ? "no pauses" : $"{pauses.Count} pause(s) pushed the due instant later";
            var stopText = stop is null ? $"not reached at {trace.Format(now)}" : $"reached at {trace.Format(stop.Value)}";
            trace.Add("sla",
                $"{Describe(metric)} target {MetricTrace.Format(target)} ({clock.Name}) from {what} at {trace.Format(start)}: "
                + $"{pauseText}; due {trace.Format(due.Value)}; {stopText} after {MetricTrace.Format(counted)} counted: {state}, margin {MetricTrace.Format(margin)}.",
                [.. values]);
        }

        return new SlaOutcome(metric, policy, target, due.Value, state, margin) { Start = start };
    }

    internal static string Describe(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstReply => "first reply",
        SlaMetric.NextReply => "next reply",
        _ => "resolution",
    };

    internal static string Name(TicketStatus status) => status switch
    {
        TicketStatus.New => "new",
        TicketStatus.Open => "open",
        TicketStatus.Pending => "pending",
        TicketStatus.OnHold => "on_hold",
        TicketStatus.Solved => "solved",
        _ => "closed",
    };
}
