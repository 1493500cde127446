using System.Globalization;
using System.Text;

namespace Utendaji.Ingest;

/// <summary>
/// One problem found in user data: where it is (file, physical line), which field, the offending value and why.
/// <see cref="ToString"/> gives the one-line message users see, e.g.
/// <c>tickets.csv:1042: solved_at: '2026-13-01' is not a date-time</c>.
/// </summary>
/// <param name="File">The file name as the user gave it (no directory is added or removed).</param>
/// <param name="Line">1-based physical line where the row starts (a CSV record with quoted line breaks spans several).</param>
/// <param name="Field">The canonical field name (<c>solved_at</c>, <c>actor.kind</c>, <c>attributes.lang</c>), or empty when the problem is the whole line.</param>
/// <param name="Value">The offending value as written, or null when the value is missing.</param>
/// <param name="Reason">Why it was rejected, phrased to follow the value: <c>is not a date-time</c>.</param>
public sealed record ImportIssue(string File, long Line, string Field, string? Value, string Reason)
{
    /// <summary>Values longer than this many characters are shortened in messages, so one issue stays one line.</summary>
    public const int MaxShownValueLength = 100;

    /// <summary>
    /// <c>file:line: field: 'value' reason</c>; the field part is left out when <see cref="Field"/> is empty and the
    /// value part when <see cref="Value"/> is null. Line breaks and other control characters in the value are shown
    /// escaped (<c>\n</c>) and values over <see cref="MaxShownValueLength"/> characters end in <c>…</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder(File.Length + Field.Length + Reason.Length + 32);
        text.Append(File).Append(':').Append(Line.ToString(CultureInfo.InvariantCulture)).Append(": ");
        if (Field.Length > 0)
        {
            text.Append(Field).Append(": ");
        }

        if (Value is not null)
        {
            text.Append('\'');
            AppendShown(text, Value);
            text.Append("' ");
        }

        text.Append(Reason);
        return text.ToString();
    }

    private static void AppendShown(StringBuilder text, string value)
    {
        var shown = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (shown >= MaxShownValueLength)
            {
                text.Append('…');
                return;
            }

            var c = value[i];
            switch (c)
            {
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                        // Never cut a surrogate pair in half.
                        if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        {
                            text.Append(value[++i]);
                        }
                    }

                    break;
            }

            shown++;
        }
    }
}
