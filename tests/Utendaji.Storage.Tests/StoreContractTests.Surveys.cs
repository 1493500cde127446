using Utendaji.Core.Surveys;
using static Utendaji.Storage.Tests.SurveyTestData;
using static Utendaji.Storage.Tests.TestData;

namespace Utendaji.Storage.Tests;

/// <summary>The survey part of the store contract: sends, responses, their reads, counts and isolation.</summary>
public abstract partial class StoreContractTests
{
    protected static async Task<(AddResult Sends, AddResult Responses)> ImportSurveysAsync(IUtendajiStore store, IReadOnlyList<SurveySend>? sends = null, IReadOnlyList<SurveyResponse>? responses = null)
    {
        await using var import = await store.BeginImportAsync();
        var sent = await import.AddSurveySendsAsync(sends ?? []);
        var answered = await import.AddSurveyResponsesAsync(responses ?? []);
        await import.CommitAsync();
        return (sent, answered);
    }

    // ---- responses ----------------------------------------------------------------------------------------

    [Fact]
    public async Task AddSurveyResponsesAsync_EveryFieldSet_RoundTripsExactly()
    {
        var store = await OpenAsync();
        var full = Response("R-1");
        var minimal = MinimalResponse("R-2", minute: 90);

        var (_, result) = await ImportSurveysAsync(store, responses: [full, minimal]);

        Assert.Equal(new AddResult(2, 0, []).Added, result.Added);
        var stored = await ListAsync(store.ReadSurveyResponsesAsync(SurveyResponseQuery.All));
        Assert.Equal(2, stored.Count);
        AssertSameResponse(full, stored[0]);
        AssertSameResponse(minimal, stored[1]);
        Assert.Null(stored[1].TicketId);
        Assert.Null(stored[1].SentAt);
    }

    [Fact]
    public async Task AddSurveyResponsesAsync_UnusualAnswers_RoundTripExactly()
    {
        var store = await OpenAsync();
        var response = MinimalResponse("R-1") with
        {
            Answers = new Dictionary<string, SurveyAnswer>(StringComparer.Ordinal)
            {
                ["none"] = new(),
                ["both"] = new() { Number = 0.1 + 0.2, Text = Urdu, Choices = [] },
                ["empty-choices"] = new() { Choices = [] },
                ["tiny"] = new() { Number = double.Epsilon },
                ["negative"] = new() { Number = -7.25 },
                ["ગ"] = new() { Text = "" },
            },
        };

        await ImportSurveysAsync(store, responses: [response]);

        AssertSameResponse(response, Assert.Single(await ListAsync(store.ReadSurveyResponsesAsync(SurveyResponseQuery.All))));
    }

    [Fact]
    public async Task AddSurveyResponsesAsync_SameResponsesAgain_UnchangedAndNothingChanged()
    {
        var store = await OpenAsync();
        await ImportSurveysAsync(store, responses: [Response("R-1"), Response("R-2", ticket: "T-2")]);
        // The same answers built in another order are the same response.
        var reordered = Response("R-1") with { Answers = new Dictionary<string, SurveyAnswer>(Response("R-1").Answers.Reverse(), StringComparer.Ordinal) };

        var (_, result) = await ImportSurveysAsync(store, responses: [reordered, Response("R-2", ticket: "T-2")]);

        Assert.Equal(0, result.Added);
        Assert.Equal(2, result.Unchanged);
        Assert.Empty(result.Conflicts);
        Assert.Equal(new SurveyCounts(0, 2), await store.CountSurveysAsync());
    }

    [Fact]
    public async Task AddSurveyResponsesAsync_SameIdDifferentContent_ConflictReportedAndNotWritten()
    {
        var store = await OpenAsync();
        await ImportSurveysAsync(store, responses: [Response("R-1"), Response("R-2"), Response("R-3")]);
        var changedAnswer = Response("R-1", rating: 4);
        var changedComment = Response("R-3") with
        {
            Answers = new Dictionary<string, SurveyAnswer>(Response("R-3").Answers, StringComparer.Ordinal) { ["comment"] = new() { Text = Swahili } },
        };
        var changedTeam = Response("R-2", team: "tier-2");

        var (_, result) = await ImportSurveysAsync(store, responses: [Response("R-4"), changedAnswer, changedTeam, Response("R-3"), changedComment]);

        Assert.Equal(1, result.Added);
        Assert.Equal(1, result.Unchanged);
        Assert.Equal([1, 2, 4], result.Conflicts);
        var stored = await ListAsync(store.ReadSurveyResponsesAsync(new SurveyResponseQuery { TicketId = "T-1" }));
        Assert.Equal(["R-1", "R-2", "R-3", "R-4"], stored.Select(r => r.ResponseId));
        AssertSameResponse(Response("R-1"), stored[0]);
        AssertSameResponse(Response("R-2"), stored[1]);
        AssertSameResponse(Response("R-3"), stored[2]);
    }

