using System.Text;
using System.Text.Json;
using Utendaji.Core.Metrics;

namespace Utendaji.Reports;

/// <summary>The formats of the per-ticket export (<c>utendaji tickets --format</c>).</summary>
public enum TicketExportFormat
{
    /// <summary>RFC 4180 CSV, one line per ticket, flat columns (see <see cref="TicketExport.CsvColumns"/>).</summary>
    Csv,
    /// <summary>A JSON array, one object per ticket, with every next-reply time and every SLA outcome.</summary>
    Json,
}

/// <summary>
/// Writes one row per <see cref="TicketFacts"/> with every figure, in calendar and business seconds. Streams:
/// the input is enumerated once and nothing is buffered per ticket. Column names are documented in
/// docs/metrics.md.
/// </summary>
public static class TicketExport
{
    private static readonly Column[] Columns =
    [
        new("ticket_id", t => t.TicketId),
        new("source", t => Format.Snake(t.Source.ToString())),
        new("status", t => Format.Snake(t.Status.ToString())),
        new("created_at", t => Format.Instant(t.CreatedAt)),
        new("channel", t => t.Channel),
        new("team", t => t.Team),
        new("priority", t => t.Priority),
        new("agent", t => t.Agent),
        new("customer", t => t.Customer),
        new("language", t => t.Language),
        new("calendar", t => t.Calendar),
        new("first_reply_at", t => Format.Instant(t.FirstReplyAt)),
        new("first_reply_calendar_seconds", t => Seconds(t.FirstReply?.Calendar)),
        new("first_reply_business_seconds", t => Seconds(t.FirstReply?.Business)),
        new("next_reply_count", t => Format.Number(t.NextReplies.Count)),
        new("next_reply_calendar_seconds_mean", t => Mean(t.NextReplies, d => d.Calendar)),
        new("next_reply_business_seconds_mean", t => Mean(t.NextReplies, d => d.Business)),
        new("next_reply_calendar_seconds_max", t => Max(t.NextReplies, d => d.Calendar)),
        new("next_reply_business_seconds_max", t => Max(t.NextReplies, d => d.Business)),
        new("first_solved_at", t => Format.Instant(t.FirstSolvedAt)),
        new("first_resolution_calendar_seconds", t => Seconds(t.FirstResolution?.Calendar)),
        new("first_resolution_business_seconds", t => Seconds(t.FirstResolution?.Business)),
        new("solved_at", t => Format.Instant(t.SolvedAt)),
        new("full_resolution_calendar_seconds", t => Seconds(t.FullResolution?.Calendar)),
        new("full_resolution_business_seconds", t => Seconds(t.FullResolution?.Business)),
        new("requester_wait_calendar_seconds", t => Seconds(t.RequesterWait?.Calendar)),
        new("requester_wait_business_seconds", t => Seconds(t.RequesterWait?.Business)),
        new("agent_replies", t => Format.Number(t.AgentReplies)),
        new("reopens", t => Format.Number(t.Reopens)),
        new("one_touch", t => Csv.Bool(t.OneTouch)),
        new("first_contact_resolved", t => Csv.Bool(t.FirstContactResolved)),
        new("satisfaction", t => t.Satisfaction is { } s ? Format.Number(s) : null),
        .. SlaColumns("first_reply", SlaMetric.FirstReply),
        new("sla_next_reply_met", t => CountSla(t, SlaMetric.NextReply, SlaState.Met)),
        new("sla_next_reply_breached", t => CountSla(t, SlaMetric.NextReply, SlaState.Breached)),
        new("sla_next_reply_running", t => CountSla(t, SlaMetric.NextReply, SlaState.Running)),
        .. SlaColumns("resolution", SlaMetric.Resolution),
    ];

    /// <summary>The CSV header, in order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = Columns.Select(c => c.Name).ToArray();

    /// <summary>Writes the tickets in <paramref name="format"/> as UTF-8 (no byte-order mark) to <paramref name="stream"/>.</summary>
    public static void Write(IEnumerable<TicketFacts> tickets, TicketExportFormat format, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(stream);
        if (format == TicketExportFormat.Json)
        {
            WriteJson(tickets, stream, cancellationToken);
            return;
        }

        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        WriteCsv(tickets, writer, cancellationToken);
    }

    /// <summary>Writes the CSV header and one line per ticket.</summary>
    public static void WriteCsv(IEnumerable<TicketFacts> tickets, TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(writer);
        Csv.WriteRow(writer, CsvColumns);
        var fields = new string?[Columns.Length];
        foreach (var ticket in tickets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < Columns.Length; i++)
            {
                fields[i] = Columns[i].Value(ticket);
            }

            Csv.WriteRow(writer, fields);
        }

