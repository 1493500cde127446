using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Utendaji.Core;

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

    /// <summary>Why text holding U+0000 is refused: PostgreSQL cannot store it, and no helpdesk text needs it.</summary>
    public const string NulReason = "contains the NUL character (U+0000), which text may not hold";

    /// <summary>
    /// The issue for a JSON line holding a string that is not storable text, or null: a lone UTF-16 surrogate escape
    /// (<see cref="JsonText.LoneSurrogateReason"/>) or U+0000 (<see cref="NulReason"/>). Valid JSON can write either
    /// only as a <c>\u</c> escape, so one byte search passes every line without an escape (nearly all) at no further
    /// cost, and the readers never ask System.Text.Json for a string it cannot decode.
    /// </summary>
    public static ImportIssue? JsonTextIssue(string file, long line, ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u"u8) < 0)
        {
            return null;
        }

        // Surrogates first: the NUL search below decodes strings, which a lone surrogate makes throw.
        if (JsonText.FindLoneSurrogate(json) is { } field)
        {
            return new ImportIssue(file, line, field, null, JsonText.LoneSurrogateReason);
        }

        return json.IndexOf("u0000"u8) >= 0 && JsonFieldWithNul(json) is { } nulField
            ? new ImportIssue(file, line, nulField, null, NulReason)
            : null;
    }

    /// <summary>
    /// The dotted path of the first property whose name or string value holds U+0000 (for example <c>actor.id</c>,
    /// <c>attributes.note</c>), "" for one at the top level without a name, or null when there is none or the line
    /// is not JSON (the reader reports that itself).
    /// </summary>
    public static string? JsonFieldWithNul(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var containers = new List<string?>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        if (reader.ValueIsEscaped && property!.Contains('\0', StringComparison.Ordinal))
                        {
                            return Path(containers, null);
                        }

                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        containers.Add(property);
                        property = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.RemoveAt(containers.Count - 1);
                        property = null;
                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped && reader.GetString()!.Contains('\0', StringComparison.Ordinal):
                        return Path(containers, property);
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;

        static string Path(List<string?> containers, string? property) =>
            string.Join('.', containers.Append(property).Where(name => !string.IsNullOrEmpty(name)));
    }

    /// <summary>
    /// The issue for a CSV record with a NUL byte (U+0000) in a field, naming the field by the header, or null when
    /// there is none. Call after the record's field count was checked against the header.
    /// </summary>
    public static ImportIssue? CsvNulIssue(Csv.Utf8CsvReader csv, string file, ReadOnlySpan<byte> raw, IReadOnlyList<string> headerNames)
    {
        if (raw.IndexOf((byte)0) < 0)
        {
            return null;
        }

        for (var i = 0; i < csv.FieldCount; i++)
        {
            if (csv[i].IndexOf((byte)0) >= 0)
            {
                return new ImportIssue(file, csv.Line, i < headerNames.Count ? headerNames[i] : "", null, NulReason);
            }
        }

        return new ImportIssue(file, csv.Line, "", null, NulReason);
    }
}
