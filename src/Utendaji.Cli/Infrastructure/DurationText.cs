using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Utendaji.Cli;

/// <summary>ISO-8601 durations on the command line, and durations for people to read.</summary>
internal static class DurationText
{
    /// <summary>
    /// Parses "PT8H", "P2DT4H30M", "-PT2H". Days are 24 hours (a duration, not a calendar period); years and
    /// months are refused because their length is not fixed.
    /// </summary>
    public static Duration Parse(string text, string option)
    {
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        var parsed = PeriodPattern.NormalizingIso.Parse(body);
        if (!parsed.Success)
        {
            throw new CliException($"{option}: '{text}' is not an ISO-8601 duration (e.g. PT8H, P1DT2H30M, -PT2H)", ExitCodes.Usage);
        }

        var period = parsed.Value;
        if (period.Years != 0 || period.Months != 0)
        {
            throw new CliException($"{option}: '{text}' has years or months, whose length varies; give days, hours, minutes or seconds", ExitCodes.Usage);
        }

        try
        {
            var duration = period.ToDuration();
            return negative ? -duration : duration;
        }
        catch (OverflowException)
        {
            throw new CliException($"{option}: '{text}' is too long (more than about 292 years)", ExitCodes.Usage);
        }
    }

    /// <summary>"2d 3h 05m", "-45m 10s": compact and unambiguous.</summary>
    public static string Format(Duration duration)
    {
        var builder = new StringBuilder();
        if (duration < Duration.Zero)
        {
            builder.Append('-');
            duration = -duration;
        }

        var totalSeconds = (long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero);
        var days = totalSeconds / 86400;
        var hours = totalSeconds / 3600 % 24;
        var minutes = totalSeconds / 60 % 60;
        var seconds = totalSeconds % 60;
        if (days > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{days}d ");
        }

        if (days > 0 || hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h ");
        }

        builder.Append(CultureInfo.InvariantCulture, $"{minutes:00}m");
        if (seconds != 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $" {seconds:00}s");
        }

        return builder.ToString();
    }
}
