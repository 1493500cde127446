namespace Utendaji.Cli;

/// <summary>Process exit codes; documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>The data was wrong (bad rows, unknown ticket, invalid calendar); nothing was changed.</summary>
    public const int DataError = 1;

    /// <summary>The command line was wrong (unknown option, missing argument, bad value).</summary>
    public const int Usage = 2;
}

/// <summary>A problem with the user's data or request that ends a command with a clear message.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.DataError) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
