using System.Globalization;
using NodaTime;

namespace Utendaji.Cli.Demo;

/// <summary>A ticket about to be created: when, for which team, and whether an agent opens it.</summary>
internal readonly record struct Arrival(long At, int Team, bool Outbound, int Order);

/// <summary>
/// The immutable state shared by every enumeration of the demo's events: teams and their clocks, agents,
/// customers, arrival rates, and the attribute maps events reuse. Safe to share between threads.
/// </summary>
internal sealed class DemoWorld
{
    public const string BotId = "bot-msaidizi";
    public const double OutboundShare = 0.04;

    public static readonly string[] AssignReasons = ["routing", "bot_handoff", "self", "reassignment", "transfer"];

    // Relative ticket volume by ISO weekday (Monday first) and by local hour: Monday mornings peak,
    // weekends and nights are quiet, lunch dips a little.
    private static readonly double[] DayWeights = [1.30, 1.12, 1.05, 1.00, 0.92, 0.45, 0.35];
    private static readonly double[] HourWeights =
    [
        0.15, 0.10, 0.08, 0.07, 0.08, 0.15, 0.35, 0.70, 1.20, 1.55, 1.60, 1.50,
        1.25, 1.20, 1.40, 1.45, 1.35, 1.15, 0.95, 0.85, 0.75, 0.60, 0.42, 0.25,
    ];

    private readonly double[][] _arrivalMeans;
    private readonly int[][] _customersByMarket; // 0 = KE, 1 = FI
    private readonly int[][] _agentsByTeam;
    private readonly double[][] _agentLoadsByTeam;

    public DemoWorld(DemoOptions options)
    {
        options.Validate();
        Options = options;
        Teams = DemoCast.BuildTeams(options);
        var headOffice = DateTimeZoneProviders.Tzdb[DemoCast.HeadOfficeZone];
        PeriodStart = headOffice.AtStartOfDay(options.StartDate).ToInstant().ToUnixTimeSeconds();
        PeriodEnd = headOffice.AtStartOfDay(options.StartDate.PlusDays(options.Days)).ToInstant().ToUnixTimeSeconds();

        // Clocks reach past the period so that waits started near its end still land on real open hours.
        Clocks = Teams.Select(t => new TeamClock(t.Calendar, options.StartDate.PlusDays(-7), options.EndDate.PlusDays(60))).ToArray();

        Agents = DemoCast.Agents.Select(a => new DemoAgent(a.Id, a.Name, Teams[a.Team].Team.Name, a.Languages)).ToArray();
        _agentsByTeam = Enumerable.Range(0, Teams.Length)
            .Select(t => Enumerable.Range(0, Agents.Count).Where(a => DemoCast.Agents[a].Team == t).ToArray())
            .ToArray();
        _agentLoadsByTeam = _agentsByTeam.Select(ids => ids.Select(a => DemoCast.Agents[a].Load).ToArray()).ToArray();

        Customers = CreateCustomers(options);
        _customersByMarket =
        [
            Enumerable.Range(0, Customers.Count).Where(c => Customers[c].Country == "KE").ToArray(),
            Enumerable.Range(0, Customers.Count).Where(c => Customers[c].Country == "FI").ToArray(),
        ];
        CustomerAttributes = Customers
            .Select(c => new AttributeMap(
                AttributeMap.Pair("customer", c.Id), AttributeMap.Pair("customer_name", c.Name), AttributeMap.Pair("language", c.Language)))
            .ToArray();

        AssignAttributes = Agents
            .Select(a => AssignReasons.Select(r => new AttributeMap(AttributeMap.Pair("assignee", a.Id), AttributeMap.Pair("reason", r))).ToArray())
            .ToArray();
        SatisfactionAttributes = Enumerable.Range(1, 5)
            .Select(s => new AttributeMap(AttributeMap.Pair("satisfaction", s.ToString(CultureInfo.InvariantCulture))))
            .ToArray();

        (_arrivalMeans, OutboundMeans) = ArrivalRates();
    }

    public DemoOptions Options { get; }
    public TeamProfile[] Teams { get; }
    public TeamClock[] Clocks { get; }
    public IReadOnlyList<DemoAgent> Agents { get; }
    public IReadOnlyList<DemoCustomer> Customers { get; }
    public AttributeMap[] CustomerAttributes { get; }

    /// <summary>Per agent, per <see cref="AssignReasons"/> index: <c>assignee</c> and <c>reason</c>.</summary>
    public AttributeMap[][] AssignAttributes { get; }

    /// <summary>Index 0 is a rating of 1.</summary>
    public AttributeMap[] SatisfactionAttributes { get; }

    public AttributeMap AutoSolveAttributes { get; } = new(AttributeMap.Pair("reason", "no_customer_reply"));

    /// <summary>Start of the period: 00:00 of the start date in the head office's zone, Unix seconds.</summary>
    public long PeriodStart { get; }

