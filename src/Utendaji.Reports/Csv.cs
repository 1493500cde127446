namespace Utendaji.Reports;

/// <summary>RFC 4180 output: comma separator, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF.</summary>
internal static class Csv
{
    public static void WriteRow(TextWriter writer, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write(Field(fields[i]));
        }

        writer.Write("\r\n");
    }

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' '
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    public static string? Bool(bool? value) => value switch
    {
        true => "true",
        false => "false",
        null => null,
    };

    public static string? Number(double? value) => value is { } v ? Format.Number(v) : null;
}
