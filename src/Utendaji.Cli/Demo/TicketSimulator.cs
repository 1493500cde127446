using System.Globalization;
using NodaTime;
using Utendaji.Core.Tickets;

namespace Utendaji.Cli.Demo;

/// <summary>
/// Plays one ticket's life from creation to closing with its own seeded generator, so a ticket depends only on
/// the seed and its number. Events come out in time order, one second apart at least; anything that would
/// happen at or after the period's end is cut off, which leaves the last days' tickets open. One instance per
/// enumeration: it reuses its buffers.
/// </summary>
internal sealed class TicketSimulator
{
    private const long Minute = 60;
    private const long Hour = 3600;
    private const long Day = 86400;

    // Indexed by DemoCast channel (email, chat, phone, social, web) or priority (low, normal, high, urgent).
    private static readonly double[] PriorityPace = [1.4, 1.0, 0.55, 0.25];
    private static readonly double[] FirstReplyMinutes = [180, 3, 5, 45, 120];
    private static readonly double[] NextReplyMinutes = [180, 4, 60, 60, 150];
    private static readonly double[] SolvedAtFirstReply = [0.35, 0.45, 0.55, 0.45, 0.35];
    private static readonly double[] CustomerAnswerHours = [16, 0.5, 6, 4, 14];
    private static readonly double[] CustomerFollowUpHours = [3, 0.1, 2, 1, 3];
    // Internal: the demo's CSAT survey rates tickets the period cut off before closing with the same norm.
    internal static readonly long[] ExpectedFirstReply = [8 * Hour, 10 * Minute, 15 * Minute, 2 * Hour, 4 * Hour];

    private readonly DemoWorld _world;
    private readonly List<TicketEvent> _events = new(32);

    private DemoRandom _random = null!;
    private string _ticketId = "";
    private int _sequence;
    private long _last;
    private bool _ended;
    private TicketStatus _status;
    private int _team;
    private TeamClock _clock = null!;
    private TeamClock _createdClock = null!;
    private int _customer;
    private string _language = "";
    private int _agent;
    private int _channel;
    private int _priority;
    private long _created;
    private long? _firstHumanReply;
    private bool _botSolved;
    private bool _autoSolved;
    private bool _reopened;
    private bool _reassigned;
    private bool _transferred;
    private bool _noted;
    private bool _held;
    private bool _reprioritised;
    private int _pendingRounds;

    public TicketSimulator(DemoWorld world) => _world = world;

    /// <summary>The events of ticket number <paramref name="number"/>; the list is reused by the next call.</summary>
    public List<TicketEvent> Simulate(long number, Arrival arrival)
    {
        _events.Clear();
        _random = new DemoRandom(DemoRandom.DeriveSeed(_world.Options.Seed, number));
        _ticketId = "D" + number.ToString("D6", CultureInfo.InvariantCulture);
        _sequence = 0;
        _last = long.MinValue;
        _ended = false;
        _team = arrival.Team;
        _clock = _createdClock = _world.Clocks[_team];
        _firstHumanReply = null;
        _botSolved = _autoSolved = _reopened = _reassigned = _transferred = _noted = _held = _reprioritised = false;
        _pendingRounds = 0;

        Create(arrival);
        if (arrival.Outbound)
        {
            OpenOutbound();
        }
        else if (_channel == DemoCast.Chat)
        {
            OpenChat();
        }
        else if (_channel == DemoCast.Phone)
        {
            OpenPhone();
        }
        else
        {
            OpenQueued();
        }

        Converse(firstRound: 0);
        Finish();
        return _events;
    }

