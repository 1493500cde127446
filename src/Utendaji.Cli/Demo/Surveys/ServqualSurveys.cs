using System.Globalization;
using NodaTime;
using Utendaji.Core.Surveys;

namespace Utendaji.Cli.Demo;

/// <summary>
/// The quarterly SERVQUAL wave (built-in <c>servqual</c>): on the 15th of January, April, July and October,
/// 09:00 in Nairobi, an email to about 1,500 customers; about a quarter answer within three weeks.
/// </summary>
/// <remarks>
/// Answers follow a small factor model so that the analysis has something real to find: each respondent has a
/// general level and, per dimension, a level correlated with it (loading 0.6), and each item is that level plus
/// item noise, rounded onto 1–7. Items of a dimension therefore correlate (Cronbach's alpha about 0.7–0.9).
/// Expectations are high (mostly 5–7) and highest for reliability; perceptions fall short most on
/// responsiveness and reliability, least on tangibles and assurance.
/// </remarks>
internal static class ServqualSurveys
{
    private const long Hour = 3600;
    private const long Day = 24 * Hour;
    private const int Invited = 1500;
    private const double ResponseShare = 0.25;
    private const double CommentShare = 0.25;
    private const double ItemMissing = 0.015;
    private const double AllocationSkipped = 0.03;
    private const long SecondsBetweenSends = 3;

    // Item means, items 1–22: tangibles 1–4, reliability 5–9, responsiveness 10–13, assurance 14–17, empathy 18–22.
    private static readonly double[] ExpectationMeans =
    [
        5.6, 5.4, 5.8, 5.5,
        6.5, 6.4, 6.6, 6.3, 6.5,
        6.2, 6.3, 6.1, 6.3,
        6.3, 6.2, 6.4, 6.1,
        5.9, 5.7, 6.0, 5.8, 5.9,
    ];

    private static readonly double[] PerceptionMeans =
    [
        5.6, 5.3, 5.8, 5.4,
        4.9, 4.7, 5.0, 4.6, 4.8,
        4.4, 4.6, 4.3, 4.7,
        5.5, 5.4, 5.6, 5.3,
        5.0, 4.9, 5.2, 5.1, 4.8,
    ];

    // Mean share of the 100 importance points, in ServqualDimension order (tangibles, reliability,
    // responsiveness, assurance, empathy): reliability matters most, tangibles least, as in the published studies.
    private static readonly double[] ImportanceShares = [0.12, 0.31, 0.22, 0.19, 0.16];

    private static readonly ServqualDimension[] Dimensions = Enum.GetValues<ServqualDimension>();

    private static readonly string[] ExpectationIds = ItemIds("e");
    private static readonly string[] PerceptionIds = ItemIds("p");
    private static readonly string[] ImportanceIds = Dimensions.Select(BuiltInInstruments.ImportanceQuestionId).ToArray();

    public static IEnumerable<SurveyContact> Generate(DemoOrganisation organisation)
    {
        var world = organisation.World;
        var zone = DateTimeZoneProviders.Tzdb[DemoCast.HeadOfficeZone];
        var seed = DemoRandom.DeriveSeed(world.Options.Seed, SurveyDemoSupport.ServqualStream);
        var sampleSeed = DemoRandom.DeriveSeed(seed, 1);
        var answerSeed = DemoRandom.DeriveSeed(seed, 2);
        var customers = world.Customers;
        var share = Math.Min(1.0, Invited / (double)customers.Count);
        var options = world.Options;

        var first = options.StartDate;
        for (var quarter = new LocalDate(first.Year, (((first.Month - 1) / 3) * 3) + 1, 1); quarter <= options.EndDate; quarter = quarter.PlusMonths(3))
        {
            var opens = zone.AtLeniently(new LocalDateTime(quarter.Year, quarter.Month, 15, 9, 0)).ToInstant().ToUnixTimeSeconds();
            if (opens < world.PeriodStart || opens >= world.PeriodEnd)
            {
                continue;
            }

            var label = quarter.Year.ToString("D4", CultureInfo.InvariantCulture) + "Q"
                + (((quarter.Month - 1) / 3) + 1).ToString(CultureInfo.InvariantCulture);
            var quarterIndex = (quarter.Year * 4) + ((quarter.Month - 1) / 3);
            var sent = 0;
            for (var c = 0; c < customers.Count; c++)
            {
                var stream = ((long)quarterIndex << 32) | (uint)c;
                if (SurveyDemoSupport.Unit(sampleSeed, stream) >= share)
                {
                    continue;
                }

                var sentAt = opens + (sent++ * SecondsBetweenSends);
                if (sentAt >= world.PeriodEnd)
                {
                    break;
                }

                yield return Contact(world, customers[c], label, sentAt, new DemoRandom(DemoRandom.DeriveSeed(answerSeed, stream)));
            }
        }
    }

