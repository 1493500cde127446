using System.Text;
using NodaTime;
using NodaTime.Text;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Tests;

public class IsoDateTimeTests
{
    [Theory]
    [InlineData("2026-01-05T10:22:00+03:00", "2026-01-05T07:22:00Z")]
    [InlineData("2026-01-05T10:22:00Z", "2026-01-05T10:22:00Z")]
    [InlineData("2026-01-05t10:22:00z", "2026-01-05T10:22:00Z")]
    [InlineData("2026-01-05 10:22:00 +0530", "2026-01-05T04:52:00Z")]
    [InlineData("2026-01-05 10:22 -05", "2026-01-05T15:22:00Z")]
    [InlineData("2026-01-05 10:22:00 UTC", "2026-01-05T10:22:00Z")]
    [InlineData("  2026-01-05T10:22:00.123456789-10:00 ", "2026-01-05T20:22:00.123456789Z")]
    [InlineData("2026-01-05T10:22:00,5+00:00", "2026-01-05T10:22:00.5Z")]
    [InlineData("2024-02-29T23:59:59+14:00", "2024-02-29T09:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z")]
    public void TryParse_WithOffset_GivesTheExactInstant(string text, string expectedUtc)
    {
        var kind = IsoDateTime.TryParse(Encoding.UTF8.GetBytes(text), out var instant, out _, out _);

        Assert.Equal(DateTimeTextKind.WithOffset, kind);
        Assert.Equal(InstantPattern.ExtendedIso.Parse(expectedUtc).Value, instant);
    }

    /// <summary>
    /// Well-formed date-times beyond NodaTime's instants once the offset or zone is applied threw out of every reader.
    /// They saturate to the first or last instant, which readers refuse as outside the supported range.
    /// </summary>
    [Theory]
    [InlineData("9999-12-31T23:59:59-14:00", "UTC")]
    [InlineData("9999-12-31T23:30:00", "America/Los_Angeles")]
    [InlineData("9999-12-31T23:30:00", "Etc/GMT+5")]
    public void TryParseInstant_BeyondTheLastInstant_IsTheLastInstant(string text, string zone)
    {
        Assert.True(IsoDateTime.TryParseInstant(Encoding.UTF8.GetBytes(text), DateTimeZoneProviders.Tzdb[zone], out var instant));

        Assert.Equal(Instant.MaxValue, instant);
    }

    [Theory]
    [InlineData("2026-01-05 10:22:00")]
    [InlineData("2026-01-05T10:22")]
    public void TryParse_WithoutOffset_IsLocal(string text)
    {
        var kind = IsoDateTime.TryParse(Encoding.UTF8.GetBytes(text), out _, out var local, out _);

        Assert.Equal(DateTimeTextKind.Local, kind);
        Assert.Equal(new LocalDateTime(2026, 1, 5, 10, 22), local);
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-04-31T00:00:00Z")]
    [InlineData("2026-01-05T24:00:00Z")]
    [InlineData("2026-01-05T10:60:00Z")]
    [InlineData("2026-01-05T10:22:61Z")]
    [InlineData("2026-01-05T10:22:00+19:00")]
    [InlineData("2026-01-05T10:22:00+03:60")]
    [InlineData("2026-01-05T10:22:00.Z")]
    [InlineData("2026-01-05T10:22:00.1234567890Z")]
    [InlineData("2026-01-05T10:22:00 Europe/Helsinki")]
    [InlineData("2026-01-05")]
    [InlineData("05/01/2026 10:22")]
    [InlineData("")]
    public void TryParse_Malformed_IsInvalid(string text)
    {
        Assert.Equal(DateTimeTextKind.Invalid, IsoDateTime.TryParse(Encoding.UTF8.GetBytes(text), out _, out _, out _));
    }

    [Fact]
    public void TryParseInstant_LocalInZone_UsesTheZonesOffset()
    {
        var helsinki = DateTimeZoneProviders.Tzdb["Europe/Helsinki"];

        Assert.True(IsoDateTime.TryParseInstant("2026-07-01 12:00:00"u8, helsinki, out var summer));
        Assert.True(IsoDateTime.TryParseInstant("2026-01-05 12:00:00"u8, helsinki, out var winter));

        Assert.Equal(Instant.FromUtc(2026, 7, 1, 9, 0), summer);
        Assert.Equal(Instant.FromUtc(2026, 1, 5, 10, 0), winter);
    }

    [Fact]
    public void TryParseInstant_AmbiguousAndSkippedLocalTimes_TakeEarlierAndShiftForward()
    {
        var newYork = DateTimeZoneProviders.Tzdb["America/New_York"];

        // 2026-11-01 01:30 happens twice in New York (EDT then EST): the earlier one, 05:30Z, is taken.
        Assert.True(IsoDateTime.TryParseInstant("2026-11-01 01:30:00"u8, newYork, out var ambiguous));
        // 2026-03-08 02:30 does not exist (clocks jump 02:00 -> 03:00): moved forward by the gap to 03:30 EDT.
        Assert.True(IsoDateTime.TryParseInstant("2026-03-08 02:30:00"u8, newYork, out var skipped));

        Assert.Equal(Instant.FromUtc(2026, 11, 1, 5, 30), ambiguous);
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 7, 30), skipped);
    }

    [Fact]
    public void TryParse_RandomInstants_AgreeWithNodaTimePatterns()
    {
        var random = new Random(20260105);
        var pattern = OffsetDateTimePattern.ExtendedIso;
        for (var i = 0; i < 20_000; i++)
        {
            var instant = Instant.FromUnixTimeTicks(random.NextInt64(-62_135_596_800L * 10_000_000, 253_402_214_400L * 10_000_000))
                .PlusNanoseconds(random.Next(0, 100));
            var offset = Offset.FromSeconds(random.Next(-18 * 60, 18 * 60 + 1) * 60);
            if (instant.WithOffset(offset).Year is < 1 or > 9999)
            {
                continue;
            }

            var text = pattern.Format(instant.WithOffset(offset));

            var kind = IsoDateTime.TryParse(Encoding.UTF8.GetBytes(text), out var parsed, out _, out var parsedOffset);

            Assert.Equal(DateTimeTextKind.WithOffset, kind);
            Assert.Equal(instant, parsed);
            Assert.Equal(offset, parsedOffset);
        }
    }
}
