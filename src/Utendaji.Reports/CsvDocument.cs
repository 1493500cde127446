using System.Text;

namespace Utendaji.Reports;

/// <summary>A whole CSV document (RFC 4180, as every CSV Utendaji writes) from rows of fields, for tables shown elsewhere.</summary>
public static class CsvDocument
{
    /// <summary>The rows as CSV text, header row first.</summary>
    public static string Write(IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new StringWriter(new StringBuilder(), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var row in rows)
        {
            Csv.WriteRow(writer, row);
        }

        return writer.ToString();
    }

    /// <summary>
    /// Text a spreadsheet would not take for a formula: one starting with =, +, -, @, tab or carriage return gets a
    /// leading apostrophe. For free text (names, subjects) only, never for numbers, whose minus sign is meant.
    /// </summary>
    public static string? Inert(string? text) =>
        text is { Length: > 0 } && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
