using System.Globalization;
using NodaTime;
using Utendaji.Core.Reporting;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Tests.Surveys;

/// <summary>
/// Small instruments and responses built here (not the built-in instruments), and survey reports made from them with
/// the real builder: one with exact, R-checked figures, one with hostile and non-Latin names over three ISO weeks.
/// </summary>
internal static class SurveySampleData
{
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

    public static SurveyInstrument Nps { get; } = new()
    {
        Id = "nps",
        Kind = InstrumentKind.Nps,
        Questions =
        [
            new SurveyQuestion { Id = "nps", Type = QuestionType.Nps, Required = true, ScaleMin = 0, ScaleMax = 10 },
            new SurveyQuestion { Id = "reason", Type = QuestionType.SingleChoice, Options = ["price", "speed", "quality"] },
        ],
    };

    public static SurveyInstrument Ces { get; } = new()
    {
        Id = "ces",
        Kind = InstrumentKind.Ces,
        Questions = [new SurveyQuestion { Id = "ces", Type = QuestionType.Ces, Required = true, ScaleMin = 1, ScaleMax = 7 }],
    };

    /// <summary>Five SERVQUAL items (1–3 reliability, 4–5 empathy), E and P on 1–7, and importance points.</summary>
    public static SurveyInstrument Servqual { get; } = new()
    {
        Id = "sq-mini",
        Kind = InstrumentKind.Servqual,
        Questions =
        [
            .. Enumerable.Range(1, 5).Select(i => Item($"e{i}", i, ServqualPart.Expectation)),
            .. Enumerable.Range(1, 5).Select(i => Item($"p{i}", i, ServqualPart.Perception)),
            new SurveyQuestion { Id = "imp-rel", Type = QuestionType.Allocation, ScaleMin = 0, ScaleMax = 100, Dimension = ServqualDimension.Reliability, Part = ServqualPart.Importance },
            new SurveyQuestion { Id = "imp-emp", Type = QuestionType.Allocation, ScaleMin = 0, ScaleMax = 100, Dimension = ServqualDimension.Empathy, Part = ServqualPart.Importance },
        ],
    };

    private static readonly string[] ReasonOptions = ["price", "speed", "quality"];

    public static IReadOnlyList<SurveyInstrument> All { get; } = [Csat5, Nps, Ces, Servqual];

    /// <summary>The six SERVQUAL respondents of the exact report: E, P (items 1–5) and importance (reliability, empathy).</summary>
    public static readonly (int[] E, int[] P, int[] Importance)[] ServqualRespondents =
    [
        ([7, 6, 7, 6, 6], [5, 5, 6, 6, 5], [60, 40]),
        ([6, 6, 6, 7, 7], [6, 5, 5, 5, 6], [50, 50]),
        ([7, 7, 7, 7, 6], [4, 5, 4, 6, 6], [70, 30]),
        ([5, 6, 6, 6, 5], [5, 6, 6, 5, 4], [40, 60]),
        ([7, 7, 6, 7, 7], [6, 5, 6, 7, 5], [80, 20]),
        ([6, 7, 7, 6, 7], [5, 6, 5, 4, 6], [55, 45]),
    ];

    public static Instant At(int day, int hour) => Instant.FromUtc(2026, 3, day, hour, 0);

    /// <summary>
    /// No grouping, one period, minimum n 5: CSAT 34 satisfied of 40; NPS 45 promoters, 30 passives, 25 detractors;
    /// CES (7,6,6,5,4,3,7,5,6,2); the six SERVQUAL respondents above.
    /// </summary>
    public static SurveyReport Exact()
    {
        var responses = new List<SurveyResponse>();
        int[] ratings = [.. Enumerable.Repeat(5, 20), .. Enumerable.Repeat(4, 14), .. Enumerable.Repeat(3, 3), 2, 2, 1];
        responses.AddRange(ratings.Select((r, i) => Response("csat-5", At(3, 9), ("csat", r))));
        int[] nps = [.. Enumerable.Repeat(10, 25), .. Enumerable.Repeat(9, 20), .. Enumerable.Repeat(8, 15), .. Enumerable.Repeat(7, 15), .. Enumerable.Repeat(3, 25)];
        responses.AddRange(nps.Select(n => Response("nps", At(4, 9), ("nps", n))));
        responses.AddRange(new[] { 7, 6, 6, 5, 4, 3, 7, 5, 6, 2 }.Select(c => Response("ces", At(5, 9), ("ces", c))));
        foreach (var (e, p, importance) in ServqualRespondents)
        {
            var answers = new List<(string, double)>();
            for (var i = 0; i < 5; i++)
            {
                answers.Add(($"e{i + 1}", e[i]));
                answers.Add(($"p{i + 1}", p[i]));
            }

            answers.Add(("imp-rel", importance[0]));
            answers.Add(("imp-emp", importance[1]));
            responses.Add(Response("sq-mini", At(6, 9), [.. answers]));
        }

        return SurveyReportBuilder.Build(responses, All, SurveyReportOptions.Default with { MinimumN = 5 });
    }

