using System.Text;

namespace Utendaji.Cli.Demo;

/// <summary>
/// The demo's SLA policy document. Targets are listed most specific first (channel and team before team only);
/// urgent tickets run on the 24×7 clock (<c>"hours": "calendar"</c>), everything else in the team's business hours.
/// </summary>
internal static class DemoSlaPolicy
{
    public const string Name = "demo-standard";

    // priority, first reply, next reply, resolution: in business hours of the team's calendar.
    private static readonly (string Priority, string FirstReply, string NextReply, string Resolution)[] Standard =
    [
        ("high", "PT4H", "PT8H", "PT32H"),
        ("normal", "PT8H", "PT16H", "PT72H"),
        ("low", "PT16H", "PT24H", "PT120H"),
    ];

    // Chat promises a quick human answer; resolution stays as for the priority.
    private static readonly (string Priority, string FirstReply, string NextReply)[] Chat =
    [
        ("high", "PT5M", "PT15M"),
        ("normal", "PT15M", "PT30M"),
        ("low", "PT30M", "PT1H"),
    ];

    public static DemoDocument Build(IReadOnlyList<TeamProfile> teams)
    {
        var targets = new List<string>
        {
            Target("urgent", null, null, "PT1H", "PT2H", "PT24H", null),
        };
        foreach (var team in teams)
        {
            for (var i = 0; i < Standard.Length; i++)
            {
                var (priority, first, next, resolution) = Standard[i];
                targets.Add(Target(priority, "chat", team.Team.Name, Chat[i].FirstReply, Chat[i].NextReply, resolution, team.Calendar.Name));
                targets.Add(Target(priority, null, team.Team.Name, first, next, resolution, team.Calendar.Name));
            }
        }

        var json = new StringBuilder(4096);
        json.Append("{\n");
        json.Append("  \"name\": ").Append(DemoCalendar.Quote(Name)).Append(",\n");
        json.Append("  \"targets\": [\n    ");
        json.Append(string.Join(",\n    ", targets));
        json.Append("\n  ],\n");
        json.Append("  \"pause\": {\"resolution\": [\"pending\", \"on_hold\"]}\n");
        json.Append("}\n");
        return new DemoDocument(Name, Name + ".json", json.ToString());
    }

    private static string Target(
        string priority, string? channel, string? team, string firstReply, string nextReply, string resolution, string? calendar)
    {
        var text = new StringBuilder(200);
        text.Append("{\"priority\": ").Append(DemoCalendar.Quote(priority));
        if (channel is not null)
        {
            text.Append(", \"channel\": ").Append(DemoCalendar.Quote(channel));
        }

        if (team is not null)
        {
            text.Append(", \"team\": ").Append(DemoCalendar.Quote(team));
        }

        text.Append(", \"first_reply\": ").Append(DemoCalendar.Quote(firstReply))
            .Append(", \"next_reply\": ").Append(DemoCalendar.Quote(nextReply))
            .Append(", \"resolution\": ").Append(DemoCalendar.Quote(resolution))
            .Append(calendar is null ? ", \"hours\": \"calendar\"" : ", \"calendar\": " + DemoCalendar.Quote(calendar))
            .Append('}');
        return text.ToString();
    }
}
