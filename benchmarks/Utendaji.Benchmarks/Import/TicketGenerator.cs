using System.Globalization;
using System.Text;
using NodaTime;
using Utendaji.Core.Tickets;

namespace Utendaji.Benchmarks.Import;

/// <summary>
/// Deterministic, ticket-like data for the import and report benchmarks: the same seed and count give the same
/// rows on every machine (System.Random with a seed is a fixed algorithm). Tickets are spread evenly over one year
/// from 2025-01-06 with a weekday/office-hour bias; 3 teams, 5 channels, 4 priorities, 25 agents, 6 languages.
/// </summary>
internal sealed class TicketGenerator(int seed = 20260101)
{
    public static readonly string[] Teams = ["billing", "technical", "onboarding"];
    public static readonly string[] Channels = ["email", "chat", "phone", "social", "web_form"];
    public static readonly string[] Priorities = ["low", "normal", "high", "urgent"];
    public static readonly string[] Languages = ["en", "sw", "tl", "fi", "gu", "ur"];
    private static readonly string[] Agents = Enumerable.Range(1, 25).Select(i => string.Create(CultureInfo.InvariantCulture, $"agent-{i:D2}")).ToArray();
    private static readonly Instant Origin = Instant.FromUtc(2025, 1, 6, 0, 0);
    private const long YearSeconds = 364L * 86_400;

    /// <summary>Summary rows for tickets 0..count-1, in creation order.</summary>
    public IEnumerable<TicketSummary> Summaries(long count)
    {
        var random = new Random(seed);
        for (long i = 0; i < count; i++)
        {
            yield return Summary(random, i, count);
        }
    }

    private static TicketSummary Summary(Random random, long i, long count)
    {
        var created = CreatedAt(random, i, count);
        var team = Teams[random.Next(Teams.Length)];
        var channel = Channels[random.Next(Channels.Length)];
        var priority = Priorities[Math.Min(random.Next(10) / 3, 3)];
        // First reply: log-uniform between 1 minute and ~3 days; 5% never answered.
        Instant? firstReply = random.Next(20) == 0 ? null : created + Duration.FromSeconds((long)Math.Exp(4 + (random.NextDouble() * 8.5)));
        Instant? solved = null;
        if (firstReply is { } replied && random.Next(10) != 0)
        {
            solved = replied + Duration.FromSeconds((long)Math.Exp(5 + (random.NextDouble() * 8)));
        }

        var reopens = solved is null ? 0 : random.Next(12) switch { 0 => 1, 1 => 2, _ => 0 };
        var replies = firstReply is null ? 0 : 1 + (random.Next(4) == 0 ? random.Next(1, 6) : 0);
        int? rating = solved is not null && random.Next(3) == 0 ? 1 + Math.Min(random.Next(7), 4) : null;
        return new TicketSummary(
            string.Create(CultureInfo.InvariantCulture, $"T{i:D9}"),
            created,
            firstReply,
            solved,
            reopens,
            replies,
            priority,
            channel,
            team,
            Agents[random.Next(Agents.Length)],
            string.Create(CultureInfo.InvariantCulture, $"C{random.Next(1_000_000):D7}"),
            Languages[random.Next(Languages.Length)],
            rating);
    }

    /// <summary>Evenly spread over the year by ticket number, nudged towards office hours (UTC) on weekdays.</summary>
    private static Instant CreatedAt(Random random, long i, long count)
    {
        var second = (long)((double)i / count * YearSeconds);
        var day = second / 86_400;
        var hour = random.Next(10) < 7 ? 7 + random.Next(10) : random.Next(24);
        var at = (day * 86_400) + (hour * 3600) + random.Next(3600);
        return Origin + Duration.FromSeconds(at);
    }

    /// <summary>Writes the canonical summary CSV (docs/formats-summary.md): header, one row per ticket, LF endings.</summary>
    public static void WriteCsv(IEnumerable<TicketSummary> rows, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        writer.NewLine = "\n";
        writer.WriteLine("id,created_at,first_reply_at,solved_at,reopens,agent_replies,priority,channel,team,agent,customer,language,satisfaction");
        var line = new StringBuilder(256);
        foreach (var r in rows)
        {
            line.Clear();
            line.Append(r.TicketId).Append(',');
            AppendInstant(line, r.CreatedAt);
            line.Append(',');
            AppendInstant(line, r.FirstReplyAt);
            line.Append(',');
            AppendInstant(line, r.SolvedAt);
            line.Append(',').Append(r.Reopens.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(r.AgentReplies.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(r.Priority).Append(',').Append(r.Channel).Append(',').Append(r.Team)
                .Append(',').Append(r.Agent).Append(',').Append(r.Customer).Append(',').Append(r.Language).Append(',');
            if (r.Satisfaction is { } s)
            {
                line.Append(s.ToString(CultureInfo.InvariantCulture));
            }

            writer.WriteLine(line);
        }
    }

    private static void AppendInstant(StringBuilder line, Instant? at)
    {
        if (at is { } value)
        {
            line.Append(value.ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Lifecycle events of tickets 0.., about 5.5 per ticket, until <paramref name="eventCount"/> events are written:
    /// created, first agent reply, sometimes a pending wait and a customer reply, solved, sometimes a reopen.
    /// </summary>
    public IEnumerable<TicketEvent> Events(long eventCount, long ticketsSpread)
    {
        var random = new Random(seed);
        long written = 0;
        for (long t = 0; written < eventCount; t++)
        {
            var s = Summary(random, t, ticketsSpread);
            var id = s.TicketId;
            var n = 0;
            var list = new List<TicketEvent>(8)
            {
                new($"{id}-{n++}", id, s.CreatedAt, TicketEventType.Created, ActorKind.Customer, s.Customer, true, s.Channel, s.Team, s.Priority, TicketStatus.New, null),
            };
            if (s.FirstReplyAt is { } reply)
            {
                list.Add(new($"{id}-{n++}", id, reply, TicketEventType.AgentReply, ActorKind.Agent, s.Agent, true, null, null, null, null, null));
                var at = reply;
                if (random.Next(3) == 0)
                {
                    list.Add(new($"{id}-{n++}", id, at + Duration.FromSeconds(1), TicketEventType.StatusChanged, ActorKind.Agent, s.Agent, false, null, null, null, TicketStatus.Pending, null));
                    at += Duration.FromSeconds(60 + random.Next(86_400));
                    list.Add(new($"{id}-{n++}", id, at, TicketEventType.CustomerReply, ActorKind.Customer, s.Customer, true, null, null, null, TicketStatus.Open, null));
                    at += Duration.FromSeconds(60 + random.Next(20_000));
                    list.Add(new($"{id}-{n++}", id, at, TicketEventType.AgentReply, ActorKind.Agent, s.Agent, true, null, null, null, null, null));
                }

                if (s.SolvedAt is { } solved && solved > at)
                {
                    list.Add(new($"{id}-{n++}", id, solved, TicketEventType.StatusChanged, ActorKind.Agent, s.Agent, false, null, null, null, TicketStatus.Solved, null));
                }
            }

            foreach (var e in list)
            {
                yield return e;
            }

            written += list.Count;
        }
    }
}
