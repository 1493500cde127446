using NodaTime;

namespace Utendaji.Cli;

/// <summary>
/// What a command may touch outside itself: its output streams, the clock, where the default store lives and
/// whether a person is watching (progress bars only then). Tests run commands in-process with their own.
/// </summary>
internal sealed record CliEnvironment
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required IClock Clock { get; init; }

    /// <summary>Standard input (passwords for 'admin set-password'); empty unless given.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Reads a line from a terminal without echoing it, or null when standard input is not a terminal.</summary>
    public Func<string?>? ReadSecretFromTerminal { get; init; }

    /// <summary>Opens standard output for raw UTF-8 bytes (reports and exports); not disposed by callers.</summary>
    public required Func<Stream> OpenStandardOutput { get; init; }

    /// <summary>Store used when --db is not given.</summary>
    public required string DefaultDatabasePath { get; init; }

    /// <summary>True when standard output is a terminal: progress bars and colours are allowed.</summary>
    public bool IsInteractive { get; init; }

    /// <summary>Working directory that relative paths are resolved against.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    public static CliEnvironment FromProcess(IClock clock)
    {
        var configured = Environment.GetEnvironmentVariable("UTENDAJI_DB");
        return new CliEnvironment
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            ReadSecretFromTerminal = Console.IsInputRedirected ? null : ReadWithoutEcho,
            Clock = clock,
            OpenStandardOutput = () => new NonClosingStream(Console.OpenStandardOutput()),
            DefaultDatabasePath = string.IsNullOrWhiteSpace(configured) ? DefaultDataPath("utendaji.db") : configured,
            IsInteractive = !Console.IsOutputRedirected && !Console.IsErrorRedirected,
        };
    }

    /// <summary>A line typed on the terminal, not shown as it is typed.</summary>
    private static string ReadWithoutEcho()
    {
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }

    /// <summary>The per-user data folder ($XDG_DATA_HOME or ~/.local/share on Linux, %LOCALAPPDATA% on Windows).</summary>
    public static string DefaultDataPath(string fileName) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "utendaji", fileName);

    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);
}
