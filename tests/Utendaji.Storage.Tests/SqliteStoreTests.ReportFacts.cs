using System.Text.Json;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Core.Tickets;
using Utendaji.Storage.Sqlite;
using static Utendaji.Storage.Tests.TestData;

namespace Utendaji.Storage.Tests;

/// <summary>
/// The report's copy of the facts (migrations 0003 and 0006) that <see cref="IUtendajiStore.ReadFactBatchesAsync"/> reads: same
/// batches as the <c>ticket_facts</c> rows, same KPI report as <see cref="KpiReportBuilder"/> over
/// <see cref="IUtendajiStore.ReadFactsAsync"/>, kept in step by imports, re-derivation and older stores.
/// </summary>
public sealed partial class SqliteStoreTests
{
    private static readonly JsonSerializerOptions ReportJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        IncludeFields = true,
        Converters = { new AsTextConverter() },
    };

    /// <summary>Seeded facts with the edge cases of the report: see the comments inside.</summary>
    private static List<TicketFacts> ReportFacts(int count, int seed)
    {
        var random = new Random(seed);
        string?[] teams = ["Mombasa", "Helsinki", "મદદ " + Gujarati, null, "کراچی"];
        string?[] channels = ["email", "chat", null, "web"];
        string?[] agents = ["amina", "ville", "agent-" + Urdu, null];
        string?[] priorities = ["low", "normal", "high", "urgent", null];
        var start = Instant.FromUtc(2026, 3, 20, 0, 0); // spans the EU spring-forward and a month end
        var list = new List<TicketFacts>(count);
        for (var i = 0; i < count; i++)
        {
            var created = start + Duration.FromTicks(random.NextInt64(0, 40 * NodaConstants.TicksPerDay));
            // Durations of more than a day with a fraction of a second: Duration.TotalSeconds rounds them twice.
            DualDuration? Dual(double p) => random.NextDouble() < p
                ? new DualDuration(Duration.FromTicks(random.NextInt64(1, 9 * NodaConstants.TicksPerDay)), Duration.FromTicks(random.NextInt64(0, 3 * NodaConstants.TicksPerDay)))
                : null;
            var firstReply = Dual(0.85);
            var firstResolution = Dual(0.8);
            Instant? firstSolved = firstResolution is { } fr ? created + fr.Calendar : null;
            var reopened = firstSolved is not null && random.NextDouble() < 0.2;
            // Reopened and open again: no final solve, but a first solve (CSAT and resolution SLA are placed there).
            Instant? solved = firstSolved is null ? null : reopened && random.NextDouble() < 0.5 ? null : firstSolved + Duration.FromHours(random.Next(0, 200));
            var sla = new List<SlaOutcome>();
            if (random.NextDouble() < 0.8)
            {
                sla.Add(new SlaOutcome(SlaMetric.FirstReply, "gold", Duration.FromHours(1), created + Duration.FromHours(1), (SlaState)random.Next(3), Duration.Zero));
                sla.Add(new SlaOutcome(SlaMetric.NextReply, "gold", Duration.FromHours(2), created + Duration.FromHours(5), (SlaState)random.Next(3), Duration.Zero));
                // Never-solved breaches fall due in weeks after the last creation; several policies give several dues.
                var policies = random.Next(0, 4);
                for (var p = 0; p < policies; p++)
                {
                    var due = created + Duration.FromHours(p == 2 ? 8 : random.Next(1, 24 * 30));
                    var state = solved is null && firstSolved is null ? (random.NextDouble() < 0.7 ? SlaState.Breached : SlaState.Running) : (SlaState)random.Next(3);
                    sla.Add(new SlaOutcome(SlaMetric.Resolution, "policy-" + p, Duration.FromHours(8), due, state, Duration.Zero));
                    if (p == 1)
                    {
                        sla.Add(new SlaOutcome(SlaMetric.Resolution, "policy-1b", Duration.FromHours(8), due, state, Duration.Zero)); // same due twice
                    }
                }
            }

            list.Add(new TicketFacts
            {
                TicketId = "T-" + random.Next(0, 1_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture) + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Source = i % 3 == 0 ? FactsSource.Summary : FactsSource.Events,
                // Some tickets share a creation instant: the ticket id orders them.
                CreatedAt = i % 17 == 0 && list.Count > 0 ? list[^1].CreatedAt : created,
                Status = solved is not null ? TicketStatus.Solved : (TicketStatus)random.Next(0, 4),
                Team = teams[random.Next(teams.Length)],
                Channel = channels[random.Next(channels.Length)],
                Agent = agents[random.Next(agents.Length)],
                Priority = priorities[random.Next(priorities.Length)],
                Language = random.NextDouble() < 0.5 ? "sw" : null,
                Calendar = "support",
                FirstReply = firstReply,
                FirstReplyAt = firstReply is { } f ? created + f.Calendar : null,
                FirstSolvedAt = firstSolved,
                FirstResolution = firstResolution,
                SolvedAt = solved,
                FullResolution = solved is null ? null : Dual(1),
                RequesterWait = Dual(0.5),
                AgentReplies = random.Next(0, 6),
                Reopens = reopened ? random.Next(1, 3) : 0,
                OneTouch = solved is null ? null : random.NextDouble() < 0.5,
                FirstContactResolved = solved is null ? null : random.NextDouble() < 0.5,
                // Ratings off the 1–5 scale (0, 7, 261) are stored but ignored by the report.
                Satisfaction = random.NextDouble() < 0.4 ? random.Next(1, 6) : random.NextDouble() < 0.05 ? new[] { 0, 7, 261 }[random.Next(3)] : null,
                Sla = sla,
            });
        }

        return list;
    }

    private async Task<IUtendajiStore> StoreWithReportFactsAsync(int count = 3000, int seed = 7)
    {
        var store = await OpenAsync();
        var facts = ReportFacts(count, seed);
        // Several transactions, so codes of labels first seen later are added by later imports.
        for (var i = 0; i < facts.Count; i += 1000)
        {
            await ImportAsync(store, facts: facts.GetRange(i, Math.Min(1000, facts.Count - i)));
        }

        return store;
    }

    private static async Task<KpiReport> BuilderReportAsync(IUtendajiStore store, FactsQuery query, KpiReportOptions options) =>
        KpiReportBuilder.Build(await ListAsync(store.ReadFactsAsync(query)), options);

    private static async Task<KpiReport> ColumnarReportAsync(IUtendajiStore store, FactsQuery query, KpiReportOptions options, int batchSize = 65536)
    {
        var accumulator = new KpiReportAccumulator(options);
        await foreach (var batch in store.ReadFactBatchesAsync(query, batchSize))
        {
            accumulator.Add(batch.ReportColumns(), batch.Labels);
        }

        return accumulator.Build();
    }

    /// <summary>Every figure of the report, doubles as their shortest round-trip text: equal strings are equal bits.</summary>
    private static string Json(KpiReport report) => JsonSerializer.Serialize(report, ReportJson);

    /// <summary>One batch row as text, labels resolved, so batches of different label tables compare.</summary>
    private static List<string> Rows(FactsBatch b)
    {
        var rows = new List<string>();
        for (var i = 0; i < b.Count; i++)
        {
            var durations = string.Join(",", Enumerable.Range(0, (int)FactsDuration.Count).Select(d => b.Seconds((FactsDuration)d)[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            var sla = string.Join(",", new[] { SlaMetric.FirstReply, SlaMetric.NextReply, SlaMetric.Resolution }.SelectMany(m => new[] { b.SlaCount(m, true)[i], b.SlaCount(m, false)[i] }));
            var others = string.Join(";", b.ResolutionSlaOtherDues.ToArray().Where(o => o.Row == i).Select(o => $"{o.Due}:{o.Met}:{o.Breached}"));
            rows.Add($"{b.CreatedAt[i]}|{b.SolvedAt[i]}|{b.FirstSolvedAt[i]}|{b.Status[i]}|{b.Labels[b.Team[i]]}|{b.Labels[b.Channel[i]]}|{b.Labels[b.Agent[i]]}|" +
                $"{b.Labels[b.Priority[i]]}|{b.Labels[b.Language[i]]}|{durations}|{b.AgentReplies[i]}|{b.Reopens[i]}|{b.OneTouch[i]}|{b.FirstContactResolved[i]}|" +
                $"{b.Satisfaction[i]}|{sla}|{b.ResolutionSlaDue[i]}|{others}");
        }

        return rows;
    }

    private static async Task<List<string>> RowsAsync(IAsyncEnumerable<FactsBatch> batches)
    {
        var rows = new List<string>();
        await foreach (var batch in batches)
        {
            rows.AddRange(Rows(batch));
        }

        return rows;
    }

    [Fact]
    public async Task ReadFactBatchesAsync_ReportCopy_SameRowsAsTicketFactsRows()
    {
        var store = (SqliteStore)await StoreWithReportFactsAsync();

        var copy = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All, batchSize: 97));
        var rows = await RowsAsync(store.ReadFactBatchesFromRowsAsync(FactsQuery.All, batchSize: 250));

        Assert.Equal(3000, copy.Count);
        Assert.Equal(rows, copy);
        Assert.Contains(copy, r => r.Split('|')[17].Length > 0); // several resolution dues occur in the data
    }

    [Fact]
    public void Seconds_AnyTicks_BitForBitDurationTotalSeconds()
    {
        var random = new Random(11);
        for (var i = 0; i < 200_000; i++)
        {
            var ticks = (i % 4) switch
            {
                0 => random.NextInt64(0, NodaConstants.TicksPerDay),
                1 => random.NextInt64(NodaConstants.TicksPerDay - 1000, NodaConstants.TicksPerDay + 1000),
                2 => random.NextInt64(-NodaConstants.TicksPerDay * 2, 0),
                _ => random.NextInt64(0, NodaConstants.TicksPerDay * 400),
            };

            Assert.Equal(BitConverter.DoubleToInt64Bits(Duration.FromTicks(ticks).TotalSeconds), BitConverter.DoubleToInt64Bits(Sqlite.ReportFacts.Seconds(ticks)));
        }
    }

    [Fact]
    public async Task ReadFactBatchesAsync_ResolutionDues_FromDecidedOutcomesInOrder()
    {
        var store = await OpenAsync();
        var due1 = At(600);
        var due2 = At(900);
        var facts = MinimalFacts("T-1") with
        {
            Sla =
            [
                new SlaOutcome(SlaMetric.Resolution, "a", Duration.FromHours(1), At(100), SlaState.Running, Duration.Zero),
                new SlaOutcome(SlaMetric.Resolution, "b", Duration.FromHours(1), due1, SlaState.Breached, Duration.Zero),
                new SlaOutcome(SlaMetric.Resolution, "c", Duration.FromHours(1), due2, SlaState.Breached, Duration.Zero),
                new SlaOutcome(SlaMetric.Resolution, "d", Duration.FromHours(1), due2, SlaState.Met, Duration.Zero),
                new SlaOutcome(SlaMetric.Resolution, "e", Duration.FromHours(1), due1, SlaState.Met, Duration.Zero),
            ],
        };
        await ImportAsync(store, facts: [facts]);

        var batch = Assert.Single(await ListAsync(store.ReadFactBatchesAsync(FactsQuery.All)));

        Assert.Equal(due1.ToUnixTimeTicks(), batch.ResolutionSlaDue[0]);
        Assert.Equal([new KpiDueOutcomes(0, due2.ToUnixTimeTicks(), 1, 1)], batch.ResolutionSlaOtherDues.ToArray());
        Assert.Equal(2, batch.SlaCount(SlaMetric.Resolution, met: false)[0]);
        Assert.Equal(2, batch.SlaCount(SlaMetric.Resolution, met: true)[0]);
        Assert.Equal(FactsBatch.NoInstant, batch.FirstSolvedAt[0]);
    }

    public static TheoryData<string, string?, string, string?, string?, string?> ReportCases() => new()
    {
        // by, period, zone, from, to, filter (team|agent|status)
        { "", null, "UTC", null, null, null },
        { "team,channel", "week", "UTC", null, null, null },
        { "agent", "day", "Europe/Helsinki", null, null, null },
        { "priority,language", "month", "Australia/Lord_Howe", null, null, null },
        { "team,channel,agent,priority,language", "week", "Asia/Kolkata", "2026-03-25", "2026-04-20", null },
        { "channel", "day", "America/Sao_Paulo", "2026-04-01", null, "team:Helsinki" },
        { "team", "week", "UTC", null, "2026-04-10", "agent:amina" },
        { "team", "month", "UTC", null, null, "status:Solved" },
        { "channel", "none", "UTC", "2026-03-28", "2026-04-02", "team:nobody" },
    };

    [Theory]
    [MemberData(nameof(ReportCases))]
    public async Task Report_FromReportCopy_IdenticalToBuilderOverFacts(string by, string? period, string zone, string? from, string? to, string? filter)
    {
        var store = await StoreWithReportFactsAsync();
        var options = KpiReportOptions.Default with
        {
            GroupBy = by.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => Enum.Parse<GroupDimension>(d, ignoreCase: true)).ToList(),
            Period = period is null ? PeriodGranularity.None : Enum.Parse<PeriodGranularity>(period, ignoreCase: true),
            TimeZone = DateTimeZoneProviders.Tzdb[zone],
            From = from is null ? null : Instant.FromDateTimeOffset(DateTimeOffset.Parse(from + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            To = to is null ? null : Instant.FromDateTimeOffset(DateTimeOffset.Parse(to + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
        };
        var query = filter?.Split(':') switch
        {
            ["team", var team] => new FactsQuery { Team = team },
            ["agent", var agent] => new FactsQuery { Agent = agent },
            ["status", var status] => new FactsQuery { Status = Enum.Parse<TicketStatus>(status) },
            _ => FactsQuery.All,
        };

        var expected = Json(await BuilderReportAsync(store, query, options));
        var actual = Json(await ColumnarReportAsync(store, query, options, batchSize: 333));

        Assert.Equal(expected, actual);
        Assert.Contains("\"Created\"", expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_NeverSolvedBreachesAtSeveralDues_PlacedInTheirOwnPeriods()
    {
        var store = await OpenAsync();
        var created = Instant.FromUtc(2026, 3, 2, 9, 0);
        var facts = MinimalFacts("T-1") with
        {
            CreatedAt = created,
            Sla =
            [
                new SlaOutcome(SlaMetric.Resolution, "a", Duration.FromHours(1), created + Duration.FromDays(1), SlaState.Breached, Duration.Zero),
                new SlaOutcome(SlaMetric.Resolution, "b", Duration.FromHours(1), created + Duration.FromDays(10), SlaState.Breached, Duration.Zero),
            ],
        };
        await ImportAsync(store, facts: [facts]);
        var options = KpiReportOptions.Default with { Period = PeriodGranularity.Week };

        var report = await ColumnarReportAsync(store, FactsQuery.All, options);

        Assert.Equal(Json(await BuilderReportAsync(store, FactsQuery.All, options)), Json(report));
        var breaches = report.Rows.Where(r => r.Figures.SlaResolution.Trials > 0).Select(r => r.Period.Label).ToList();
        Assert.Equal(2, breaches.Count); // week of the first due and week of the second, not both in one
    }

    [Fact]
    public async Task PutFactsAsync_RederivedWithAnotherCreation_CountedOnce()
    {
        var store = await OpenAsync();
        await ImportAsync(store, facts: [FullFacts("T-1", minute: 0), FullFacts("T-2", minute: 5)]);
        await ImportAsync(store, facts: [FullFacts("T-1", minute: 60 * 24 * 30, team: "tier-2")]);

        var rows = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));

        Assert.Equal(2, rows.Count);
        Assert.Equal(await RowsAsync(((SqliteStore)store).ReadFactBatchesFromRowsAsync(FactsQuery.All)), rows);
        Assert.Contains("|tier-2|", rows[1], StringComparison.Ordinal);
        using var raw = Raw();
        Assert.Equal(2L, Scalar(raw, "SELECT sum(tickets) FROM report_blocks"));
    }

    [Fact]
    public async Task PutFactsAsync_ImportNotCommitted_ReportCopyUnchanged()
    {
        var store = await OpenAsync();
        await ImportAsync(store, facts: [FullFacts("T-1")]);
        await using (var import = await store.BeginImportAsync())
        {
            await import.PutFactsAsync([FullFacts("T-1", minute: 900, team: "new-team"), FullFacts("T-9", team: "other")]);
        }

        await ImportAsync(store, facts: [FullFacts("T-2", team: "late")]);

        var rows = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));
        Assert.Equal(await RowsAsync(((SqliteStore)store).ReadFactBatchesFromRowsAsync(FactsQuery.All)), rows);
        Assert.Equal(2, rows.Count);
        using var raw = Raw();
        Assert.Equal(0L, Scalar(raw, "SELECT count(*) FROM report_labels WHERE label IN ('new-team', 'other')"));
    }

    [Fact]
    public async Task RederiveAllAsync_CreationMoved_ReportCopyFollows()
    {
        var store = await OpenAsync();
        await ImportAsync(store, summaries: [Summary("S-1"), Summary("S-2", minute: 10)], facts: [FullFacts("S-1"), FullFacts("S-2", minute: 10)]);

        await store.RederiveAllAsync(source => FullFacts(source.TicketId, minute: 5000, team: "re-" + source.TicketId));

        var rows = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));
        Assert.Equal(await RowsAsync(((SqliteStore)store).ReadFactBatchesFromRowsAsync(FactsQuery.All)), rows);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Contains("|re-S-", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenAsync_FactsStoredBeforeReportCopy_CopyRebuiltOnOpen()
    {
        var store = await StoreWithReportFactsAsync(count: 1200, seed: 3);
        await store.DisposeAsync();
        using (var raw = Raw())
        {
            // What migration 0003 leaves in a store written by an older version: facts, no copy, a rebuild mark.
            Scalar(raw, "DELETE FROM report_blocks; DELETE FROM report_labels; INSERT INTO report_rebuild (org) SELECT org FROM organisations WHERE name = 'acme'");
        }

        var reopened = (SqliteStore)await OpenAsync();

        var rows = await RowsAsync(reopened.ReadFactBatchesAsync(FactsQuery.All));
        Assert.Equal(1200, rows.Count);
        Assert.Equal(await RowsAsync(reopened.ReadFactBatchesFromRowsAsync(FactsQuery.All)), rows);
        using var check = Raw();
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM report_rebuild"));
    }

    [Fact]
    public async Task OpenAsync_MigratedFromVersion2_MarksOrganisationsWithFactsForRebuild()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using (var raw = Raw())
        {
            foreach (var migration in SqliteMigrations.All.Where(m => m.Version <= 2))
            {
                Scalar(raw, migration.Sql);
            }

            Scalar(raw, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT 'x');" +
                "INSERT INTO schema_migrations (version, name, sha256) VALUES (1, 'initial', ''), (2, 'surveys', '');" +
                "INSERT INTO organisations (org, name) VALUES (1, 'acme'), (2, 'globex');" +
                "INSERT INTO ticket_facts (org, ticket_id, source, created_at, status, calendar, team, agent_replies, reopens, sla_first_reply_met, sla_first_reply_breached, " +
                "sla_next_reply_met, sla_next_reply_breached, sla_resolution_met, sla_resolution_breached, satisfaction) " +
                "VALUES (1, 'OLD-1', 1, 1000, 1, 'c', 'legacy', 1, 0, 0, 0, 0, 0, 0, 0, 5), (2, 'G-1', 1, 2000, 1, 'c', 'g', 0, 0, 0, 0, 0, 0, 0, 0, NULL)");
        }

        var store = (SqliteStore)await OpenAsync();

        var rows = await RowsAsync(store.ReadFactBatchesAsync(FactsQuery.All));
        Assert.Equal(await RowsAsync(store.ReadFactBatchesFromRowsAsync(FactsQuery.All)), rows);
        Assert.Contains("|legacy|", Assert.Single(rows), StringComparison.Ordinal);
        using var check = Raw();
        Assert.Equal(2L, Scalar(check, "SELECT org FROM report_rebuild")); // globex is rebuilt when it is opened
    }

    /// <summary>Writes NodaTime values (instants, dates, zones) as their invariant text, which identifies them.</summary>
    private sealed class AsTextConverter : System.Text.Json.Serialization.JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert.Namespace?.StartsWith("NodaTime", StringComparison.Ordinal) == true;

        public override System.Text.Json.Serialization.JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (System.Text.Json.Serialization.JsonConverter)Activator.CreateInstance(typeof(Text<>).MakeGenericType(typeToConvert))!;

        private sealed class Text<T> : System.Text.Json.Serialization.JsonConverter<T>
        {
            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WriteStringValue(value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value?.ToString());
        }
    }
}