    [Fact]
    public async Task AddSurveyResponsesAsync_DuplicateIdWithinOneBatch_FirstWinsSecondComparedToIt()
    {
        var store = await OpenAsync();

        var (_, result) = await ImportSurveysAsync(store, responses: [Response("R-1"), Response("R-1"), Response("R-1", rating: 1)]);

        Assert.Equal(1, result.Added);
        Assert.Equal(1, result.Unchanged);
        Assert.Equal([2], result.Conflicts);
    }

    [Fact]
    public async Task AddSurveyResponsesAsync_NotFiniteNumber_RefusedWithTheResponseNamed()
    {
        var store = await OpenAsync();
        await using var import = await store.BeginImportAsync();
        var bad = MinimalResponse("R-9") with { Answers = new Dictionary<string, SurveyAnswer> { ["nps"] = new() { Number = double.NaN } } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => import.AddSurveyResponsesAsync([bad]));

        Assert.Contains("'R-9'", error.Message, StringComparison.Ordinal);
    }

    // ---- sends --------------------------------------------------------------------------------------------

    [Fact]
    public async Task AddSurveySendsAsync_NewSameAndChanged_AddedUnchangedConflict()
    {
        var store = await OpenAsync();
        var (first, _) = await ImportSurveysAsync(store, sends: [Send("S-1"), Send("S-2", 5)]);
        var minimal = new SurveySend { SendId = "S-3", InstrumentId = "nps", SentAt = Minute(7) };

        var (second, _) = await ImportSurveysAsync(store, sends: [Send("S-1"), Send("S-2", 6), minimal]);

        Assert.Equal(2, first.Added);
        Assert.Equal(1, second.Added);
        Assert.Equal(1, second.Unchanged);
        Assert.Equal([1], second.Conflicts);
        var stored = await ListAsync(store.ReadSurveySendsAsync(SurveySendQuery.All));
        Assert.Equal([Send("S-1"), Send("S-2", 5), minimal], stored);
    }

    [Fact]
    public async Task ReadSurveySendsAsync_BySendId_OnlyThatSendOfThisOrganisation()
    {
        var store = await OpenAsync();
        await ImportSurveysAsync(store, sends: [Send("S-1"), Send("S-2", 5), Send("S-10")]);

        Assert.Equal([Send("S-2", 5)], await ListAsync(store.ReadSurveySendsAsync(new SurveySendQuery { SendId = "S-2" })));
        Assert.Empty(await ListAsync(store.ReadSurveySendsAsync(new SurveySendQuery { SendId = "S-" })));
        Assert.Equal(1, await store.CountSurveySendsAsync(new SurveySendQuery { SendId = "S-10" }));
    }

    // ---- transactions -------------------------------------------------------------------------------------

    [Fact]
    public async Task AddSurveys_DisposedWithoutCommit_NothingHalfImported()
    {
        var store = await OpenAsync();
        var other = await OpenAsync();
        await ImportSurveysAsync(store, [Send("S-1")], [Response("R-1")]);

        await using (var import = await store.BeginImportAsync())
        {
            await import.AddSurveySendsAsync([Send("S-2"), Send("S-3")]);
            await import.AddSurveyResponsesAsync([Response("R-2"), Response("R-3")]);

            foreach (var reader in new[] { store, other })
            {
                Assert.Equal(new SurveyCounts(1, 1), await reader.CountSurveysAsync());
                Assert.Single(await ListAsync(reader.ReadSurveyResponsesAsync(SurveyResponseQuery.All)));
                Assert.Single(await ListAsync(reader.ReadSurveySendsAsync(SurveySendQuery.All)));
            }
        }

        await store.DisposeAsync();
        var reopened = await OpenAsync();
        Assert.Equal(new SurveyCounts(1, 1), await reopened.CountSurveysAsync());
        Assert.Equal(["R-1"], (await ListAsync(reopened.ReadSurveyResponsesAsync(SurveyResponseQuery.All))).Select(r => r.ResponseId));
    }

    // ---- reads and counts ---------------------------------------------------------------------------------

