using System.Globalization;
using System.Net;
using System.Text.Json;
using NodaTime;
using Utendaji.Server.Web.Dashboard;
using Utendaji.Storage.Accounts;
using static Utendaji.Server.Tests.Web.Dashboard.DashboardData;

namespace Utendaji.Server.Tests.Web.Dashboard;

/// <summary>The KPI overview, the drill-down ticket list, the ticket page and the CSV exports, over HTTP in process.</summary>
public sealed class DashboardPageTests
{
    private static readonly Instant May = Instant.FromUtc(2026, 5, 1, 0, 0);
    private static readonly Instant June = Instant.FromUtc(2026, 6, 1, 0, 0);

    private static string[] Row(List<string[]> rows, string first) => rows.Single(r => r[0] == first);

    [Fact]
    public async Task Overview_figures_equal_the_api_kpi_report_and_a_naive_count_for_the_same_filters()
    {
        await using var server = await StartAsync();
        var client = await SignedInAsync(server);
        var api = await server.ClientAsync(AccountRole.Viewer, TokenScope.Read);

        var csv = Csv(await PageAsync(client, "/dashboard/export/kpis.csv?period=month&from=2026-05-01&team=support"));
        var json = JsonDocument.Parse(await (await api.GetAsync(server.Api("/reports/kpi?period=month&from=2026-05-01&to=2026-06-01&team=support"))).Content.ReadAsStringAsync());
        var may = Assert.Single(json.RootElement.GetProperty("by_period").EnumerateArray());

        var naive = Tickets().Count(t => t.Team == "support" && t.Created >= May && t.Created < June);
        Assert.Equal(naive.ToString(CultureInfo.InvariantCulture), Row(csv, "Created")[1]);
        Assert.Equal(may.GetProperty("created").GetInt64().ToString(CultureInfo.InvariantCulture), Row(csv, "Created")[1]);
        var sla = may.GetProperty("sla_first_reply");
        var rate = Row(csv, "SLA first reply");
        Assert.Equal((sla.GetProperty("rate").GetDouble() * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%", rate[1]);
        Assert.Equal(sla.GetProperty("n").GetInt64().ToString(CultureInfo.InvariantCulture), rate[2]);
        Assert.Equal((sla.GetProperty("ci_lower").GetDouble() * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%", rate[3]);
        var naiveMet = Tickets().Count(t => t.Team == "support" && t.Created >= May && t.Created < June && t.ReplyHours <= 2);
        Assert.Equal(((double)naiveMet / naive * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%", rate[1]);

        // The page shows the same figure on its card and in its table.
        var page = await PageAsync(client, "/dashboard?period=month&from=2026-05-01&team=support");
        Assert.Equal(rate[1], Row(Table(page, "kpis"), "SLA first reply")[1]);
    }

    [Fact]
    public async Task Overview_with_the_cache_is_served_until_this_server_writes()
    {
        await using var server = await StartAsync(adjust: o => o with { Caching = true });
        var client = await SignedInAsync(server);
        const string Page = "/dashboard?period=month&from=2026-05-01";
        var before = int.Parse(Row(Table(await PageAsync(client, Page), "kpis"), "Created")[1], CultureInfo.InvariantCulture);

        // A ticket stored behind the server's back (the CLI on the same file) is not seen: the figures are cached,
        // and so is the export built from them.
        await server.WithStoreAsync(async store =>
        {
            await using var transaction = await store.BeginImportAsync();
            await transaction.AddEventsAsync([new Core.Tickets.TicketEvent(
                "behind-1", "T-BEHIND", Instant.FromUtc(2026, 5, 10, 9, 0), Core.Tickets.TicketEventType.Created, Core.Tickets.ActorKind.Customer, null, true, "email", "support", "normal", null, null)]);
            var context = await Ingest.Importing.EngineConfiguration.LoadAsync(store, server.Clock.Now, CancellationToken.None);
            await foreach (var source in transaction.ReadChangedTicketsAsync())
            {
                await transaction.PutFactsAsync([Ingest.Importing.ImportPipeline.Derive(source, context)]);
            }

            await transaction.CommitAsync();
            return 0;
        });
        var cached = int.Parse(Row(Table(await PageAsync(client, Page), "kpis"), "Created")[1], CultureInfo.InvariantCulture);
        var exported = int.Parse(Row(Csv(await PageAsync(client, "/dashboard/export/kpis.csv?period=month&from=2026-05-01")), "Created")[1], CultureInfo.InvariantCulture);

        // An event through this server makes the next page read the store again, which holds both new tickets.
        var api = await server.ClientAsync();
        using var post = await api.PostAsync(server.Api("/events"), ServerHarness.Json(
            """{"id":"api-1","ticket_id":"T-API","at":"2026-05-11T09:00:00Z","type":"created","actor":{"kind":"customer","id":"c"},"channel":"email","team":"support","priority":"normal"}"""));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var after = int.Parse(Row(Table(await PageAsync(client, Page), "kpis"), "Created")[1], CultureInfo.InvariantCulture);

        Assert.Equal(before, cached);
        Assert.Equal(before, exported); // the export is made from the same figures: it shows what the page showed
        Assert.Equal(before + 2, after);
    }

    [Fact]
    public async Task Overview_marks_a_significant_change_and_leaves_the_others_unmarked()
    {
        await using var server = await StartAsync();
        var page = await PageAsync(await SignedInAsync(server), "/dashboard");

        // Default: the last complete month (May) against April.
        Assert.Contains("2026-05", page, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"SlaFirstReply\" data-significant=\"true\"", page, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"FirstReplyBusiness\" data-significant=\"true\"", page, StringComparison.Ordinal);
        // Counts are never tested; a rate that did not move (no reopen either month) is not marked.
        Assert.Contains("data-figure=\"Created\" data-significant=\"false\"", page, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"Reopened\" data-significant=\"false\"", page, StringComparison.Ordinal);
        var marked = System.Text.RegularExpressions.Regex.Matches(page, "data-figure=\"(\\w+)\" data-significant=\"true\"").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
        Assert.Equal(["FirstReplyBusiness", "FullResolutionBusiness", "SlaFirstReply"], marked);
        Assert.Equal(3, page.Split("class=\"significant\"").Length - 1);
        // A p-value too small to print is shown as a bound, never as "p = 0".
        Assert.DoesNotContain("p = 0<", page, StringComparison.Ordinal);
        Assert.Matches("significant, p (&lt; 0\\.001|= 0\\.\\d+)", page);
    }

    [Fact]
    public async Task Changing_a_filter_changes_the_figures()
    {
        await using var server = await StartAsync();
        var client = await SignedInAsync(server);
        var support = Row(Table(await PageAsync(client, "/dashboard?team=support"), "kpis"), "Created")[1];
        var billing = Row(Table(await PageAsync(client, "/dashboard?team=billing"), "kpis"), "Created")[1];
        var all = Row(Table(await PageAsync(client, "/dashboard"), "kpis"), "Created")[1];
        Assert.Equal(Tickets().Count(t => t.Team == "support" && t.Created >= May && t.Created < June).ToString(CultureInfo.InvariantCulture), support);
        Assert.Equal(Tickets().Count(t => t.Team == "billing" && t.Created >= May && t.Created < June).ToString(CultureInfo.InvariantCulture), billing);
        Assert.Equal(int.Parse(support, CultureInfo.InvariantCulture) + int.Parse(billing, CultureInfo.InvariantCulture), int.Parse(all, CultureInfo.InvariantCulture));

        // A week instead of a month: the week of 2026-05-04 holds the tickets created that ISO week only.
        var week = Row(Table(await PageAsync(client, "/dashboard?period=week&from=2026-05-06"), "kpis"), "Created")[1];
        var weekStart = Instant.FromUtc(2026, 5, 4, 0, 0);
        Assert.Equal(Tickets().Count(t => t.Created >= weekStart && t.Created < weekStart + Duration.FromDays(7)).ToString(CultureInfo.InvariantCulture), week);
    }

    [Fact]
    public async Task Bad_filters_are_named_with_their_reason()
    {
        await using var server = await StartAsync();
        var page = await PageAsync(await SignedInAsync(server), "/dashboard?period=fortnight&by=colour", HttpStatusCode.BadRequest);
        Assert.Contains("<code>period</code>: &#x27;fortnight&#x27; is not week or month", page, StringComparison.Ordinal);
        Assert.Contains("<code>by</code>", page, StringComparison.Ordinal);
        var partMonth = await PageAsync(await SignedInAsync(server), "/dashboard?from=2026-05-01&to=2026-05-20", HttpStatusCode.BadRequest);
        Assert.Contains("<code>to</code>: from and to do not bound one calendar month", partMonth, StringComparison.Ordinal);
        // The week of 9999-12-30 overflowed the calendar arithmetic (a 500); dates outside 1900–2199 are named instead.
        var farWeek = await PageAsync(await SignedInAsync(server), "/dashboard?period=week&from=9999-12-30", HttpStatusCode.BadRequest);
        Assert.Contains("<code>from</code>: &#x27;9999-12-30&#x27; is outside the supported range, 1900-01-01 to 2199-12-31", farWeek, StringComparison.Ordinal);
    }

    [Fact]
    public async Task From_and_to_of_one_month_choose_that_month()
    {
        await using var server = await StartAsync();
        var client = await SignedInAsync(server);
        var april = Tickets().Count(t => t.Created < May).ToString(CultureInfo.InvariantCulture);
        foreach (var query in new[] { "?from=2026-04-01&to=2026-05-01", "?to=2026-05-01", "?from=2026-04-17" })
        {
            var page = await PageAsync(client, "/dashboard" + query);
            Assert.Equal(april, Row(Table(page, "kpis"), "Created")[1]);
            Assert.Contains("2026-04 (", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_chart_element_leads_to_exactly_the_tickets_behind_it()
    {
        await using var server = await StartAsync();
        var client = await SignedInAsync(server);
        var page = await PageAsync(client, "/dashboard?team=support");

        // The histogram bin 2h–4h: tickets created in May in team support whose first reply took 3 hours.
        var bin = Links(page, "/dashboard/tickets?").Distinct().Single(l => l.Contains("frt_min=7200&", StringComparison.Ordinal));
        var expected = Tickets().Where(t => t.Team == "support" && t.Created >= May && t.Created < June && t.ReplyHours == 3).Select(t => t.Id).Order().ToList();
        Assert.NotEmpty(expected);
        var list = await PageAsync(client, bin);
        Assert.Equal(expected, Table(list, "tickets").Skip(1).Select(r => r[0]).Order().ToList());

        // The SLA bar of group "support": tickets with a decided first-reply target in May, team support.
        var bar = Links(page, "/dashboard/tickets?").Distinct().Single(l => l.Contains("sla=first_reply", StringComparison.Ordinal) && l.Contains("team=support", StringComparison.Ordinal) && l.Contains("from=2026-05-01", StringComparison.Ordinal) && !l.Contains("to=2026-05-01", StringComparison.Ordinal));
        var barTickets = Table(await PageAsync(client, bar), "tickets").Skip(1).Select(r => r[0]).Order().ToList();
        Assert.Equal(Tickets().Where(t => t.Team == "support" && t.Created >= May && t.Created < June).Select(t => t.Id).Order().ToList(), barTickets);

        // The "Created" card and table cell: May's created tickets of team support.
        var created = Links(page, "/dashboard/tickets?from=2026-05-01T00%3A00%3A00Z&to=2026-06-01T00%3A00%3A00Z&team=support").Distinct().Single(l => l.EndsWith("team=support", StringComparison.Ordinal));
        var naive = Tickets().Count(t => t.Team == "support" && t.Created >= May && t.Created < June);
        Assert.Contains($"data-count=\"{naive}\"", await PageAsync(client, created), StringComparison.Ordinal);

        // A point of the tickets-per-period chart: April's created tickets.
        var april = Links(page, "/dashboard/tickets?from=2026-04-01T00%3A00%3A00Z&to=2026-05-01T00%3A00%3A00Z&team=support").First();
        var count = Tickets().Count(t => t.Team == "support" && t.Created < May);
        Assert.Contains($"data-count=\"{count}\"", await PageAsync(client, april), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ticket_list_pages_through_every_ticket()
    {
        await using var server = await StartAsync();
        var client = await SignedInAsync(server);
        var first = await PageAsync(client, "/dashboard/tickets");
        Assert.Contains($"data-count=\"{Tickets().Count}\"", first, StringComparison.Ordinal);
        var next = Links(first, "/dashboard/tickets?page=2").Single();
        var second = await PageAsync(client, next);
        var ids = Table(first, "tickets").Skip(1).Concat(Table(second, "tickets").Skip(1)).Select(r => r[0]).ToList();
        Assert.Equal(Tickets().Select(t => t.Id).Order(), ids.Order());
    }

    [Fact]
    public async Task The_ticket_page_shows_the_explanation_of_the_api_and_explain()
    {
        await using var server = await StartAsync();
        var api = await server.ClientAsync(AccountRole.Viewer, TokenScope.Read);
        var explained = JsonDocument.Parse(await (await api.GetAsync(server.Api("/tickets/M-01"))).Content.ReadAsStringAsync());
        var page = await PageAsync(await SignedInAsync(server), "/dashboard/tickets/M-01");
        var steps = explained.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.NotEmpty(steps);
        foreach (var step in steps)
        {
            Assert.Contains(step.GetProperty("text").GetString()!, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        }

        Assert.Equal("3.00", Row(Table(page, "ticket"), "First reply (business h)")[1]);
        await PageAsync(await SignedInAsync(server), "/dashboard/tickets/nope", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_csv_equals_its_table()
    {
        await using var server = await StartAsync();
        var client = await SignedInAsync(server);
        var page = await PageAsync(client, "/dashboard?team=support");
        foreach (var id in new[] { "kpis", "trend", "first-reply", "sla" })
        {
            var csvLink = Links(page, $"/dashboard/export/{id}.csv").Single();
            var csv = Csv(await PageAsync(client, csvLink));
            var table = Table(page, id);
            Assert.Equal(table.Count, csv.Count);
            for (var r = 0; r < table.Count; r++)
            {
                // Same figures; the page writes an absent one as "–" and groups digits, the CSV leaves both out.
                Assert.Equal(table[r].Select(c => c == "–" ? "" : c.Replace(",", "", StringComparison.Ordinal)), csv[r].Select(c => c.Replace(",", "", StringComparison.Ordinal)));
            }
        }

        var list = await PageAsync(client, "/dashboard/tickets?team=billing");
        var ticketsCsv = Csv(await PageAsync(client, Links(list, "/dashboard/export/tickets.csv").Single()));
        Assert.Equal(Table(list, "tickets").Select(r => r.Select(c => c == "–" ? "" : c)), ticketsCsv);
    }

    [Fact]
    public async Task Survey_csat_nps_and_the_servqual_gap_of_the_period_are_shown()
    {
        await using var server = await StartAsync();
        var at = Instant.FromUtc(2026, 5, 12, 10, 0);
        Core.Surveys.SurveyResponse Response(string id, string instrument, Dictionary<string, double> answers) => new()
        {
            ResponseId = id, InstrumentId = instrument, SubmittedAt = at, Team = "support",
            Answers = answers.ToDictionary(a => a.Key, a => new Core.Surveys.SurveyAnswer { Number = a.Value }),
        };
        var responses = new List<Core.Surveys.SurveyResponse>();
        foreach (var (rating, i) in new[] { 5, 4, 2, 5 }.Select((r, i) => (r, i)))
        {
            responses.Add(Response($"c{i}", "csat-5", new() { ["csat"] = rating }));
        }

        foreach (var (score, i) in new[] { 10, 9, 3, 8 }.Select((r, i) => (r, i)))
        {
            responses.Add(Response($"n{i}", "nps", new() { ["nps"] = score }));
        }

        // One SERVQUAL respondent expecting 6 and perceiving 5 on every item: a gap of −1 in every dimension.
        var servqual = new Dictionary<string, double>();
        for (var item = 1; item <= 22; item++)
        {
            servqual[$"e{item:00}"] = 6;
            servqual[$"p{item:00}"] = 5;
        }

        responses.Add(Response("s0", "servqual", servqual));
        // Outside the period: never counted.
        responses.Add(Response("late", "csat-5", new() { ["csat"] = 1 }) with { SubmittedAt = June });
        await server.WithStoreAsync(async store =>
        {
            await using var import = await store.BeginImportAsync();
            await import.AddSurveyResponsesAsync(responses);
            await import.CommitAsync();
            return true;
        });

        var page = await PageAsync(await SignedInAsync(server), "/dashboard?from=2026-05-01");
        var surveys = Table(page, "surveys");
        var csat = Row(surveys, "csat-5");
        Assert.Equal("4", csat[1]);
        Assert.Equal("75.0%", csat[2]);
        Assert.Equal("25", Row(surveys, "nps")[5]); // 2 promoters − 1 detractor of 4, in points
        var gaps = Table(page, "servqual").Skip(1).ToList();
        Assert.Equal(5, gaps.Count);
        Assert.All(gaps, g => Assert.Equal(("servqual", "-1", "1"), (g[0], g[2], g[3])));

        // Another team's page has none of these responses.
        Assert.Contains(DashboardTexts.Get("en", "overview.noInstruments"), await PageAsync(await SignedInAsync(server), "/dashboard?from=2026-05-01&team=billing"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_text_is_escaped_in_pages_and_inert_in_csv()
    {
        var evil = new GeneratedTicket("X-1", Instant.FromUtc(2026, 5, 10, 9, 0), "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "normal", "<img src=x onerror=alert(2)>", 1);
        await using var server = await StartAsync([evil]);
        var client = await SignedInAsync(server);
        foreach (var path in new[] { "/dashboard/tickets", "/dashboard/tickets/X-1", "/dashboard?by=agent", "/dashboard?by=team", "/dashboard/tickets?team=%3Cscript%3Ealert(1)%3C%2Fscript%3E" })
        {
            var page = await PageAsync(client, path);
            Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        }

        var list = await PageAsync(client, "/dashboard/tickets?team=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", list, StringComparison.Ordinal);
        Assert.Contains("data-count=\"1\"", list, StringComparison.Ordinal);
        var csv = Csv(await PageAsync(client, "/dashboard/export/tickets.csv?team=%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
        Assert.Equal("'=HYPERLINK(\"http://x\")", csv[1][4]);
    }

    [Fact]
    public async Task Another_organisation_sees_none_of_these_tickets()
    {
        await using var server = await StartAsync();
        var other = await SignedInAsync(server, AccountRole.Owner, org: server.OtherOrg);
        Assert.Contains("data-count=\"0\"", await PageAsync(other, "/dashboard/tickets"), StringComparison.Ordinal);
        await PageAsync(other, "/dashboard/tickets/M-01", HttpStatusCode.NotFound);
        Assert.Equal("0", Row(Table(await PageAsync(other, "/dashboard"), "kpis"), "Created")[1]);
        Assert.Equal("0", Row(Csv(await PageAsync(other, "/dashboard/export/kpis.csv")), "Created")[1]);
        Assert.DoesNotContain("standard", await PageAsync(other, "/dashboard/settings/sla-policies"), StringComparison.Ordinal);
        Assert.Contains("standard", await PageAsync(await SignedInAsync(server), "/dashboard/settings/sla-policies"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finnish_numbers_have_a_decimal_comma()
    {
        await using var server = await StartAsync();
        var english = Row(Table(await PageAsync(await SignedInAsync(server), "/dashboard"), "kpis"), "SLA first reply")[1];
        var finnish = Row(Table(await PageAsync(await SignedInAsync(server, language: "fi"), "/dashboard"), "kpis"), DashboardTexts.Get("fi", "kpi.SlaFirstReply"))[1];
        Assert.Matches(@"^\d+\.\d%$", english);
        Assert.Equal(english.Replace('.', ','), finnish);
        var hours = Row(Table(await PageAsync(await SignedInAsync(server, language: "fi"), "/dashboard/tickets/M-01"), "ticket"), DashboardTexts.Get("fi", "col.frtHours"))[1];
        Assert.Equal("3,00", hours);
    }

    [Fact]
    public async Task Every_page_renders_in_every_language()
    {
        await using var server = await StartAsync();
        foreach (var language in DashboardTexts.PageTexts.Keys)
        {
            var client = await SignedInAsync(server, AccountRole.Owner, language);
            foreach (var path in new[] { "/dashboard", "/dashboard/tickets", "/dashboard/tickets/A-01", "/dashboard/settings/calendars", "/dashboard/settings/sla-policies", "/dashboard/settings/instruments" })
            {
                Assert.Contains($"lang=\"{language}\"", await PageAsync(client, path), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Every_page_text_exists_in_all_six_languages()
    {
        var tables = DashboardTexts.PageTexts;
        Assert.Equal(["en", "fi", "gu", "sw", "tl", "ur"], tables.Keys.Order(StringComparer.Ordinal));
        var keys = tables["en"].Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (language, texts) in tables)
        {
            Assert.True(keys.SetEquals(texts.Keys), $"{language}: missing {string.Join(", ", keys.Except(texts.Keys))}; extra {string.Join(", ", texts.Keys.Except(keys))}");
            Assert.All(texts.Values, v => Assert.False(string.IsNullOrWhiteSpace(v)));
        }
    }

    [Fact]
    public async Task Nobody_signed_in_is_sent_to_sign_in()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Client(null);
        using var response = await client.GetAsync(new Uri("/dashboard/tickets", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
