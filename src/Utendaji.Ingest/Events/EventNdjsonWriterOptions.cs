using NodaTime;

namespace Utendaji.Ingest.Events;

/// <summary>How <see cref="EventNdjsonWriter"/> writes. Immutable; change with <c>with</c>.</summary>
public sealed record EventNdjsonWriterOptions
{
    /// <summary>Instants in UTC (<c>Z</c>).</summary>
    public static EventNdjsonWriterOptions Default { get; } = new();

    /// <summary>
    /// The zone whose UTC offset is written with each instant (<c>2026-01-05T12:22:00+02:00</c>); null (default)
    /// writes UTC with <c>Z</c>. The instant is the same either way.
    /// </summary>
    public DateTimeZone? Zone { get; init; }
}
