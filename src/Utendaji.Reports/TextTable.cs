using System.Globalization;

namespace Utendaji.Reports;

/// <summary>A plain-text table with aligned columns, for terminals.</summary>
internal sealed class TextTable(IReadOnlyList<string> headers, IReadOnlyList<bool> rightAligned)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter writer)
    {
        var widths = headers.Select(Width).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], Width(row[i]));
            }
        }

        WriteLine(writer, headers, widths);
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('─', w))).TrimEnd());
        foreach (var row in _rows)
        {
            WriteLine(writer, row, widths);
        }
    }

    private void WriteLine(TextWriter writer, IReadOnlyList<string> cells, int[] widths)
    {
        var parts = new string[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            var pad = new string(' ', widths[i] - Width(cells[i]));
            parts[i] = rightAligned[i] ? pad + cells[i] : cells[i] + pad;
        }

        writer.WriteLine(string.Join("  ", parts).TrimEnd());
    }

    // Text elements, not UTF-16 units: a Gujarati consonant with its vowel sign takes one column.
    private static int Width(string text) => new StringInfo(text).LengthInTextElements;
}
