using System.Globalization;
using System.Text;

namespace Utendaji.Benchmarks.Ingest;

/// <summary>
/// A generated ticket summary CSV in the canonical columns, from a fixed seed: created_at with mixed offsets over
/// 120 days, optional first reply, solve and rating, a few quoted fields with commas, text in several scripts.
/// The same file is read by our reader and by DuckDB (benchmarks/duckdb/read_csv.mjs).
/// </summary>
public static class TicketSummaryCsvFile
{
    private static readonly string[] Priorities = ["low", "normal", "high", "urgent"];
    private static readonly string[] Channels = ["email", "chat", "phone", "social", "web"];
    private static readonly string[] Teams = ["Support EU", "Support Africa", "\"Tier 2, Asia\""];
    private static readonly string[] Languages = ["en", "sw", "tl", "fi", "gu", "ur"];
    private static readonly string[] Offsets = ["Z", "+02:00", "+03:00", "+05:30", "+08:00"];
    private static readonly string[] AgentNames =
    [
        "Amina Njeri", "Juhani Virtanen", "Maria Santos", "ધ્રુવ પટેલ", "عائشہ خان", "Baraka Otieno", "Aino Laine",
        "Jose Reyes", "નિશા શાહ", "بلال احمد",
    ];

    /// <summary>The header line.</summary>
    public const string Header = "id,created_at,first_reply_at,solved_at,reopens,agent_replies,priority,channel,team,agent,customer,language,satisfaction";

    /// <summary>
    /// Returns the path of a file with <paramref name="rows"/> rows under <paramref name="directory"/>, generating it
    /// once (it is reused while its name — seed and size — matches).
    /// </summary>
    public static string Ensure(string directory, long rows)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"tickets-{rows}-seed42.csv"));
        if (File.Exists(path))
        {
            return path;
        }

        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), 1 << 20))
        {
            Write(writer, rows);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Writes the header and <paramref name="rows"/> rows.</summary>
    public static void Write(TextWriter writer, long rows)
    {
        var random = new Random(42);
        var start = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Unspecified);
        writer.Write(Header);
        writer.Write('\n');
        var line = new StringBuilder(256);
        for (long i = 0; i < rows; i++)
        {
            line.Clear();
            var created = start.AddSeconds(random.NextInt64(0, 120L * 86_400));
            var offset = Offsets[random.Next(Offsets.Length)];
            line.Append(CultureInfo.InvariantCulture, $"T{i + 1000000},").Append(Stamp(created, offset)).Append(',');
            var replied = random.Next(10) < 8;
            if (replied)
            {
                line.Append(Stamp(created.AddSeconds(random.Next(60, 3 * 86_400)), offset));
            }

            line.Append(',');
            var solved = random.Next(10) < 9;
            if (solved)
            {
                line.Append(Stamp(created.AddSeconds(random.Next(3600, 10 * 86_400)), "Z"));
            }

            line.Append(CultureInfo.InvariantCulture, $",{(random.Next(10) == 0 ? 1 : 0)},{(replied ? random.Next(1, 8) : 0)},");
            line.Append(Priorities[random.Next(Priorities.Length)]).Append(',')
                .Append(Channels[random.Next(Channels.Length)]).Append(',')
                .Append(Teams[random.Next(Teams.Length)]).Append(',')
                .Append(AgentNames[random.Next(AgentNames.Length)]).Append(',')
                .Append(CultureInfo.InvariantCulture, $"c{random.Next(1, 2_000_000)},")
                .Append(Languages[random.Next(Languages.Length)]).Append(',');
            if (solved && random.Next(10) < 4)
            {
                line.Append(random.Next(1, 6));
            }

            line.Append('\n');
            writer.Write(line);
        }
    }

    private static string Stamp(DateTime local, string offset) =>
        local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + offset;
}
