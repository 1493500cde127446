namespace Utendaji.Core.Sla;

/// <summary>An SLA policy (JSON, see docs/formats.md). Placeholder until the SLA engine lands (issue #2).</summary>
public sealed record SlaPolicy
{
    /// <summary>Policy name.</summary>
    public required string Name { get; init; }
}