    /// <summary>
    /// Responses over ISO weeks 2026-W10 to W12 from the KPI sample's four teams (hostile, Gujarati, Urdu, plain), with
    /// agents including an &lt;img onerror&gt; name; CSAT much better after 9 March so the comparison finds a change.
    /// </summary>
    public static List<SurveyResponse> Responses()
    {
        string[] teams = [SampleData.ScriptTeam, SampleData.Gujarati, SampleData.Urdu, "Nairobi"];
        var random = new Random(11);
        var list = new List<SurveyResponse>();
        for (var i = 0; i < 600; i++)
        {
            var at = At(2, 0) + Duration.FromMinutes(random.Next(0, 20 * 24 * 60));
            var late = at >= At(9, 0);
            var team = teams[(i / 4) % teams.Length];
            var response = (i % 4) switch
            {
                0 => Response("csat-5", at, ("csat", late ? 4 + random.Next(0, 2) : 1 + random.Next(0, 5))),
                1 => Response("nps", at, ("nps", random.Next(0, 11))),
                2 => Response("ces", at, ("ces", 1 + random.Next(0, 7))),
                _ => Response("sq-mini", at, [.. Enumerable.Range(1, 5).SelectMany(k => new[] { ($"e{k}", (double)(5 + random.Next(0, 3))), ($"p{k}", (double)(3 + random.Next(0, 5))) }), ("imp-rel", 50 + random.Next(0, 30)), ("imp-emp", 0)]),
            };
            if (i % 8 == 0)
            {
                response = response.WithAnswer("comment", new SurveyAnswer { Text = i % 16 == 0 ? SampleData.ScriptTeam : SampleData.Urdu });
            }

            if (i % 4 == 1)
            {
                response = response.WithAnswer("reason", new SurveyAnswer { Choices = [ReasonOptions[i % 3]] });
            }

            list.Add(response with
            {
                Team = team,
                Agent = i % 5 == 0 ? SampleData.ImgAgent : "agent-" + (i % 3).ToString(CultureInfo.InvariantCulture),
                Channel = i % 2 == 0 ? "chat" : "email",
                Language = i % 3 == 0 ? "gu" : i % 3 == 1 ? "ur" : "sw",
            });
        }

        return list;
    }

    /// <summary>The grouped weekly report with a comparison of week 10 (baseline) and weeks 11–12 (current).</summary>
    public static SurveyReport Grouped(params SurveyGroupDimension[] groupBy) =>
        SurveyReportBuilder.Build(Responses(), All, SurveyReportOptions.Default with
        {
            GroupBy = groupBy.Length == 0 ? [SurveyGroupDimension.Team] : groupBy,
            Period = PeriodGranularity.Week,
            Comparison = new SurveyPeriodComparison(At(2, 0), At(9, 0), At(9, 0), At(23, 0)),
        });

    private static int _next;

    public static SurveyResponse Response(string instrument, Instant at, params (string Question, double Value)[] numbers) => new()
    {
        ResponseId = "r" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture),
        InstrumentId = instrument,
        SubmittedAt = at,
        Answers = numbers.ToDictionary(n => n.Question, n => new SurveyAnswer { Number = n.Value }, StringComparer.Ordinal),
    };

    public static SurveyResponse WithAnswer(this SurveyResponse response, string question, SurveyAnswer answer) =>
        response with { Answers = new Dictionary<string, SurveyAnswer>(response.Answers, StringComparer.Ordinal) { [question] = answer } };

    private static SurveyQuestion Item(string id, int item, ServqualPart part) => new()
    {
        Id = id,
        Type = QuestionType.Rating,
        ScaleMin = 1,
        ScaleMax = 7,
        Item = item,
        Part = part,
        Dimension = item <= 3 ? ServqualDimension.Reliability : ServqualDimension.Empathy,
    };
}
