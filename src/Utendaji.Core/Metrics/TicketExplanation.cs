namespace Utendaji.Core.Metrics;

/// <summary>One named value of an explanation step, already formatted invariantly (instants ISO-8601 UTC,
/// durations <c>d:hh:mm:ss</c>).</summary>
/// <param name="Name">What the value is, e.g. <c>event</c>, <c>from</c>, <c>business</c>.</param>
/// <param name="Value">The value as text.</param>
public readonly record struct ExplanationValue(string Name, string Value);

/// <summary>One step of how a figure was reached.</summary>
/// <param name="Metric">
/// The figure the step belongs to: <c>ticket</c>, <c>calendar</c>, <c>first_reply</c>, <c>next_reply</c>,
/// <c>first_resolution</c>, <c>full_resolution</c>, <c>requester_wait</c>, <c>agent_replies</c>, <c>reopens</c>,
/// <c>one_touch</c>, <c>first_contact</c>, <c>satisfaction</c>, <c>agent</c>, <c>sla</c>.
/// </param>
/// <param name="Text">One plain English sentence.</param>
/// <param name="Values">The instants, event ids, intervals and durations the sentence refers to.</param>
public sealed record ExplanationStep(string Metric, string Text, IReadOnlyList<ExplanationValue> Values);

/// <summary>
/// How every figure of a ticket was reached. Produced by the same code path as
/// <see cref="TicketMetricsEngine.Compute"/>, so <see cref="Facts"/> is exactly what Compute returns.
/// </summary>
/// <param name="TicketId">The ticket.</param>
/// <param name="Facts">The figures explained.</param>
/// <param name="Steps">Steps in the order the engine took them.</param>
public sealed record TicketExplanation(string TicketId, TicketFacts Facts, IReadOnlyList<ExplanationStep> Steps);
