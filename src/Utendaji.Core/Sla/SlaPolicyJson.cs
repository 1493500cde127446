using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Sla;

/// <summary>One problem found in an SLA policy file.</summary>
/// <param name="Source">The file (or other source) name given to the parser.</param>
/// <param name="Path">JSON path of the offending value, e.g. <c>$.targets[2].first_reply</c>.</param>
/// <param name="Reason">What is wrong, quoting the offending value.</param>
public sealed record SlaPolicyError(string Source, string Path, string Reason)
{
    /// <summary><c>source: path: reason</c>, e.g. <c>sla.json: $.targets[0].first_reply: 'PT1X' is not an ISO-8601 duration</c>.</summary>
    public override string ToString() => $"{Source}: {Path}: {Reason}";
}

/// <summary>The outcome of parsing an SLA policy: the policy, or every error found (never both).</summary>
public sealed record SlaPolicyParseResult
{
    /// <summary>The policy when there were no errors.</summary>
    public SlaPolicy? Policy { get; init; }

    /// <summary>All errors found, in document order; empty on success.</summary>
    public IReadOnlyList<SlaPolicyError> Errors { get; init; } = [];

    /// <summary>Whether the policy parsed without errors.</summary>
    public bool Success => Policy is not null;
}

/// <summary>
/// Reads SLA policies from JSON (schema in docs/formats.md). Collects every error with its JSON path instead of
/// stopping at the first one, and never throws for bad input.
/// </summary>
public static class SlaPolicyJson
{
    private static readonly string[] PolicyProperties = ["name", "hours", "calendar", "pause", "targets"];
    private static readonly string[] TargetProperties =
        ["priority", "channel", "team", "first_reply", "next_reply", "resolution", "hours", "calendar", "pause"];
    private static readonly string[] PauseProperties = ["first_reply", "next_reply", "resolution"];

    /// <summary>Parses one policy.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">Name used in error messages (usually the file name).</param>
    public static SlaPolicyParseResult Parse(string json, string sourceName)
    {
        Guard.NotNull(json);
        Guard.NotNull(sourceName);
        var errors = new List<SlaPolicyError>();
        void Error(string path, string reason) => errors.Add(new SlaPolicyError(sourceName, path, reason));

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            // JsonException line numbers are 0-based; people count from 1.
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            Error(ex.Path ?? "$", string.Create(CultureInfo.InvariantCulture, $"not valid JSON at line {line}, byte {column}"));
            return new SlaPolicyParseResult { Errors = errors };
        }

        using (document)
        {
            if (JsonText.FindLoneSurrogate(json) is { } surrogatePath)
            {
                Error(JsonText.DollarPath(surrogatePath), JsonText.LoneSurrogateReason);
                return new SlaPolicyParseResult { Errors = errors };
            }

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", $"expected an object, found {Describe(root)}");
                return new SlaPolicyParseResult { Errors = errors };
            }

            CheckProperties(root, "$", PolicyProperties, Error);
            var name = ReadString(root, "$", "name", required: true, Error);
            var policyClock = ReadClock(root, "$", SlaClock.TicketBusinessHours, Error);
            var policyPauses = ReadPauses(root, "$", SlaPauses.Default, Error);

