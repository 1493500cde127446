using Utendaji.Core;
using Utendaji.Core.Surveys;

namespace Utendaji.Cli.Demo;

/// <summary>
/// Survey data for the demo organisation: a 5-point CSAT after every solved ticket, a monthly NPS to a sample of
/// customers and a quarterly SERVQUAL wave, with free-text comments in the customers' six languages. Pure and
/// deterministic like the ticket events: no I/O, no clock, no culture; the same <see cref="DemoOptions"/> give
/// the same sends and responses on any machine. See the "Surveys" section of docs/demo.md.
/// </summary>
public sealed class DemoSurveys
{
    private readonly DemoOrganisation _organisation;

    private DemoSurveys(DemoOrganisation organisation) => _organisation = organisation;

    /// <summary>The instruments the demo sends, in this order: <c>csat-5</c>, <c>nps</c>, <c>servqual</c> (the built-in ones).</summary>
    public static IReadOnlyList<SurveyInstrument> Instruments { get; } =
        [BuiltInInstruments.Csat5, BuiltInInstruments.Nps, BuiltInInstruments.Servqual];

    /// <summary>The organisation the surveys follow.</summary>
    public DemoOrganisation Organisation => _organisation;

    /// <summary>
    /// Every survey sent: first the CSAT sends in ticket order (<c>S-D000123</c>), then the NPS sends wave by wave
    /// (<c>S-NPS-2025-10-cust-000042</c>), then the SERVQUAL sends (<c>S-SQ-2025Q4-cust-000042</c>); within a
    /// wave in order of sending. Lazy and re-enumerable: the CSAT part reads the ticket events afresh each time.
    /// Every send lies inside <see cref="DemoOrganisation.Period"/>.
    /// </summary>
    public IEnumerable<SurveySend> Sends =>
        CsatSurveys.Generate(_organisation).Select(c => c.Send)
            .Concat(NpsSurveys.Generate(_organisation).Select(c => c.Send))
            .Concat(ServqualSurveys.Generate(_organisation).Select(c => c.Send));

    /// <summary>
    /// Every response, in the order of <see cref="Sends"/>; the response to send <c>S-x</c> has id <c>R-x</c> and
    /// carries the send's id and time. Every response is submitted after its send and before the period's end, and
    /// is valid against its instrument in <see cref="Instruments"/>. Lazy and re-enumerable.
    /// </summary>
    public IEnumerable<SurveyResponse> Responses =>
        CsatSurveys.Generate(_organisation).Concat(NpsSurveys.Generate(_organisation)).Concat(ServqualSurveys.Generate(_organisation))
            .Where(c => c.Response is not null)
            .Select(c => c.Response!);

    /// <summary>The surveys of <paramref name="organisation"/>. Cheap: sends and responses are produced when enumerated.</summary>
    public static DemoSurveys Generate(DemoOrganisation organisation)
    {
        Guard.NotNull(organisation);
        return new DemoSurveys(organisation);
    }
}

/// <summary>One send and, when the customer answered, the response to it.</summary>
internal readonly record struct SurveyContact(SurveySend Send, SurveyResponse? Response);

/// <summary>Small pieces the three survey generators share.</summary>
internal static class SurveyDemoSupport
{
    // Seed streams of the survey generators; negative so they never meet a ticket's stream (its number, ≥ 1)
    // or the customers' stream (−1).
    public const long CsatStream = -101;
    public const long NpsStream = -102;
    public const long ServqualStream = -103;

    private static readonly SurveyAnswer[] Numbers =
        Enumerable.Range(0, 101).Select(n => new SurveyAnswer { Number = n }).ToArray();

    /// <summary>A shared, immutable answer holding the whole number <paramref name="value"/> (0–100).</summary>
    public static SurveyAnswer Number(int value) => Numbers[value];

    /// <summary>The tone of a comment from a position on a scale: bottom, middle or top.</summary>
    public static CommentTone Tone(double value, double negativeBelow, double positiveFrom) =>
        value < negativeBelow ? CommentTone.Negative : value >= positiveFrom ? CommentTone.Positive : CommentTone.Mixed;

    /// <summary>The name of the team serving a market's customers outside billing: frontline (KE) or nordic (FI).</summary>
    public static string HomeTeam(DemoWorld world, DemoCustomer customer)
    {
        foreach (var team in world.Teams)
        {
            if (string.Equals(team.Country, customer.Country, StringComparison.Ordinal))
            {
                return team.Team.Name;
            }
        }

        return world.Teams[0].Team.Name;
    }

    /// <summary>A uniform number in [0, 1) from a derived seed, without building a generator.</summary>
    public static double Unit(int seed, long stream) => DemoRandom.DeriveSeed(seed, stream) / 2147483648.0;
}
