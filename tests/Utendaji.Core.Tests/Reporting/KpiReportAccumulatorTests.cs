using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using static Utendaji.Core.Tests.Reporting.FactsFactory;

namespace Utendaji.Core.Tests.Reporting;

public class KpiReportAccumulatorTests
{
    public static TheoryData<PeriodGranularity, string, string, int> Cases => new()
    {
        { PeriodGranularity.Week, "UTC", "team,channel", 2026 },
        { PeriodGranularity.Day, "Europe/Helsinki", "team", 2026 },
        // São Paulo moved its clocks at midnight in 2018 (back from 00:00 to 23:00 on 17 Feb): the local date steps back.
        { PeriodGranularity.Day, "America/Sao_Paulo", "channel,team", 2018 },
        { PeriodGranularity.Month, "Asia/Kolkata", "team,channel", 2026 },
        { PeriodGranularity.Week, "Australia/Lord_Howe", "", 2026 },
        { PeriodGranularity.None, "UTC", "channel", 2026 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_GeneratedFactsInColumns_SameReportAsTheFactsBuilder(PeriodGranularity period, string zone, string by, int year)
    {
        var facts = Facts(year);
        var options = KpiReportOptions.Default with
        {
            Period = period,
            TimeZone = DateTimeZoneProviders.Tzdb[zone],
            GroupBy = by.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => Enum.Parse<GroupDimension>(d, ignoreCase: true)).ToArray(),
        };

        AssertSameReport(KpiReportBuilder.Build(facts, options), Columnar(facts, options, blockSize: 777));
    }

    [Fact]
    public void Build_RangeLimitedReport_SameReportAsTheFactsBuilder()
    {
        var facts = Facts(2026);
        var options = KpiReportOptions.Default with
        {
            Period = PeriodGranularity.Week,
            GroupBy = [GroupDimension.Team],
            TimeZone = DateTimeZoneProviders.Tzdb["Africa/Nairobi"],
            From = Instant.FromUtc(2026, 3, 3, 12, 0),
            To = Instant.FromUtc(2026, 4, 10, 0, 0),
        };

        AssertSameReport(KpiReportBuilder.Build(facts, options), Columnar(facts, options, blockSize: 4096));
    }

    [Fact]
    public void Build_RowsInAnotherOrder_SameCountsAndQuantiles()
    {
        var facts = Facts(2026);
        var options = KpiReportOptions.Default with { Period = PeriodGranularity.Week, GroupBy = [GroupDimension.Team, GroupDimension.Channel] };
        var expected = KpiReportBuilder.Build(facts, options);

        var shuffled = facts.OrderBy(f => f.TicketId.GetHashCode(StringComparison.Ordinal)).ToList();
        var actual = Columnar(shuffled, options, blockSize: 1000);

        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        for (var i = 0; i < expected.Rows.Count; i++)
        {
            var (e, a) = (expected.Rows[i].Figures, actual.Rows[i].Figures);
            Assert.Equal(e.Created, a.Created);
            Assert.Equal(e.BacklogAtEnd, a.BacklogAtEnd);
            Assert.Equal(e.FirstReply.Business.Median, a.FirstReply.Business.Median);
            Assert.Equal(e.FirstReply.Business.P90, a.FirstReply.Business.P90);
            Assert.Equal(e.FullResolution.Calendar.P90, a.FullResolution.Calendar.P90);
            Assert.Equal(e.SlaResolution, a.SlaResolution);
            Assert.Equal(e.Satisfied, a.Satisfied);
        }
    }

    [Fact]
    public void Add_ColumnOfWrongLength_Throws()
    {
        var accumulator = new KpiReportAccumulator(KpiReportOptions.Default);

        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add(new KpiFactColumns { CreatedAt = new long[3], SolvedAt = new long[2] }, [null]));
    }

