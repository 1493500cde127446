using NodaTime;
using Utendaji.Core.Surveys;
using Utendaji.Ingest.Surveys;

namespace Utendaji.Ingest.Tests.Surveys;

public sealed class SurveyNdjsonWriterTests
{
    [Fact]
    public void Write_ThenRead_GivesTheSameResponsesAndSends()
    {
        // Given responses with every answer kind and text in Gujarati, Urdu and with markup
        var responses = new[]
        {
            new SurveyResponse
            {
                ResponseId = "R-1", InstrumentId = "csat-5", SubmittedAt = Instant.FromUtc(2026, 3, 2, 10, 30), SentAt = Instant.FromUtc(2026, 3, 2, 9, 0),
                TicketId = "T-1", Customer = "c-1", Agent = "ભાવના", Team = "support", Channel = "email", Language = "gu", SendId = "S-1",
                Answers = new Dictionary<string, SurveyAnswer>
                {
                    ["csat"] = new() { Number = 5 },
                    ["comment"] = new() { Text = "ખૂબ સરસ \"સેવા\" <b>&</b>\nઆભાર" },
                },
            },
            new SurveyResponse
            {
                ResponseId = "R-2", InstrumentId = "nps", SubmittedAt = Instant.FromUtc(2026, 3, 3, 8, 0), Language = "ur",
                Answers = new Dictionary<string, SurveyAnswer> { ["nps"] = new() { Number = 9 }, ["comment"] = new() { Text = "بہت اچھا" } },
            },
        };
        var sends = new[] { new SurveySend { SendId = "S-1", InstrumentId = "csat-5", SentAt = Instant.FromUtc(2026, 3, 2, 9, 0), TicketId = "T-1", Language = "gu" } };

        // When they are written and read back
        var responseBytes = new MemoryStream();
        var sendBytes = new MemoryStream();
        using (var writer = new SurveyNdjsonWriter(responseBytes, leaveOpen: true))
        {
            foreach (var response in responses)
            {
                writer.Write(response);
            }
        }

        using (var writer = new SurveyNdjsonWriter(sendBytes, leaveOpen: true))
        {
            writer.Write(sends[0]);
        }

        responseBytes.Position = 0;
        sendBytes.Position = 0;
        var readResponses = SurveyResponseNdjsonReader.Read(responseBytes, "r.ndjson", BuiltInInstruments.Find).ToList();
        var readSends = SurveySendNdjsonReader.Read(sendBytes, "s.ndjson", BuiltInInstruments.Find).ToList();

        // Then every field survives
        Assert.All(readResponses, r => Assert.True(r.IsValid, string.Join("; ", r.Issues)));
        for (var i = 0; i < responses.Length; i++)
        {
            var read = readResponses[i].Value!;
            Assert.Equal(responses[i] with { Answers = read.Answers }, read);
            Assert.Equal(responses[i].Answers.Keys.Order(StringComparer.Ordinal), read.Answers.Keys.Order(StringComparer.Ordinal));
            foreach (var (id, answer) in responses[i].Answers)
            {
                Assert.Equal(answer.Number, read.Answers[id].Number);
                Assert.Equal(answer.Text, read.Answers[id].Text);
            }
        }

        Assert.Equal(sends[0], readSends.Single().Value);
    }
}
