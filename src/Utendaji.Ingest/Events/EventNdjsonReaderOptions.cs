namespace Utendaji.Ingest.Events;

/// <summary>How <see cref="EventNdjsonReader"/> reads a file. Immutable; change with <c>with</c>.</summary>
public sealed record EventNdjsonReaderOptions
{
    /// <summary>Duplicate event ids rejected, lines up to 16 MiB.</summary>
    public static EventNdjsonReaderOptions Default { get; } = new();

    /// <summary>
    /// Whether an event id already accepted earlier in the same file rejects the line (default true). Costs about
    /// 24 bytes per event for the whole read; turn off only when the store enforces uniqueness itself.
    /// </summary>
    public bool RejectDuplicateIds { get; init; } = true;

    /// <summary>Longest line accepted (default 16 MiB); a longer one means a broken file and stops reading.</summary>
    public int MaxLineBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Read buffer size in bytes (default 64 KiB).</summary>
    public int BufferSize { get; init; } = 64 * 1024;
}
