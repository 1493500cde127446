using System.Globalization;
using System.Text;
using Utendaji.Reports;

namespace Utendaji.Server.Web.Dashboard.Pages;

/// <summary>What a table cell holds, which decides how it is formatted.</summary>
internal enum CellKind
{
    /// <summary>Free text (names, labels); escaped in HTML and made inert against spreadsheet formulas in CSV.</summary>
    Text,
    /// <summary>A whole number.</summary>
    Count,
    /// <summary>A rate 0–1, shown as a percentage with one decimal.</summary>
    Percent,
    /// <summary>A difference of two rates, in percentage points with one decimal ("−12.5 pp", not a relative change).</summary>
    Points,
    /// <summary>A duration in seconds, shown in hours with two decimals.</summary>
    Hours,
    /// <summary>A number with up to two decimals (a mean score, an NPS).</summary>
    Decimal,
}

/// <summary>One cell: a value, how to format it, and optionally where it links (the tickets behind it).</summary>
internal sealed record TableCell(CellKind Kind, string? Text, double? Number, string? Href = null)
{
    public static TableCell Of(string? text, string? href = null) => new(CellKind.Text, text, null, href);

    public static TableCell Count(long value, string? href = null) => new(CellKind.Count, null, value, href);

    public static TableCell Percent(double? rate, string? href = null) => new(CellKind.Percent, null, rate, href);

    public static TableCell Hours(double? seconds, string? href = null) => new(CellKind.Hours, null, seconds, href);

    public static TableCell Decimal(double? value, string? href = null) => new(CellKind.Decimal, null, value, href);

    /// <summary>
    /// The cell's text in <paramref name="culture"/>; <paramref name="forCsv"/> leaves out digit grouping so a
    /// spreadsheet reads the number. An absent number is an empty cell in CSV and "–" on the page.
    /// </summary>
    public string Format(CultureInfo culture, bool forCsv = false)
    {
        if (Kind == CellKind.Text)
        {
            return Text ?? "";
        }

        if (Number is not { } n || !double.IsFinite(n))
        {
            return forCsv ? "" : "–";
        }

        return Kind switch
        {
            CellKind.Count => n.ToString(forCsv ? "0" : "#,0", culture),
            CellKind.Percent => (n * 100).ToString("0.0", culture) + "%",
            CellKind.Points => (n * 100).ToString("0.0", culture) + " pp",
            CellKind.Hours => (n / 3600).ToString(forCsv ? "0.00" : "#,0.00", culture),
            _ => n.ToString(forCsv ? "0.##" : "#,0.##", culture),
        };
    }
}

/// <summary>
/// A table shown on a dashboard page and offered as CSV: both come from these cells, so the CSV holds the same
/// figures (in the invariant culture, without digit grouping) as the page (in the person's culture).
/// </summary>
internal sealed record PageTable(string Id, string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<TableCell>> Rows)
{
    /// <summary>The table as HTML, with a link to its CSV (<paramref name="csvHref"/>) under it.</summary>
    public string Html(CultureInfo culture, string csvHref, string csvText)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"table-wrap\"><table id=\"").Append(HtmlPage.E(Id)).Append("\"><caption>").Append(HtmlPage.E(Caption)).Append("</caption><thead><tr>");
        foreach (var header in Headers)
        {
            html.Append("<th scope=\"col\">").Append(HtmlPage.E(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>\n");
        foreach (var row in Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append(cell.Kind == CellKind.Text ? "<td>" : "<td class=\"n\">");
                var text = HtmlPage.E(cell.Format(culture));
                html.Append(cell.Href is null ? text : $"<a href=\"{HtmlPage.E(cell.Href)}\">{text}</a>");
                html.Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table></div>\n<p class=\"export\"><a href=\"").Append(HtmlPage.E(csvHref)).Append("\" download>").Append(HtmlPage.E(csvText)).Append("</a></p>\n");
        return html.ToString();
    }

    /// <summary>The table as CSV: header row, then the rows; free text made inert against spreadsheet formulas.</summary>
    public string Csv() => CsvDocument.Write(
        new[] { (IReadOnlyList<string?>)Headers.ToArray() }.Concat(
            Rows.Select(row => (IReadOnlyList<string?>)row.Select(c => c.Kind == CellKind.Text ? CsvDocument.Inert(c.Text) : c.Format(CultureInfo.InvariantCulture, forCsv: true)).ToArray())));
}
