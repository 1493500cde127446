using System.Globalization;
using NodaTime;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;

namespace Utendaji.Cli.Demo;

/// <summary>
/// The CSAT survey (built-in <c>csat-5</c>) that follows each solved ticket. Reads the ticket events: one send
/// a few minutes after the ticket's last solve, in the ticket's channel and the customer's language. The rating
/// is the one the simulator put on the <c>closed</c> event, so survey data and events agree; tickets the period
/// cuts off before closing are answered at the same rate and rated by the same rules.
/// </summary>
internal static class CsatSurveys
{
    private const long Hour = 3600;
    private const double ResponseShareOfUnclosed = 0.27; // the simulator's share of rated tickets
    private const double CommentShare = 0.40;

    public static IEnumerable<SurveyContact> Generate(DemoOrganisation organisation)
    {
        var world = organisation.World;
        var seed = DemoRandom.DeriveSeed(world.Options.Seed, SurveyDemoSupport.CsatStream);
        var ticket = new TicketDigest();
        foreach (var e in organisation.Events)
        {
            if (e.Type == TicketEventType.Created)
            {
                if (ticket.Started && Contact(ticket, world, seed) is { } contact)
                {
                    yield return contact;
                }

                ticket.Start(e);
                continue;
            }

            ticket.Absorb(e);
        }

        if (ticket.Started && Contact(ticket, world, seed) is { } last)
        {
            yield return last;
        }
    }

    private static SurveyContact? Contact(TicketDigest ticket, DemoWorld world, int seed)
    {
        if (ticket.LastSolvedAt is not long solvedAt)
        {
            return null;
        }

        var random = new DemoRandom(DemoRandom.DeriveSeed(seed, ticket.Number));
        var sentAt = solvedAt + random.Next(60, 900);
        if (sentAt >= world.PeriodEnd)
        {
            return null;
        }

        var sendId = "S-" + ticket.TicketId;
        var send = new SurveySend
        {
            SendId = sendId,
            InstrumentId = BuiltInInstruments.Csat5.Id,
            SentAt = Instant.FromUnixTimeSeconds(sentAt),
            TicketId = ticket.TicketId,
            Customer = ticket.Customer,
            Channel = ticket.Channel,
            Language = ticket.Language,
        };

        // Nobody rates a ticket an automation solved for lack of an answer (as in the simulator).
        int rating;
        long deadline;
        if (ticket.Satisfaction is int rated && ticket.ClosedAt is long closedAt)
        {
            rating = rated;
            deadline = closedAt - 60;
        }
        else if (ticket.ClosedAt is null && !ticket.AutoSolved && random.Chance(ResponseShareOfUnclosed))
        {
            rating = Rating(ticket, world, solvedAt, random);
            deadline = world.PeriodEnd - 1;
        }
        else
        {
            return new SurveyContact(send, null);
        }

        // Most answer within hours of the email or chat message, a few days later at most.
        var delay = (long)Math.Min(random.LogNormal(2 * Hour, 1.3), 3.5 * 24 * Hour);
        var submittedAt = Math.Max(sentAt + 30, sentAt + delay);
        if (submittedAt > deadline)
        {
            if (ticket.ClosedAt is null)
            {
                return new SurveyContact(send, null); // would answer after the period's end
            }

            submittedAt = Math.Max(sentAt + 30, deadline);
        }

        var answers = new Dictionary<string, SurveyAnswer>(2, StringComparer.Ordinal)
        {
            [BuiltInInstruments.CsatQuestionId] = SurveyDemoSupport.Number(rating),
        };
        if (random.Chance(CommentShare))
        {
            var text = DemoComments.Write(ticket.Language, SurveyDemoSupport.Tone(rating, 3, 4), random);
            answers[BuiltInInstruments.CommentQuestionId] = new SurveyAnswer { Text = text };
        }

        var response = new SurveyResponse
        {
            ResponseId = "R-" + ticket.TicketId,
            InstrumentId = send.InstrumentId,
            SubmittedAt = Instant.FromUnixTimeSeconds(submittedAt),
            Answers = answers,
            SendId = sendId,
            SentAt = send.SentAt,
            TicketId = ticket.TicketId,
            Customer = ticket.Customer,
            Agent = ticket.Solver,
            Team = ticket.Team,
            Channel = ticket.Channel,
            Language = ticket.Language,
        };
        return new SurveyContact(send, response);
    }

