using System.Runtime.InteropServices;

namespace Utendaji.Cli;

/// <summary>
/// What an --out path is now: --out replaces its destination by a rename, which would swap a directory entry that is
/// a link, a device or a pipe for a plain file, so only a missing path or a regular file may be replaced.
/// </summary>
internal static partial class OutputDestination
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>Why <paramref name="fullPath"/> may not be replaced, or null when it is absent or a regular file.</summary>
    public static string? Problem(string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (info.LinkTarget is not null)
        {
            return "is a symbolic link; give the file itself";
        }

        if (Directory.Exists(fullPath))
        {
            return "is a directory; give a file name";
        }

        if (!info.Exists)
        {
            return null;
        }

        // .NET does not tell a regular file from a device, pipe or socket; Linux's statx does.
        return FileType(fullPath) is { } type && (type & FileTypeMask) != RegularFile
            ? "is not a regular file (a device, pipe or socket); give a file name"
            : null;
    }

    /// <summary>Whether <paramref name="fullPath"/> is the SQLite file <paramref name="database"/> or one of its companions.</summary>
    public static bool IsStoreFile(string fullPath, string database)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var files = new List<string> { Path.GetFullPath(database) };
        // A store reached through a link is the file the link ends at.
        if (new FileInfo(files[0]).LinkTarget is not null && File.ResolveLinkTarget(files[0], returnFinalTarget: true) is { } target)
        {
            files.Add(target.FullName);
        }

        return files.Any(db => new[] { "", "-wal", "-shm", "-journal" }.Any(suffix => string.Equals(fullPath, db + suffix, comparison)));
    }

    /// <summary>The st_mode of <paramref name="path"/> (not following a link), or null where statx is not available.</summary>
    private static int? FileType(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx is the same on every Linux architecture; stx_mode is the u16 at byte 28.
        var buffer = new byte[256];
        try
        {
            return Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType, buffer) == 0
                ? BitConverter.ToUInt16(buffer, StatxModeOffset)
                : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without statx (glibc before 2.28): fall back to what .NET can tell.
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
