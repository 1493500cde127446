using System.Globalization;
using System.Text;

namespace Utendaji.Ingest.Webhooks;

/// <summary>
/// Why a webhook payload could not be mapped: the payload field (a JSON path such as <c>detail.id</c> or
/// <c>event.comment.is_public</c>), the offending value and the reason. <see cref="ToString"/> gives
/// <c>field: 'value' reason</c>, the form the rest of ingest uses (docs/formats.md), without file and line.
/// </summary>
/// <param name="Field">The JSON path of the field, or empty when the problem is the whole body.</param>
/// <param name="Value">The offending value as written (ids, names, instants; never message text), or null when missing.</param>
/// <param name="Reason">Why it was rejected, phrased to follow the value: <c>is not a date-time</c>.</param>
public sealed record WebhookIssue(string Field, string? Value, string Reason)
{
    /// <summary>Values longer than this are shortened, so one issue stays one line.</summary>
    public const int MaxShownValueLength = 100;

    /// <summary><c>field: 'value' reason</c>; the field part is left out when empty, the value part when null.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Field.Length > 0)
        {
            text.Append(Field).Append(": ");
        }

        if (Value is not null)
        {
            text.Append('\'');
            foreach (var c in Value.Length > MaxShownValueLength ? Value[..MaxShownValueLength] : Value)
            {
                if (char.IsControl(c))
                {
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(c);
                }
            }

            text.Append(Value.Length > MaxShownValueLength ? "…' " : "' ");
        }

        return text.Append(Reason).ToString();
    }
}