    private void Create(Arrival arrival)
    {
        _customer = _world.PickCustomer(_team, _random);
        var customer = _world.Customers[_customer];
        _language = customer.Language;
        _agent = _world.PickAgent(_team, _language, _random);
        _created = arrival.At;

        if (arrival.Outbound)
        {
            _channel = _random.Chance(0.7) ? DemoCast.Email : DemoCast.Phone;
        }
        else
        {
            Span<double> weights = stackalloc double[DemoCast.Channels.Length];
            _world.Teams[_team].ChannelWeights.CopyTo(weights);
            if (!_clock.IsOpen(arrival.At))
            {
                weights[DemoCast.Phone] = 0; // nobody answers the phone when closed
            }

            var hour = _clock.LocalHour(arrival.At);
            if (hour is >= 18 or < 7)
            {
                weights[DemoCast.Chat] *= 1.5;
                weights[DemoCast.Social] *= 1.6;
            }

            _channel = _random.Choose(weights);
        }

        ReadOnlySpan<double> priorityWeights = _channel == DemoCast.Phone ? [0.10, 0.50, 0.30, 0.10] : [0.18, 0.57, 0.20, 0.05];
        _priority = _random.Choose(priorityWeights);

        var attributes = arrival.Outbound
            ? new AttributeMap([.. _world.CustomerAttributes[_customer], AttributeMap.Pair("direction", "outbound")])
            : _world.CustomerAttributes[_customer];
        Emit(TicketEventType.Created, arrival.At,
            arrival.Outbound ? ActorKind.Agent : ActorKind.Customer,
            arrival.Outbound ? AgentId : customer.Id,
            isPublic: true,
            channel: DemoCast.Channels[_channel],
            team: _world.Teams[_team].Team.Name,
            priority: DemoCast.Priorities[_priority],
            status: TicketStatus.New,
            attributes: attributes);
    }

    private string AgentId => _world.Agents[_agent].Id;

    private string CustomerId => _world.Customers[_customer].Id;

    /// <summary>An agent writes to a customer first: the message is the first public reply.</summary>
    private void OpenOutbound()
    {
        Assign(_last + 1, ActorKind.Agent, AgentId, _agent, "self");
        AgentReply(_last + _random.Next(10, 120), isPublic: true);
        SetStatus(TicketStatus.Pending, ActorKind.Agent, AgentId, _last + _random.Next(1, 10));
    }

    /// <summary>The bot answers within seconds; most customers then ask for a person and the bot hands over.</summary>
    private void OpenChat()
    {
        Emit(TicketEventType.AgentReply, _last + _random.Next(2, 20), ActorKind.Bot, DemoWorld.BotId, isPublic: true);
        if (_random.Chance(0.10))
        {
            CustomerReply(_last + _random.Next(30, 300));
            SetStatus(TicketStatus.Solved, ActorKind.Bot, DemoWorld.BotId, _last + _random.Next(5, 60));
            _botSolved = !_ended;
            return;
        }

        CustomerReply(_last + _random.Next(20, 180));
        Assign(_last + _random.Next(1, 5), ActorKind.Bot, DemoWorld.BotId, _agent, "bot_handoff");
        FirstHumanReply(AgentAfter(_last, FirstReplyMinutes[DemoCast.Chat], 0.9));
    }

    /// <summary>An agent picks up the call; the call itself is the first reply.</summary>
    private void OpenPhone()
    {
        Assign(_last + _random.Next(5, 90), ActorKind.Agent, AgentId, _agent, "self");
        FirstHumanReply(_last + _random.Next(120, 900));
    }

    /// <summary>Email, web form and social: routed to an agent, answered in the team's hours.</summary>
    private void OpenQueued()
    {
        Assign(_last + _random.Next(20, 600), ActorKind.System, null, _agent, "routing");
        FirstHumanReply(AgentAfter(_last, FirstReplyMinutes[_channel], 0.9));
    }

    private void FirstHumanReply(long at)
    {
        AgentReply(at, isPublic: true);
        if (_random.Chance(SolvedAtFirstReply[_channel]))
        {
            SetStatus(TicketStatus.Solved, ActorKind.Agent, AgentId, _last + _random.Next(5, 240));
        }
        else
        {
            SetStatus(_random.Chance(0.6) ? TicketStatus.Pending : TicketStatus.Open, ActorKind.Agent, AgentId, _last + _random.Next(1, 30));
        }
    }

