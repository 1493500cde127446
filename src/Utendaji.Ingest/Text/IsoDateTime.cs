using NodaTime;
using NodaTime.TimeZones;

namespace Utendaji.Ingest.Text;

/// <summary>What <see cref="IsoDateTime.TryParse"/> found.</summary>
internal enum DateTimeTextKind
{
    /// <summary>Not a date-time in an accepted form.</summary>
    Invalid,

    /// <summary>A wall-clock date-time without a UTC offset.</summary>
    Local,

    /// <summary>A date-time with a UTC offset (<c>Z</c>, <c>UTC</c>, <c>+03:00</c>, <c>+0300</c>, <c>+03</c>).</summary>
    WithOffset,
}

/// <summary>
/// A fast parser for the ISO-8601 date-times found in exports, over UTF-8 bytes:
/// <c>yyyy-MM-dd('T'|'t'|' ')HH:mm[:ss[(.|,)f{1,9}]][ ][offset]</c>, offset <c>Z</c>, <c>z</c>, <c>UTC</c> or
/// <c>±HH[:mm]</c> / <c>±HHmm</c> (at most ±18:00). Surrounding spaces and tabs are ignored. Written by hand because
/// the summary CSV reader calls it three times per row and must keep up with DuckDB.
/// </summary>
internal static class IsoDateTime
{
    private const long SecondsPerDay = 86_400;
    private const int MaxOffsetSeconds = 18 * 3600;