        writer.Flush();
    }

    /// <summary>Writes a JSON array with one object per ticket.</summary>
    public static void WriteJson(IEnumerable<TicketFacts> tickets, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, KpiJsonRenderer.WriterOptions(indented: false));
        json.WriteStartArray();
        foreach (var t in tickets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            json.WriteStartObject();
            json.WriteString("ticket_id", t.TicketId);
            json.WriteString("source", Format.Snake(t.Source.ToString()));
            json.WriteString("status", Format.Snake(t.Status.ToString()));
            KpiJsonRenderer.WriteInstant(json, "created_at", t.CreatedAt);
            json.WriteString("channel", t.Channel);
            json.WriteString("team", t.Team);
            json.WriteString("priority", t.Priority);
            json.WriteString("agent", t.Agent);
            json.WriteString("customer", t.Customer);
            json.WriteString("language", t.Language);
            json.WriteString("calendar", t.Calendar);
            KpiJsonRenderer.WriteInstant(json, "first_reply_at", t.FirstReplyAt);
            WriteDual(json, "first_reply", t.FirstReply);
            json.WriteStartArray("next_replies");
            foreach (var reply in t.NextReplies)
            {
                WriteDual(json, null, reply);
            }

            json.WriteEndArray();
            KpiJsonRenderer.WriteInstant(json, "first_solved_at", t.FirstSolvedAt);
            WriteDual(json, "first_resolution", t.FirstResolution);
            KpiJsonRenderer.WriteInstant(json, "solved_at", t.SolvedAt);
            WriteDual(json, "full_resolution", t.FullResolution);
            WriteDual(json, "requester_wait", t.RequesterWait);
            json.WriteNumber("agent_replies", t.AgentReplies);
            json.WriteNumber("reopens", t.Reopens);
            WriteBool(json, "one_touch", t.OneTouch);
            WriteBool(json, "first_contact_resolved", t.FirstContactResolved);
            KpiJsonRenderer.WriteNumber(json, "satisfaction", t.Satisfaction);
            json.WriteStartArray("sla");
            foreach (var outcome in t.Sla)
            {
                json.WriteStartObject();
                json.WriteString("metric", Format.Snake(outcome.Metric.ToString()));
                json.WriteString("policy", outcome.Policy);
                json.WriteNumber("target_seconds", outcome.Target.TotalSeconds);
                KpiJsonRenderer.WriteInstant(json, "due", outcome.Due);
                json.WriteString("state", Format.Snake(outcome.State.ToString()));
                json.WriteNumber("margin_seconds", outcome.Margin.TotalSeconds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            if (json.BytesPending > 1 << 16)
            {
                json.Flush();
            }
        }

        json.WriteEndArray();
        json.Flush();
    }

    private static void WriteDual(Utf8JsonWriter json, string? name, DualDuration? value)
    {
        if (value is not { } d)
        {
            if (name is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteNull(name);
            }

            return;
        }

        if (name is null)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(name);
        }

        json.WriteNumber("calendar_seconds", d.Calendar.TotalSeconds);
        json.WriteNumber("business_seconds", d.Business.TotalSeconds);
        json.WriteEndObject();
    }

    private static void WriteBool(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } b)
        {
            json.WriteBoolean(name, b);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static Column[] SlaColumns(string prefix, SlaMetric metric) =>
    [
        new($"sla_{prefix}_policy", t => FirstSla(t, metric)?.Policy),
        new($"sla_{prefix}_target_seconds", t => Seconds(FirstSla(t, metric)?.Target)),
        new($"sla_{prefix}_due", t => Format.Instant(FirstSla(t, metric)?.Due)),
        new($"sla_{prefix}_state", t => FirstSla(t, metric) is { } o ? Format.Snake(o.State.ToString()) : null),
        new($"sla_{prefix}_margin_seconds", t => Seconds(FirstSla(t, metric)?.Margin)),
    ];

    private static SlaOutcome? FirstSla(TicketFacts ticket, SlaMetric metric)
    {
        foreach (var outcome in ticket.Sla)
        {
            if (outcome.Metric == metric)
            {
                return outcome;
            }
        }

        return null;
    }

    private static string CountSla(TicketFacts ticket, SlaMetric metric, SlaState state) =>
        Format.Number(ticket.Sla.Count(o => o.Metric == metric && o.State == state));

    private static string? Seconds(NodaTime.Duration? duration) => duration is { } d ? Format.Number(d.TotalSeconds) : null;

    private static string? Mean(IReadOnlyList<DualDuration> values, Func<DualDuration, NodaTime.Duration> pick) =>
        values.Count == 0 ? null : Format.Number(values.Average(v => pick(v).TotalSeconds));

    private static string? Max(IReadOnlyList<DualDuration> values, Func<DualDuration, NodaTime.Duration> pick) =>
        values.Count == 0 ? null : Format.Number(values.Max(v => pick(v).TotalSeconds));

    private sealed record Column(string Name, Func<TicketFacts, string?> Value);
}