    [Fact]
    public void Build_NeverSolvedBreachesDueAtSeveralInstants_EachPlacedInItsDuePeriod()
    {
        var created = At(3, 2, 9);
        SlaOutcome Resolution(string policy, int dueDays, SlaState state) =>
            Outcome(SlaMetric.Resolution, state, created + Duration.FromDays(dueDays)) with { Policy = policy };
        List<TicketFacts> facts =
        [
            // Never solved, three policies: due in three different weeks (two outcomes share the last due).
            Ticket("T-1", created, sla: [Resolution("a", 1, SlaState.Breached), Resolution("b", 9, SlaState.Breached), Resolution("c", 20, SlaState.Breached), Resolution("d", 20, SlaState.Running), Resolution("e", 9, SlaState.Breached)]),
            // Solved: every outcome is placed at the solve, whatever its due.
            Ticket("T-2", created, solved: created + Duration.FromDays(2), sla: [Resolution("a", 1, SlaState.Breached), Resolution("b", 30, SlaState.Met)]),
            Ticket("T-3", created + Duration.FromHours(1), sla: [Resolution("a", 5, SlaState.Breached)]),
        ];
        var options = KpiReportOptions.Default with { Period = PeriodGranularity.Week };

        var expected = KpiReportBuilder.Build(facts, options);
        AssertSameReport(expected, Columnar(facts, options, blockSize: 2));
        Assert.Equal(3, expected.Rows.Count(r => r.Figures.SlaResolution.Trials > 0)); // weeks of 2 March (days 1, 2, 5), 9 March (day 9), 16 March (day 20)
    }

