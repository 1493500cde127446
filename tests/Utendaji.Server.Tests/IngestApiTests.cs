using System.Net;
using System.Text;
using System.Text.Json;

namespace Utendaji.Server.Tests;

public sealed class IngestApiTests
{
    [Fact]
    public async Task PostEvents_SameBatchTwice_StoredOnce()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var first = await ReadAsync(await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch)));
        var again = await ReadAsync(await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch)));

        Assert.Equal(5, first.GetProperty("added").GetInt64());
        Assert.Equal(2, first.GetProperty("tickets_derived").GetInt64());
        Assert.Equal(0, again.GetProperty("added").GetInt64());
        Assert.Equal(5, again.GetProperty("unchanged").GetInt64());
        var counts = await server.CountsAsync();
        Assert.Equal(5, counts.Events);
        Assert.Equal(2, counts.Facts);
    }

    [Fact]
    public async Task PostEvents_SingleObject_StoredWithFacts()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.Event("x1", "T-9", "2026-03-02T08:00:00Z")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var facts = await server.WithStoreAsync(s => s.GetFactsAsync("T-9"));
        Assert.NotNull(facts);
        Assert.Equal(NodaTime.Instant.FromUtc(2026, 3, 2, 8, 0), facts.CreatedAt);
    }

    [Fact]
    public async Task PostEvents_IdReusedWithOtherContent_409NamingTheIdAndNothingStored()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));
        var batch = $"[{TestData.Event("new-1", "T-7", "2026-03-03T08:00:00Z")},{TestData.Event("e2", "T-7", "2026-03-03T09:00:00Z")}]";

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json(batch));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ReadAsync(response);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("[1].id").EnumerateArray()).GetString();
        Assert.Equal("'e2' is already stored with different content (ids must not be reused)", message);
        Assert.Equal(5, (await server.CountsAsync()).Events);
        Assert.Null(await server.WithStoreAsync(s => s.GetFactsAsync("T-7")));
    }

    public static TheoryData<string, string, string> BadEventBodies => new()
    {
        { "malformed JSON", """[{"id":"b1",""", "$" },
        { "not an object", """[1]""", "[0]" },
        { "empty batch", """[]""", "$" },
        { "unknown field", """{"id":"b1","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created","priorty":"high"}""", "priorty" },
        { "unknown actor field", """{"id":"b1","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created","actor":{"kind":"agent","name":"x"}}""", "actor.name" },
        { "wrong type", """{"id":"b1","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created","public":"yes"}""", "public" },
        { "instant without offset", """{"id":"b1","ticket_id":"T-1","at":"2026-03-02T08:00:00","type":"created"}""", "at" },
        { "impossible instant", """[{"id":"ok","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created"},{"id":"b1","ticket_id":"T-1","at":"2026-02-30T08:00:00Z","type":"created"}]""", "[1].at" },
        { "missing field", """{"id":"b1","at":"2026-03-02T08:00:00Z","type":"created"}""", "ticket_id" },
    };

    [Theory]
    [MemberData(nameof(BadEventBodies))]
    public async Task PostEvents_BadRequest_ProblemDetailsNamingTheFieldAndNothingStored(string why, string body, string field)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json(body));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await ReadAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{why}: errors were {errors}");
        Assert.NotEmpty(messages.GetArray());
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    /// <summary>
    /// Outside 1900–2199 is refused like a malformed instant, with the whole request: an event in 9999 crashed the fact
    /// derivation wherever a business calendar applied (calendars work within years 1 to 9998).
    /// </summary>
    [Theory]
    [InlineData("2026-13-02T08:00:00Z", "'2026-13-02T08:00:00Z' is not a date-time")]
    [InlineData("9999-12-30T08:00:00Z", "'9999-12-30T08:00:00Z' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59-14:00", "'9999-12-31T23:59:59-14:00' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    public async Task PostEvents_InvalidInstant_SameMessageAsTheCliNothingStored(string at, string expected)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json($$"""
            [{"id":"b0","ticket_id":"T-0","at":"2026-03-02T08:00:00Z","type":"created"},
             {"id":"b1","ticket_id":"T-1","at":"{{at}}","type":"created"}]
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // The message the CLI prints after "events.ndjson:2: at: " (docs/formats.md, Errors).
        var errors = (await ReadAsync(response)).GetProperty("errors");
        Assert.Equal(expected, Assert.Single(errors.EnumerateObject()).Value[0].GetString());
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    /// <summary>
    /// A lone UTF-16 surrogate escape is valid JSON but no text; System.Text.Json throws when reading it, which was a 500.
    /// </summary>
    [Theory]
    [InlineData("/events", """[{"id":"b0","ticket_id":"T-0","at":"2026-03-02T08:00:00Z","type":"created"},{"id":"b1","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created","team":"\ud800"}]""", "[1].team")]
    [InlineData("/events", """{"id":"b1","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created","attributes":{"note":"\ud83d\ude00\udc00"}}""", "attributes.note")]
    [InlineData("/survey-responses", """{"response_id":"R-1","instrument":"csat-5","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"comment":"\udfff"}}""", "answers.comment")]
    [InlineData("/survey-sends", """{"send_id":"S-1","instrument":"csat-5","sent_at":"2026-03-02T09:00:00Z","customer":"c\ud800"}""", "customer")]
    public async Task Post_LoneSurrogateEscape_400NamingTheFieldAndNothingStored(string path, string body, string field)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PostAsync(server.Api(path), ServerHarness.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await ReadAsync(response)).GetProperty("errors");
        Assert.Equal(field, Assert.Single(errors.EnumerateObject()).Name);
        Assert.Equal(@"is not valid text (a lone UTF-16 surrogate escape such as \ud800)", errors.GetProperty(field)[0].GetString());
        Assert.Equal(0, (await server.CountsAsync()).Events);
        var surveys = await server.WithStoreAsync(s => s.CountSurveysAsync());
        Assert.Equal((0, 0), (surveys.Responses, surveys.Sends));
    }

    [Fact]
    public async Task PostEvents_SurrogatePairEscape_StoredAsTheCharacter()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json(
            """{"id":"p1","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created","team":"Tier \ud83d\ude00"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var facts = await server.WithStoreAsync(s => s.GetFactsAsync("T-1"));
        Assert.Equal("Tier \U0001F600", facts?.Team);
    }

    [Theory]
    [InlineData("events", "ndjson", """{"id":"i2","ticket_id":"T-1","at":"2026-03-02T08:00:00Z","type":"created","team":"\ud800"}""", "line 2: team")]
    [InlineData("survey-sends", "ndjson", """{"send_id":"S-2","instrument":"csat-5","sent_at":"2026-03-02T09:00:00Z","customer":"\udc00"}""", "line 2: customer")]
    public async Task PostImport_LoneSurrogateEscape_422WithLineAndFieldAndNothingStored(string kind, string format, string badLine, string key)
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        var goodLine = kind == "events"
            ? TestData.Event("i1", "T-1", "2026-03-02T08:00:00Z")
            : """{"send_id":"S-1","instrument":"csat-5","sent_at":"2026-03-02T09:00:00Z"}""";

        var response = await client.PostAsync(
            server.Api($"/imports?kind={kind}&format={format}"),
            new StringContent(goodLine + "\n" + badLine + "\n", Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await ReadAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(key, out var messages), errors.ToString());
        Assert.Equal(@"is not valid text (a lone UTF-16 surrogate escape such as \ud800)", messages[0].GetString());
        Assert.Equal(0, (await server.CountsAsync()).Events);
        Assert.Equal(0, (await server.WithStoreAsync(s => s.CountSurveysAsync())).Sends);
    }

    [Fact]
    public async Task PostEvents_OversizeBody_413AndNothingStored()
    {
        await using var server = await ServerHarness.StartAsync(o => o with { JsonBodyLimit = 1024 });
        var client = await server.ClientAsync();
        var events = Enumerable.Range(0, 40).Select(i => TestData.Event($"e{i}", "T-1", "2026-03-02T08:00:00Z"));

        var response = await client.PostAsync(server.Api("/events"), ServerHarness.Json("[" + string.Join(",", events) + "]"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task PostImport_OversizeFile_413AndNothingStored()
    {
        await using var server = await ServerHarness.StartAsync(o => o with { FileBodyLimit = 2048 });
        var client = await server.ClientAsync();
        var lines = Enumerable.Range(0, 60).Select(i => TestData.Event($"f{i}", "T-1", "2026-03-02T08:00:00Z"));

        var response = await client.PostAsync(server.Api("/imports?kind=events"), new StringContent(string.Join("\n", lines), Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task PostImport_SummaryCsv_Stored()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        const string csv = "id,created_at,first_reply_at,solved_at,channel\nS-1,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,2026-03-02T12:00:00Z,email\n";

        var response = await client.PostAsync(server.Api("/imports?kind=summary"), new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await ReadAsync(response)).GetProperty("added").GetInt64());
        Assert.Equal(1, (await server.CountsAsync()).Summaries);
    }

    [Fact]
    public async Task PostImport_BadRow_422WithLineAndFieldAndNothingStored()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        var ndjson = TestData.Event("i1", "T-1", "2026-03-02T08:00:00Z") + "\n" + TestData.Event("i2", "T-1", "yesterday") + "\n";

        var response = await client.PostAsync(server.Api("/imports?kind=events"), new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await ReadAsync(response)).GetProperty("errors").TryGetProperty("line 2: at", out _));
        Assert.Equal(0, (await server.CountsAsync()).Events);
    }

    [Fact]
    public async Task PostImport_UnknownKind_400NamingKind()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var response = await client.PostAsync(server.Api("/imports?kind=tickets"), new StringContent("x", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ReadAsync(response)).GetProperty("errors").TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task PostSurveySendsAndResponses_StoredOnceEach()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync(Storage.Accounts.AccountRole.Agent);
        const string send = """{"send_id":"S-1","instrument":"csat-5","ticket_id":"T-1","channel":"email","language":"sw","sent_at":"2026-03-02T09:00:00Z"}""";
        const string responses = """[{"response_id":"R-1","instrument":"csat-5","ticket_id":"T-1","language":"sw","send_id":"S-1","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":5,"comment":"Asante sana"}}]""";

        var sent = await client.PostAsync(server.Api("/survey-sends"), ServerHarness.Json(send));
        var answered = await client.PostAsync(server.Api("/survey-responses"), ServerHarness.Json(responses));
        var again = await ReadAsync(await client.PostAsync(server.Api("/survey-responses"), ServerHarness.Json(responses)));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(1, again.GetProperty("unchanged").GetInt64());
        var counts = await server.WithStoreAsync(s => s.CountSurveysAsync());
        Assert.Equal(1, counts.Responses);
        Assert.Equal(1, counts.Sends);
    }

    [Fact]
    public async Task PostSurveyResponses_AnswerOutsideScale_400WithTheCliMessage()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        const string body = """{"response_id":"R-1","instrument":"csat-5","submitted_at":"2026-03-02T10:30:00Z","answers":{"csat":9}}""";

        var response = await client.PostAsync(server.Api("/survey-responses"), ServerHarness.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReadAsync(response)).GetProperty("errors");
        Assert.Contains("is outside the scale 1–5", errors.GetProperty("answers.csat")[0].GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

internal static class JsonExtensions
{
    public static JsonElement[] GetArray(this JsonElement element) => [.. element.EnumerateArray()];
}
