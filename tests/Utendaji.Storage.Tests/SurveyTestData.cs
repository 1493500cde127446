using NodaTime;
using Utendaji.Core.Surveys;
using static Utendaji.Storage.Tests.TestData;

namespace Utendaji.Storage.Tests;

/// <summary>Builders for survey sends and responses, with every field set and text in the product's scripts.</summary>
internal static class SurveyTestData
{
    public static SurveySend Send(string id, int minute = 0, string instrument = "csat-5", string? ticket = "T-1", string? channel = "email", string? language = "gu") => new()
    {
        SendId = id,
        InstrumentId = instrument,
        SentAt = At(minute),
        TicketId = ticket,
        Customer = "customer-" + Urdu,
        Channel = channel,
        Language = language,
    };

    /// <summary>A response with every field set: a rating, a multiple choice, a decimal allocation and a Gujarati comment.</summary>
    public static SurveyResponse Response(
        string id,
        int minute = 60,
        string instrument = "csat-5",
        string? ticket = "T-1",
        string? team = "tier-1",
        string? agent = "agent-" + Finnish,
        string? channel = "email",
        string? language = "gu",
        string? send = "S-1",
        double rating = 5) => new()
    {
        ResponseId = id,
        InstrumentId = instrument,
        SubmittedAt = At(minute),
        SendId = send,
        SentAt = At(minute - 30),
        TicketId = ticket,
        Customer = "customer-" + Urdu,
        Agent = agent,
        Team = team,
        Channel = channel,
        Language = language,
        Answers = new Dictionary<string, SurveyAnswer>(StringComparer.Ordinal)
        {
            ["csat"] = new() { Number = rating },
            ["reasons"] = new() { Choices = ["speed", "courtesy"] },
            ["imp1"] = new() { Number = 33.3 },
            ["comment"] = new() { Text = Gujarati + " " + Urdu + " " + Astral + "\n\"quoted\"" },
        },
    };

    /// <summary>A response with only the required fields.</summary>
    public static SurveyResponse MinimalResponse(string id, int minute = 60) => new()
    {
        ResponseId = id,
        InstrumentId = "nps",
        SubmittedAt = At(minute),
        Answers = new Dictionary<string, SurveyAnswer>(StringComparer.Ordinal) { ["nps"] = new() { Number = 0 } },
    };

    public static void AssertSameResponse(SurveyResponse expected, SurveyResponse? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Answers = actual.Answers, SubmittedAt = actual.SubmittedAt, SentAt = actual.SentAt }, actual);
        // Instants are stored in ticks (100 ns): the test instants have no finer part.
        Assert.Equal(expected.SubmittedAt, actual.SubmittedAt);
        Assert.Equal(expected.SentAt, actual.SentAt);
        Assert.Equal(expected.Answers.Keys.Order(StringComparer.Ordinal), actual.Answers.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, answer) in expected.Answers)
        {
            var stored = actual.Answers[key];
            Assert.Equal(answer.Number, stored.Number);
            Assert.Equal(answer.Text, stored.Text);
            Assert.Equal(answer.Choices, stored.Choices);
        }
    }

    public static Instant Minute(int minute) => At(minute);
}