    [Fact]
    public async Task ReadSurveyResponsesAsync_Filters_EachNarrowsAndOrderIsSubmittedThenId()
    {
        var store = await OpenAsync();
        await ImportSurveysAsync(store, responses:
        [
            Response("R-b", minute: 100),
            Response("R-a", minute: 100, instrument: "nps", ticket: "T-2", team: "tier-2", agent: "agent-2", channel: "chat", language: "ur"),
            Response("R-c", minute: 50, team: null, agent: null, channel: null, language: null, ticket: null),
            Response("R-d", minute: 200, language: "sw"),
        ]);

        async Task<string[]> Ids(SurveyResponseQuery query)
        {
            var ids = (await ListAsync(store.ReadSurveyResponsesAsync(query))).Select(r => r.ResponseId).ToArray();
            Assert.Equal(ids.Length, await store.CountSurveyResponsesAsync(query));
            return ids;
        }

        Assert.Equal(["R-c", "R-a", "R-b", "R-d"], await Ids(SurveyResponseQuery.All));
        Assert.Equal(["R-c", "R-b", "R-d"], await Ids(new SurveyResponseQuery { Instrument = "csat-5" }));
        Assert.Equal(["R-a", "R-b"], await Ids(new SurveyResponseQuery { SubmittedFrom = Minute(100), SubmittedTo = Minute(200) }));
        Assert.Equal(["R-a"], await Ids(new SurveyResponseQuery { Team = "tier-2" }));
        Assert.Equal(["R-a"], await Ids(new SurveyResponseQuery { Agent = "agent-2" }));
        Assert.Equal(["R-a"], await Ids(new SurveyResponseQuery { Channel = "chat" }));
        Assert.Equal(["R-d"], await Ids(new SurveyResponseQuery { Language = "sw" }));
        Assert.Equal(["R-a"], await Ids(new SurveyResponseQuery { TicketId = "T-2" }));
        Assert.Equal(["R-b", "R-d"], await Ids(new SurveyResponseQuery { Instrument = "csat-5", Team = "tier-1", SubmittedFrom = Minute(51) }));
        Assert.Empty(await Ids(new SurveyResponseQuery { Instrument = "ces" }));
    }

    [Fact]
    public async Task ReadSurveySendsAsync_Filters_EachNarrowsAndAnsweredMatchesResponsesBySendId()
    {
        var store = await OpenAsync();
        await ImportSurveysAsync(store,
            [Send("S-2", 10), Send("S-1", 10, channel: "chat"), Send("S-3", 0, instrument: "nps", ticket: "T-3", language: "fi"), Send("S-4", 20)],
            [Response("R-1", send: "S-1"), Response("R-2", send: "S-4"), Response("R-3", send: null), Response("R-4", send: "S-4")]);

        async Task<string[]> Ids(SurveySendQuery query)
        {
            var ids = (await ListAsync(store.ReadSurveySendsAsync(query))).Select(s => s.SendId).ToArray();
            Assert.Equal(ids.Length, await store.CountSurveySendsAsync(query));
            return ids;
        }

        Assert.Equal(["S-3", "S-1", "S-2", "S-4"], await Ids(SurveySendQuery.All));
        Assert.Equal(["S-1", "S-2", "S-4"], await Ids(new SurveySendQuery { Instrument = "csat-5" }));
        Assert.Equal(["S-1", "S-2"], await Ids(new SurveySendQuery { SentFrom = Minute(10), SentTo = Minute(20) }));
        Assert.Equal(["S-1"], await Ids(new SurveySendQuery { Channel = "chat" }));
        Assert.Equal(["S-3"], await Ids(new SurveySendQuery { Language = "fi" }));
        Assert.Equal(["S-3"], await Ids(new SurveySendQuery { TicketId = "T-3" }));
        // Response rate of csat-5: 2 answered sends (S-4 twice still counts once) of 3.
        Assert.Equal(["S-1", "S-4"], await Ids(new SurveySendQuery { Instrument = "csat-5", Answered = true }));
        Assert.Equal(["S-3", "S-2"], await Ids(new SurveySendQuery { Answered = false }));
        Assert.Equal(new SurveyCounts(4, 4), await store.CountSurveysAsync());
    }

