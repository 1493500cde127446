using NodaTime;
using Utendaji.Core;

namespace Utendaji.Cli.Demo;

/// <summary>
/// What the demo organisation is generated from. Immutable; change with <c>with</c>. The same options give
/// byte-identical output on any machine (same .NET major version, whose seeded <see cref="Random"/> is fixed).
/// </summary>
public sealed record DemoOptions
{
    /// <summary>The default seed: 20261123.</summary>
    public const int DefaultSeed = 20261123;

    /// <summary>The default number of days: 120.</summary>
    public const int DefaultDays = 120;

    /// <summary>The default approximate number of tickets: 60,000.</summary>
    public const int DefaultTicketCount = 60_000;

    /// <summary>
    /// The first day after the default period: 2026-01-13. Fixed, never "today", so the demo never changes. The
    /// default period (2025-09-15 to 2026-01-12) spans a DST change in Helsinki and the year-end holidays.
    /// </summary>
    public static LocalDate DefaultEndDate { get; } = new(2026, 1, 13);

    /// <summary>The options with every default.</summary>
    public static DemoOptions Default { get; } = new();

    /// <summary>Seed of every random choice. Default <see cref="DefaultSeed"/>.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>
    /// First day of the period, a date in the head office's zone (Africa/Nairobi). Default 2025-09-15, i.e.
    /// <see cref="DefaultDays"/> days before <see cref="DefaultEndDate"/>.
    /// </summary>
    public LocalDate StartDate { get; init; } = DefaultEndDate.PlusDays(-DefaultDays);

    /// <summary>Length of the period in days (1–3660). Default <see cref="DefaultDays"/>.</summary>
    public int Days { get; init; } = DefaultDays;

    /// <summary>
    /// Expected number of tickets created in the period (1–10,000,000); the actual count is a Poisson draw around
    /// it (within ±1% for the default). Default <see cref="DefaultTicketCount"/>.
    /// </summary>
    public int TicketCount { get; init; } = DefaultTicketCount;

    /// <summary>The last day of the period (inclusive).</summary>
    public LocalDate EndDate => StartDate.PlusDays(Days - 1);

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        Guard.InRange(Days is >= 1 and <= 3660, "must be 1 to 3660 days", nameof(Days));
        Guard.InRange(TicketCount is >= 1 and <= 10_000_000, "must be 1 to 10,000,000 tickets", nameof(TicketCount));
    }
}
