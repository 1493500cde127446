using System.Globalization;
using System.Text;

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

    /// <summary>
    /// Terminal columns the text takes, as wcwidth(3) counts them: combining and format characters take none
    /// (a Gujarati virama or vowel sign above/below), East Asian wide characters and emoji two, the rest one.
    /// </summary>
    internal static int Width(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format => 0,
                _ when IsWide(rune.Value) => 2,
                _ => 1,
            };
        }

        return width;
    }

    private static bool IsWide(int c) =>
        c is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F)
            or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD);
}
