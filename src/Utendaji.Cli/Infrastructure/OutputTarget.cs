using Utendaji.Storage;

namespace Utendaji.Cli;

/// <summary>
/// Where a command's main output goes: standard output, or a file given with --out. A file is written next to
/// its target and moved into place only when the command completes, so a failed run leaves no half file.
/// </summary>
internal sealed class OutputTarget : IAsyncDisposable
{
    private readonly string? _path;
    private readonly string? _temporaryPath;
    private bool _moved;

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

    /// <summary>
    /// Opens the --out file <paramref name="path"/> (null or blank: standard output), refusing the store in use
    /// (<paramref name="database"/>) and anything but a regular file.
    /// </summary>
    public static async Task<OutputTarget> OpenAsync(string? path, CliEnvironment environment, string database)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            // Text already written through Out must come before the raw bytes.
            await environment.Out.FlushAsync();
            return new OutputTarget(environment.OpenStandardOutput(), null, null);
        }

        var full = Check(path, environment, database)!;
        var temporary = full + ".partial";
        if (OutputDestination.Problem(temporary) is { } partialProblem)
        {
            throw new CliException($"--out: '{temporary}' (the file written before it is moved into place) {partialProblem}", ExitCodes.Usage);
        }

        try
        {
            return new OutputTarget(new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), full, temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only folder, or a file system that takes no new files (/proc).
            throw new CliException($"--out: cannot write next to '{full}': {e.Message}");
        }
    }

    /// <summary>
    /// The full path --out would write, refused (usage error) when the run would destroy something other than an
    /// ordinary file or need a folder created. Commands call it before opening the store so nothing is touched.
    /// </summary>
    public static string? Check(string? path, CliEnvironment environment, string database)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var full = environment.Resolve(path);
        if (OutputDestination.Problem(full) is { } problem)
        {
            throw new CliException($"--out: '{full}' {problem}", ExitCodes.Usage);
        }

        if (!StoreConnector.IsPostgres(database) && OutputDestination.IsStoreFile(full, database))
        {
            throw new CliException($"--out: '{full}' is the store's database file (--db); give another file", ExitCodes.Usage);
        }

        var directory = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            // A typo in the folder should not silently create a tree somewhere.
            throw new CliException($"--out: the folder '{directory}' does not exist", ExitCodes.Usage);
        }

        return full;
    }

    /// <summary>Marks the output complete and moves the file into place; only after this is it "written".</summary>
    public async Task CompleteAsync()
    {
        await Stream.FlushAsync();
        if (_path is null)
        {
            return;
        }

        await Stream.DisposeAsync();
        // Checked again: the destination may have changed while the output was produced.
        if (OutputDestination.Problem(_path) is { } problem)
        {
            throw new CliException($"--out: '{_path}' {problem}", ExitCodes.Usage);
        }

        try
        {
            File.Move(_temporaryPath!, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out: cannot write '{_path}': {e.Message}");
        }

        _moved = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_path is null)
        {
            await Stream.FlushAsync();
            return;
        }

        await Stream.DisposeAsync();
        if (!_moved)
        {
            File.Delete(_temporaryPath!);
        }
    }
}