    private static SurveyContact Contact(DemoWorld world, DemoCustomer customer, string label, long sentAt, DemoRandom random)
    {
        var sendId = "S-SQ-" + label + "-" + customer.Id;
        var send = new SurveySend
        {
            SendId = sendId,
            InstrumentId = BuiltInInstruments.Servqual.Id,
            SentAt = Instant.FromUnixTimeSeconds(sentAt),
            Customer = customer.Id,
            Channel = "email",
            Language = customer.Language,
        };
        if (!random.Chance(ResponseShare))
        {
            return new SurveyContact(send, null);
        }

        var submittedAt = sentAt + 300 + (long)Math.Min(random.LogNormal(30 * Hour, 1.2), 21 * Day);
        if (submittedAt >= world.PeriodEnd)
        {
            return new SurveyContact(send, null);
        }

        var team = SurveyDemoSupport.HomeTeam(world, customer);
        var answers = new Dictionary<string, SurveyAnswer>(50, StringComparer.Ordinal);
        Items(answers, ExpectationIds, ExpectationMeans, shift: 0, itemLoading: 0.6, itemNoise: 0.5, random);
        Allocation(answers, random);

        // The Finnish team's customers perceive a little better service than the Kenyan frontline's.
        var shift = customer.Country == "FI" ? 0.2 : 0;
        var perceived = Items(answers, PerceptionIds, PerceptionMeans, shift, itemLoading: 1.0, itemNoise: 0.8, random);
        if (random.Chance(CommentShare))
        {
            var text = DemoComments.Write(customer.Language, SurveyDemoSupport.Tone(perceived, 4.5, 5.6), random);
            answers[BuiltInInstruments.CommentQuestionId] = new SurveyAnswer { Text = text };
        }

        var response = new SurveyResponse
        {
            ResponseId = "R-SQ-" + label + "-" + customer.Id,
            InstrumentId = send.InstrumentId,
            SubmittedAt = Instant.FromUnixTimeSeconds(submittedAt),
            Answers = answers,
            SendId = sendId,
            SentAt = send.SentAt,
            Customer = customer.Id,
            Team = team,
            Channel = send.Channel,
            Language = customer.Language,
        };
        return new SurveyContact(send, response);
    }

    /// <summary>
    /// The 22 items of one part, a few left blank; returns the mean of the answered ones. Each dimension's level
    /// is 0.6 × the respondent's general level + 0.8 × its own (unit variance), and each item adds its own noise.
    /// </summary>
    private static double Items(
        Dictionary<string, SurveyAnswer> answers, string[] ids, double[] means, double shift, double itemLoading, double itemNoise, DemoRandom random)
    {
        var general = random.Normal();
        var level = 0.0;
        var dimension = (ServqualDimension)(-1);
        double sum = 0;
        var answered = 0;
        for (var item = 1; item <= BuiltInInstruments.ServqualItemCount; item++)
        {
            var itemDimension = BuiltInInstruments.DimensionOfItem(item);
            if (itemDimension != dimension)
            {
                dimension = itemDimension;
                level = (0.6 * general) + (0.8 * random.Normal());
            }

            var value = Math.Round(means[item - 1] + shift + (itemLoading * level) + (itemNoise * random.Normal()), MidpointRounding.AwayFromZero);
            var rating = (int)Math.Clamp(value, 1, 7);
            if (random.Chance(ItemMissing))
            {
                continue;
            }

            answers[ids[item - 1]] = SurveyDemoSupport.Number(rating);
            sum += rating;
            answered++;
        }

        return answered == 0 ? 4 : sum / answered;
    }

    /// <summary>
    /// 100 points across the five dimensions, all or none: most respondents think in fives, some in single
    /// points. Rounded by largest remainder (ties to the earlier dimension), so the points always sum to 100.
    /// </summary>
    private static void Allocation(Dictionary<string, SurveyAnswer> answers, DemoRandom random)
    {
        if (random.Chance(AllocationSkipped))
        {
            return;
        }

        var step = random.Chance(0.7) ? 5 : 1;
        var units = InstrumentJson.DefaultAllocationTotal / step;
        Span<double> weights = stackalloc double[Dimensions.Length];
        double total = 0;
        for (var d = 0; d < weights.Length; d++)
        {
            weights[d] = ImportanceShares[d] * DeterministicMath.Exp(0.45 * random.Normal());
            total += weights[d];
        }

        Span<int> points = stackalloc int[Dimensions.Length];
        Span<double> remainders = stackalloc double[Dimensions.Length];
        var given = 0;
        for (var d = 0; d < weights.Length; d++)
        {
            var exact = weights[d] / total * units;
            points[d] = (int)Math.Floor(exact);
            remainders[d] = exact - points[d];
            given += points[d];
        }

        for (; given < units; given++)
        {
            var best = 0;
            for (var d = 1; d < remainders.Length; d++)
            {
                if (remainders[d] > remainders[best])
                {
                    best = d;
                }
            }

            points[best]++;
            remainders[best] = -1;
        }

        for (var d = 0; d < points.Length; d++)
        {
            answers[ImportanceIds[d]] = SurveyDemoSupport.Number(points[d] * step);
        }
    }

    private static string[] ItemIds(string prefix) =>
        Enumerable.Range(1, BuiltInInstruments.ServqualItemCount).Select(i => BuiltInInstruments.ItemQuestionId(prefix, i)).ToArray();
}
