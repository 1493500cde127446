namespace Utendaji.Core.Surveys.Credit;

/// <summary>The agents one response is credited to, and what that was decided from.</summary>
/// <param name="Agents">Agent ids, distinct, in order of their first public reply (one id except under <see cref="SurveyCreditRule.EveryParticipant"/>); empty when nobody is credited.</param>
/// <param name="Basis">What the credit was decided from, so a report can say how many responses fell back.</param>
public sealed record ResponseCredit(IReadOnlyList<string> Agents, CreditBasis Basis)
{
    /// <summary>Credited to nobody.</summary>
    public static ResponseCredit Nobody { get; } = new([], CreditBasis.None);
}
