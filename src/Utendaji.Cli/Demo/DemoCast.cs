using NodaTime;

namespace Utendaji.Cli.Demo;

/// <summary>Everything about one team the simulation needs.</summary>
internal sealed record TeamProfile(
    DemoTeam Team,
    string Country,
    double Share,
    double[] ChannelWeights,
    DemoCalendar Calendar);

/// <summary>
/// The fixed cast of the demo: teams, calendars with the real national holidays of Kenya and Finland, agents and
/// the names customers are drawn from. Data, not logic; every list is in a fixed order.
/// </summary>
internal static class DemoCast
{
    public static readonly string[] Channels = ["email", "chat", "phone", "social", "web"];
    public static readonly string[] Priorities = ["low", "normal", "high", "urgent"];
    public static readonly string[] Languages = ["en", "sw", "tl", "fi", "gu", "ur"];

    public const int Email = 0;
    public const int Chat = 1;
    public const int Phone = 2;
    public const int Social = 3;
    public const int Web = 4;

    public const string HeadOfficeZone = "Africa/Nairobi";

    /// <summary>Agents: id, name in its own script, team index, languages, relative workload.</summary>
    public static readonly (string Id, string Name, int Team, string[] Languages, double Load)[] Agents =
    [
        ("agent-01", "Wanjiru Kamau", 0, ["sw", "en"], 1.3),
        ("agent-02", "Otieno Odhiambo", 0, ["sw", "en"], 1.2),
        ("agent-03", "Akinyi Ochieng", 0, ["sw", "en"], 1.0),
        ("agent-04", "Kiprono Langat", 0, ["sw", "en"], 1.0),
        ("agent-05", "Mwanajuma Said", 0, ["sw", "en"], 0.9),
        ("agent-06", "ધવલ પટેલ", 0, ["gu", "en", "sw"], 1.0),
        ("agent-07", "ફાલ્ગુની શાહ", 0, ["gu", "en"], 0.7),
        ("agent-08", "نادیہ حسین", 0, ["ur", "en", "sw"], 1.0),
        ("agent-09", "Maricel Dizon", 0, ["tl", "en"], 0.8),
        ("agent-10", "Baraka Mutua", 0, ["sw", "en"], 1.1),
        ("agent-11", "Faith Chebet", 0, ["en", "sw"], 0.6),
        ("agent-12", "Njeri Wambui", 1, ["sw", "en"], 1.2),
        ("agent-13", "Hassan Abdallah", 1, ["sw", "en"], 1.0),
        ("agent-14", "ہارون صدیقی", 1, ["ur", "en"], 0.9),
        ("agent-15", "Joy Nyambura", 1, ["en", "sw"], 1.0),
        ("agent-16", "ઈશા દવે", 1, ["gu", "en"], 0.8),
        ("agent-17", "Aino Laaksonen", 1, ["fi", "en"], 0.9),
        ("agent-18", "Mikaela Jääskeläinen", 2, ["fi", "en"], 1.2),
        ("agent-19", "Tuomas Hyvönen", 2, ["fi", "en"], 1.1),
        ("agent-20", "Säde Rautiainen", 2, ["fi", "en"], 1.0),
        ("agent-21", "Joonas Väisänen", 2, ["fi", "en"], 1.0),
        ("agent-22", "Liisa Öhman", 2, ["fi", "en"], 0.6),
        ("agent-23", "Rowena Villanueva", 2, ["tl", "en", "fi"], 0.9),
        ("agent-24", "صائمہ ملک", 2, ["ur", "en", "fi"], 0.8),
        ("agent-25", "Eero Pöllänen", 2, ["fi", "en"], 1.0),
    ];

    /// <summary>Customer languages per market, weights in <see cref="Languages"/> order.</summary>
    public static readonly double[] KenyaLanguageWeights = [0.35, 0.45, 0.03, 0.00, 0.10, 0.07];
    public static readonly double[] FinlandLanguageWeights = [0.18, 0.00, 0.06, 0.70, 0.00, 0.06];

