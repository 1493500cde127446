using BenchmarkDotNet.Attributes;
using Utendaji.Benchmarks.Import;
using Utendaji.Cli;
using Utendaji.Core.Calendars;
using Utendaji.Core.Metrics;
using Utendaji.Core.Reporting;
using Utendaji.Ingest.Importing;

namespace Utendaji.Benchmarks.Report;

/// <summary>
/// The report's aggregation alone (no store): 200,000 tickets' facts in memory, team × channel × week. The facts
/// builder (baseline) against the columnar accumulator over the same tickets in column blocks of 65,536 rows.
/// </summary>
[MemoryDiagnoser]
public class KpiReportBenchmarks
{
    private const int Tickets = 200_000;
    private const int BlockSize = 65_536;
    private List<TicketFacts> _facts = [];
    private readonly List<ColumnBlock> _blocks = [];
    private readonly List<string?> _labels = [null];

    [GlobalSetup]
    public void Setup()
    {
        var calendar = BusinessCalendar.FromDefinition(EngineConfiguration.ParseCalendar(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "support-eu.json")), "support-eu.json", _ => null));
        var context = new MetricContext
        {
            Calendars = new Dictionary<string, BusinessCalendar> { ["support-eu"] = calendar },
            DefaultCalendar = "support-eu",
            Now = NodaTime.Instant.FromUtc(2026, 1, 15, 0, 0),
        };
        _facts = new TicketGenerator().Summaries(Tickets).Select(s => TicketMetricsEngine.FromSummary(s, context)).ToList();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var start = 0; start < _facts.Count; start += BlockSize)
        {
            _blocks.Add(ColumnBlock.Of(_facts.Skip(start).Take(BlockSize).ToList(), text =>
            {
                if (text is null)
                {
                    return 0;
                }

                if (!codes.TryGetValue(text, out var code))
                {
                    code = _labels.Count;
                    _labels.Add(text);
                    codes.Add(text, code);
                }

                return code;
            }));
        }
    }

    [Benchmark(Baseline = true)]
    public KpiReport FactsBuilder() => KpiReportBuilder.Build(_facts, ReportRun.Options);

    [Benchmark]
    public KpiReport ColumnarAccumulator()
    {
        var accumulator = new KpiReportAccumulator(ReportRun.Options);
        foreach (var block in _blocks)
        {
            accumulator.Add(block.Columns(), _labels);
        }

        return accumulator.Build();
    }

    private sealed class ColumnBlock
    {
        private long[] _created = [], _solved = [], _firstSolved = [];
        private int[] _team = [], _channel = [], _reopens = [];
        private double[] _frb = [], _frc = [], _rb = [], _rc = [];
        private bool?[] _fcr = [];
        private byte[] _rating = [];
        private int[][] _sla = [];

        public static ColumnBlock Of(List<TicketFacts> facts, Func<string?, int> code)
        {
            var n = facts.Count;
            var b = new ColumnBlock
            {
                _created = facts.Select(f => f.CreatedAt.ToUnixTimeTicks()).ToArray(),
                _solved = facts.Select(f => f.SolvedAt?.ToUnixTimeTicks() ?? KpiFactColumns.NoInstant).ToArray(),
                _firstSolved = facts.Select(f => f.FirstSolvedAt?.ToUnixTimeTicks() ?? KpiFactColumns.NoInstant).ToArray(),
                _team = facts.Select(f => code(f.Team)).ToArray(),
                _channel = facts.Select(f => code(f.Channel)).ToArray(),
                _reopens = facts.Select(f => f.Reopens).ToArray(),
                _frb = facts.Select(f => f.FirstReply?.Business.TotalSeconds ?? double.NaN).ToArray(),
                _frc = facts.Select(f => f.FirstReply?.Calendar.TotalSeconds ?? double.NaN).ToArray(),
                _rb = facts.Select(f => f.FullResolution?.Business.TotalSeconds ?? double.NaN).ToArray(),
                _rc = facts.Select(f => f.FullResolution?.Calendar.TotalSeconds ?? double.NaN).ToArray(),
                _fcr = facts.Select(f => f.FirstContactResolved).ToArray(),
                _rating = facts.Select(f => (byte)(f.Satisfaction ?? 0)).ToArray(),
                _sla = [.. Enumerable.Range(0, 6).Select(_ => new int[n])],
            };
            SlaMetric[] metrics = [SlaMetric.FirstReply, SlaMetric.NextReply, SlaMetric.Resolution];
            for (var r = 0; r < n; r++)
            {
                foreach (var outcome in facts[r].Sla)
                {
                    if (outcome.State != SlaState.Running)
                    {
                        b._sla[(Array.IndexOf(metrics, outcome.Metric) * 2) + (outcome.State == SlaState.Met ? 0 : 1)][r]++;
                    }
                }
            }

            return b;
        }

        public KpiFactColumns Columns() => new()
        {
            CreatedAt = _created,
            SolvedAt = _solved,
            FirstSolvedAt = _firstSolved,
            Team = _team,
            Channel = _channel,
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
        };
    }
}
