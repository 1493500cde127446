using System.Globalization;
using System.Text;
using Utendaji.Ingest.Csv;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>The header and record checks the two survey CSV readers share (same words as the ticket summary reader).</summary>
internal static class SurveyCsv
{
    /// <summary>Reads the first non-blank record as the header: names trimmed, none blank, none repeated.</summary>
    /// <param name="csv">The reader, before its first record.</param>
    /// <param name="file">The file name used in issues.</param>
    /// <param name="caseInsensitive">Names compared ignoring case when looking for repeats (response item ids are case-sensitive; other columns are not).</param>
    public static (string[] Names, byte[] Raw, long Line) ReadHeader(Utf8CsvReader csv, string file, Func<string, bool> caseInsensitive)
    {
        while (csv.Read())
        {
            if (csv.RawRecord.Length == 0)
            {
                continue;
            }

            var raw = csv.RawRecord.ToArray();
            var line = csv.Line;
            if (csv.Error != CsvRecordError.None)
            {
                throw new ImportFileException(new ImportIssue(file, line, "header", null, "has malformed quoting"));
            }

            var invalidAt = Utf8Text.IndexOfInvalid(raw);
            if (invalidAt >= 0)
            {
                throw new ImportFileException(Utf8Text.InvalidIssue(file, line, raw, invalidAt) with { Field = "header" });
            }

            var names = new string[csv.FieldCount];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = Encoding.UTF8.GetString(csv[i]).Trim();
                if (names[i].Length == 0)
                {
                    throw new ImportFileException(new ImportIssue(file, line, "header", null, string.Create(
                        CultureInfo.InvariantCulture, $"has no name for column {i + 1}")));
                }

                for (var j = 0; j < i; j++)
                {
                    var comparison = caseInsensitive(names[i]) || caseInsensitive(names[j]) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    if (string.Equals(names[i], names[j], comparison))
                    {
                        throw new ImportFileException(new ImportIssue(file, line, "header", names[i], string.Create(
                            CultureInfo.InvariantCulture, $"appears twice (columns {j + 1} and {i + 1})")));
                    }
                }
            }

            return (names, raw, line);
        }

        if (csv.IsUtf16)
        {
            throw new ImportFileException(new ImportIssue(file, 1, "", null, "is UTF-16 encoded; save the file as UTF-8"));
        }

        if (csv.RecordTooLong)
        {
            throw new ImportFileException(new ImportIssue(file, csv.Line, "header", null, "is longer than the record limit"));
        }

        throw new ImportFileException(new ImportIssue(file, 1, "", null, "is empty; a header line is expected"));
    }

    /// <summary>What makes the current record unreadable as a whole (quoting, encoding, field count), or null.</summary>
    public static ImportIssue? RecordIssue(Utf8CsvReader csv, string file, ReadOnlySpan<byte> raw, IReadOnlyList<string> headerNames)
    {
        if (csv.Error != CsvRecordError.None)
        {
            return new ImportIssue(file, csv.Line, "", null, csv.Error switch
            {
                CsvRecordError.UnterminatedQuote => "has a quoted field that is never closed",
                CsvRecordError.CharacterAfterClosingQuote => "has text after a closing quote (a quote inside a field must be doubled)",
                _ => "has a quote inside an unquoted field (quote the field and double the quote)",
            });
        }

        var invalidAt = Utf8Text.IndexOfInvalid(raw);
        if (invalidAt >= 0)
        {
            return Utf8Text.InvalidIssue(file, csv.Line, raw, invalidAt);
        }

        if (csv.FieldCount != headerNames.Count)
        {
            return new ImportIssue(file, csv.Line, "", null, string.Create(
                CultureInfo.InvariantCulture, $"has {csv.FieldCount} fields but the header has {headerNames.Count}"));
        }

        return Utf8Text.CsvNulIssue(csv, file, raw, headerNames);
    }

    public static ImportFileException RecordTooLong(string file, long line, int maxRecordBytes) =>
        new(new ImportIssue(file, line, "", null, string.Create(
            CultureInfo.InvariantCulture, $"a record is longer than {maxRecordBytes} bytes (is a quote never closed?)")));

    /// <summary>Index of the column named <paramref name="name"/> (ignoring case), or -1.</summary>
    public static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The cell's bytes when it holds more than spaces and tabs, else empty (absent).</summary>
    public static ReadOnlySpan<byte> Present(ReadOnlySpan<byte> cell) => IsoDateTime.Trim(cell).IsEmpty ? default : cell;
}
