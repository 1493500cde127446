using Utendaji.Core.Surveys;

namespace Utendaji.Ingest.Tests.Surveys;

/// <summary>Small instruments covering every question type, written out here so the tests do not depend on the built-ins.</summary>
internal static class TestInstruments
{
    /// <summary>CSAT 1–5 (required), reasons (multiple choice), contact (single choice), comment (free text).</summary>
    public static readonly SurveyInstrument Csat = new()
    {
        Id = "csat-5",
        Kind = InstrumentKind.Csat,
        SatisfiedMinimum = 4,
        Questions =
        [
            new SurveyQuestion { Id = "csat", Type = QuestionType.Rating, Required = true, ScaleMin = 1, ScaleMax = 5 },
            new SurveyQuestion { Id = "reasons", Type = QuestionType.MultipleChoice, Options = ["speed", "courtesy", "knowledge"] },
            new SurveyQuestion { Id = "contact", Type = QuestionType.SingleChoice, Options = ["email", "phone"] },
            new SurveyQuestion { Id = "comment", Type = QuestionType.FreeText },
        ],
    };

    /// <summary>NPS 0–10, required.</summary>
    public static readonly SurveyInstrument Nps = new()
    {
        Id = "nps",
        Kind = InstrumentKind.Nps,
        Questions = [new SurveyQuestion { Id = "nps", Type = QuestionType.Nps, Required = true, ScaleMin = 0, ScaleMax = 10 }],
    };

    /// <summary>A SERVQUAL fragment: two 7-point items (q05 required) and three importance allocations out of 100.</summary>
    public static readonly SurveyInstrument Servqual = new()
    {
        Id = "servqual",
        Kind = InstrumentKind.Servqual,
        Questions =
        [
            new SurveyQuestion { Id = "e05", Type = QuestionType.Rating, ScaleMin = 1, ScaleMax = 7, Dimension = ServqualDimension.Reliability, Part = ServqualPart.Expectation, Item = 5 },
            new SurveyQuestion { Id = "q05", Type = QuestionType.Rating, Required = true, ScaleMin = 1, ScaleMax = 7, Dimension = ServqualDimension.Reliability, Part = ServqualPart.Perception, Item = 5 },
            new SurveyQuestion { Id = "imp1", Type = QuestionType.Allocation, ScaleMin = 0, ScaleMax = 100, Dimension = ServqualDimension.Tangibles, Part = ServqualPart.Importance },
            new SurveyQuestion { Id = "imp2", Type = QuestionType.Allocation, ScaleMin = 0, ScaleMax = 100, Dimension = ServqualDimension.Reliability, Part = ServqualPart.Importance },
            new SurveyQuestion { Id = "imp3", Type = QuestionType.Allocation, ScaleMin = 0, ScaleMax = 100, Dimension = ServqualDimension.Empathy, Part = ServqualPart.Importance },
        ],
    };

    /// <summary>The lookup the CLI would pass: these three instruments by id.</summary>
    public static SurveyInstrument? Lookup(string id) => id switch
    {
        "csat-5" => Csat,
        "nps" => Nps,
        "servqual" => Servqual,
        _ => null,
    };
}
