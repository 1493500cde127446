using NodaTime;
using Utendaji.Core.Surveys;

namespace Utendaji.Core.Tests.Surveys.Analysis;

/// <summary>Small instruments and responses built here, so these tests do not depend on the built-in instruments.</summary>
internal static class SurveyFixtures
{
    /// <summary>Monday 2 March 2026 09:00 UTC, the first day of ISO week 2026-W10.</summary>
    public static readonly Instant Monday = Instant.FromUtc(2026, 3, 2, 9, 0);

    public static SurveyInstrument Csat5 { get; } = new()
    {
        Id = "csat-5",
        Kind = InstrumentKind.Csat,
        Questions =
        [
            new SurveyQuestion { Id = "csat", Type = QuestionType.Rating, Required = true, ScaleMin = 1, ScaleMax = 5 },
            new SurveyQuestion { Id = "comment", Type = QuestionType.FreeText },
        ],
    };

    public static SurveyInstrument Csat3 { get; } = new()
    {
        Id = "csat-3",
        Kind = InstrumentKind.Csat,
        Questions = [new SurveyQuestion { Id = "csat", Type = QuestionType.Rating, ScaleMin = 1, ScaleMax = 3 }],
    };

    public static SurveyInstrument Nps { get; } = new()
    {
        Id = "nps",
        Kind = InstrumentKind.Nps,
        Questions =
        [
            new SurveyQuestion { Id = "nps", Type = QuestionType.Nps, Required = true, ScaleMin = 0, ScaleMax = 10 },
            new SurveyQuestion { Id = "reason", Type = QuestionType.SingleChoice, Options = ["price", "speed", "quality"] },
            new SurveyQuestion { Id = "liked", Type = QuestionType.MultipleChoice, Options = ["agent", "app", "docs"] },
        ],
    };

    public static SurveyInstrument Ces { get; } = new()
    {
        Id = "ces",
        Kind = InstrumentKind.Ces,
        Questions = [new SurveyQuestion { Id = "ces", Type = QuestionType.Ces, Required = true, ScaleMin = 1, ScaleMax = 7 }],
    };

    /// <summary>Five SERVQUAL items (1–3 reliability, 4–5 empathy), expectations and perceptions on 1–7, and importance.</summary>
    public static SurveyInstrument ServqualMini { get; } = new()
    {
        Id = "sq-mini",
        Kind = InstrumentKind.Servqual,
        Questions =
        [
            .. Enumerable.Range(1, 5).Select(i => Item($"e{i}", i, ServqualPart.Expectation, 7)),
            .. Enumerable.Range(1, 5).Select(i => Item($"p{i}", i, ServqualPart.Perception, 7)),
            new SurveyQuestion { Id = "imp-rel", Type = QuestionType.Allocation, ScaleMin = 0, ScaleMax = 100, Dimension = ServqualDimension.Reliability, Part = ServqualPart.Importance },
            new SurveyQuestion { Id = "imp-emp", Type = QuestionType.Allocation, ScaleMin = 0, ScaleMax = 100, Dimension = ServqualDimension.Empathy, Part = ServqualPart.Importance },
        ],
    };

    /// <summary>Zone-of-tolerance format: two reliability items, minimum, desired and perceived on 1–9.</summary>
    public static SurveyInstrument ZoneMini { get; } = new()
    {
        Id = "zot-mini",
        Kind = InstrumentKind.ServqualZoneOfTolerance,
        Questions =
        [
            Item("min1", 1, ServqualPart.Minimum, 9), Item("des1", 1, ServqualPart.Desired, 9), Item("per1", 1, ServqualPart.Perception, 9),
            Item("min2", 2, ServqualPart.Minimum, 9), Item("des2", 2, ServqualPart.Desired, 9), Item("per2", 2, ServqualPart.Perception, 9),
        ],
    };

    public static IReadOnlyList<SurveyInstrument> All { get; } = [Csat5, Csat3, Nps, Ces, ServqualMini, ZoneMini];

    private static SurveyQuestion Item(string id, int item, ServqualPart part, int max) => new()
    {
        Id = id,
        Type = QuestionType.Rating,
        ScaleMin = 1,
        ScaleMax = max,
        Item = item,
        Part = part,
        Dimension = item <= 3 ? ServqualDimension.Reliability : ServqualDimension.Empathy,
    };

    private static int _next;

    /// <summary>A response with numeric answers; NaN values are left out (not answered).</summary>
    public static SurveyResponse Response(string instrument, Instant at, params (string Question, double Value)[] numbers) => new()
    {
        ResponseId = $"r{Interlocked.Increment(ref _next)}",
        InstrumentId = instrument,
        SubmittedAt = at,
        Answers = numbers.Where(n => !double.IsNaN(n.Value)).ToDictionary(n => n.Question, n => new SurveyAnswer { Number = n.Value }, StringComparer.Ordinal),
    };

    public static SurveyResponse Csat(double rating, Instant? at = null) => Response("csat-5", at ?? Monday, ("csat", rating));

    public static SurveyResponse WithAnswer(this SurveyResponse response, string question, SurveyAnswer answer) =>
        response with { Answers = new Dictionary<string, SurveyAnswer>(response.Answers, StringComparer.Ordinal) { [question] = answer } };
}
