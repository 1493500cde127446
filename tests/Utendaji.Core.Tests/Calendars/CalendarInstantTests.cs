using NodaTime;
using Utendaji.Core.Calendars;

namespace Utendaji.Core.Tests.Calendars;

public sealed class CalendarInstantTests
{
    private static readonly DateTimeZone Helsinki = DateTimeZoneProviders.Tzdb["Europe/Helsinki"];

    [Theory]
    [InlineData("2026-06-15T09:00:00+03:00", "2026-06-15T06:00:00Z")]
    [InlineData("2026-06-15T06:00:00Z", "2026-06-15T06:00:00Z")]
    [InlineData("2026-06-15T09:00+03", "2026-06-15T06:00:00Z")]
    [InlineData("2026-06-15T09:00:00.5-04:00", "2026-06-15T13:00:00.5Z")]
    [InlineData("2026-06-15T09:00", "2026-06-15T06:00:00Z")] // wall clock in Helsinki (EEST, +03)
    [InlineData("2026-06-15 09:00:30", "2026-06-15T06:00:30Z")]
    [InlineData("2026-01-15", "2026-01-14T22:00:00Z")]
    [InlineData("2026-10-25T03:30", "2026-10-25T00:30:00Z")] // repeated hour: the earlier occurrence
    public void Parse_Valid_GivesInstant(string text, string expectedUtc)
    {
        InstantParseResult result = CalendarInstant.Parse(text, Helsinki);

        Assert.True(result.Success, result.Error);
        Assert.Equal(NodaTime.Text.InstantPattern.ExtendedIso.Parse(expectedUtc).Value, result.Value);
    }

    [Fact]
    public void Parse_InSpringForwardGap_IsAnError()
    {
        InstantParseResult result = CalendarInstant.Parse("2026-03-29T03:30", Helsinki);

        Assert.False(result.Success);
        Assert.Equal("'2026-03-29T03:30' does not exist in Europe/Helsinki (skipped by a daylight-saving change); give an offset", result.Error);
    }

    [Fact]
    public void Parse_Garbage_IsAnError()
    {
        InstantParseResult result = CalendarInstant.Parse("yesterday", Helsinki);

        Assert.Equal("'yesterday' is not an instant (ISO-8601, e.g. 2026-06-15T09:00:00+03:00, or 2026-06-15T09:00 in Europe/Helsinki)", result.Error);
    }
}