    [Fact]
    public void Add_OtherDuesNotAscending_Throws()
    {
        var accumulator = new KpiReportAccumulator(KpiReportOptions.Default);
        var columns = BlockOf([Ticket("T-1", At(3, 2, 9)), Ticket("T-2", At(3, 2, 10))]);

        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add(
            columns.Columns() with { ResolutionSlaOtherDues = new[] { new KpiDueOutcomes(1, 0, 1, 0), new KpiDueOutcomes(0, 0, 1, 0) } }, [null, "A", "email"]));
    }

    /// <summary>
    /// One ticket created in year 1 and solved in 9999 (both valid instants) beside ordinary ones: listing every period
    /// between them would take gigabytes (measured before the bound: 13 GB and a 2 GB JSON file for three events), so
    /// both builders refuse, the column builder before it allocates per-period figures. The counts and ISO weeks
    /// were computed with Python's datetime: (date(9999,12,30) - date(1,1,2)).days + 1 = 3,652,057; isocalendar() gives
    /// 0001-W01 and 9999-W52, 521,723 Mondays apart inclusive; 9,998 × 12 + 12 = 119,988 months.
    /// </summary>
    [Theory]
    [InlineData(PeriodGranularity.Day, "3,652,057 periods (by day, 0001-01-02 to 9999-12-30)")]
    [InlineData(PeriodGranularity.Week, "521,723 periods (by week, 0001-W01 to 9999-W52)")]
    [InlineData(PeriodGranularity.Month, "119,988 periods (by month, 0001-01 to 9999-12)")]
    public void Build_DataSpanningMillennia_RefusedWithTheNumberOfPeriods(PeriodGranularity period, string expected)
    {
        var facts = Facts(2026);
        facts.Add(Ticket("ancient", Instant.FromUtc(1, 1, 2, 8, 0), solved: Instant.FromUtc(9999, 12, 30, 8, 0)));
        var options = KpiReportOptions.Default with { Period = period, GroupBy = [GroupDimension.Team] };

        var byFacts = Assert.Throws<ReportTooLargeException>(() => KpiReportBuilder.Build(facts, options));
        var byColumns = Assert.Throws<ReportTooLargeException>(() => Columnar(facts, options, blockSize: 500));

        Assert.Equal($"The report would list {expected}; a report lists at most 10,000. Choose a longer period or a narrower range (from, to).", byFacts.Message);
        // The column builder stops as soon as the data it has read spans too many periods, before reading the rest.
        Assert.StartsWith("The report would list at least ", byColumns.Message, StringComparison.Ordinal);
        Assert.Contains(" in the data read so far); a report lists at most 10,000.", byColumns.Message, StringComparison.Ordinal);
    }

    /// <summary>The same data within a range is an ordinary report: the far instants fall outside it.</summary>
    [Fact]
    public void Build_DataSpanningMillenniaWithinARange_SameReportAsTheFactsBuilder()
    {
        var facts = Facts(2026);
        facts.Add(Ticket("ancient", Instant.FromUtc(1, 1, 2, 8, 0), solved: Instant.FromUtc(9999, 12, 30, 8, 0)));
        facts.Add(Ticket("future", Instant.FromUtc(9999, 12, 1, 8, 0)));
        var options = KpiReportOptions.Default with
        {
            Period = PeriodGranularity.Day,
            GroupBy = [GroupDimension.Team],
            From = Instant.FromUtc(2026, 2, 1, 0, 0),
            To = Instant.FromUtc(2026, 4, 1, 0, 0),
        };

        var report = Columnar(facts, options, blockSize: 500);

        AssertSameReport(KpiReportBuilder.Build(facts, options), report);
        Assert.Equal(59, report.Periods.Count);
        // Open at every period end of the range: created before it, solved after it.
        Assert.All(report.ByPeriod, row => Assert.True(row.Figures.BacklogAtEnd >= 1));
    }

    /// <summary>The bound is on the number of periods listed: 10,000 days pass, 10,001 do not.</summary>
    [Theory]
    [InlineData(KpiReportOptions.MaxPeriods, true)]
    [InlineData(KpiReportOptions.MaxPeriods + 1, false)]
    public void Build_RangeOfManyDays_ListedUpToTheBound(int days, bool listed)
    {
        var facts = Facts(2026);
        var from = Instant.FromUtc(2000, 1, 1, 0, 0);
        var options = KpiReportOptions.Default with { Period = PeriodGranularity.Day, From = from, To = from + Duration.FromDays(days) };

        if (listed)
        {
            Assert.Equal(days, KpiReportBuilder.Build(facts, options).Periods.Count);
            Assert.Equal(days, Columnar(facts, options, blockSize: 4096).Periods.Count);
        }
        else
        {
            Assert.Throws<ReportTooLargeException>(() => KpiReportBuilder.Build(facts, options));
            Assert.Throws<ReportTooLargeException>(() => Columnar(facts, options, blockSize: 4096));
        }
    }

    private static void AssertSameReport(KpiReport expected, KpiReport actual)
    {
        Assert.NotEmpty(expected.Rows);
        Assert.Equal(expected.Periods, actual.Periods);
        Assert.Equal(expected.Range, actual.Range);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.ByPeriod, actual.ByPeriod);
        Assert.Equal(expected.ByGroup, actual.ByGroup);
        Assert.Equal(expected.Overall, actual.Overall);
        Assert.Equal(expected.FirstReplyBusinessHistogram, actual.FirstReplyBusinessHistogram);
        Assert.Equal(expected.FirstReplyCalendarHistogram, actual.FirstReplyCalendarHistogram);
    }

    /// <summary>
    /// The shared generator, plus what it leaves out: tickets reopened and open now (first solved, not solved),
    /// never-solved resolution breaches placed at their due instant, and durations with fractions of a second
    /// longer than a day (where Duration.TotalSeconds rounds twice).
    /// </summary>
    private static List<TicketFacts> Facts(int year)
    {
        var random = new Random(77);
        var facts = Generate(4000, seed: 4321, start: Instant.FromUtc(year, 1, 20, 0, 0), days: 90);
        for (var i = 0; i < facts.Count; i++)
        {
            var f = facts[i];
            if (f.SolvedAt is null && random.Next(3) == 0)
            {
                f = f with { FirstSolvedAt = f.CreatedAt + Duration.FromSeconds(random.Next(60, 900_000)), Reopens = 1 };
            }
            else if (f.SolvedAt is null)
            {
                f = f with { FirstSolvedAt = null };
            }

            if (f.FirstReply is not null && random.Next(2) == 0)
            {
                f = f with
                {
                    FirstReply = new DualDuration(Duration.FromTicks(random.NextInt64(1, 3_000_000_000_000)), Duration.FromTicks(random.NextInt64(0, 900_000_000_000))),
                };
            }

            facts[i] = f;
        }

        return facts;
    }

    /// <summary>One block of tickets whose teams and channels are "A" and "email" (codes 1 and 2).</summary>
    private static Block BlockOf(IReadOnlyList<TicketFacts> facts)
    {
        var block = new Block(facts.Count);
        var codes = new Dictionary<string, int>(StringComparer.Ordinal) { ["A"] = 1, ["email"] = 2 };
        for (var r = 0; r < facts.Count; r++)
        {
            block.Fill(r, facts[r], t => t is null ? 0 : codes[t]);
        }

        return block;
    }

    private static KpiReport Columnar(IReadOnlyList<TicketFacts> facts, KpiReportOptions options, int blockSize)
    {
        var labels = new List<string?> { null };
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var accumulator = new KpiReportAccumulator(options);
        for (var start = 0; start < facts.Count; start += blockSize)
        {
            var n = Math.Min(blockSize, facts.Count - start);
            var block = new Block(n);
            for (var r = 0; r < n; r++)
            {
                block.Fill(r, facts[start + r], Code);
            }

            accumulator.Add(block.Columns(), labels);
        }

        return accumulator.Build();

        int Code(string? text)
        {
            if (text is null)
            {
                return 0;
            }

            if (!codes.TryGetValue(text, out var code))
            {
                code = labels.Count;
                labels.Add(text);
                codes.Add(text, code);
            }

            return code;
        }
    }

    private sealed class Block(int n)
    {
        private readonly long[] _created = new long[n], _solved = new long[n], _firstSolved = new long[n], _due = new long[n];
        private readonly int[] _team = new int[n], _channel = new int[n], _agent = new int[n], _priority = new int[n], _language = new int[n];
        private readonly double[] _frb = new double[n], _frc = new double[n], _rb = new double[n], _rc = new double[n];
        private readonly int[] _reopens = new int[n];
        private readonly bool?[] _fcr = new bool?[n];
        private readonly byte[] _rating = new byte[n];
        private readonly int[][] _sla = [new int[n], new int[n], new int[n], new int[n], new int[n], new int[n]];
        private readonly List<KpiDueOutcomes> _others = [];

        public void Fill(int r, TicketFacts f, Func<string?, int> code)
        {
            _created[r] = f.CreatedAt.ToUnixTimeTicks();
            _solved[r] = f.SolvedAt?.ToUnixTimeTicks() ?? KpiFactColumns.NoInstant;
            _firstSolved[r] = f.FirstSolvedAt?.ToUnixTimeTicks() ?? KpiFactColumns.NoInstant;
            var decided = f.Sla.Where(o => o.Metric == SlaMetric.Resolution && o.State != SlaState.Running).ToList();
            _due[r] = decided.FirstOrDefault()?.Due.ToUnixTimeTicks() ?? KpiFactColumns.NoInstant;
            foreach (var due in decided.Select(o => o.Due).Distinct().Skip(1))
            {
                _others.Add(new KpiDueOutcomes(r, due.ToUnixTimeTicks(),
                    decided.Count(o => o.Due == due && o.State == SlaState.Met), decided.Count(o => o.Due == due && o.State == SlaState.Breached)));
            }
            (_team[r], _channel[r], _agent[r], _priority[r], _language[r]) = (code(f.Team), code(f.Channel), code(f.Agent), code(f.Priority), code(f.Language));
            _frb[r] = f.FirstReply?.Business.TotalSeconds ?? double.NaN;
            _frc[r] = f.FirstReply?.Calendar.TotalSeconds ?? double.NaN;
            _rb[r] = f.FullResolution?.Business.TotalSeconds ?? double.NaN;
            _rc[r] = f.FullResolution?.Calendar.TotalSeconds ?? double.NaN;
            _reopens[r] = f.Reopens;
            _fcr[r] = f.FirstContactResolved;
            _rating[r] = (byte)(f.Satisfaction ?? 0);
            var metrics = new[] { SlaMetric.FirstReply, SlaMetric.NextReply, SlaMetric.Resolution };
            for (var m = 0; m < 3; m++)
            {
                _sla[2 * m][r] = f.Sla.Count(o => o.Metric == metrics[m] && o.State == SlaState.Met);
                _sla[(2 * m) + 1][r] = f.Sla.Count(o => o.Metric == metrics[m] && o.State == SlaState.Breached);
            }
        }

        public KpiFactColumns Columns() => new()
        {
            CreatedAt = _created,
            SolvedAt = _solved,
            FirstSolvedAt = _firstSolved,
            ResolutionSlaDue = _due,
            Team = _team,
            Channel = _channel,
            Agent = _agent,
            Priority = _priority,
            Language = _language,
            FirstReplyBusiness = _frb,
            FirstReplyCalendar = _frc,
            FullResolutionBusiness = _rb,
            FullResolutionCalendar = _rc,
            Reopens = _reopens,
            FirstContactResolved = _fcr,
            Satisfaction = _rating,
            SlaFirstReplyMet = _sla[0],
            SlaFirstReplyBreached = _sla[1],
            SlaNextReplyMet = _sla[2],
            SlaNextReplyBreached = _sla[3],
            SlaResolutionMet = _sla[4],
            SlaResolutionBreached = _sla[5],
            ResolutionSlaOtherDues = _others.ToArray(),
        };
    }
}