            var targets = new List<SlaTarget>();
            if (!root.TryGetProperty("targets", out var targetsElement))
            {
                Error("$", "'targets' is required");
            }
            else if (targetsElement.ValueKind != JsonValueKind.Array)
            {
                Error("$.targets", $"expected an array, found {Describe(targetsElement)}");
            }
            else if (targetsElement.GetArrayLength() == 0)
            {
                Error("$.targets", "must list at least one target");
            }
            else
            {
                var index = 0;
                foreach (var element in targetsElement.EnumerateArray())
                {
                    var target = ReadTarget(element, $"$.targets[{index.ToString(CultureInfo.InvariantCulture)}]", index, policyClock, policyPauses, Error);
                    if (target is not null)
                    {
                        var duplicate = targets.Find(t =>
                            string.Equals(t.Priority, target.Priority, StringComparison.OrdinalIgnoreCase)
                            && string.Equals(t.Channel, target.Channel, StringComparison.OrdinalIgnoreCase)
                            && string.Equals(t.Team, target.Team, StringComparison.OrdinalIgnoreCase));
                        if (duplicate is not null)
                        {
                            // It could never be chosen (the earlier one always wins), so it is surely a mistake.
                            Error($"$.targets[{index.ToString(CultureInfo.InvariantCulture)}]",
                                $"same priority, channel and team as $.targets[{duplicate.Order.ToString(CultureInfo.InvariantCulture)}]; it could never apply");
                        }

                        targets.Add(target);
                    }

                    index++;
                }
            }

