using System.Diagnostics.CodeAnalysis;

namespace Utendaji.Ingest;

/// <summary>
/// The outcome of reading one row (a CSV record or an NDJSON line): either a value or the issues that stopped it,
/// always with where it came from and its original bytes, so a rejects file can reproduce it exactly.
/// </summary>
/// <typeparam name="T">The canonical type the row maps to.</typeparam>
public readonly record struct ImportRow<T>
    where T : class
{
    private static readonly IReadOnlyList<ImportIssue> NoIssues = [];

    private ImportRow(long line, int lineCount, ReadOnlyMemory<byte> raw, T? value, IReadOnlyList<ImportIssue> issues)
    {
        Line = line;
        LineCount = lineCount;
        Raw = raw;
        Value = value;
        Issues = issues;
    }

    /// <summary>1-based physical line where the row starts.</summary>
    public long Line { get; }

    /// <summary>How many physical lines the row spans (more than 1 only for CSV records with quoted line breaks).</summary>
    public int LineCount { get; }

    /// <summary>
    /// The row exactly as it was in the file, without its line terminator (and without a byte order mark). Bytes are
    /// kept even when they are not valid UTF-8, so a rejects file shows what was really there.
    /// </summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The mapped value; null exactly when <see cref="Issues"/> is not empty.</summary>
    public T? Value { get; }

    /// <summary>Everything wrong with the row (all fields are checked, not only the first bad one); empty when valid.</summary>
    public IReadOnlyList<ImportIssue> Issues { get; }

    /// <summary>True when the row mapped to a value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsValid => Value is not null;

    /// <summary>A row that mapped to <paramref name="value"/>.</summary>
    public static ImportRow<T> Valid(long line, int lineCount, ReadOnlyMemory<byte> raw, T value) =>
        new(line, lineCount, raw, value ?? throw new ArgumentNullException(nameof(value)), NoIssues);

    /// <summary>A row rejected for <paramref name="issues"/> (at least one).</summary>
    public static ImportRow<T> Rejected(long line, int lineCount, ReadOnlyMemory<byte> raw, IReadOnlyList<ImportIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        if (issues.Count == 0)
        {
            throw new ArgumentException("a rejected row needs at least one issue", nameof(issues));
        }

        return new(line, lineCount, raw, null, issues);
    }
}