    /// <summary>
    /// The simulator's satisfaction rule, read back from the events, for tickets whose <c>closed</c> event (and
    /// with it the rating) falls after the period: 1–5, lower for a late first reply against the channel's norm,
    /// a long resolution, a reopen, a transfer or reassignment, and repeated waiting on the customer.
    /// </summary>
    private static int Rating(TicketDigest ticket, DemoWorld world, long solvedAt, DemoRandom random)
    {
        double penalty = 0;
        if (ticket.FirstHumanReply is long firstReply)
        {
            var team = Math.Max(0, Array.FindIndex(world.Teams, t => string.Equals(t.Team.Name, ticket.CreatedTeam, StringComparison.Ordinal)));
            var waited = world.Clocks[team].Elapsed(ticket.Created, firstReply);
            var expected = TicketSimulator.ExpectedFirstReply[ticket.ChannelIndex];
            penalty += waited > expected ? 0.5 : 0;
            penalty += waited > 3 * expected ? 0.6 : 0;
        }

        var hours = (solvedAt - ticket.Created) / (double)Hour;
        penalty += hours > 48 ? 0.4 : 0;
        penalty += hours > 168 ? 0.6 : 0;
        penalty += ticket.Reopened ? 1.2 : 0;
        penalty += ticket.Transferred ? 0.4 : ticket.Reassigned ? 0.2 : 0;
        penalty += ticket.PendingRounds >= 2 ? 0.3 : 0;
        var score = Math.Round(4.55 - penalty + (0.9 * random.Normal()), MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(score, 1, 5);
    }

    /// <summary>What the CSAT survey needs to know of one ticket, gathered event by event. Reused ticket after ticket.</summary>
    private sealed class TicketDigest
    {
        public bool Started { get; private set; }
        public string TicketId { get; private set; } = "";
        public long Number { get; private set; }
        public long Created { get; private set; }
        public string Channel { get; private set; } = "";
        public int ChannelIndex { get; private set; }
        public string CreatedTeam { get; private set; } = "";
        public string Team { get; private set; } = "";
        public string Customer { get; private set; } = "";
        public string Language { get; private set; } = "";
        public long? FirstHumanReply { get; private set; }
        public bool Reopened { get; private set; }
        public bool Transferred { get; private set; }
        public bool Reassigned { get; private set; }
        public int PendingRounds { get; private set; }
        public long? LastSolvedAt { get; private set; }
        public bool AutoSolved { get; private set; }
        public string? Solver { get; private set; }
        public long? ClosedAt { get; private set; }
        public int? Satisfaction { get; private set; }
        private string? Assignee { get; set; }

        public void Start(TicketEvent created)
        {
            Started = true;
            TicketId = created.TicketId;
            Number = long.Parse(TicketId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture);
            Created = created.At.ToUnixTimeSeconds();
            Channel = created.Channel ?? DemoCast.Channels[0];
            ChannelIndex = Math.Max(0, Array.IndexOf(DemoCast.Channels, Channel));
            Team = created.Team ?? "";
            CreatedTeam = Team;
            Customer = created.Attribute("customer") ?? "";
            Language = created.Attribute("language") ?? SurveyLanguages.Fallback;
            FirstHumanReply = null;
            Reopened = Transferred = Reassigned = AutoSolved = false;
            PendingRounds = 0;
            LastSolvedAt = ClosedAt = null;
            Satisfaction = null;
            Solver = Assignee = null;

            // An outbound ticket's creator is the agent who will handle it.
            Assignee = created.ActorKind == ActorKind.Agent ? created.ActorId : null;
        }

        public void Absorb(TicketEvent e)
        {
            var at = e.At.ToUnixTimeSeconds();
            switch (e.Type)
            {
                case TicketEventType.AgentReply when e.Public && e.ActorKind == ActorKind.Agent:
                    FirstHumanReply ??= at;
                    break;
                case TicketEventType.Assigned:
                    Assignee = e.Attribute("assignee") ?? Assignee;
                    var reason = e.Attribute("reason");
                    Transferred |= string.Equals(reason, "transfer", StringComparison.Ordinal);
                    Reassigned |= string.Equals(reason, "reassignment", StringComparison.Ordinal);
                    Team = e.Team ?? Team;
                    break;
                case TicketEventType.Reopened:
                    Reopened = true;
                    break;
                case TicketEventType.StatusChanged:
                    Status(e, at);
                    break;
                default:
                    break;
            }
        }

        private void Status(TicketEvent e, long at)
        {
            switch (e.Status)
            {
                case TicketStatus.Solved:
                    LastSolvedAt = at;
                    AutoSolved = e.ActorKind == ActorKind.System;
                    Solver = e.ActorKind is ActorKind.Agent or ActorKind.Bot ? e.ActorId : Assignee;
                    break;
                case TicketStatus.Open when e.ActorKind == ActorKind.System:
                    PendingRounds++; // the customer answered a pending ticket
                    break;
                case TicketStatus.Closed:
                    ClosedAt = at;
                    Satisfaction = e.Attribute("satisfaction") is { } s ? int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture) : null;
                    break;
                default:
                    break;
            }
        }
    }
}
