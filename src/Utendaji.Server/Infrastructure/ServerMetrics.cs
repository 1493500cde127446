using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using NodaTime;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Infrastructure;

/// <summary>
/// The few figures an operator watches, kept in memory since the process started and written in the Prometheus
/// text format (version 0.0.4). No library: a handful of counters and one histogram are clearer written out.
/// </summary>
internal sealed class ServerMetrics(IClock clock)
{
    /// <summary>Upper bounds (seconds) of the latency buckets.</summary>
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Route, string Method), Histogram> _latency = new();
    private readonly ConcurrentDictionary<(string Route, string Method, int Status), long> _requests = new();
    private readonly ConcurrentDictionary<(string Provider, string Outcome), long> _webhooks = new();
    private long _eventsIngested;
    private long _surveyRowsIngested;
    private long _newestEventTicks = long.MinValue;

    public void RecordRequest(string route, string method, int status, TimeSpan elapsed)
    {
        _requests.AddOrUpdate((route, method, status), 1, (_, n) => n + 1);
        _latency.GetOrAdd((route, method), _ => new Histogram()).Observe(elapsed.TotalSeconds);
    }

    public void RecordEvents(long added, Instant? newest)
    {
        Interlocked.Add(ref _eventsIngested, added);
        if (newest is { } instant)
        {
            var ticks = instant.ToUnixTimeTicks();
            long seen;
            while ((seen = Interlocked.Read(ref _newestEventTicks)) < ticks
                   && Interlocked.CompareExchange(ref _newestEventTicks, ticks, seen) != seen)
            {
            }
        }
    }

    public void RecordSurveyRows(long added) => Interlocked.Add(ref _surveyRowsIngested, added);

    /// <summary>One incoming helpdesk webhook delivery and what became of it (stored, unchanged, ignored, invalid, …).</summary>
    public void RecordWebhook(string provider, string outcome) => _webhooks.AddOrUpdate((provider, outcome), 1, (_, n) => n + 1);

    /// <summary>The text; <paramref name="jobs"/> is the job queue's depth when the server has a queue.</summary>
    public string Render(JobCounts? jobs = null)
    {
        var text = new StringBuilder(4096);
        Counter(text, "utendaji_events_ingested_total", "Ticket events newly stored through the API since the process started.", Interlocked.Read(ref _eventsIngested));
        Counter(text, "utendaji_survey_rows_ingested_total", "Survey sends and responses newly stored through the API since the process started.", Interlocked.Read(ref _surveyRowsIngested));

        var newest = Interlocked.Read(ref _newestEventTicks);
        if (newest != long.MinValue)
        {
            var lag = (clock.GetCurrentInstant() - Instant.FromUnixTimeTicks(newest)).TotalSeconds;
            text.Append("# HELP utendaji_ingestion_lag_seconds Now minus the instant of the newest event ingested through the API since the process started.\n");
            text.Append("# TYPE utendaji_ingestion_lag_seconds gauge\n");
            text.Append("utendaji_ingestion_lag_seconds ").Append(Number(lag)).Append('\n');
        }

        if (jobs is not null)
        {
            text.Append("# HELP utendaji_job_queue_depth Jobs in the queue by state: due (claimable now), queued (due or not), running (leased), dead (given up).\n");
            text.Append("# TYPE utendaji_job_queue_depth gauge\n");
            foreach (var (state, count) in new[] { ("due", jobs.Due), ("queued", jobs.Queued), ("running", jobs.Running), ("dead", jobs.Dead) })
            {
                text.Append("utendaji_job_queue_depth{state=\"").Append(state).Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        text.Append("# HELP utendaji_webhook_deliveries_total Incoming helpdesk webhook deliveries by provider and outcome.\n");
        text.Append("# TYPE utendaji_webhook_deliveries_total counter\n");
        foreach (var ((provider, outcome), count) in _webhooks.OrderBy(w => w.Key.Provider, StringComparer.Ordinal).ThenBy(w => w.Key.Outcome, StringComparer.Ordinal))
        {
            text.Append("utendaji_webhook_deliveries_total{provider=\"").Append(provider).Append("\",outcome=\"").Append(outcome).Append("\"} ")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("# HELP utendaji_http_requests_total HTTP requests by route template, method and status.\n");
        text.Append("# TYPE utendaji_http_requests_total counter\n");
        foreach (var ((route, method, status), count) in _requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            text.Append("utendaji_http_requests_total{route=\"").Append(Escape(route)).Append("\",method=\"").Append(method)
                .Append("\",status=\"").Append(status.ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("# HELP utendaji_http_request_duration_seconds Time from the request reaching the server to the response written, by route template and method.\n");
        text.Append("# TYPE utendaji_http_request_duration_seconds histogram\n");
        foreach (var ((route, method), histogram) in _latency.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Method, StringComparer.Ordinal))
        {
            histogram.Write(text, $"route=\"{Escape(route)}\",method=\"{method}\"");
        }

        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Histogram
    {
        private readonly long[] _counts = new long[Buckets.Length + 1];
        private readonly Lock _gate = new();
        private double _sum;

        public void Observe(double seconds)
        {
            var index = Array.FindIndex(Buckets, b => seconds <= b);
            lock (_gate)
            {
                _counts[index < 0 ? Buckets.Length : index]++;
                _sum += seconds;
            }
        }

        public void Write(StringBuilder text, string labels)
        {
            long[] counts;
            double sum;
            lock (_gate)
            {
                counts = (long[])_counts.Clone();
                sum = _sum;
            }

            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += counts[i];
                text.Append("utendaji_http_request_duration_seconds_bucket{").Append(labels).Append(",le=\"").Append(Number(Buckets[i])).Append("\"} ")
                    .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            cumulative += counts[^1];
            text.Append("utendaji_http_request_duration_seconds_bucket{").Append(labels).Append(",le=\"+Inf\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("utendaji_http_request_duration_seconds_sum{").Append(labels).Append("} ").Append(Number(sum)).Append('\n');
            text.Append("utendaji_http_request_duration_seconds_count{").Append(labels).Append("} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
