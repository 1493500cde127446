using System.Net;
using System.Text;
using System.Text.Json;
using Utendaji.Storage;

namespace Utendaji.Server.Tests;

public sealed class ConfigApiTests
{
    private const string Ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:h1@test\r\nDTSTART;VALUE=DATE:20260302\r\nSUMMARY:Holiday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    [Fact]
    public async Task Calendar_PutGetListDelete_FactsRederivedEachTime()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync(Storage.Accounts.AccountRole.Manager);
        await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));

        var put = await client.PutAsync(server.Api("/calendars/support-eu"), ServerHarness.Json(TestData.Calendar));
        var list = JsonDocument.Parse(await client.GetStringAsync(server.Api("/calendars"))).RootElement;
        var stored = await client.GetStringAsync(server.Api("/calendars/support-eu"));
        var facts = await server.WithStoreAsync(s => s.GetFactsAsync("T-1"));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement.GetProperty("tickets_rederived").GetInt32());
        Assert.Equal("support-eu", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(TestData.Calendar, stored);
        Assert.Equal("support-eu", facts!.Calendar);

        var deleted = await client.DeleteAsync(server.Api("/calendars/support-eu"));
        var gone = await client.GetAsync(server.Api("/calendars/support-eu"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("24x7", (await server.WithStoreAsync(s => s.GetFactsAsync("T-1")))!.Calendar);
    }

    [Theory]
    [InlineData("{\"name\":\"support-eu\",\"time_zone\":\"Mars/Olympus\",\"week\":{}}")]
    [InlineData("{\"name\":\"other-name\",\"time_zone\":\"Europe/Helsinki\",\"week\":{\"mon\":[[\"09:00\",\"17:00\"]]}}")]
    [InlineData("not json")]
    public async Task Calendar_Invalid_400AndNothingStored(string body)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PutAsync(server.Api("/calendars/support-eu"), ServerHarness.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.Calendar)));
    }

    [Theory]
    [InlineData("/calendars/x", """{"name":"\ud800","time_zone":"Europe/Helsinki","week":{"mon":[["09:00","17:00"]]}}""", "name: ")]
    [InlineData("/sla-policies/x", """{"name":"\ud800","targets":[{"priority":"high","first_reply":"PT1H"}]}""", "$.name: ")]
    public async Task Put_LoneSurrogateEscape_400NamingTheFieldAndNothingStored(string path, string body, string field)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PutAsync(server.Api(path), ServerHarness.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("$")[0].GetString();
        Assert.EndsWith(field + @"is not valid text (a lone UTF-16 surrogate escape such as \ud800)", message, StringComparison.Ordinal);
        Assert.Empty(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.Calendar)));
        Assert.Empty(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.SlaPolicy)));
    }

    [Fact]
    public async Task HolidayFile_UploadedAndUsedByACalendar_CannotBeDeletedWhileIncluded()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        var calendar = TestData.Calendar.Replace("\"holidays\": [\"2026-03-04\"]", "\"holidays\": [\"2026-03-04\"], \"holiday_calendars\": [\"ke.ics\"]", StringComparison.Ordinal);

        var upload = await client.PutAsync(server.Api("/holiday-files/ke.ics"), new StringContent(Ics, Encoding.UTF8, "text/calendar"));
        var put = await client.PutAsync(server.Api("/calendars/support-eu"), ServerHarness.Json(calendar));
        var delete = await client.DeleteAsync(server.Api("/holiday-files/ke.ics"));

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Single(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.HolidayFile)));
    }

    [Fact]
    public async Task HolidayFile_NotIcalendar_400()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PutAsync(server.Api("/holiday-files/ke.ics"), new StringContent("hello", Encoding.UTF8, "text/calendar"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.HolidayFile)));
    }

    [Fact]
    public async Task SlaPolicy_PutAndList()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        const string policy = """{"name":"standard","hours":"calendar","targets":[{"priority":"high","first_reply":"PT1H"}]}""";

        var put = await client.PutAsync(server.Api("/sla-policies/standard"), ServerHarness.Json(policy));
        var bad = await client.PutAsync(server.Api("/sla-policies/broken"), ServerHarness.Json("""{"name":"broken","targets":[{"first_reply":"soon"}]}"""));

        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("standard", Assert.Single(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.SlaPolicy))).Name);
    }

    [Fact]
    public async Task SurveyInstrument_PutGetDelete()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        var builtIn = Core.Surveys.InstrumentJson.Serialize(Core.Surveys.BuiltInInstruments.All.First(i => i.Id == "csat-5"));
        var custom = builtIn.Replace("\"csat-5\"", "\"csat-custom\"", StringComparison.Ordinal);

        var put = await client.PutAsync(server.Api("/survey-instruments/csat-custom"), ServerHarness.Json(custom));
        var get = await client.GetAsync(server.Api("/survey-instruments/csat-custom"));
        var delete = await client.DeleteAsync(server.Api("/survey-instruments/csat-custom"));

        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Empty(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.SurveyInstrument)));
    }

    /// <summary>
    /// A calendar opening only on 9999-12-31 answered 500 yet was stored, and every later POST /events of the
    /// organisation answered 500 until it was deleted. It is now a 400 naming the date, and nothing is stored.
    /// </summary>
    [Fact]
    public async Task Calendar_DateBeyondTheSupportedRange_400NothingStoredEventsStillAccepted()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync(Storage.Accounts.AccountRole.Manager);
        const string calendar = """{"name":"c","time_zone":"UTC","week":{},"special_hours":{"9999-12-31":[["09:00","17:00"]]}}""";

        var put = await client.PutAsync(server.Api("/calendars/c"), ServerHarness.Json(calendar));
        var problem = await put.Content.ReadAsStringAsync();
        var list = JsonDocument.Parse(await client.GetStringAsync(server.Api("/calendars"))).RootElement;
        var events = await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        Assert.Contains("special_hours.9999-12-31: '9999-12-31' is outside the supported range, 1900-01-01 to 2199-12-31", problem, StringComparison.Ordinal);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.True(events.IsSuccessStatusCode, await events.Content.ReadAsStringAsync());
    }

    /// <summary>Events of P99999999D from 9999 and of P9999999W crashed the upload (500); DTEND 99991231 made 2.9 M dates.</summary>
    [Theory]
    [InlineData("DTSTART;VALUE=DATE:99991231\r\nDURATION:P99999999D", "h.ics:5: DTSTART: '99991231' is outside the supported range")]
    [InlineData("DTSTART;VALUE=DATE:20260101\r\nDURATION:P9999999W", "h.ics:6: DURATION: 'P9999999W' makes event longer than 366 days")]
    [InlineData("DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:99991231", "h.ics:6: DTEND: '99991231' makes event 2912442 days long")]
    public async Task HolidayFile_EventBeyondTheLimits_400NothingStored(string lines, string expected)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        var ics = $"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n{lines}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var put = await client.PutAsync(server.Api("/holiday-files/h.ics"), new StringContent(ics, Encoding.UTF8, "text/calendar"));
        var list = JsonDocument.Parse(await client.GetStringAsync(server.Api("/holiday-files"))).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    /// <summary>Two holiday files each within a file's limit, named together by one calendar, exceed a calendar's.</summary>
    [Fact]
    public async Task Calendar_HolidayFilesTogetherAboveTheLimit_400CalendarNotStored()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        static string YearLongEvents(int firstYear) =>
            "BEGIN:VCALENDAR\r\n"
            + string.Concat(Enumerable.Range(0, 33).Select(i => $"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:{firstYear + i}0101\r\nDURATION:P365D\r\nEND:VEVENT\r\n"))
            + "END:VCALENDAR\r\n";
        const string calendar = """{"name":"c","time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"holiday_calendars":["a.ics","b.ics"]}""";

        var a = await client.PutAsync(server.Api("/holiday-files/a.ics"), new StringContent(YearLongEvents(1950), Encoding.UTF8, "text/calendar"));
        var b = await client.PutAsync(server.Api("/holiday-files/b.ics"), new StringContent(YearLongEvents(2050), Encoding.UTF8, "text/calendar"));
        var put = await client.PutAsync(server.Api("/calendars/c"), ServerHarness.Json(calendar));

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("close 24090 single dates; a calendar holds at most 20000", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await server.WithStoreAsync(s => s.GetConfigAsync(ConfigKind.Calendar)));
    }
}

