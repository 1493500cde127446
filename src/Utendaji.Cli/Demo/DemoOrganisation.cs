using NodaTime;
using Utendaji.Core;
using Utendaji.Core.Calendars;
using Utendaji.Core.Tickets;

namespace Utendaji.Cli.Demo;

/// <summary>
/// A realistic, fully synthetic support organisation generated from a seed: three teams in Nairobi and Helsinki
/// with their business calendars and national holidays, 25 agents, customers writing in six languages, an SLA
/// policy, and a lazily generated stream of ticket events. Pure: no I/O, no clock; the same
/// <see cref="DemoOptions"/> give byte-identical output on any machine. See docs/demo.md.
/// </summary>
public sealed class DemoOrganisation
{
    private readonly DemoWorld _world;

    private DemoOrganisation(DemoWorld world)
    {
        _world = world;
        Teams = world.Teams.Select(t => t.Team).ToArray();
        var calendars = world.Teams.Select(t => t.Calendar).ToArray();
        Calendars = calendars.Select(c => c.ToDefinition()).ToArray();
        CalendarDocuments = calendars.Select(c => new DemoDocument(c.Name, c.Name + ".json", c.ToJson())).ToArray();
        SlaPolicyDocument = DemoSlaPolicy.Build(world.Teams);
        Period = new Interval(Instant.FromUnixTimeSeconds(world.PeriodStart), Instant.FromUnixTimeSeconds(world.PeriodEnd));
    }

    /// <summary>The shared state behind the events (teams' clocks, customers), for generators built on the demo such as its surveys.</summary>
    internal DemoWorld World => _world;

    /// <summary>The options the organisation was generated from.</summary>
    public DemoOptions Options => _world.Options;

    /// <summary>
    /// The observed period: from 00:00 of <see cref="DemoOptions.StartDate"/> to 00:00 after
    /// <see cref="DemoOptions.EndDate"/>, both in the head office's zone (Africa/Nairobi); the end is exclusive.
    /// Tickets are created inside it and no event lies at or after its end.
    /// </summary>
    public Interval Period { get; }

    /// <summary>The channels, in a fixed order: email, chat, phone, social, web.</summary>
    public IReadOnlyList<string> Channels { get; } = DemoCast.Channels;

    /// <summary>The priorities from lowest to highest: low, normal, high, urgent.</summary>
    public IReadOnlyList<string> Priorities { get; } = DemoCast.Priorities;

    /// <summary>The customers' languages: en, sw, tl, fi, gu, ur.</summary>
    public IReadOnlyList<string> Languages { get; } = DemoCast.Languages;

    /// <summary>The three teams: frontline and billing (Africa/Nairobi), nordic (Europe/Helsinki).</summary>
    public IReadOnlyList<DemoTeam> Teams { get; }

    /// <summary>The 25 agents (<c>agent-01</c> … <c>agent-25</c>).</summary>
    public IReadOnlyList<DemoAgent> Agents => _world.Agents;

    /// <summary>The customers tickets are drawn from (about a third of <see cref="DemoOptions.TicketCount"/>).</summary>
    public IReadOnlyList<DemoCustomer> Customers => _world.Customers;

    /// <summary>The id bot replies and hand-offs carry as actor id.</summary>
    public static string BotId => DemoWorld.BotId;

    /// <summary>One business calendar per team, as the shared definition type (same content as <see cref="CalendarDocuments"/>).</summary>
    public IReadOnlyList<CalendarDefinition> Calendars { get; }

    /// <summary>One business calendar JSON document per team, in the calendar schema of docs/formats.md.</summary>
    public IReadOnlyList<DemoDocument> CalendarDocuments { get; }

    /// <summary>The SLA policy JSON document (name <c>demo-standard</c>).</summary>
    public DemoDocument SlaPolicyDocument { get; }

    /// <summary>
    /// Every ticket's events, ticket after ticket in order of creation (ids <c>D000001</c>, <c>D000002</c>, …),
    /// each ticket's events in strictly increasing time, its <c>created</c> event first. Lazy and re-enumerable:
    /// each enumeration generates the stream afresh and holds only one ticket at a time.
    /// </summary>
    public IEnumerable<TicketEvent> Events => GenerateEvents(_world);

    /// <summary>Generates the organisation. Cheap: the events are only produced when <see cref="Events"/> is enumerated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static DemoOrganisation Generate(DemoOptions options)
    {
        Guard.NotNull(options);
        return new DemoOrganisation(new DemoWorld(options));
    }

    private static IEnumerable<TicketEvent> GenerateEvents(DemoWorld world)
    {
        // The master generator decides only when tickets arrive; each ticket's life has its own generator, so
        // a change in how tickets unfold never shifts the arrivals.
        var arrivals = new DemoRandom(world.Options.Seed);
        var simulator = new TicketSimulator(world);
        var hourArrivals = new List<Arrival>(128);
        var hours = (int)((world.PeriodEnd - world.PeriodStart) / 3600);
        long number = 0;
        for (var hour = 0; hour < hours; hour++)
        {
            var start = world.PeriodStart + (hour * 3600L);
            hourArrivals.Clear();
            for (var team = 0; team < world.Teams.Length; team++)
            {
                var count = arrivals.Poisson(world.ArrivalMean(team, hour));
                for (var i = 0; i < count; i++)
                {
                    hourArrivals.Add(new Arrival(start + arrivals.Next(3600), team, Outbound: false, hourArrivals.Count));
                }

                if (world.Clocks[team].IsOpen(start + 1800))
                {
                    var outbound = arrivals.Poisson(world.OutboundMeans[team]);
                    for (var i = 0; i < outbound; i++)
                    {
                        hourArrivals.Add(new Arrival(start + arrivals.Next(3600), team, Outbound: true, hourArrivals.Count));
                    }
                }
            }

            // Order is unique (no ties), so the unstable sort is deterministic.
            hourArrivals.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
            foreach (var arrival in hourArrivals)
            {
                number++;
                foreach (var ticketEvent in simulator.Simulate(number, arrival))
                {
                    yield return ticketEvent;
                }
            }
        }
    }
}