    /// <summary>End of the period (exclusive), Unix seconds.</summary>
    public long PeriodEnd { get; }

    /// <summary>Expected outbound tickets per open hour, per team.</summary>
    public double[] OutboundMeans { get; }

    /// <summary>Expected customer-created tickets in the hour starting at <paramref name="hour"/> (index from the period start).</summary>
    public double ArrivalMean(int team, int hour) => _arrivalMeans[team][hour];

    public int PickCustomer(int team, DemoRandom random)
    {
        var market = Teams[team].Country == "FI" || (team == 1 && random.Chance(0.15)) ? 1 : 0;
        var pool = _customersByMarket[market];
        var u = random.NextDouble();

        // Squaring skews the choice: a few customers write often, most write once or twice.
        return pool[(int)(pool.Length * u * u)];
    }

    /// <summary>An agent of the team, preferring one who speaks the customer's language.</summary>
    public int PickAgent(int team, string language, DemoRandom random, int exclude = -1)
    {
        var pool = _agentsByTeam[team];
        Span<double> weights = stackalloc double[pool.Length];
        var speakers = 0;
        for (var i = 0; i < pool.Length; i++)
        {
            if (pool[i] != exclude && Agents[pool[i]].Languages.Contains(language, StringComparer.Ordinal))
            {
                weights[i] = _agentLoadsByTeam[team][i];
                speakers++;
            }
        }

        if (speakers == 0 || random.Chance(0.15))
        {
            for (var i = 0; i < pool.Length; i++)
            {
                weights[i] = pool[i] == exclude ? 0 : _agentLoadsByTeam[team][i];
            }
        }

        return pool[random.Choose(weights)];
    }

    private static IReadOnlyList<DemoCustomer> CreateCustomers(DemoOptions options)
    {
        var random = new DemoRandom(DemoRandom.DeriveSeed(options.Seed, -1));
        var count = Math.Max(50, options.TicketCount / 3);
        var customers = new DemoCustomer[count];
        for (var i = 0; i < count; i++)
        {
            // 18 of every 25 customers are in Kenya, the rest in Finland: both markets always exist.
            var kenya = i % 25 < 18;
            var language = random.Choose(kenya ? DemoCast.KenyaLanguageWeights : DemoCast.FinlandLanguageWeights);
            var (given, family) = DemoCast.Names[language];
            var name = given[random.Next(given.Length)] + " " + family[random.Next(family.Length)];
            var id = "cust-" + (i + 1).ToString("D6", CultureInfo.InvariantCulture);
            customers[i] = new DemoCustomer(id, name, DemoCast.Languages[language], kenya ? "KE" : "FI");
        }

        return customers;
    }

    private (double[][] Means, double[] Outbound) ArrivalRates()
    {
        var hours = (int)((PeriodEnd - PeriodStart) / 3600);
        var means = new double[Teams.Length][];
        var outbound = new double[Teams.Length];
        for (var team = 0; team < Teams.Length; team++)
        {
            var profile = Teams[team];
            var weights = new double[hours];
            double total = 0;
            var openHours = 0;
            for (var h = 0; h < hours; h++)
            {
                var start = PeriodStart + (h * 3600L);
                var local = Instant.FromUnixTimeSeconds(start).InZone(profile.Calendar.Zone).LocalDateTime;
                var w = DayWeights[(int)local.DayOfWeek - 1] * HourWeights[local.Hour];
                if (local.DayOfWeek == IsoDayOfWeek.Monday && local.Hour is >= 7 and < 12)
                {
                    w *= 1.25; // the weekend's backlog arrives on Monday morning
                }

                if (profile.Calendar.IsHoliday(local.Date))
                {
                    w *= 0.55;
                }

                if (profile.Team.Name == "billing" && local.Day <= 3)
                {
                    w *= 1.6; // invoices go out on the first of the month
                }

                if (profile.Team.Name == "frontline" && IsBlackFriday(local.Date))
                {
                    w *= 1.8;
                }

                // A slow growth of the customer base over the period.
                w *= 0.92 + (0.16 * h / hours);
                weights[h] = w;
                total += w;
                if (Clocks[team].IsOpen(start + 1800))
                {
                    openHours++;
                }
            }

            var expected = Options.TicketCount * profile.Share;
            var scale = expected * (1 - OutboundShare) / total;
            for (var h = 0; h < hours; h++)
            {
                weights[h] *= scale;
            }

            means[team] = weights;
            outbound[team] = openHours == 0 ? 0 : expected * OutboundShare / openHours;
        }

        return (means, outbound);
    }

    // The Friday after the fourth Thursday of November.
    private static bool IsBlackFriday(LocalDate date) =>
        date.Month == 11 && date.DayOfWeek == IsoDayOfWeek.Friday && date.Day is >= 23 and <= 29;
}
