using System.Globalization;
using NodaTime;
using Utendaji.Core.Surveys;

namespace Utendaji.Cli.Demo;

/// <summary>
/// The monthly relationship NPS (built-in <c>nps</c>): on the 5th of every month, 10:00 in Nairobi, an email to a
/// tenth of the customers, each customer at most once in ten months; about a fifth answer.
/// </summary>
internal static class NpsSurveys
{
    private const long Hour = 3600;
    private const long Day = 24 * Hour;
    private const int Rotation = 10; // a customer is asked once every ten waves
    private const double ResponseShare = 0.20;
    private const double CommentShare = 0.30;
    private const long SecondsBetweenSends = 3; // the mailer's pace

    public static IEnumerable<SurveyContact> Generate(DemoOrganisation organisation)
    {
        var world = organisation.World;
        var zone = DateTimeZoneProviders.Tzdb[DemoCast.HeadOfficeZone];
        var seed = DemoRandom.DeriveSeed(world.Options.Seed, SurveyDemoSupport.NpsStream);
        var slotSeed = DemoRandom.DeriveSeed(seed, 1);
        var answerSeed = DemoRandom.DeriveSeed(seed, 2);
        var customers = world.Customers;
        var slots = new int[customers.Count];
        for (var c = 0; c < slots.Length; c++)
        {
            slots[c] = DemoRandom.DeriveSeed(slotSeed, c) % Rotation;
        }

        var options = world.Options;
        var wave = 0;
        for (var month = new LocalDate(options.StartDate.Year, options.StartDate.Month, 1); month <= options.EndDate; month = month.PlusMonths(1))
        {
            var opens = zone.AtLeniently(new LocalDateTime(month.Year, month.Month, 5, 10, 0)).ToInstant().ToUnixTimeSeconds();
            if (opens < world.PeriodStart || opens >= world.PeriodEnd)
            {
                continue;
            }

            var label = month.Year.ToString("D4", CultureInfo.InvariantCulture) + "-" + month.Month.ToString("D2", CultureInfo.InvariantCulture);
            var monthIndex = (month.Year * 12) + month.Month - 1;
            var sent = 0;
            for (var c = 0; c < customers.Count; c++)
            {
                if ((slots[c] + monthIndex) % Rotation != 0)
                {
                    continue;
                }

                var sentAt = opens + (sent++ * SecondsBetweenSends);
                if (sentAt >= world.PeriodEnd)
                {
                    break;
                }

                var random = new DemoRandom(DemoRandom.DeriveSeed(answerSeed, ((long)monthIndex << 32) | (uint)c));
                yield return Contact(world, customers[c], label, sentAt, month, wave, random);
            }

            wave++;
        }
    }

    private static SurveyContact Contact(DemoWorld world, DemoCustomer customer, string label, long sentAt, LocalDate month, int wave, DemoRandom random)
    {
        var sendId = "S-NPS-" + label + "-" + customer.Id;
        var send = new SurveySend
        {
            SendId = sendId,
            InstrumentId = BuiltInInstruments.Nps.Id,
            SentAt = Instant.FromUnixTimeSeconds(sentAt),
            Customer = customer.Id,
            Channel = "email",
            Language = customer.Language,
        };
        if (!random.Chance(ResponseShare))
        {
            return new SurveyContact(send, null);
        }

        var submittedAt = sentAt + 60 + (long)Math.Min(random.LogNormal(5 * Hour, 1.4), 14 * Day);
        if (submittedAt >= world.PeriodEnd)
        {
            return new SurveyContact(send, null);
        }

        // About 42% promoters and 20% detractors (NPS near +20); Finnish customers a little warmer, December's
        // holiday backlog a little colder, and a slow improvement wave after wave.
        var team = SurveyDemoSupport.HomeTeam(world, customer);
        var mean = 8.1 + (customer.Country == "FI" ? 0.3 : 0) + (month.Month == 12 ? -0.4 : 0) + (0.08 * wave);
        var score = (int)Math.Clamp(Math.Round(mean + (1.9 * random.Normal()), MidpointRounding.AwayFromZero), 0, 10);
        var answers = new Dictionary<string, SurveyAnswer>(2, StringComparer.Ordinal)
        {
            [BuiltInInstruments.NpsQuestionId] = SurveyDemoSupport.Number(score),
        };
        if (random.Chance(CommentShare))
        {
            var text = DemoComments.Write(customer.Language, SurveyDemoSupport.Tone(score, 7, 9), random);
            answers[BuiltInInstruments.CommentQuestionId] = new SurveyAnswer { Text = text };
        }

        var response = new SurveyResponse
        {
            ResponseId = "R-NPS-" + label + "-" + customer.Id,
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
}
