using Utendaji.Cli.Demo;
using Utendaji.Core.Tickets;

namespace Utendaji.Cli.Tests.Demo;

/// <summary>
/// One pass over the default demo (about 60,000 tickets), reduced to the counts the shape tests assert on,
/// so the full stream is generated once per test run rather than once per test.
/// </summary>
public sealed class DemoOrganisationFixture
{
    public DemoOrganisationFixture()
    {
        Organisation = DemoOrganisation.Generate(DemoOptions.Default);
        var calendarsByTeam = Organisation.Calendars
            .SelectMany(c => c.Teams.Select(t => (Team: t, Calendar: c)))
            .ToDictionary(p => p.Team, p => p.Calendar, StringComparer.Ordinal);
        var eventIds = new HashSet<string>(StringComparer.Ordinal);
        var ticketIds = new HashSet<string>(StringComparer.Ordinal);
        var ticket = new List<TicketEvent>(64);

        foreach (var e in Organisation.Events)
        {
            Events++;
            if (!eventIds.Add(e.Id))
            {
                DuplicateEventIds++;
            }

            if (ticket.Count > 0 && !string.Equals(ticket[0].TicketId, e.TicketId, StringComparison.Ordinal))
            {
                Absorb(ticket, ticketIds, calendarsByTeam);
                ticket.Clear();
            }

            ticket.Add(e);
        }

        Absorb(ticket, ticketIds, calendarsByTeam);
    }

    public DemoOrganisation Organisation { get; }
    public long Events { get; private set; }
    public int Tickets { get; private set; }
    public int DuplicateEventIds { get; private set; }
    public int TicketsSeenTwice { get; private set; }
    public int TicketsNotStartingWithCreated { get; private set; }
    public int TicketsOutOfOrder { get; private set; }
    public int EventsOutsidePeriod { get; private set; }
    public HashSet<string> Teams { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Channels { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Languages { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Priorities { get; } = new(StringComparer.Ordinal);
    public HashSet<string> AgentActors { get; } = new(StringComparer.Ordinal);
    public int Solved { get; private set; }
    public int Reopened { get; private set; }
    public int WithPending { get; private set; }
    public int WithOnHold { get; private set; }
    public int WithInternalNote { get; private set; }
    public int WithBotHandoff { get; private set; }
    public int Outbound { get; private set; }
    public int Transferred { get; private set; }
    public int PriorityChanged { get; private set; }
    public int Rated { get; private set; }
    public int NotClosedAtEnd { get; private set; }
    public int HumanPublicReplies { get; private set; }
    public int HumanPublicRepliesInHours { get; private set; }
    public List<(int Rating, bool Reopened)> Ratings { get; } = [];

    private void Absorb(List<TicketEvent> events, HashSet<string> ticketIds, Dictionary<string, Utendaji.Core.Calendars.CalendarDefinition> calendars)
    {
        if (events.Count == 0)
        {
            return;
        }

        Tickets++;
        var first = events[0];
        if (!ticketIds.Add(first.TicketId))
        {
            TicketsSeenTwice++;
        }

        if (first.Type != TicketEventType.Created)
        {
            TicketsNotStartingWithCreated++;
        }

        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].At <= events[i - 1].At || events[i].Type == TicketEventType.Created)
            {
                TicketsOutOfOrder++;
                break;
            }
        }

        EventsOutsidePeriod += events.Count(e => !Organisation.Period.Contains(e.At));
        Teams.Add(first.Team!);
        Channels.Add(first.Channel!);
        Priorities.Add(first.Priority!);
        Languages.Add(first.Attribute("language")!);
        if (first.Attribute("direction") == "outbound")
        {
            Outbound++;
        }

        var team = first.Team!;
        var reopened = false;
        foreach (var e in events)
        {
            if (e.ActorKind == ActorKind.Agent && e.ActorId is not null)
            {
                AgentActors.Add(e.ActorId);
            }

            if (e.Type == TicketEventType.Assigned && e.Team is not null)
            {
                team = e.Team;
            }

            if (e.Type == TicketEventType.AgentReply && e.ActorKind == ActorKind.Agent && e.Public)
            {
                HumanPublicReplies++;
                HumanPublicRepliesInHours += DemoTestSupport.IsOpenNaive(calendars[team], e.At) ? 1 : 0;
            }

            reopened |= e.Type == TicketEventType.Reopened;
        }

        Solved += events.Any(e => e.Status == TicketStatus.Solved) ? 1 : 0;
        Reopened += reopened ? 1 : 0;
        WithPending += events.Any(e => e.Status == TicketStatus.Pending) ? 1 : 0;
        WithOnHold += events.Any(e => e.Status == TicketStatus.OnHold) ? 1 : 0;
        WithInternalNote += events.Any(e => e.Type == TicketEventType.AgentReply && !e.Public) ? 1 : 0;
        WithBotHandoff += events.Any(e => e.Type == TicketEventType.Assigned && e.ActorKind == ActorKind.Bot) ? 1 : 0;
        Transferred += events.Any(e => e.Type == TicketEventType.Assigned && e.Team is not null) ? 1 : 0;
        PriorityChanged += events.Any(e => e.Type == TicketEventType.PriorityChanged) ? 1 : 0;
        NotClosedAtEnd += events[^1].Status == TicketStatus.Closed ? 0 : 1;
        var rating = events[^1].Attribute("satisfaction");
        if (rating is not null)
        {
            Rated++;
            Ratings.Add((int.Parse(rating, System.Globalization.CultureInfo.InvariantCulture), reopened));
        }
    }
}