    /// <summary>
    /// Parses <paramref name="text"/>. For <see cref="DateTimeTextKind.WithOffset"/>, <paramref name="instant"/> is
    /// exact (nanoseconds kept). For <see cref="DateTimeTextKind.Local"/>, <paramref name="local"/> is the wall-clock
    /// value and <paramref name="instant"/> is that value read as UTC.
    /// </summary>
    public static DateTimeTextKind TryParse(ReadOnlySpan<byte> text, out Instant instant, out LocalDateTime local, out Offset offset)
    {
        instant = default;
        local = default;
        offset = Offset.Zero;
        text = Trim(text);
        // Shortest accepted form: 2026-01-05T10:22 (16 bytes).
        if (text.Length < 16
            || !Digits4(text, 0, out var year) || text[4] != '-'
            || !Digits2(text, 5, out var month) || text[7] != '-'
            || !Digits2(text, 8, out var day)
            || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
            || !Digits2(text, 11, out var hour) || text[13] != ':'
            || !Digits2(text, 14, out var minute))
        {
            return DateTimeTextKind.Invalid;
        }

        var second = 0;
        var nanos = 0;
        var p = 16;
        if (p < text.Length && text[p] == ':')
        {
            if (!Digits2(text, p + 1, out second))
            {
                return DateTimeTextKind.Invalid;
            }

            p += 3;
            if (p < text.Length && (text[p] == '.' || text[p] == ','))
            {
                p++;
                var digits = 0;
                while (p < text.Length && IsDigit(text[p]))
                {
                    if (++digits > 9)
                    {
                        return DateTimeTextKind.Invalid;
                    }

                    nanos = (nanos * 10) + (text[p] - '0');
                    p++;
                }

                if (digits == 0)
                {
                    return DateTimeTextKind.Invalid;
                }

                for (var i = digits; i < 9; i++)
                {
                    nanos *= 10;
                }
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return DateTimeTextKind.Invalid;
        }

        var localSeconds = (DaysFromCivil(year, month, day) * SecondsPerDay) + (hour * 3600) + (minute * 60) + second;
        if (p == text.Length)
        {
            local = new LocalDateTime(year, month, day, hour, minute, second).PlusNanoseconds(nanos);
            instant = Instant.FromUnixTimeSeconds(localSeconds).PlusNanoseconds(nanos);
            return DateTimeTextKind.Local;
        }

        if (text[p] == ' ')
        {
            p++;
        }

        if (!TryParseOffset(text[p..], out var offsetSeconds))
        {
            return DateTimeTextKind.Invalid;
        }

        offset = Offset.FromSeconds(offsetSeconds);
        instant = Saturated(localSeconds - offsetSeconds, nanos);
        return DateTimeTextKind.WithOffset;
    }

    /// <summary>
    /// The instant of Unix <paramref name="seconds"/> and <paramref name="nanos"/>, or NodaTime's first or last instant
    /// when it lies beyond them: 9999-12-31T23:59:59-14:00 is a well-formed date-time after the last instant, which
    /// threw out of every reader (exit 134, a 500). Saturated, it stays a date-time that readers refuse as outside the
    /// supported range (Utendaji.Core.Tickets.SupportedInstants).
    /// </summary>
    private static Instant Saturated(long seconds, int nanos) =>
        seconds < MinSeconds ? Instant.MinValue
        : seconds > MaxSeconds ? Instant.MaxValue
        : Instant.FromUnixTimeSeconds(seconds).PlusNanoseconds(nanos);

    private static readonly long MinSeconds = Instant.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxSeconds = Instant.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// Reads <paramref name="text"/> as an instant; a value without an offset is wall-clock time in
    /// <paramref name="zone"/> (ambiguous times take the earlier instant, times in a DST gap move forward by the gap).
    /// </summary>
    public static bool TryParseInstant(ReadOnlySpan<byte> text, DateTimeZone zone, out Instant instant)
    {
        switch (TryParse(text, out instant, out var local, out _))
        {
            case DateTimeTextKind.WithOffset:
                return true;
            case DateTimeTextKind.Local:
                if (!ReferenceEquals(zone, DateTimeZone.Utc))
                {
                    try
                    {
                        instant = zone.MinOffset == zone.MaxOffset
                            ? instant.Minus(Duration.FromSeconds(zone.MinOffset.Seconds))
                            : local.InZone(zone, Resolvers.LenientResolver).ToInstant();
                    }
                    catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
                    {
                        // Wall-clock time in the first or last hours of year 1 or 9999, west or east of UTC.
                        instant = local.Year > 1 ? Instant.MaxValue : Instant.MinValue;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Days from 1970-01-01 to the civil date (proleptic Gregorian); H. Hinnant's days_from_civil.</summary>
    public static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var doy = ((153 * (month > 2 ? month - 3 : month + 9)) + 2) / 5 + day - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146_097) + doe - 719_468;
    }

    private static bool TryParseOffset(ReadOnlySpan<byte> s, out int seconds)
    {
        seconds = 0;
        if (s.Length == 1 && (s[0] == 'Z' || s[0] == 'z'))
        {
            return true;
        }

        if (s.Length == 3 && s[0] == 'U' && s[1] == 'T' && s[2] == 'C')
        {
            return true;
        }

        if (s.Length < 3 || (s[0] != '+' && s[0] != '-') || !Digits2(s, 1, out var hours))
        {
            return false;
        }

        var minutes = 0;
        if (s.Length == 6 && s[3] == ':')
        {
            if (!Digits2(s, 4, out minutes))
            {
                return false;
            }
        }
        else if (s.Length == 5)
        {
            if (!Digits2(s, 3, out minutes))
            {
                return false;
            }
        }
        else if (s.Length != 3)
        {
            return false;
        }

        if (minutes > 59)
        {
            return false;
        }

        seconds = (hours * 3600) + (minutes * 60);
        if (seconds > MaxOffsetSeconds)
        {
            return false;
        }

        if (s[0] == '-')
        {
            seconds = -seconds;
        }

        return true;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool Digits2(ReadOnlySpan<byte> s, int at, out int value)
    {
        value = 0;
        if (at + 2 > s.Length || !IsDigit(s[at]) || !IsDigit(s[at + 1]))
        {
            return false;
        }

        value = ((s[at] - '0') * 10) + (s[at + 1] - '0');
        return true;
    }

    private static bool Digits4(ReadOnlySpan<byte> s, int at, out int value)
    {
        value = 0;
        if (!Digits2(s, at, out var high) || !Digits2(s, at + 2, out var low))
        {
            return false;
        }

        value = (high * 100) + low;
        return true;
    }

    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && (s[start] == ' ' || s[start] == '\t'))
        {
            start++;
        }

        while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        {
            end--;
        }

        return s[start..end];
    }
}
