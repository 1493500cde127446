using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Utendaji.Server.Infrastructure;

namespace Utendaji.Server.Tests;

/// <summary>
/// Concurrent small event POSTs share store transactions (Performance/EventGroupCommit); each must still be
/// answered as if sent alone, and only after its events are committed.
/// </summary>
public sealed class GroupCommitTests
{
    private const int Requests = 24;

    private static string Event(int i) => TestData.Event($"g{i}", $"T-{i % 5}", $"2026-03-02T08:{i:00}:00Z");

    /// <summary>
    /// Sends the bodies at once while the organisation's store is held busy, so they queue and are written as
    /// groups; returns the answers in body order. <paramref name="expectedAlone"/> requests are never queued
    /// (their rows do not read).
    /// </summary>
    private static async Task<HttpResponseMessage[]> PostTogetherAsync(ServerHarness server, HttpClient client, IReadOnlyList<string> bodies, int expectedAlone = 0)
    {
        var stores = server.App.Services.GetRequiredService<OrganisationStores>();
        var release = new TaskCompletionSource();
        var held = new TaskCompletionSource();
        var hold = stores.UseAsync(server.Org, async _ =>
        {
            held.SetResult();
            await release.Task;
            return 0;
        }, CancellationToken.None);
        await held.Task;

        var posts = bodies.Select(b => client.PostAsync(server.Api("/events"), ServerHarness.Json(b))).ToArray();
        // Wait until every request that can be grouped is queued (or answered, which must not happen yet).
        var groupCommit = server.App.Services.GetRequiredService<Performance.EventGroupCommit>();
        var groupable = bodies.Count - expectedAlone;
        var giveUp = DateTime.UtcNow.AddMinutes(1); // a safeguard against a hang, not a timing: the asserts below fail then
        while (groupCommit.Waiting < groupable && !posts.Any(p => p.IsCompleted && p.Result.IsSuccessStatusCode) && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(10);
        }

        // Nothing can be committed while the store is held: no request may have been answered 2xx yet.
        Assert.DoesNotContain(posts, p => p.IsCompleted && p.Result.IsSuccessStatusCode);
        release.SetResult();
        await hold;
        return await Task.WhenAll(posts);
    }

    [Fact]
    public async Task ConcurrentPosts_AllStoredAndEachAcknowledged()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();

        var answers = await PostTogetherAsync(server, client, [.. Enumerable.Range(0, Requests).Select(Event)]);

        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(1, body.GetProperty("received").GetInt64());
            Assert.Equal(1, body.GetProperty("added").GetInt64());
            Assert.Equal(0, body.GetProperty("unchanged").GetInt64());
            Assert.Equal(1, body.GetProperty("tickets_derived").GetInt64());
        }

        Assert.Equal(Requests, (await server.CountsAsync()).Events);
        // They queued behind the held store, so most shared a transaction (the first may have gone alone).
        Assert.True(server.App.Services.GetRequiredService<Performance.EventGroupCommit>().SharedCommits >= Requests - 1);
        // Facts were derived from all of each ticket's events, not only from those of one request.
        var facts = await server.WithStoreAsync(s => s.GetFactsAsync("T-0"));
        Assert.NotNull(facts);
        Assert.Equal(NodaTime.Instant.FromUtc(2026, 3, 2, 8, 0), facts.CreatedAt);

        // Repeats are known: unchanged, nothing derived.
        var again = await PostTogetherAsync(server, client, [Event(1), Event(2)]);
        foreach (var answer in again)
        {
            var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(0, body.GetProperty("added").GetInt64());
            Assert.Equal(1, body.GetProperty("unchanged").GetInt64());
            Assert.Equal(0, body.GetProperty("tickets_derived").GetInt64());
        }
    }

    [Fact]
    public async Task ConcurrentPosts_BadOnesRejectedAloneWithProblemDetails()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = await server.ClientAsync();
        await client.PostAsync(server.Api("/events"), ServerHarness.Json(TestData.EventsBatch));
        var bodies = Enumerable.Range(0, Requests).Select(Event).ToList();
        bodies[5] = """{"id":"bad","ticket_id":"T-9","at":"2026-02-30T08:00:00Z","type":"created"}""";   // no such date
        bodies[11] = TestData.Event("e2", "T-9", "2026-03-03T09:00:00Z");                               // e2 is stored differently
        bodies[17] = $"[{Event(17)},{TestData.Event("e4", "T-9", "2026-03-03T09:00:00Z")}]";            // half new, half conflicting

        var answers = await PostTogetherAsync(server, client, bodies, expectedAlone: 1);

        Assert.Equal(HttpStatusCode.BadRequest, answers[5].StatusCode);
        var invalid = JsonDocument.Parse(await answers[5].Content.ReadAsStringAsync()).RootElement;
        Assert.True(invalid.GetProperty("errors").TryGetProperty("at", out _));
        Assert.Equal(HttpStatusCode.Conflict, answers[11].StatusCode);
        Assert.Equal("application/problem+json", answers[11].Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, answers[17].StatusCode);
        var conflict = JsonDocument.Parse(await answers[17].Content.ReadAsStringAsync()).RootElement;
        Assert.True(conflict.GetProperty("errors").TryGetProperty("[1].id", out _));
        for (var i = 0; i < Requests; i++)
        {
            if (i is not (5 or 11 or 17))
            {
                Assert.Equal(HttpStatusCode.OK, answers[i].StatusCode);
            }
        }

        // Five from the first batch, and every good request's one event; nothing of the three bad ones.
        Assert.Equal(5 + Requests - 3, (await server.CountsAsync()).Events);
        Assert.Null(await server.WithStoreAsync(s => s.GetFactsAsync("T-9")));
        Assert.Empty(await server.WithStoreAsync(s => s.ReadEventsAsync("T-9")));
    }
}
