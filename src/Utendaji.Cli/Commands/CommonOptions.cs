using System.CommandLine;
using System.CommandLine.Parsing;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Tickets;

namespace Utendaji.Cli.Commands;

/// <summary>Options shared by several verbs, so they are spelled and validated once.</summary>
internal static class CommonOptions
{
    /// <summary>The store file; every verb accepts it.</summary>
    public static Option<string?> Database { get; } = new("--db")
    {
        Description = "SQLite database file or PostgreSQL connection string (default: $UTENDAJI_DB or the per-user data folder; see 'utendaji info')",
        Recursive = true,
    };

    /// <summary>An output format option limited to <paramref name="formats"/>; the first is the default.</summary>
    public static Option<string> Format(params string[] formats)
    {
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", formats)} (default {formats[0]})",
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    /// <summary>Writes output to a file instead of standard output.</summary>
    public static Option<string?> Out() => new("--out") { Description = "Write to this file instead of standard output" };

    /// <summary>An instant option: ISO-8601 with offset ("2026-03-01T09:00:00+02:00"), or a date (midnight UTC).</summary>
    public static Option<Instant?> Instant(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = ParseInstant,
    };

    private static Instant? ParseInstant(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (SupportedInstants.TryParseBound(text, out var instant, out var error))
        {
            return instant;
        }

        result.AddError(error!);
        return null;
    }
}
