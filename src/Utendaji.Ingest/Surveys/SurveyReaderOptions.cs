using NodaTime;
using Utendaji.Ingest.Csv;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// How the survey readers (responses and sends, CSV and NDJSON) read a file. Immutable; change with <c>with</c>.
/// The formats and every error are specified in docs/surveys-responses.md.
/// </summary>
public sealed record SurveyReaderOptions
{
    /// <summary>UTC for values without an offset, <c>;</c> between the options of a multiple-choice answer in CSV, duplicate ids rejected.</summary>
    public static SurveyReaderOptions Default { get; } = new();

    /// <summary>
    /// The zone in which date-times written without a UTC offset (<c>2026-01-05 10:22:00</c>, as survey tools often
    /// export them in the account's zone) are read. Default UTC. Ambiguous wall-clock times (DST fall-back) take the
    /// earlier instant; times inside a DST gap move forward by the length of the gap.
    /// </summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;

    /// <summary>
    /// In CSV, the character between the option ids of a multiple-choice answer (default <c>;</c>, as in <c>speed;courtesy</c>).
    /// Spaces around each option id are ignored. NDJSON answers use a JSON array instead and ignore this setting.
    /// </summary>
    public char ChoiceSeparator { get; init; } = ';';

    /// <summary>
    /// Whether a response id (or send id) already accepted earlier in the same file rejects the row (default true).
    /// Memory: one bit per row for numeric ids (optionally prefixed, e.g. <c>R-1042</c>), about 16–43 bytes per row for
    /// other ids, for the whole read.
    /// </summary>
    public bool RejectDuplicateIds { get; init; } = true;

    /// <summary>Longest CSV record or NDJSON line accepted (default 16 MiB); longer means a broken file and stops reading.</summary>
    public int MaxRecordBytes { get; init; } = Utf8CsvReader.DefaultMaxRecordBytes;

    /// <summary>Read buffer size in bytes (default 64 KiB).</summary>
    public int BufferSize { get; init; } = 64 * 1024;
}
