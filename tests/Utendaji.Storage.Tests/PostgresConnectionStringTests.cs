using Utendaji.Storage.Postgres;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Tests;

/// <summary>How <see cref="StoreConnector"/> tells a connection string from a file path, and what it shows for one. No server needed.</summary>
public sealed class PostgresConnectionStringTests
{
    [Theory]
    [InlineData("postgres://u@h/db")]
    [InlineData("postgresql://u:p@h:5433/db")]
    [InlineData("POSTGRESQL://h/db")]
    [InlineData("Host=localhost;Database=utendaji")]
    [InlineData("Database=utendaji;host=db.example.org")]
    public void IsPostgres_ConnectionString_True(string db) => Assert.True(StoreConnector.IsPostgres(db));

    [Theory]
    [InlineData("utendaji.db")]
    [InlineData("/home/amina/.local/share/utendaji/utendaji.db")]
    [InlineData("C:\\data\\postgres\\utendaji.db")]
    [InlineData("postgres.db")]
    public void IsPostgres_FilePath_False(string db) => Assert.False(StoreConnector.IsPostgres(db));

    [Fact]
    public void Parse_Uri_ConvertedToKeywords()
    {
        var builder = PostgresConnectionString.Parse("postgresql://amina:p%40ss%3Aword@db.example.org:6543/utendaji%20prod?sslmode=require&Timeout=7");

        Assert.Equal("db.example.org", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("amina", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal("utendaji prod", builder.Database);
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
        Assert.Equal(7, builder.Timeout);
    }

    [Fact]
    public void Parse_UriWithoutPortOrUser_DefaultsKept()
    {
        var builder = PostgresConnectionString.Parse("postgres://localhost/utendaji");

        Assert.Equal("localhost", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Null(builder.Username);
        Assert.Equal("utendaji", builder.Database);
    }

    [Theory]
    [InlineData("postgresql://amina:hunter2@db.example.org:6543/utendaji", "postgresql://db.example.org:6543/utendaji")]
    [InlineData("Host=db.example.org;Database=utendaji;Username=amina;Password=hunter2", "postgresql://db.example.org:5432/utendaji")]
    [InlineData("Host=db;Password=hunter2;Colour=blue", "postgresql://(invalid connection string)")]
    public void Describe_ConnectionString_HostPortDatabaseOnly(string db, string expected)
    {
        var shown = StoreConnector.Describe(db);

        Assert.Equal(expected, shown);
        Assert.DoesNotContain("hunter2", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKeyword_RefusedNamingItWithoutThePassword()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Parse("Host=db;Password=hunter2;Colour=blue"));

        Assert.Contains("colour", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FilePath_OpensSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "utendaji-storage-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = await StoreConnector.OpenAsync(Path.Combine(folder, "postgres.db"), "acme");

            Assert.IsType<SqliteStore>(store);
            Assert.Equal("acme", store.Organisation);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
