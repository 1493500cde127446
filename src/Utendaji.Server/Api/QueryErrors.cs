using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Utendaji.Core.Tickets;

namespace Utendaji.Server.Api;

/// <summary>Parses query parameters, collecting one message per bad parameter (named as in the URL).</summary>
internal sealed class QueryErrors
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public bool Any => Errors.Count > 0;

    public void Add(string field, string message) => Errors[field] = [message];

    /// <summary>An instant: ISO-8601 with offset, or a date read as UTC midnight (the CLI's --from/--to forms).</summary>
    public Instant? Instant(string name, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (SupportedInstants.TryParseBound(text, out var instant, out var error))
        {
            return instant;
        }

        Add(name, error!);
        return null;
    }

    public int Integer(string name, string? text, int fallback, int min, int max)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Add(name, string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a whole number from {min} to {max}"));
        return fallback;
    }

    public DateTimeZone Zone(string name, string? text)
    {
        if (text is null)
        {
            return DateTimeZone.Utc;
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(text) is { } zone)
        {
            return zone;
        }

        Add(name, $"'{text}' is not an IANA time zone (e.g. Africa/Nairobi)");
        return DateTimeZone.Utc;
    }

    public void Range(Instant? from, Instant? to)
    {
        if (from is { } f && to is { } t && t <= f)
        {
            Add("to", "must be after from");
        }
    }
}