    /// <summary>Rounds of customer and agent messages until solved; later rounds solve more readily.</summary>
    private void Converse(int firstRound)
    {
        const int LastRound = 8;
        for (var round = firstRound; round <= LastRound && !_ended && _status != TicketStatus.Solved; round++)
        {
            if (_status == TicketStatus.Pending)
            {
                if (_random.Chance(0.07))
                {
                    // The customer never answers; an automation solves the ticket after four days.
                    SetStatus(TicketStatus.Solved, ActorKind.System, null, _last + (4 * Day), _world.AutoSolveAttributes);
                    _autoSolved = !_ended;
                    return;
                }

                CustomerReply(CustomerAfter(_last, CustomerAnswerHours[_channel], 1.1));
                SetStatus(TicketStatus.Open, ActorKind.System, null, _last + 1);
                _pendingRounds++;
            }

            Sidetrack();
            AgentReply(AgentAfter(_last, NextReplyMinutes[_channel], 0.9), isPublic: true);
            if (round == LastRound || _random.Chance(Math.Min(0.9, 0.40 + (0.12 * round))))
            {
                SetStatus(TicketStatus.Solved, ActorKind.Agent, AgentId, _last + _random.Next(5, 240));
            }
            else if (_random.Chance(0.7))
            {
                SetStatus(TicketStatus.Pending, ActorKind.Agent, AgentId, _last + _random.Next(1, 30));
            }
            else
            {
                // Still open: the customer adds something before the agent's next answer.
                if (_status != TicketStatus.Open)
                {
                    SetStatus(TicketStatus.Open, ActorKind.Agent, AgentId, _last + _random.Next(1, 30));
                }

                CustomerReply(CustomerAfter(_last, CustomerFollowUpHours[_channel], 1.0));
            }
        }
    }

    /// <summary>What else happens while the organisation works: notes, reassignment, escalation, waiting on others.</summary>
    private void Sidetrack()
    {
        if (!_noted && _random.Chance(0.15))
        {
            _noted = true;
            var author = _random.Chance(0.7) ? _agent : _world.PickAgent(_team, _language, _random);
            Emit(TicketEventType.AgentReply, AgentAfter(_last, 20, 1.0), ActorKind.Agent, _world.Agents[author].Id, isPublic: false);
        }

        if (!_reassigned && _random.Chance(0.07))
        {
            _reassigned = true;
            var from = AgentId;
            if (_random.Chance(0.25))
            {
                // Transfer: frontline ↔ billing, nordic ↔ billing; Finnish customers' billing goes back to nordic.
                _team = _team switch
                {
                    0 => 1,
                    2 => 1,
                    _ => _world.Customers[_customer].Country == "FI" ? 2 : 0,
                };
                _clock = _world.Clocks[_team];
                _agent = _world.PickAgent(_team, _language, _random);
                _transferred = true;
                Assign(AgentAfter(_last, 30, 1.0), ActorKind.Agent, from, _agent, "transfer", _world.Teams[_team].Team.Name);
            }
            else
            {
                _agent = _world.PickAgent(_team, _language, _random, exclude: _agent);
                Assign(AgentAfter(_last, 30, 1.0), ActorKind.Agent, from, _agent, "reassignment");
            }
        }

        if (!_reprioritised && _random.Chance(0.05))
        {
            _reprioritised = true;
            var up = _priority == 0 || (_priority < 3 && _random.Chance(0.75));
            _priority += up ? 1 : -1;
            Emit(TicketEventType.PriorityChanged, AgentAfter(_last, 10, 1.0), ActorKind.Agent, AgentId,
                isPublic: false, priority: DemoCast.Priorities[_priority]);
        }

        if (!_held && _random.Chance(0.05))
        {
            _held = true;
            SetStatus(TicketStatus.OnHold, ActorKind.Agent, AgentId, AgentAfter(_last, 15, 1.0));

            // Usually a third party answers within a working day or two; now and then it takes weeks.
            var resume = _random.Chance(0.08)
                ? _last + (_random.Next(10, 40) * Day)
                : _clock.Add(_last, (long)Math.Min(_random.LogNormal(8 * Hour, 0.8), 20 * Day));
            SetStatus(TicketStatus.Open, ActorKind.Agent, AgentId, resume);
        }
    }

    /// <summary>Maybe a reopen, then the automatic close four days after solving, with the customer's rating.</summary>
    private void Finish()
    {
        if (_ended || _status != TicketStatus.Solved)
        {
            return;
        }

        if (!_botSolved && !_autoSolved && _random.Chance(0.075))
        {
            CustomerReply(CustomerAfter(_last, 20, 0.8, cap: 3.5 * Day));
            Emit(TicketEventType.Reopened, _last + 1, ActorKind.Customer, CustomerId, isPublic: true, status: TicketStatus.Open);
            if (_ended)
            {
                return;
            }

            _status = TicketStatus.Open;
            _reopened = true;
            Converse(firstRound: 3);
            if (_ended || _status != TicketStatus.Solved)
            {
                return;
            }
        }

        var solvedAt = _last;
        var rated = !_autoSolved && _random.Chance(0.27);
        var attributes = rated ? _world.SatisfactionAttributes[Satisfaction(solvedAt) - 1] : null;
        SetStatus(TicketStatus.Closed, ActorKind.System, null, solvedAt + (4 * Day), attributes);
    }

