using System.Diagnostics;
using System.Globalization;
using Utendaji.Cli.Demo;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;

namespace Utendaji.Cli.Tests.Demo.Surveys;

/// <summary>
/// The surveys of the default demo (about 60,000 tickets), generated once per test run, with what the shape tests
/// compare them against from the ticket events: which tickets were solved, reopened, and rated on <c>closed</c>.
/// </summary>
public sealed class DemoSurveysFixture
{
    public DemoSurveysFixture()
    {
        Organisation = DemoOrganisation.Generate(DemoOptions.Default);
        Surveys = DemoSurveys.Generate(Organisation);
        var clock = Stopwatch.StartNew();
        Sends = [.. Surveys.Sends];
        Responses = [.. Surveys.Responses];
        GenerationTime = clock.Elapsed;

        string? ticket = null;
        foreach (var e in Organisation.Events)
        {
            if (e.Type == TicketEventType.Created)
            {
                ticket = e.TicketId;
            }

            if (e.Status == TicketStatus.Solved)
            {
                SolvedTickets.Add(ticket!);
            }

            if (e.Type == TicketEventType.Reopened)
            {
                ReopenedTickets.Add(ticket!);
            }

            if (e.Status == TicketStatus.Closed && e.Attribute("satisfaction") is { } rating)
            {
                ClosedRatings[ticket!] = int.Parse(rating, CultureInfo.InvariantCulture);
            }
        }
    }

    public DemoOrganisation Organisation { get; }
    public DemoSurveys Surveys { get; }
    public IReadOnlyList<SurveySend> Sends { get; }
    public IReadOnlyList<SurveyResponse> Responses { get; }

    /// <summary>Time to enumerate every send and every response once (two passes over the ticket events).</summary>
    public TimeSpan GenerationTime { get; }

    public HashSet<string> SolvedTickets { get; } = new(StringComparer.Ordinal);
    public HashSet<string> ReopenedTickets { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> ClosedRatings { get; } = new(StringComparer.Ordinal);

    public IEnumerable<SurveySend> SendsOf(SurveyInstrument instrument) =>
        Sends.Where(s => string.Equals(s.InstrumentId, instrument.Id, StringComparison.Ordinal));

    public IEnumerable<SurveyResponse> ResponsesOf(SurveyInstrument instrument) =>
        Responses.Where(r => string.Equals(r.InstrumentId, instrument.Id, StringComparison.Ordinal));
}
