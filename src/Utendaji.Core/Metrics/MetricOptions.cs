namespace Utendaji.Core.Metrics;

/// <summary>Which ticket counts as resolved at first contact. Each definition is documented in docs/metrics.md.</summary>
public enum FirstContactDefinition
{
    /// <summary>Default: solved with exactly one public human agent reply and never reopened.</summary>
    OneTouch,
    /// <summary>Solved and never reopened, however many replies it took (Zendesk's "one-touch" is stricter).</summary>
    NoReopen,
    /// <summary>Solved with no customer message after the first public agent reply, never reopened.</summary>
    NoCustomerFollowUp,
}

/// <summary>Which agent a ticket's figures are credited to.</summary>
public enum CreditRule
{
    /// <summary>Default: the agent who solved it last (the actor of the final solve, else the assignee then).</summary>
    Solver,
    /// <summary>The assignee at the last event.</summary>
    Assignee,
    /// <summary>The agent of the first public reply.</summary>
    FirstResponder,
    /// <summary>The agent of the last public reply.</summary>
    LastResponder,
}

/// <summary>Choices that change how per-ticket metrics are computed. Immutable; change with <c>with</c>.</summary>
public sealed record MetricOptions
{
    /// <summary>The shared defaults.</summary>
    public static MetricOptions Default { get; } = new();

    /// <summary>First-contact definition. Default <see cref="FirstContactDefinition.OneTouch"/>.</summary>
    public FirstContactDefinition FirstContact { get; init; } = FirstContactDefinition.OneTouch;

    /// <summary>Agent credit rule. Default <see cref="CreditRule.Solver"/>.</summary>
    public CreditRule Credit { get; init; } = CreditRule.Solver;
}
