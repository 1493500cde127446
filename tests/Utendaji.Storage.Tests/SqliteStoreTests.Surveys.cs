using System.Text;
using Utendaji.Core.Surveys;
using Utendaji.Storage.Sqlite;
using static Utendaji.Storage.Tests.SurveyTestData;
using static Utendaji.Storage.Tests.TestData;

namespace Utendaji.Storage.Tests;

/// <summary>What only SQLite has for surveys: the migration from schema 1, the stored JSON, the query plans.</summary>
public sealed partial class SqliteStoreTests
{
    [Fact]
    public void Migrations_SurveysAreVersionTwo()
    {
        Assert.Equal("surveys", SqliteMigrations.All[1].Name);
    }

    [Fact]
    public async Task OpenAsync_DatabaseAtSchemaOne_MigratedToSurveysWithDataKept()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using (var raw = Raw())
        {
            // A database as the first release left it: only 0001 applied, one organisation with one summary.
            Scalar(raw, SqliteMigrations.All[0].Sql);
            Scalar(raw, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT 'then')");
            Scalar(raw, "INSERT INTO schema_migrations (version, name, sha256) VALUES (1, 'initial', '')");
            Scalar(raw, "PRAGMA user_version = 1");
            Scalar(raw, "INSERT INTO organisations (name) VALUES ('acme')");
            Scalar(raw, "INSERT INTO summaries (org, ticket_id, created_at, reopens, agent_replies) VALUES (1, 'S-1', 0, 0, 0)");
        }

        var store = await OpenAsync();
        var (_, responses) = await ImportSurveysAsync(store, responses: [Response("R-1")]);

        Assert.Equal(SqliteStore.LatestSchemaVersion, store.SchemaVersion);
        Assert.True(store.SchemaVersion >= 2);
        Assert.NotNull(await store.GetSummaryAsync("S-1"));
        Assert.Equal(1, responses.Added);
        using var after = Raw();
        Assert.Equal((long)SqliteStore.LatestSchemaVersion, Scalar(after, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Answers_StoredAsReadableSortedJson()
    {
        var store = await OpenAsync();
        var response = MinimalResponse("R-1") with
        {
            Answers = new Dictionary<string, SurveyAnswer>
            {
                ["z"] = new() { Text = Urdu },
                ["a"] = new() { Number = 4 },
                ["m"] = new() { Choices = ["x", "y"] },
                ["n"] = new() { Number = 1.5, Text = "\"q\"" },
            },
        };

        await ImportSurveysAsync(store, responses: [response]);

        using var raw = Raw();
        Assert.Equal($"{{\"a\":4,\"m\":[\"x\",\"y\"],\"n\":{{\"number\":1.5,\"text\":\"\\\"q\\\"\"}},\"z\":\"{Urdu}\"}}", Scalar(raw, "SELECT answers FROM survey_responses"));
        Assert.Equal(Convert.ToHexString(Encoding.UTF8.GetBytes(Urdu)), Scalar(raw, "SELECT hex(json_extract(answers, '$.z')) FROM survey_responses"));
    }

    [Theory]
    [InlineData("SELECT response_id FROM survey_responses WHERE org = 1 AND ticket_id = 'T-1'", "survey_responses_by_ticket")]
    [InlineData("SELECT response_id FROM survey_responses WHERE org = 1 AND instrument = 'csat-5' AND submitted_at >= 0 ORDER BY submitted_at, response_id", "survey_responses_by_instrument")]
    [InlineData("SELECT send_id FROM survey_sends s WHERE org = 1 AND EXISTS (SELECT 1 FROM survey_responses r WHERE r.org = s.org AND r.send_id = s.send_id)", "survey_responses_by_send")]
    [InlineData("SELECT send_id FROM survey_sends WHERE org = 1 AND instrument = 'csat-5' ORDER BY sent_at, send_id", "survey_sends_by_instrument")]
    public async Task QueryPlans_SurveyReads_UseTheirIndex(string sql, string index)
    {
        await OpenAsync();
        using var raw = Raw();
        using var command = raw.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var plan = new StringBuilder();
        while (reader.Read())
        {
            plan.AppendLine(reader.GetString(3));
        }

        Assert.Contains(index, plan.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan.ToString(), StringComparison.Ordinal);
    }
}
