namespace Utendaji.Ingest.Events;

/// <summary>How <see cref="EventNdjsonReader"/> reads a file. Immutable; change with <c>with</c>.</summary>
public sealed record EventNdjsonReaderOptions
{
    /// <summary>Duplicate event ids rejected, lines up to 16 MiB.</summary>
    public static EventNdjsonReaderOptions Default { get; } = new();

    /// <summary>
    /// Whether an event id already accepted earlier in the same file rejects the line (default true). Memory: one bit per
    /// event for numeric ids (optionally prefixed, e.g. <c>T-1042</c>), about 16–43 bytes per event for other ids, for the
    /// whole read. Turn off only when the store detects duplicates itself.
    /// </summary>
    public bool RejectDuplicateIds { get; init; } = true;

    /// <summary>Longest line accepted (default 16 MiB); a longer one means a broken file and stops reading.</summary>
    public int MaxLineBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Read buffer size in bytes (default 64 KiB).</summary>
    public int BufferSize { get; init; } = 64 * 1024;
}
