using NodaTime;
using Utendaji.Ingest.Csv;

namespace Utendaji.Ingest.Summary;

/// <summary>How <see cref="TicketSummaryCsvReader"/> reads a file. Immutable; change with <c>with</c>.</summary>
public sealed record TicketSummaryCsvOptions
{
    /// <summary>Auto-detected profile, UTC for values without an offset, duplicate ids rejected.</summary>
    public static TicketSummaryCsvOptions Default { get; } = new();

    /// <summary>The header vocabulary; <see cref="SummaryCsvProfile.Auto"/> (default) recognises it from the header.</summary>
    public SummaryCsvProfile Profile { get; init; } = SummaryCsvProfile.Auto;

    /// <summary>
    /// The zone in which date-times written without a UTC offset (<c>2026-01-05 10:22:00</c>, as helpdesk exports
    /// write them in the account's zone) are read. Default UTC. Ambiguous wall-clock times (DST fall-back) take the
    /// earlier instant; times inside a DST gap move forward by the length of the gap.
    /// </summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;

    /// <summary>
    /// Whether a ticket id seen earlier in the same file rejects the row (default true). Memory: one bit per
    /// row for numeric ids (optionally prefixed, e.g. <c>T-1042</c>), about 16–43 bytes per row for other ids, for the
    /// whole read. Turn off only when the store detects duplicates itself.
    /// </summary>
    public bool RejectDuplicateIds { get; init; } = true;

    /// <summary>Longest record accepted (default 16 MiB); longer means a broken file and stops reading.</summary>
    public int MaxRecordBytes { get; init; } = Utf8CsvReader.DefaultMaxRecordBytes;

    /// <summary>Read buffer size in bytes (default 256 KiB).</summary>
    public int BufferSize { get; init; } = 256 * 1024;
}