    [Fact]
    public async Task ConfigDocuments_SurveyInstrument_StoredByIdApartFromOtherKinds()
    {
        var store = await OpenAsync();
        var json = "{\"id\":\"csat-5\",\"title\":\"" + Gujarati + "\"}";
        await store.PutConfigAsync(ConfigKind.SurveyInstrument, "csat-5", json);
        await store.PutConfigAsync(ConfigKind.Options, "csat-5", "{}");

        var stored = Assert.Single(await store.GetConfigAsync(ConfigKind.SurveyInstrument));

        Assert.Equal(new ConfigDocument(ConfigKind.SurveyInstrument, "csat-5", json), stored);
        Assert.True(await store.DeleteConfigAsync(ConfigKind.SurveyInstrument, "csat-5"));
        Assert.Empty(await store.GetConfigAsync(ConfigKind.SurveyInstrument));
        Assert.Single(await store.GetConfigAsync(ConfigKind.Options));
    }

    // ---- isolation ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Organisations_Surveys_IsolatedInEveryMember()
    {
        var acme = await OpenAsync("acme");
        var globex = await OpenAsync("globex");
        await ImportSurveysAsync(acme, [Send("S-1"), Send("S-2")], [Response("R-1", send: "S-1"), Response("R-2", send: "S-2", team: "acme-team")]);

        // The same ids with different content: a conflict inside one organisation, new data in another.
        var (sends, responses) = await ImportSurveysAsync(globex, [Send("S-1", 99)], [Response("R-1", rating: 1, send: "S-1")]);

        Assert.Equal((1, 0), (sends.Added, sends.Conflicts.Count));
        Assert.Equal((1, 0), (responses.Added, responses.Conflicts.Count));
        Assert.Equal(new SurveyCounts(1, 1), await globex.CountSurveysAsync());
        Assert.Equal(new SurveyCounts(2, 2), await acme.CountSurveysAsync());
        Assert.Equal(1, (await ListAsync(globex.ReadSurveyResponsesAsync(SurveyResponseQuery.All))).Single().Answers["csat"].Number);
        Assert.Equal(5, (await ListAsync(acme.ReadSurveyResponsesAsync(new SurveyResponseQuery { TicketId = "T-1", Team = "tier-1" }))).Single().Answers["csat"].Number);
        Assert.Empty(await ListAsync(globex.ReadSurveyResponsesAsync(new SurveyResponseQuery { Team = "acme-team" })));
        Assert.Equal(0, await globex.CountSurveyResponsesAsync(new SurveyResponseQuery { Team = "acme-team" }));
        Assert.Equal(Minute(99), (await ListAsync(globex.ReadSurveySendsAsync(SurveySendQuery.All))).Single().SentAt);
        // S-2 is answered in acme only; globex's S-1 is answered by its own R-1.
        Assert.Equal(1, await globex.CountSurveySendsAsync(new SurveySendQuery { Answered = true }));
        Assert.Equal(0, await globex.CountSurveySendsAsync(new SurveySendQuery { Answered = false }));
        Assert.Equal(2, await acme.CountSurveySendsAsync(new SurveySendQuery { Answered = true }));
        var initech = await OpenAsync("initech");
        Assert.Equal(new SurveyCounts(0, 0), await initech.CountSurveysAsync());
        Assert.Equal(0, await initech.CountSurveySendsAsync(new SurveySendQuery { Answered = false }));
        Assert.Empty(await ListAsync(initech.ReadSurveySendsAsync(SurveySendQuery.All)));
    }

    [Fact]
    public async Task Organisations_AnsweredFilter_DoesNotMatchAnotherOrganisationsResponse()
    {
        var acme = await OpenAsync("acme");
        var globex = await OpenAsync("globex");
        await ImportSurveysAsync(acme, [Send("S-1")]);
        await ImportSurveysAsync(globex, responses: [Response("R-1", send: "S-1")]);

        Assert.Equal(0, await acme.CountSurveySendsAsync(new SurveySendQuery { Answered = true }));
        Assert.Equal(["S-1"], (await ListAsync(acme.ReadSurveySendsAsync(new SurveySendQuery { Answered = false }))).Select(s => s.SendId));
    }

    [Fact]
    public async Task Organisations_SurveyInstrumentConfig_Isolated()
    {
        var acme = await OpenAsync("acme");
        var globex = await OpenAsync("globex");
        await acme.PutConfigAsync(ConfigKind.SurveyInstrument, "csat-5", "{\"o\":\"acme\"}");

        Assert.Empty(await globex.GetConfigAsync(ConfigKind.SurveyInstrument));
        Assert.False(await globex.DeleteConfigAsync(ConfigKind.SurveyInstrument, "csat-5"));
        Assert.Single(await acme.GetConfigAsync(ConfigKind.SurveyInstrument));
    }
}