            return errors.Count > 0 || name is null
                ? new SlaPolicyParseResult { Errors = errors }
                : new SlaPolicyParseResult { Policy = new SlaPolicy { Name = name, Targets = targets } };
        }
    }

    private static SlaTarget? ReadTarget(
        JsonElement element, string path, int order, SlaClock policyClock, SlaPauses policyPauses, Action<string, string> error)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            error(path, $"expected an object, found {Describe(element)}");
            return null;
        }

        CheckProperties(element, path, TargetProperties, error);
        var priority = ReadString(element, path, "priority", required: true, error);
        var channel = ReadString(element, path, "channel", required: false, error);
        var team = ReadString(element, path, "team", required: false, error);
        var firstReply = ReadDuration(element, path, "first_reply", error);
        var nextReply = ReadDuration(element, path, "next_reply", error);
        var resolution = ReadDuration(element, path, "resolution", error);
        var clock = ReadClock(element, path, policyClock, error);
        var pauses = ReadPauses(element, path, policyPauses, error);

        var hasAny = element.TryGetProperty("first_reply", out _) || element.TryGetProperty("next_reply", out _)
            || element.TryGetProperty("resolution", out _);
        if (!hasAny)
        {
            error(path, "sets none of first_reply, next_reply, resolution");
        }

        return priority is null
            ? null
            : new SlaTarget
            {
                Priority = priority,
                Channel = channel,
                Team = team,
                FirstReply = firstReply,
                NextReply = nextReply,
                Resolution = resolution,
                Clock = clock,
                Pauses = pauses,
                Order = order,
            };
    }

    private static SlaClock ReadClock(JsonElement element, string path, SlaClock inherited, Action<string, string> error)
    {
        var hours = ReadString(element, path, "hours", required: false, error);
        var calendar = ReadString(element, path, "calendar", required: false, error);
        SlaHours kind;
        switch (hours)
        {
            case null:
                kind = calendar is null ? inherited.Hours : SlaHours.Business;
                break;
            case "business":
                kind = SlaHours.Business;
                break;
            case "calendar":
                kind = SlaHours.Calendar;
                break;
            default:
                error(path + ".hours", $"'{hours}' is not one of 'business', 'calendar'");
                return inherited;
        }

        if (kind == SlaHours.Calendar)
        {
            if (calendar is not null)
            {
                error(path + ".calendar", "a calendar applies only to \"hours\": \"business\"");
            }

            return SlaClock.CalendarHours;
        }

        // A target that says only "business" keeps the policy's calendar; one that names a calendar overrides it.
        return new SlaClock(SlaHours.Business, calendar ?? (inherited.Hours == SlaHours.Business ? inherited.CalendarName : null));
    }

    private static SlaPauses ReadPauses(JsonElement element, string path, SlaPauses inherited, Action<string, string> error)
    {
        if (!element.TryGetProperty("pause", out var pause))
        {
            return inherited;
        }

        var pausePath = path + ".pause";
        if (pause.ValueKind != JsonValueKind.Object)
        {
            error(pausePath, $"expected an object, found {Describe(pause)}");
            return inherited;
        }

        CheckProperties(pause, pausePath, PauseProperties, error);
        return inherited with
        {
            FirstReply = ReadStatuses(pause, pausePath, "first_reply", error) ?? inherited.FirstReply,
            NextReply = ReadStatuses(pause, pausePath, "next_reply", error) ?? inherited.NextReply,
            Resolution = ReadStatuses(pause, pausePath, "resolution", error) ?? inherited.Resolution,
        };
    }

    private static HashSet<TicketStatus>? ReadStatuses(JsonElement element, string path, string name, Action<string, string> error)
    {
        if (!element.TryGetProperty(name, out var list))
        {
            return null;
        }

        var listPath = path + "." + name;
        if (list.ValueKind != JsonValueKind.Array)
        {
            error(listPath, $"expected an array of statuses, found {Describe(list)}");
            return null;
        }

        var statuses = new HashSet<TicketStatus>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = $"{listPath}[{index.ToString(CultureInfo.InvariantCulture)}]";
            index++;
            if (item.ValueKind != JsonValueKind.String)
            {
                error(itemPath, $"expected a status, found {Describe(item)}");
                continue;
            }

            var text = item.GetString()!;
            TicketStatus? status = text switch
            {
                "new" => TicketStatus.New,
                "open" => TicketStatus.Open,
                "pending" => TicketStatus.Pending,
                "on_hold" => TicketStatus.OnHold,
                _ => null,
            };
            if (status is null)
            {
                var hint = text is "solved" or "closed" ? " (solved and closed always stop the clock)" : string.Empty;
                error(itemPath, $"'{text}' is not one of 'new', 'open', 'pending', 'on_hold'{hint}");
            }
            else
            {
                statuses.Add(status.Value);
            }
        }

        return statuses;
    }

    private static Duration? ReadDuration(JsonElement element, string path, string name, Action<string, string> error)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var valuePath = path + "." + name;
        if (value.ValueKind != JsonValueKind.String)
        {
            error(valuePath, $"expected an ISO-8601 duration such as \"PT4H\", found {Describe(value)}");
            return null;
        }

        var text = value.GetString()!;
        var parsed = PeriodPattern.NormalizingIso.Parse(text);
        if (!parsed.Success)
        {
            error(valuePath, $"'{text}' is not an ISO-8601 duration (e.g. PT30M, PT8H, P2D)");
            return null;
        }

        var period = parsed.Value;
        if (period.Years != 0 || period.Months != 0)
        {
            // Years and months have no fixed length; a target must be an exact amount of time.
            error(valuePath, $"'{text}' uses years or months, which have no fixed length; use days or hours");
            return null;
        }

        Duration duration;
        try
        {
            duration = period.ToDuration();
        }
        catch (OverflowException)
        {
            duration = Duration.MaxValue; // P99999999D and the like: longer than any target allowed below
        }

        if (duration <= Duration.Zero)
        {
            error(valuePath, $"'{text}' must be longer than zero");
            return null;
        }

        if (duration > MaxTarget)
        {
            error(valuePath, $"'{text}' is longer than a year (P365D), the longest target a policy may set");
            return null;
        }

        return duration;
    }

    /// <summary>
    /// The longest target: a year. Longer ones are typing errors, and the longest ones overflowed NodaTime's arithmetic
    /// (an unhandled exception instead of a message).
    /// </summary>
    public static readonly Duration MaxTarget = Duration.FromDays(365);

    private static string? ReadString(JsonElement element, string path, string name, bool required, Action<string, string> error)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                error(path, $"'{name}' is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            error(path + "." + name, $"expected a non-empty string, found {Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    private static void CheckProperties(JsonElement element, string path, string[] known, Action<string, string> error)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                // Strict on purpose: a misspelt "resolution" would otherwise silently mean "no resolution target".
                error(path + "." + property.Name, $"unknown property; expected one of {string.Join(", ", known)}");
            }
        }
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"'{element.GetString()}'",
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };
}
