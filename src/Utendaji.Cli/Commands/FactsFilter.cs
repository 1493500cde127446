using System.CommandLine;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary>The ticket filters shared by <c>tickets</c> and <c>report</c>.</summary>
internal sealed class FactsFilter(bool withCreatedRange = true)
{
    private readonly Option<string?> _team = new("--team") { Description = "Only tickets of this team" };
    private readonly Option<string?> _channel = new("--channel") { Description = "Only tickets of this channel" };
    private readonly Option<string?> _agent = new("--agent") { Description = "Only tickets credited to this agent" };
    private readonly Option<string?> _priority = new("--priority") { Description = "Only tickets of this priority" };
    private readonly Option<string?> _language = new("--language") { Description = "Only tickets in this language" };
    private readonly Option<NodaTime.Instant?> _from = CommonOptions.Instant("--from", "Only tickets created at or after (ISO-8601 with offset, or a date read as UTC midnight)");
    private readonly Option<NodaTime.Instant?> _to = CommonOptions.Instant("--to", "Only tickets created before (same forms)");

    public void AddTo(Command command)
    {
        Option[] options = withCreatedRange
            ? [_team, _channel, _agent, _priority, _language, _from, _to]
            : [_team, _channel, _agent, _priority, _language];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }

    public FactsQuery Read(ParseResult parseResult)
    {
        var query = new FactsQuery
        {
            Team = parseResult.GetValue(_team),
            Channel = parseResult.GetValue(_channel),
            Agent = parseResult.GetValue(_agent),
            Priority = parseResult.GetValue(_priority),
            Language = parseResult.GetValue(_language),
            CreatedFrom = withCreatedRange ? parseResult.GetValue(_from) : null,
            CreatedTo = withCreatedRange ? parseResult.GetValue(_to) : null,
        };
        if (query.CreatedFrom is { } from && query.CreatedTo is { } to && to <= from)
        {
            throw new CliException("--to must be after --from", ExitCodes.Usage);
        }

        return query;
    }
}
