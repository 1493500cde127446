namespace Utendaji.Server.Web.Dashboard;

public static partial class DashboardTexts
{
    /// <summary>The KPI, ticket and settings pages' texts: language → key → text.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Pages { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["en"] = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["overview.title"] = "Overview",
            },
        };
}
