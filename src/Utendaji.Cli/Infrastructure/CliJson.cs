using System.Text.Encodings.Web;
using System.Text.Json;

namespace Utendaji.Cli;

/// <summary>JSON settings for command output: indented, and non-ASCII text written as itself (not \u escapes).</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
