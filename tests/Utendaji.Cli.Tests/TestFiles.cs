namespace Utendaji.Cli.Tests;

/// <summary>Small input files shared by the CLI tests; each test writes them into its own folder.</summary>
internal static class TestFiles
{
    /// <summary>Helsinki split shift Mon–Fri 09:00–12:00 and 13:00–17:30; Wednesday 2026-03-04 a holiday.</summary>
    public const string SupportEu = """
        {
          "name": "support-eu",
          "time_zone": "Europe/Helsinki",
          "week": {
            "mon": [["09:00","12:00"],["13:00","17:30"]],
            "tue": [["09:00","12:00"],["13:00","17:30"]],
            "wed": [["09:00","12:00"],["13:00","17:30"]],
            "thu": [["09:00","12:00"],["13:00","17:30"]],
            "fri": [["09:00","12:00"],["13:00","17:30"]],
            "sat": [], "sun": []
          },
          "holidays": ["2026-03-04", "*-12-25"],
          "teams": ["support"]
        }
        """;

    /// <summary>
    /// Two tickets of team "support" (Helsinki, UTC+2 in March). T-1: created Mon 2026-03-02 08:00, first public
    /// agent reply 10:00, solved 11:00. T-2: created 09:30, a bot reply at 09:31, a human reply at 12:30,
    /// still open. Names in Gujarati and Urdu.
    /// </summary>
    public const string Events = """
        {"id":"e1","ticket_id":"T-1","at":"2026-03-02T08:00:00+02:00","type":"created","actor":{"kind":"customer","id":"c-1"},"channel":"email","team":"support","priority":"normal","attributes":{"customer":"c-1","language":"gu","customer_name":"ભાવના પટેલ"}}
        {"id":"e2","ticket_id":"T-1","at":"2026-03-02T10:00:00+02:00","type":"agent_reply","actor":{"kind":"agent","id":"عائشہ"},"public":true}
        {"id":"e3","ticket_id":"T-1","at":"2026-03-02T11:00:00+02:00","type":"status_changed","actor":{"kind":"agent","id":"عائشہ"},"status":"solved"}
        {"id":"e4","ticket_id":"T-2","at":"2026-03-02T09:30:00+02:00","type":"created","actor":{"kind":"customer","id":"c-2"},"channel":"chat","team":"support","priority":"high","attributes":{"customer":"c-2","language":"ur"}}
        {"id":"e5","ticket_id":"T-2","at":"2026-03-02T09:31:00+02:00","type":"agent_reply","actor":{"kind":"bot","id":"bot"},"public":true}
        {"id":"e6","ticket_id":"T-2","at":"2026-03-02T12:30:00+02:00","type":"agent_reply","actor":{"kind":"agent","id":"Matti"},"public":true}

        """;
}
