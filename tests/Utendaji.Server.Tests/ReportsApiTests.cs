using System.Net;
using System.Text;
using System.Text.Json;
using Utendaji.Core.Reporting;
using Utendaji.Reports;
using Utendaji.Storage;

namespace Utendaji.Server.Tests;

public sealed class ReportsApiTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("?by=team,channel&period=day&time_zone=Europe/Helsinki&min_n=1", "team,channel|day|Europe/Helsinki|1")]
    public async Task GetKpiReport_SameBytesAsTheCliRenderer(string query, string cliOptions)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync(Storage.Accounts.AccountRole.Viewer, Storage.Accounts.TokenScope.Read);
        var writer = await server.ClientAsync();
        await writer.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));

        var response = await client.GetAsync(server.Api("/reports/kpi" + query));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var options = KpiReportOptions.Default;
        if (cliOptions.Length > 0)
        {
            var parts = cliOptions.Split('|');
            options = options with
            {
                GroupBy = [.. parts[0].Split(',').Select(p => Enum.Parse<GroupDimension>(p, ignoreCase: true))],
                Period = Enum.Parse<PeriodGranularity>(parts[1], ignoreCase: true),
                TimeZone = NodaTime.DateTimeZoneProviders.Tzdb[parts[2]],
                MinimumN = int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        // What `utendaji report --format json` writes: ReportCommand builds and renders exactly so.
        var expected = await server.WithStoreAsync(store =>
        {
            var facts = store.ReadFactsAsync(FactsQuery.All).ToBlockingEnumerable();
            var report = KpiReportBuilder.Build(facts, options, CancellationToken.None);
            using var buffer = new MemoryStream();
            KpiReportRenderer.Write(report, ReportFormat.Json, buffer);
            return Task.FromResult(Encoding.UTF8.GetString(buffer.ToArray()));
        });
        var actual = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, actual);
        // Not two empty reports: the tickets posted are counted.
        Assert.Equal(2, JsonDocument.Parse(actual).RootElement.GetProperty("overall").GetProperty("created").GetInt64());
    }

    [Theory]
    [InlineData("?period=fortnight", "period")]
    [InlineData("?by=colour", "by")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-03-02&to=2026-03-01", "to")]
    [InlineData("?time_zone=Mars/Olympus", "time_zone")]
    [InlineData("?min_n=-1", "min_n")]
    // Outside 1900–2200: a bound past NodaTime's instants after its offset, and weeks from 9999-12-30, were 500s.
    [InlineData("?to=9999-12-31T23:59:59-14:00&period=month", "to")]
    [InlineData("?from=9999-12-30&period=week", "from")]
    [InlineData("?from=1899-12-31", "from")]
    public async Task GetKpiReport_BadParameter_400NamingIt(string query, string field)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.GetAsync(server.Api("/reports/kpi" + query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    /// <summary>
    /// Events near both ends of the accepted range (1900 and 2199) would make a daily report list 109,571 periods per
    /// group (millions, with the years 1 and 9999 accepted before) in a server every organisation shares; it is a 400
    /// naming the period instead, and the server still answers with a range or without periods.
    /// </summary>
    [Fact]
    public async Task GetKpiReport_DataSpanningMillenniaByDay_400NamingThePeriod()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        var posted = await client.PostAsync(server.Api("/events"), ServerHarness.Json("""
            [{"id":"a1","ticket_id":"A-1","at":"1900-01-02T08:00:00Z","type":"created","actor":{"kind":"customer","id":"c"}},
             {"id":"a2","ticket_id":"A-1","at":"2199-12-30T08:00:00Z","type":"status_changed","actor":{"kind":"agent","id":"x"},"status":"solved"}]
            """));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var refused = await client.GetAsync(server.Api("/reports/kpi?period=day"));
        var ranged = await client.GetAsync(server.Api("/reports/kpi?period=day&from=2026-03-01&to=2026-03-08"));
        var whole = await client.GetAsync(server.Api("/reports/kpi"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        var message = problem.GetProperty("errors").GetProperty("period")[0].GetString();
        Assert.Contains("109,571 periods (by day, 1900-01-02 to 2199-12-30", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ranged.StatusCode);
        Assert.Equal(7, JsonDocument.Parse(await ranged.Content.ReadAsStringAsync()).RootElement.GetProperty("periods").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
    }

    [Fact]
    public async Task ListTickets_Paginated_EveryTicketOnceInCreationOrder()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        // Seven tickets, three of them created at the same instant: the cursor must not lose or repeat any.
        var events = new[]
        {
            TestData.Event("a", "T-5", "2026-03-02T08:00:00Z"), TestData.Event("b", "T-1", "2026-03-02T09:00:00Z"),
            TestData.Event("c", "T-3", "2026-03-02T09:00:00Z"), TestData.Event("d", "T-2", "2026-03-02T09:00:00Z"),
            TestData.Event("e", "T-4", "2026-03-02T10:00:00Z"), TestData.Event("f", "T-7", "2026-03-01T10:00:00Z"),
            TestData.Event("g", "T-6", "2026-03-03T10:00:00Z"),
        };
        await client.PostAsync(server.Api("/events"), ServerHarness.Json("[" + string.Join(",", events) + "]"));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = server.Api("/tickets?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var page = JsonDocument.Parse(await client.GetStringAsync(url)).RootElement;
            var tickets = page.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("ticket_id").GetString()!).ToList();
            Assert.InRange(tickets.Count, 1, 2);
            seen.AddRange(tickets);
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(4, pages);
        Assert.Equal(["T-7", "T-5", "T-1", "T-2", "T-3", "T-4", "T-6"], seen);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=100000", "limit")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    // Forged cursors whose ticks lie beyond NodaTime's instants (base64url of "9223372036854775807|x" and of
    // "-9223372036854775808|x") were 500s.
    [InlineData("?cursor=OTIyMzM3MjAzNjg1NDc3NTgwN3x4", "cursor")]
    [InlineData("?cursor=LTkyMjMzNzIwMzY4NTQ3NzU4MDh8eA", "cursor")]
    [InlineData("?from=9999-12-31T23:59:59-14:00", "from")]
    [InlineData("?status=asleep", "status")]
    public async Task ListTickets_BadParameter_400NamingIt(string query, string field)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.GetAsync(server.Api("/tickets" + query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task GetTicket_FiguresAndExplanation()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));

        var ticket = JsonDocument.Parse(await client.GetStringAsync(server.Api("/tickets/T-1"))).RootElement;

        Assert.Equal("T-1", ticket.GetProperty("ticket_id").GetString());
        // Created 08:00+02:00, first public agent reply 10:00+02:00: two hours, 24x7 without a calendar.
        Assert.Equal(7200, ticket.GetProperty("ticket").GetProperty("first_reply").GetProperty("calendar_seconds").GetInt64());
        Assert.Contains(ticket.GetProperty("steps").EnumerateArray(), s => s.GetProperty("metric").GetString() == "first_reply");
    }

    [Fact]
    public async Task GetTicket_Unknown_404Problem()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.GetAsync(server.Api("/tickets/T-404"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