    /// <summary>Given and family names per language, in that language's script.</summary>
    public static readonly (string[] Given, string[] Family)[] Names =
    [
        // en
        (["Grace", "Brian", "Mercy", "Kevin", "Sharon", "Dennis", "Emily", "James", "Olivia", "Daniel", "Sophie", "Michael"],
         ["Wanjiku", "Otieno", "Kamau", "Mwangi", "Smith", "Johnson", "Brown", "Taylor", "Njoroge", "Wilson"]),
        // sw
        (["Amani", "Zawadi", "Baraka", "Neema", "Juma", "Rehema", "Imani", "Furaha", "Bahati", "Salim", "Mwanaisha", "Tumaini"],
         ["Mwangi", "Achieng", "Kiptoo", "Njeri", "Hassan", "Omondi", "Wekesa", "Mutua", "Juma", "Chepkoech"]),
        // tl
        (["Maria", "Jose", "Andrea", "Mark", "Kristine", "Paolo", "Angelica", "Jericho", "Maricel", "Ramon"],
         ["Santos", "Dela Cruz", "Reyes", "Bautista", "Garcia", "Mendoza", "Villanueva", "Ramos", "Aquino", "Castillo"]),
        // fi
        (["Aino", "Mikko", "Elina", "Juha", "Sanna", "Ville", "Päivi", "Jyrki", "Kaisa", "Tuula", "Heikki", "Siiri"],
         ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Järvinen", "Lehtonen", "Heikkinen", "Kärkkäinen", "Mäkelä"]),
        // gu (Gujarati script)
        (["પ્રિયા", "રાહુલ", "નેહા", "અમિત", "કિંજલ", "હાર્દિક", "ભાવના", "જય", "મીરા", "વિકાસ"],
         ["પટેલ", "શાહ", "દેસાઈ", "મહેતા", "જોશી", "ત્રિવેદી", "પંડ્યા", "ચૌહાણ"]),
        // ur (Arabic script, right to left)
        (["عائشہ", "علی", "فاطمہ", "حسن", "زینب", "عمران", "سارہ", "بلال", "مریم", "عثمان"],
         ["خان", "احمد", "قریشی", "ملک", "شیخ", "چوہدری", "حسین", "بٹ"]),
    ];

    // Fixed-date national holidays, written as yearly "*-MM-DD".
    private static readonly AnnualDate[] KenyaYearly =
    [
        new(1, 1), // New Year's Day
        new(5, 1), // Labour Day
        new(6, 1), // Madaraka Day
        new(10, 20), // Mashujaa Day
        new(12, 12), // Jamhuri Day
        new(12, 25), // Christmas Day
        new(12, 26), // Boxing Day
    ];

    // Kenya's movable holidays and Sunday substitutes; Eid dates follow moon sighting and are left out.
    private static readonly LocalDate[] KenyaDated =
    [
        new(2025, 4, 18), // Good Friday
        new(2025, 4, 21), // Easter Monday
        new(2025, 6, 2), // Madaraka Day falls on a Sunday: observed Monday
        new(2025, 10, 10), // Mazingira Day
        new(2026, 4, 3), // Good Friday
        new(2026, 4, 6), // Easter Monday
        new(2026, 10, 10), // Mazingira Day
    ];

    private static readonly AnnualDate[] FinlandYearly =
    [
        new(1, 1), // Uudenvuodenpäivä
        new(1, 6), // Loppiainen (Epiphany)
        new(5, 1), // Vappu
        new(12, 6), // Itsenäisyyspäivä (Independence Day)
        new(12, 24), // Jouluaatto (Christmas Eve, a de facto holiday)
        new(12, 25), // Joulupäivä
        new(12, 26), // Tapaninpäivä
    ];

    private static readonly LocalDate[] FinlandDated =
    [
        new(2025, 4, 18), // Pitkäperjantai (Good Friday)
        new(2025, 4, 21), // 2. pääsiäispäivä (Easter Monday)
        new(2025, 5, 29), // Helatorstai (Ascension Day)
        new(2025, 6, 20), // Juhannusaatto (Midsummer Eve)
        new(2025, 6, 21), // Juhannuspäivä (Midsummer Day)
        new(2025, 11, 1), // Pyhäinpäivä (All Saints' Day)
        new(2026, 4, 3), // Pitkäperjantai
        new(2026, 4, 6), // 2. pääsiäispäivä
        new(2026, 5, 14), // Helatorstai
        new(2026, 6, 19), // Juhannusaatto
        new(2026, 6, 20), // Juhannuspäivä
        new(2026, 10, 31), // Pyhäinpäivä
    ];

    public static TeamProfile[] BuildTeams(DemoOptions options)
    {
        var frontlineWeek = Week(
            weekday: [Span(7, 0, 13, 0), Span(14, 0, 20, 0)],
            friday: [Span(7, 0, 13, 0), Span(14, 0, 20, 0)],
            saturday: [Span(9, 0, 14, 0)]);
        var billingWeek = Week(
            weekday: [Span(8, 30, 12, 30), Span(13, 30, 17, 0)],
            friday: [Span(8, 30, 12, 30), Span(13, 30, 17, 0)],
            saturday: []);
        var nordicWeek = Week(
            weekday: [Span(8, 0, 11, 30), Span(12, 0, 16, 30)],
            friday: [Span(8, 0, 11, 30), Span(12, 0, 15, 0)],
            saturday: []);

        var frontline = BuildCalendar(options, "frontline-ke", "Africa/Nairobi", frontlineWeek, KenyaYearly, KenyaDated,
            shortDays: [(12, 24), (12, 31)], shortDay: [Span(7, 0, 13, 0)],
            breakDay: IsoDayOfWeek.Wednesday, breakSpan: Span(14, 0, 16, 0), team: "frontline");
        var billing = BuildCalendar(options, "billing-ke", "Africa/Nairobi", billingWeek, KenyaYearly, KenyaDated,
            shortDays: [(12, 24), (12, 31)], shortDay: [Span(8, 30, 12, 30)],
            breakDay: IsoDayOfWeek.Wednesday, breakSpan: Span(14, 0, 16, 0), team: "billing");
        var nordic = BuildCalendar(options, "nordic-fi", "Europe/Helsinki", nordicWeek, FinlandYearly, FinlandDated,
            shortDays: [(12, 31)], shortDay: [Span(8, 0, 12, 0)],
            breakDay: IsoDayOfWeek.Thursday, breakSpan: Span(13, 0, 14, 30), team: "nordic");

        return
        [
            new TeamProfile(
                new DemoTeam("frontline", "Africa/Nairobi", frontline.Name,
                    "First-line support for customers in Kenya: chat, phone, social media, web form and email; open six days a week in two shifts."),
                "KE", 0.50, [0.20, 0.35, 0.15, 0.15, 0.15], frontline),
            new TeamProfile(
                new DemoTeam("billing", "Africa/Nairobi", billing.Name,
                    "Invoices, payments and refunds for every market; office hours, busiest in the first days of each month."),
                "KE", 0.22, [0.45, 0.10, 0.15, 0.05, 0.25], billing),
            new TeamProfile(
                new DemoTeam("nordic", "Europe/Helsinki", nordic.Name,
                    "Support for customers in Finland; office hours with a lunch break, shorter on Fridays."),
                "FI", 0.28, [0.40, 0.25, 0.10, 0.05, 0.20], nordic),
        ];
    }

    private static ShiftSpan Span(int openHour, int openMinute, int closeHour, int closeMinute) =>
        new(new LocalTime(openHour, openMinute), new LocalTime(closeHour, closeMinute));

    private static IReadOnlyList<ShiftSpan>[] Week(ShiftSpan[] weekday, ShiftSpan[] friday, ShiftSpan[] saturday) =>
        [weekday, weekday, weekday, weekday, friday, saturday, []];

    private static DemoCalendar BuildCalendar(
        DemoOptions options,
        string name,
        string zoneId,
        IReadOnlyList<ShiftSpan>[] week,
        AnnualDate[] yearly,
        LocalDate[] dated,
        (int Month, int Day)[] shortDays,
        ShiftSpan[] shortDay,
        IsoDayOfWeek breakDay,
        ShiftSpan breakSpan,
        string team)
    {
        var first = options.StartDate;
        var last = options.EndDate;
        var datedInYears = dated.Where(d => d.Year >= first.Year && d.Year <= last.Year).ToArray();
        var probe = new DemoCalendar(name, zoneId, week, yearly, datedInYears, [], [], [team]);

        // Short days before the year end, and a monthly all-hands (Kenya) or training (Finland) that takes two
        // hours out of one afternoon: only on dates of the period that would otherwise be open.
        var special = new SortedDictionary<LocalDate, ShiftSpan[]>();
        var breaks = new SortedDictionary<LocalDate, ShiftSpan[]>();
        for (var date = first; date <= last; date = date.PlusDays(1))
        {
            var open = !probe.IsHoliday(date) && probe.WeekHours(date).Count > 0;
            if (!open)
            {
                continue;
            }

            if (shortDays.Contains((date.Month, date.Day)))
            {
                special[date] = shortDay;
            }
            else if (date.DayOfWeek == breakDay && date.Day <= 7)
            {
                breaks[date] = [breakSpan];
            }
        }

        return new DemoCalendar(name, zoneId, week, yearly, datedInYears, special, breaks, [team]);
    }
}
