using System.Text;

namespace Utendaji.Reports.Tests;

/// <summary>A strict RFC 4180 reader for checking what the writers produce.</summary>
internal static class CsvReader
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var quoted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                }
                else if (c == '"')
                {
                    quoted = false;
                    i++;
                }
                else
                {
                    field.Append(c);
                    i++;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    Assert.Equal(0, field.Length); // a quote may only open a field
                    quoted = true;
                    i++;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    i++;
                    break;
                case '\r':
                    Assert.Equal('\n', text[i + 1]); // records end with CRLF
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    i += 2;
                    break;
                default:
                    Assert.NotEqual('\n', c); // a bare LF outside quotes is not RFC 4180
                    field.Append(c);
                    i++;
                    break;
            }
        }

        Assert.False(quoted);
        Assert.Empty(row);
        return rows;
    }
}
