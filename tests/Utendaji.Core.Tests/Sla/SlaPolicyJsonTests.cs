using NodaTime;
using Utendaji.Core.Sla;
using Utendaji.Core.Tickets;

namespace Utendaji.Core.Tests.Sla;

public class SlaPolicyJsonTests
{
    /// <summary>The example of docs/formats.md.</summary>
    internal const string Example = """
        {
          "name": "standard-2026",
          "hours": "business",
          "calendar": "support-eu",
          "targets": [
            { "priority": "urgent", "first_reply": "PT30M", "next_reply": "PT1H", "resolution": "PT4H", "hours": "calendar" },
            { "priority": "high", "first_reply": "PT1H", "next_reply": "PT2H", "resolution": "PT8H" },
            { "priority": "high", "channel": "chat", "first_reply": "PT5M", "next_reply": "PT10M" },
            { "priority": "high", "team": "billing", "channel": "email", "first_reply": "PT2H",
              "pause": { "first_reply": ["on_hold"], "resolution": ["pending"] } },
            { "priority": "normal", "first_reply": "PT4H", "resolution": "P2D", "calendar": "support-us" }
          ]
        }
        """;

    [Fact]
    public void Parse_DocumentedExample_AllFieldsRead()
    {
        var result = SlaPolicyJson.Parse(Example, "sla.json");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var policy = result.Policy!;
        Assert.Equal("standard-2026", policy.Name);
        Assert.Equal(5, policy.Targets.Count);

        var urgent = policy.Targets[0];
        Assert.Equal((Duration.FromMinutes(30), Duration.FromHours(1), Duration.FromHours(4)), (urgent.FirstReply, urgent.NextReply, urgent.Resolution));
        Assert.Equal(SlaClock.CalendarHours, urgent.Clock);

        var high = policy.Targets[1];
        Assert.Equal(new SlaClock(SlaHours.Business, "support-eu"), high.Clock);
        Assert.Equal(SlaPauses.Default.Resolution, high.Pauses.Resolution);

        var chat = policy.Targets[2];
        Assert.Equal(("chat", (string?)null, (Duration?)null, 2), (chat.Channel, chat.Team, chat.Resolution, chat.Order));

        var billing = policy.Targets[3];
        Assert.Equal([TicketStatus.OnHold], billing.Pauses.FirstReply);
        Assert.Empty(billing.Pauses.NextReply);
        Assert.Equal([TicketStatus.Pending], billing.Pauses.Resolution);
        Assert.Equal(2, billing.Specificity);

        var normal = policy.Targets[4];
        Assert.Equal((Duration.FromHours(48), new SlaClock(SlaHours.Business, "support-us")), (normal.Resolution, normal.Clock));
        Assert.Equal(["support-eu", "support-us"], policy.CalendarNames().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_NoClockGiven_BusinessHoursOfTheTicketsCalendar()
    {
        var result = SlaPolicyJson.Parse("""{"name": "p", "targets": [{"priority": "low", "resolution": "PT24H"}]}""", "p.json");

        Assert.Equal(SlaClock.TicketBusinessHours, result.Policy!.Targets[0].Clock);
    }

    [Fact]
    public void Parse_InvalidJson_OneErrorWithLine()
    {
        var result = SlaPolicyJson.Parse("{\n  \"name\": \"p\",\n  \"targets\": [ }\n", "broken.json");

        var error = Assert.Single(result.Errors);
        Assert.Null(result.Policy);
        Assert.Equal("broken.json", error.Source);
        Assert.StartsWith("not valid JSON at line 3", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[]""", "$", "expected an object, found an array")]
    [InlineData("""{"targets": [{"priority": "low", "resolution": "PT1H"}]}""", "$", "'name' is required")]
    [InlineData("""{"name": "p"}""", "$", "'targets' is required")]
    [InlineData("""{"name": "p", "targets": []}""", "$.targets", "must list at least one target")]
    [InlineData("""{"name": "p", "targets": [{"resolution": "PT1H"}]}""", "$.targets[0]", "'priority' is required")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low"}]}""", "$.targets[0]", "sets none of first_reply, next_reply, resolution")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "first_reply": "PT1X"}]}""", "$.targets[0].first_reply", "'PT1X' is not an ISO-8601 duration (e.g. PT30M, PT8H, P2D)")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "first_reply": 60}]}""", "$.targets[0].first_reply", "expected an ISO-8601 duration such as \"PT4H\", found 60")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "resolution": "P1M"}]}""", "$.targets[0].resolution", "'P1M' uses years or months, which have no fixed length; use days or hours")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "resolution": "PT0S"}]}""", "$.targets[0].resolution", "'PT0S' must be longer than zero")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "resolution": "P365DT1S"}]}""", "$.targets[0].resolution", "'P365DT1S' is longer than a year (P365D), the longest target a policy may set")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "first_reply": "P99999999D"}]}""", "$.targets[0].first_reply", "'P99999999D' is longer than a year (P365D), the longest target a policy may set")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "resolutoin": "PT1H", "first_reply": "PT1H"}]}""", "$.targets[0].resolutoin", "unknown property; expected one of priority, channel, team, first_reply, next_reply, resolution, hours, calendar, pause")]
    [InlineData("""{"name": "p", "hours": "office", "targets": [{"priority": "low", "resolution": "PT1H"}]}""", "$.hours", "'office' is not one of 'business', 'calendar'")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "resolution": "PT1H", "hours": "calendar", "calendar": "eu"}]}""", "$.targets[0].calendar", "a calendar applies only to \"hours\": \"business\"")]
    [InlineData("""{"name": "p", "pause": {"resolution": ["solved"]}, "targets": [{"priority": "low", "resolution": "PT1H"}]}""", "$.pause.resolution[0]", "'solved' is not one of 'new', 'open', 'pending', 'on_hold' (solved and closed always stop the clock)")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "resolution": "PT1H", "pause": {"resolution": "pending"}}]}""", "$.targets[0].pause.resolution", "expected an array of statuses, found 'pending'")]
    [InlineData("""{"name": "", "targets": [{"priority": "low", "resolution": "PT1H"}]}""", "$.name", "expected a non-empty string, found ''")]
    [InlineData("""{"name": "p", "targets": [{"priority": "low", "resolution": "PT1H"}, {"priority": "LOW", "first_reply": "PT1H"}]}""", "$.targets[1]", "same priority, channel and team as $.targets[0]; it could never apply")]
    public void Parse_BadPolicy_ErrorNamesPathAndReason(string json, string path, string reason)
    {
        var result = SlaPolicyJson.Parse(json, "sla.json");

        Assert.False(result.Success);
        Assert.Contains(new SlaPolicyError("sla.json", path, reason), result.Errors);
    }

    [Theory]
    [InlineData("\"standard-2026\"", "\"\\ud800\"", "$.name")]
    [InlineData("\"billing\"", "\"bill\\udc00\"", "$.targets[3].team")]
    [InlineData("[\"on_hold\"]", "[\"\\ud83d\\ude00\\ud83d\"]", "$.targets[3].pause.first_reply[0]")]
    public void Parse_LoneSurrogateEscape_IsTheOnlyErrorNamingThePath(string text, string replacement, string path)
    {
        var json = Example.Replace(text, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Example, json);

        var result = SlaPolicyJson.Parse(json, "sla.json");

        Assert.Null(result.Policy);
        Assert.Equal([new SlaPolicyError("sla.json", path, @"is not valid text (a lone UTF-16 surrogate escape such as \ud800)")], result.Errors);
    }

    [Fact]
    public void Parse_SurrogatePairEscape_IsTheCharacter()
    {
        var result = SlaPolicyJson.Parse(Example.Replace("\"standard-2026\"", "\"\\uD83D\\uDE00\"", StringComparison.Ordinal), "sla.json");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("\U0001F600", result.Policy!.Name);
    }

    [Fact]
    public void Parse_SeveralErrors_AllReportedInDocumentOrder()
    {
        const string json = """
            {"name": "p", "colour": "red", "targets": [
              {"priority": "low", "first_reply": "soon"},
              {"priority": "high", "resolution": "PT8H", "pause": {"resolution": ["waiting"]}}
            ]}
            """;

        var result = SlaPolicyJson.Parse(json, "sla.json");

        Assert.Equal(
            ["sla.json: $.colour: unknown property; expected one of name, hours, calendar, pause, targets",
             "sla.json: $.targets[0].first_reply: 'soon' is not an ISO-8601 duration (e.g. PT30M, PT8H, P2D)",
             "sla.json: $.targets[1].pause.resolution[0]: 'waiting' is not one of 'new', 'open', 'pending', 'on_hold'"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_PolicyPauseInheritedTargetOverridesPerMetric()
    {
        const string json = """
            {"name": "p", "pause": {"first_reply": ["pending"]},
             "targets": [{"priority": "low", "first_reply": "PT1H", "pause": {"next_reply": ["on_hold"]}}]}
            """;

        var pauses = SlaPolicyJson.Parse(json, "p.json").Policy!.Targets[0].Pauses;

        Assert.Equal([TicketStatus.Pending], pauses.FirstReply);
        Assert.Equal([TicketStatus.OnHold], pauses.NextReply);
        Assert.Equal(SlaPauses.Default.Resolution, pauses.Resolution);
    }
}
