using System.Buffers;
using System.Globalization;
using System.Text;

namespace Utendaji.Ingest.Text;

/// <summary>UTF-8 checks shared by the readers.</summary>
internal static class Utf8Text
{
    /// <summary>Strict decoder: invalid bytes are an error, never a silent U+FFFD.</summary>
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>UTF-8 without a byte order mark, for writers.</summary>
    public static readonly UTF8Encoding NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Whether <paramref name="bytes"/> starts with a UTF-16 byte order mark (either byte order).</summary>
    public static bool StartsWithUtf16Bom(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF));

    /// <summary>Length of a UTF-8 byte order mark at the start of <paramref name="bytes"/> (0 or 3).</summary>
    public static int Utf8BomLength(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;

    /// <summary>
    /// Finds the first byte that is not part of valid UTF-8, or -1. Vectorised for the common all-valid case.
    /// </summary>
    public static int IndexOfInvalid(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return -1;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    /// <summary>
    /// The issue for invalid UTF-8 inside a row: names the physical line and the byte column within it, and the byte,
    /// because a file saved as Windows-1252 or Latin-1 shows up exactly like this.
    /// </summary>
    public static ImportIssue InvalidIssue(string file, long rowLine, ReadOnlySpan<byte> row, int invalidAt)
    {
        var line = rowLine;
        var lineStart = 0;
        for (var i = 0; i < invalidAt; i++)
        {
            if (row[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        var column = invalidAt - lineStart + 1;
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"is not valid UTF-8 (byte 0x{row[invalidAt]:X2} at column {column}); save the file as UTF-8");
        return new ImportIssue(file, line, "", null, reason);
    }
}
