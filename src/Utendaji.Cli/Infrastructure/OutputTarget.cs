namespace Utendaji.Cli;

/// <summary>
/// Where a command's main output goes: standard output, or a file given with --out. A file is written next to
/// its target and moved into place only when the command completes, so a failed run leaves no half file.
/// </summary>
internal sealed class OutputTarget : IAsyncDisposable
{
    private readonly string? _path;
    private readonly string? _temporaryPath;
    private bool _completed;

    private OutputTarget(Stream stream, string? path, string? temporaryPath)
    {
        Stream = stream;
        _path = path;
        _temporaryPath = temporaryPath;
    }

    /// <summary>The bytes of the output (UTF-8 text).</summary>
    public Stream Stream { get; }

    /// <summary>The file written, or null for standard output.</summary>
    public string? Path => _path;

    public static async Task<OutputTarget> OpenAsync(string? path, CliEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            // Text already written through Out must come before the raw bytes.
            await environment.Out.FlushAsync();
            return new OutputTarget(environment.OpenStandardOutput(), null, null);
        }

        var full = environment.Resolve(path);
        var directory = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = full + ".partial";
        return new OutputTarget(new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), full, temporary);
    }

    /// <summary>Marks the output complete; only then does a file replace its target.</summary>
    public void Complete() => _completed = true;

    public async ValueTask DisposeAsync()
    {
        await Stream.FlushAsync();
        if (_path is null)
        {
            return;
        }

        await Stream.DisposeAsync();
        if (_completed)
        {
            File.Move(_temporaryPath!, _path, overwrite: true);
        }
        else
        {
            File.Delete(_temporaryPath!);
        }

    }
}
