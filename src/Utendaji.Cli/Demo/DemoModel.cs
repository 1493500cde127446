namespace Utendaji.Cli.Demo;

/// <summary>A support team of the demo organisation.</summary>
/// <param name="Name">Team name as it appears on events (<c>team</c>) and in calendars' <c>teams</c>.</param>
/// <param name="TimeZone">IANA zone the team works in.</param>
/// <param name="Calendar">Name of the business calendar the team's tickets are measured in.</param>
/// <param name="Description">One line on what the team does.</param>
public sealed record DemoTeam(string Name, string TimeZone, string Calendar, string Description);

/// <summary>An agent of the demo organisation.</summary>
/// <param name="Id">Actor id on events (<c>agent-01</c> … <c>agent-25</c>).</param>
/// <param name="Name">Display name, in the agent's own script.</param>
/// <param name="Team">The agent's team.</param>
/// <param name="Languages">Languages the agent answers in (en, sw, tl, fi, gu, ur); routing prefers them.</param>
public sealed record DemoAgent(string Id, string Name, string Team, IReadOnlyList<string> Languages);

/// <summary>A customer of the demo organisation.</summary>
/// <param name="Id">Actor id on events (<c>cust-000001</c> …).</param>
/// <param name="Name">Display name in the script of <paramref name="Language"/>.</param>
/// <param name="Language">Language the customer writes in: en, sw, tl, fi, gu or ur.</param>
/// <param name="Country">ISO 3166 code of the market the customer belongs to (KE or FI).</param>
public sealed record DemoCustomer(string Id, string Name, string Language, string Country);

/// <summary>A generated configuration document (UTF-8 JSON text, LF line ends).</summary>
/// <param name="Name">The name inside the document (calendar or policy name).</param>
/// <param name="FileName">A suggested file name, e.g. <c>frontline-ke.json</c>.</param>
/// <param name="Json">The document.</param>
public sealed record DemoDocument(string Name, string FileName, string Json);
