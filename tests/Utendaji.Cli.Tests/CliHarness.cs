using System.Text;
using NodaTime;

namespace Utendaji.Cli.Tests;

/// <summary>A clock that says what the test tells it.</summary>
internal sealed class FakeClock(Instant now) : IClock
{
    public Instant Now { get; set; } = now;

    public Instant GetCurrentInstant() => Now;
}

/// <summary>The result of one in-process run of the CLI.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error, string Bytes)
{
    /// <summary>Everything written to standard output, text and raw bytes, in order of the two channels.</summary>
    public string AllOut => Out + Bytes;
}

/// <summary>
/// Runs <c>utendaji</c> in-process against its own temporary folder and database, so tests are independent and
/// can run in parallel.
/// </summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Folder = Path.Combine(Path.GetTempPath(), "utendaji-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "store.db");

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 6, 30, 12, 0));

    public string PathOf(string name) => Path.Combine(Folder, name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs with <paramref name="input"/> as standard input (redirected, not a terminal).</summary>
    public async Task<CliResult> RunWithInputAsync(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var bytes = new MemoryStream();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = input is null ? TextReader.Null : new StringReader(input),
            Clock = Clock,
            DefaultDatabasePath = DatabasePath,
            OpenStandardOutput = () => new NonClosingStream(bytes),
            WorkingDirectory = Folder,
        };
        var code = await UtendajiApp.RunAsync(args, environment);
        return new CliResult(code, output.ToString(), error.ToString(), Encoding.UTF8.GetString(bytes.ToArray()));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platforms; the temp folder is cleaned by the OS.
        }
    }
}
