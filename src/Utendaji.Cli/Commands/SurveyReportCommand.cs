using System.CommandLine;
using System.CommandLine.Parsing;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;
using Utendaji.Core.Surveys.Credit;
using Utendaji.Reports;
using Utendaji.Reports.Surveys;
using Utendaji.Storage;

namespace Utendaji.Cli.Commands;

/// <summary><c>utendaji survey report</c>: CSAT, NPS, CES and SERVQUAL figures with their uncertainty, per group and period.</summary>
internal static class SurveyReportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var instrument = new Option<string[]>("--instrument") { Description = "Only these instruments (repeat the option; default all)", AllowMultipleArgumentsPerToken = true };
        var by = new Option<string?>("--by") { Description = "Group by any of: team, agent, channel, language (comma-separated)" };
        var period = new Option<string>("--period") { Description = "Period: none, day, week (ISO, Monday) or month", DefaultValueFactory = _ => "none" };
        period.AcceptOnlyFromAmong("none", "day", "week", "month");
        var zone = new Option<string>("--time-zone") { Description = "IANA zone in which periods begin (default UTC)", DefaultValueFactory = _ => "UTC" };
        var minN = new Option<int>("--min-n") { Description = "Groups with fewer responses are flagged (never hidden)", DefaultValueFactory = _ => SurveyReportOptions.Default.MinimumN };
        var from = CommonOptions.Instant("--from", "Responses submitted at or after (ISO-8601 with offset, or a date: UTC midnight)");
        var to = CommonOptions.Instant("--to", "Responses submitted before (same forms)");
        var missing = new Option<string>("--alpha-missing") { Description = "Missing data in Cronbach's alpha: listwise (default) or pairwise", DefaultValueFactory = _ => "listwise" };
        missing.AcceptOnlyFromAmong("listwise", "pairwise");
        var credit = new Option<string>("--credit") { Description = "Agent credited with a response: solver (default), last-public-replier or every-participant", DefaultValueFactory = _ => "solver" };
        credit.AcceptOnlyFromAmong("solver", "last-public-replier", "every-participant");
        var baseline = IntervalOption("--baseline", "Baseline period FROM/TO for the change test, e.g. 2025-10-01/2025-11-01");
        var current = IntervalOption("--current", "Current period FROM/TO for the change test");
        var format = CommonOptions.Format("table", "json", "csv", "html");
        var output = CommonOptions.Out();
        var command = new Command("report", "Survey figures per group and period, each with n and a 95% interval; change tested for significance")
        {
            instrument, by, period, zone, minN, from, to, missing, credit, baseline, current, format, output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var groupBy = Dimensions(parseResult.GetValue(by));
            var b = parseResult.GetValue(baseline);
            var c = parseResult.GetValue(current);
            if ((b is null) != (c is null))
            {
                throw new CliException("--baseline and --current go together", ExitCodes.Usage);
            }

            // Checked here in the options' own words: the options' check said "the two periods do not overlap
            // (Parameter 'CurrentStart')", its rule rather than the problem, with a code name.
            if (b is { } x && c is { } y && x.Start < y.End && y.Start < x.End)
            {
                throw new CliException("--baseline and --current overlap; give two periods that do not", ExitCodes.Usage);
            }

            var options = SurveyReportOptions.Default with
            {
                Instruments = parseResult.GetValue(instrument) ?? [],
                GroupBy = groupBy,
                Period = Enum.Parse<PeriodGranularity>(parseResult.GetValue(period)!, ignoreCase: true),
                TimeZone = ReportCommand.ZoneOf(parseResult.GetValue(zone)!),
                MinimumN = parseResult.GetValue(minN) is var n && n >= 0 ? n : throw new CliException("--min-n must not be negative", ExitCodes.Usage),
                From = parseResult.GetValue(from),
                To = parseResult.GetValue(to),
                AlphaMissingData = parseResult.GetValue(missing) == "pairwise" ? MissingDataRule.Pairwise : MissingDataRule.Listwise,
                Comparison = b is { } bi && c is { } ci ? new SurveyPeriodComparison(bi.Start, bi.End, ci.Start, ci.End) : null,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message, ExitCodes.Usage);
            }

            OutputTarget.Check(parseResult.GetValue(output), environment, StoreSession.Target(parseResult, environment));
            await using var store = await StoreSession.OpenAsync(parseResult, environment, cancellationToken);
            var catalog = await SurveyCatalog.LoadAsync(store, cancellationToken);
            foreach (var id in options.Instruments.Where(id => !catalog.ContainsKey(id)))
            {
                throw new CliException($"--instrument: no instrument '{id}' (see 'utendaji survey instruments')", ExitCodes.Usage);
            }

            var query = new SurveyResponseQuery { SubmittedFrom = options.Comparison is null ? options.From : null, SubmittedTo = options.Comparison is null ? options.To : null };
            var responses = store.ReadSurveyResponsesAsync(query, cancellationToken).ToBlockingEnumerable(cancellationToken);
            var rule = RuleOf(parseResult.GetValue(credit)!);
            if (groupBy.Contains(SurveyGroupDimension.Agent))
            {
                // The agent is credited from the ticket the survey follows, not taken from the survey tool.
                responses = await CreditAsync(store, responses.ToList(), rule, cancellationToken);
            }

            var sends = store.ReadSurveySendsAsync(SurveySendQuery.All, cancellationToken).ToBlockingEnumerable(cancellationToken);
            var report = groupBy.Any(d => d is SurveyGroupDimension.Team or SurveyGroupDimension.Agent)
                ? SurveyReportBuilder.BuildAttributed(responses, catalog.Values.ToList(), options, await AttributeAsync(store, sends.ToList(), rule, cancellationToken), cancellationToken)
                : SurveyReportBuilder.Build(responses, catalog.Values.ToList(), options, sends, cancellationToken);
            await using var target = await OutputTarget.OpenAsync(parseResult.GetValue(output), environment, StoreSession.Target(parseResult, environment));
            SurveyReportRenderer.Write(report, Enum.Parse<ReportFormat>(parseResult.GetValue(format)!, ignoreCase: true), target.Stream);
            await target.CompleteAsync();
            if (target.Path is not null)
            {
                await environment.Error.WriteLineAsync($"report written to {target.Path}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<IEnumerable<SurveyResponse>> CreditAsync(IUtendajiStore store, List<SurveyResponse> responses, SurveyCreditRule rule, CancellationToken cancellationToken)
    {
        var credited = new List<SurveyResponse>(responses.Count);
        foreach (var response in responses)
        {
            if (response.TicketId is null)
            {
                credited.Add(response);
                continue;
            }

            var facts = await store.GetFactsAsync(response.TicketId, cancellationToken);
            var events = rule == SurveyCreditRule.Solver ? null : await store.ReadEventsAsync(response.TicketId, cancellationToken);
            var credit = SurveyCredit.Credit(response, facts, events, rule);
            if (credit.Agents.Count == 0)
            {
                credited.Add(response);
            }

            credited.AddRange(credit.Agents.Select(agent => response with { Agent = agent }));
        }

        return credited;
    }

    /// <summary>
    /// Gives each send the team and credited agents of its ticket, so response rates can be given per team and agent.
    /// Agents are credited as for a response submitted when the survey was sent: the replies the survey asks about.
    /// </summary>
    private static async Task<List<AttributedSend>> AttributeAsync(IUtendajiStore store, List<SurveySend> sends, SurveyCreditRule rule, CancellationToken cancellationToken)
    {
        var attributed = new List<AttributedSend>(sends.Count);
        var facts = new Dictionary<string, TicketFacts?>(StringComparer.Ordinal);
        foreach (var send in sends)
        {
            if (send.TicketId is not { } ticketId)
            {
                attributed.Add(new AttributedSend(send, null, []));
                continue;
            }

            if (!facts.TryGetValue(ticketId, out var ticket))
            {
                facts[ticketId] = ticket = await store.GetFactsAsync(ticketId, cancellationToken);
            }

            var events = rule == SurveyCreditRule.Solver || ticket is null ? null : await store.ReadEventsAsync(ticketId, cancellationToken);
            var asIfAnswered = new SurveyResponse
            {
                ResponseId = send.SendId,
                InstrumentId = send.InstrumentId,
                SubmittedAt = send.SentAt,
                TicketId = ticketId,
                Answers = new Dictionary<string, SurveyAnswer>(),
            };
            attributed.Add(new AttributedSend(send, ticket?.Team, SurveyCredit.Credit(asIfAnswered, ticket, events, rule).Agents));
        }

        return attributed;
    }

    private static SurveyCreditRule RuleOf(string text) => text switch
    {
        "last-public-replier" => SurveyCreditRule.LastPublicReplier,
        "every-participant" => SurveyCreditRule.EveryParticipant,
        _ => SurveyCreditRule.Solver,
    };

    private static IReadOnlyList<SurveyGroupDimension> Dimensions(string? text)
    {
        var dimensions = new List<SurveyGroupDimension>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<SurveyGroupDimension>(part, ignoreCase: true, out var dimension) || int.TryParse(part, out _) || dimensions.Contains(dimension))
            {
                throw new CliException($"--by: '{part}' is not one of team, agent, channel, language (each once)", ExitCodes.Usage);
            }

            dimensions.Add(dimension);
        }

        return dimensions;
    }

    private static Option<Interval?> IntervalOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            var parts = text.Split('/');
            if (parts.Length == 2 && ParseBound(parts[0]) is { } start && ParseBound(parts[1]) is { } end && start < end)
            {
                return new Interval(start, end);
            }

            result.AddError($"{name}: '{text}' is not FROM/TO with FROM before TO (dates or ISO-8601 instants with offset)");
            return null;
        },
    };

    private static Instant? ParseBound(string text)
    {
        var instant = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (instant.Success)
        {
            return instant.Value.ToInstant();
        }

        var date = LocalDatePattern.Iso.Parse(text);
        return date.Success ? date.Value.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() : null;
    }
}