    /// <summary>1–5, lower when the first reply was late, the fix slow, the ticket reopened or passed around.</summary>
    private int Satisfaction(long solvedAt)
    {
        double penalty = 0;
        if (_firstHumanReply is long firstReply)
        {
            var waited = _createdClock.Elapsed(_created, firstReply);
            var expected = ExpectedFirstReply[_channel];
            penalty += waited > expected ? 0.5 : 0;
            penalty += waited > 3 * expected ? 0.6 : 0;
        }

        var hours = (solvedAt - _created) / (double)Hour;
        penalty += hours > 48 ? 0.4 : 0;
        penalty += hours > 168 ? 0.6 : 0;
        penalty += _reopened ? 1.2 : 0;
        penalty += _transferred ? 0.4 : _reassigned ? 0.2 : 0;
        penalty += _pendingRounds >= 2 ? 0.3 : 0;
        var score = Math.Round(4.55 - penalty + (0.9 * _random.Normal()), MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(score, 1, 5);
    }

    /// <summary>An agent's answer: a log-normal wait in the team's open hours; now and then after hours.</summary>
    private long AgentAfter(long from, double medianMinutes, double sigma)
    {
        var seconds = (long)Math.Min(_random.LogNormal(medianMinutes * PriorityPace[_priority] * Minute, sigma), 30 * Day) + 10;
        return _random.Chance(0.05) ? from + seconds : _clock.Add(from, seconds);
    }

    /// <summary>A customer's answer: calendar time, but nobody writes between midnight and 07:00.</summary>
    private long CustomerAfter(long from, double medianHours, double sigma, double cap = 20 * Day)
    {
        var at = from + (long)Math.Min(_random.LogNormal(medianHours * Hour, sigma), cap);
        var hour = _clock.LocalHour(at);
        return hour < 7 ? at + ((7 - hour) * Hour) + _random.Next(0, 3600) : at;
    }

    private void AgentReply(long at, bool isPublic)
    {
        Emit(TicketEventType.AgentReply, at, ActorKind.Agent, AgentId, isPublic);
        if (isPublic && !_ended && _firstHumanReply is null)
        {
            _firstHumanReply = _last;
        }
    }

    private void CustomerReply(long at) =>
        Emit(TicketEventType.CustomerReply, at, ActorKind.Customer, CustomerId, isPublic: true);

    private void Assign(long at, ActorKind kind, string? actorId, int agent, string reason, string? team = null) =>
        Emit(TicketEventType.Assigned, at, kind, actorId, isPublic: false, team: team,
            attributes: _world.AssignAttributes[agent][Array.IndexOf(DemoWorld.AssignReasons, reason)]);

    private void SetStatus(TicketStatus status, ActorKind kind, string? actorId, long at, AttributeMap? attributes = null)
    {
        Emit(TicketEventType.StatusChanged, at, kind, actorId, isPublic: false, status: status, attributes: attributes);
        if (!_ended)
        {
            _status = status;
        }
    }

    private void Emit(
        TicketEventType type,
        long at,
        ActorKind kind,
        string? actorId,
        bool isPublic,
        string? channel = null,
        string? team = null,
        string? priority = null,
        TicketStatus? status = null,
        IReadOnlyDictionary<string, string>? attributes = null)
    {
        if (_ended)
        {
            return;
        }

        // Strictly increasing instants: "in time order" never depends on how ties are broken.
        if (at <= _last)
        {
            at = _last + 1;
        }

        if (at >= _world.PeriodEnd)
        {
            _ended = true;
            return;
        }

        _last = at;
        _sequence++;
        var id = string.Concat(_ticketId, "-", _sequence.ToString(CultureInfo.InvariantCulture));
        _events.Add(new TicketEvent(id, _ticketId, Instant.FromUnixTimeSeconds(at), type, kind, actorId, isPublic,
            channel, team, priority, status, attributes));
    }
}
