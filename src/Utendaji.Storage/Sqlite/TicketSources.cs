using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// Merges an events scan (ordered by ticket, instant, event id) and a summaries scan (ordered by ticket)
/// into one <see cref="TicketSource"/> per ticket, in ticket order, holding one ticket in memory at a time.
/// </summary>
internal static class TicketSources
{
    public static IEnumerable<TicketSource> Merge(RawStatement events, RawStatement summaries, CancellationToken cancellationToken)
    {
        var nextEvent = events.Step() ? EventRow.Read(events) : null;
        var nextSummary = summaries.Step() ? SummaryRow.Read(summaries) : null;
        while (nextEvent is not null || nextSummary is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ticket = nextEvent is null ? nextSummary!.TicketId
                : nextSummary is null ? nextEvent.TicketId
                : Utf8Order.Compare(nextEvent.TicketId, nextSummary.TicketId) <= 0 ? nextEvent.TicketId : nextSummary.TicketId;

            var ticketEvents = new List<TicketEvent>();
            while (nextEvent is not null && string.Equals(nextEvent.TicketId, ticket, StringComparison.Ordinal))
            {
                ticketEvents.Add(nextEvent);
                nextEvent = events.Step() ? EventRow.Read(events) : null;
            }

            TicketSummary? summary = null;
            if (nextSummary is not null && string.Equals(nextSummary.TicketId, ticket, StringComparison.Ordinal))
            {
                summary = nextSummary;
                nextSummary = summaries.Step() ? SummaryRow.Read(summaries) : null;
            }

            yield return new TicketSource(ticket, ticketEvents, summary);
        }
    }

    /// <summary>"a, b" to "e.a, e.b".</summary>
    public static string Qualified(string columns, string alias) =>
        string.Join(", ", columns.Split(", ").Select(c => alias + "." + c));
}
