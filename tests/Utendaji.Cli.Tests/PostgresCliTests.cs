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
