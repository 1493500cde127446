using System.Text;
using System.Text.Json;
using Npgsql;

namespace Utendaji.Cli.Tests;

/// <summary>
/// The CLI on a PostgreSQL store (<c>--db</c> given a connection string, or the default store a connection string as
/// <c>UTENDAJI_DB</c> makes it): the same file gives the same report as on SQLite, and no password is ever printed.
/// Needs <c>UTENDAJI_TEST_POSTGRES</c> (set by <c>bash scripts/test.sh</c>); fails without it.
/// </summary>
public sealed class PostgresCliTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _database = "utd_test_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    public PostgresCliTests()
    {
        _cli.Write("support-eu.json", TestFiles.SupportEu);
        _cli.Write("events.ndjson", TestFiles.Events);
    }

    private static string Admin =>
        Environment.GetEnvironmentVariable("UTENDAJI_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "UTENDAJI_TEST_POSTGRES is not set: the PostgreSQL tests need a server. Run `bash scripts/test.sh` (it starts a private one).");

    /// <summary>A new empty database of this test's own.</summary>
    private async Task<string> DatabaseAsync()
    {
        if (_connectionString is null)
        {
            await using var admin = new NpgsqlConnection(Admin);
            await admin.OpenAsync();
            // A generated identifier, not data.
            await using var command = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await command.ExecuteNonQueryAsync();
            _connectionString = new NpgsqlConnectionStringBuilder(Admin) { Database = _database }.ToString();
        }

        return _connectionString;
    }

    public void Dispose()
    {
        if (_connectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(Admin);
            admin.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
            command.ExecuteNonQuery();
        }

        _cli.Dispose();
    }

    private async Task<string> ImportAndReportAsync(params string[] db)
    {
        Assert.Equal(0, (await _cli.RunAsync(["calendar", "import", "support-eu.json", .. db])).ExitCode);
        var import = await _cli.RunAsync(["import", "events.ndjson", .. db]);
        Assert.True(import.ExitCode == 0, import.Error);
        var report = await _cli.RunAsync(["report", "--by", "channel", "--period", "week", "--format", "json", .. db]);
        Assert.True(report.ExitCode == 0, report.Error);
        return report.AllOut;
    }

    [Fact]
    public async Task ImportAndReport_DbIsConnectionString_SameJsonAsSqlite()
    {
        var onSqlite = await ImportAndReportAsync();
        var onPostgres = await ImportAndReportAsync("--db", await DatabaseAsync());

        using var parsed = JsonDocument.Parse(onPostgres);
        Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        Assert.Contains("\"email\"", onPostgres, StringComparison.Ordinal);
        Assert.Equal(onSqlite, onPostgres);
    }

    [Fact]
    public async Task Report_ResolutionSlaWithSeveralDues_SameJsonBytesAsSqlite()
    {
        // Three priorities, three resolution targets (so several dues), tickets over five weeks, some solved after
        // more than a day (durations whose seconds differ from ticks / 10^7 in the last bit), ratings 1-5.
        _cli.Write("sla.json", """
            {"name": "tiered", "targets": [
              {"priority": "normal", "first_reply": "PT4H", "resolution": "PT16H"},
              {"priority": "high", "first_reply": "PT1H", "resolution": "PT8H"},
              {"priority": "low", "first_reply": "PT8H", "resolution": "P3D"}]}
            """);
        _cli.Write("many.ndjson", ManyTickets(90));

        async Task<string> RunAsync(params string[] db)
        {
            foreach (var step in new[] { new[] { "calendar", "import", "support-eu.json", "--default" }, ["sla", "import", "sla.json"], ["import", "many.ndjson"] })
            {
                var result = await _cli.RunAsync([.. step, .. db]);
                Assert.True(result.ExitCode == 0, $"{string.Join(' ', step)}: {result.Error}");
            }

            var report = await _cli.RunAsync(["report", "--by", "priority,channel", "--period", "week", "--format", "json", .. db]);
            Assert.True(report.ExitCode == 0, report.Error);
            return report.AllOut;
        }

        var onSqlite = await RunAsync("--db", _cli.PathOf("sla.db"));
        var onPostgres = await RunAsync("--db", await DatabaseAsync());

        Assert.Contains("\"sla_resolution\"", onSqlite, StringComparison.Ordinal);
        Assert.Equal(onSqlite, onPostgres);
    }

    /// <summary>Deterministic tickets: priorities, channels and solve delays vary with the ticket number.</summary>
    private static string ManyTickets(int count)
    {
        string[] priorities = ["normal", "high", "low"];
        string[] channels = ["email", "chat", "phone"];
        var start = new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.Zero);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var created = start.AddHours(i * 9.25);
            var reply = created.AddMinutes(17 + (i * 37 % 600));
            var solved = created.AddMinutes(60 + (i * 211 % 4000) + 0.5 * (i % 3));
            string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", System.Globalization.CultureInfo.InvariantCulture);
            var rating = i % 4 == 0 ? "" : $",\"satisfaction\":\"{1 + (i % 5)}\"";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $$$"""{"id":"m{{{i}}}-c","ticket_id":"M-{{{i}}}","at":"{{{At(created)}}}","type":"created","actor":{"kind":"customer","id":"c-{{{i}}}"},"channel":"{{{channels[i % 3]}}}","team":"support","priority":"{{{priorities[i / 3 % 3]}}}","attributes":{"customer":"c-{{{i}}}"{{{rating}}}}}""").Append('\n');
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"id":"m{{i}}-r","ticket_id":"M-{{i}}","at":"{{At(reply)}}","type":"agent_reply","actor":{"kind":"agent","id":"a-{{i % 4}}"},"public":true}""").Append('\n');
            if (i % 7 != 6)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"id":"m{{i}}-s","ticket_id":"M-{{i}}","at":"{{At(solved)}}","type":"status_changed","actor":{"kind":"agent","id":"a-{{i % 4}}"},"status":"solved"}""").Append('\n');
            }
        }

        return text.ToString();
    }

    [Fact]
    public async Task ImportAgain_OnPostgres_NothingNewAndSameReport()
    {
        var db = await DatabaseAsync();
        var first = await ImportAndReportAsync("--db", db);

        var again = await _cli.RunAsync("import", "events.ndjson", "--db", db);
        var report = await _cli.RunAsync("report", "--by", "channel", "--period", "week", "--format", "json", "--db", db);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(first, report.AllOut);
    }

    [Fact]
    public async Task Import_NulCharacterInText_ClearErrorAndNothingStoredOnPostgres()
    {
        // PostgreSQL cannot store U+0000 in text: the reader refuses the line (as on SQLite) instead of the server
        // failing half-way through the batch.
        var db = await DatabaseAsync();
        _cli.Write("nul.ndjson", TestFiles.Events + """{"id":"nul-1","ticket_id":"T-9","at":"2026-03-02T08:00:00+02:00","type":"created","actor":{"kind":"customer","id":"c\u0000"}}""" + "\n");

        var import = await _cli.RunAsync("import", "nul.ndjson", "--db", db);
        var info = await _cli.RunAsync("info", "--format", "json", "--db", db);

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("actor.id: contains the NUL character (U+0000)", import.Error, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(info.AllOut).RootElement.GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task DefaultStore_ConnectionStringAsUtendajiDbSets_UsedWithoutDbOption()
    {
        var db = await DatabaseAsync();
        // What CliEnvironment.FromProcess makes of UTENDAJI_DB: the default store.
        var output = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = new StringWriter(),
            Clock = _cli.Clock,
            DefaultDatabasePath = db,
            OpenStandardOutput = () => new MemoryStream(),
            WorkingDirectory = _cli.Folder,
        };

        Assert.Equal(0, await UtendajiApp.RunAsync(["import", Path.Combine(_cli.Folder, "events.ndjson")], environment));
        Assert.Equal(0, await UtendajiApp.RunAsync(["info"], environment));

        var builder = new NpgsqlConnectionStringBuilder(db);
        Assert.Contains($"postgresql://{builder.Host}:{builder.Port}/{_database}", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DatabasePath));
    }

    [Fact]
    public async Task Info_ConnectionStringWithPassword_PasswordNeverPrinted()
    {
        var db = new NpgsqlConnectionStringBuilder(await DatabaseAsync()) { Password = "hunter2-secret" }.ToString();

        var info = await _cli.RunAsync("info", "--db", db);
        var json = await _cli.RunAsync("info", "--format", "json", "--db", db);

        Assert.Equal(0, info.ExitCode);
        Assert.Contains(_database, info.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", info.Out + info.Error + json.AllOut + json.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ServerUnreachable_DataErrorWithoutPassword()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var result = await _cli.RunAsync("info", "--db", "postgresql://someone:hunter2-secret@127.0.0.1:1/nowhere");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("postgresql://127.0.0.1:1/nowhere", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error + result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ConnectionStringWithUnknownKeyword_UsageError()
    {
        var result = await _cli.RunAsync("info", "--db", "Host=127.0.0.1;Colour=blue;Password=hunter2-secret");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--db", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error + result.Out, StringComparison.Ordinal);
    }
}
