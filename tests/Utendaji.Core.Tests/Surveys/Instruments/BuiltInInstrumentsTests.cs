using Utendaji.Core.Surveys;

namespace Utendaji.Core.Tests.Surveys.Instruments;

public class BuiltInInstrumentsTests
{
    [Fact]
    public void All_IdsAndKinds_AsDocumented()
    {
        Assert.Equal(
            [
                ("csat-2", InstrumentKind.Csat), ("csat-3", InstrumentKind.Csat), ("csat-5", InstrumentKind.Csat), ("csat-7", InstrumentKind.Csat),
                ("nps", InstrumentKind.Nps), ("ces", InstrumentKind.Ces), ("servqual", InstrumentKind.Servqual),
                ("servqual-zot", InstrumentKind.ServqualZoneOfTolerance),
            ],
            BuiltInInstruments.All.Select(i => (i.Id, i.Kind)));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(5, 4)]
    [InlineData(7, 6)]
    public void Csat_Variant_ScaleAndSatisfiedThreshold(int points, int satisfied)
    {
        SurveyInstrument csat = BuiltInInstruments.Csat(points);

        SurveyQuestion rating = csat.Question("csat")!;
        Assert.Equal((QuestionType.Rating, true, 1, points), (rating.Type, rating.Required, rating.ScaleMin, rating.ScaleMax));
        Assert.Equal(satisfied, csat.SatisfiedMinimum);
        Assert.Same(csat, BuiltInInstruments.Find("csat-" + points));
    }

    [Fact]
    public void Csat_FourPoints_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInInstruments.Csat(4));
    }

    [Fact]
    public void NpsAndCes_Scales()
    {
        SurveyQuestion nps = BuiltInInstruments.Nps.Question("nps")!;
        SurveyQuestion ces = BuiltInInstruments.Ces.Question("ces")!;

        Assert.Equal((QuestionType.Nps, true, 0, 10), (nps.Type, nps.Required, nps.ScaleMin, nps.ScaleMax));
        Assert.Equal((QuestionType.Ces, true, 1, 7), (ces.Type, ces.Required, ces.ScaleMin, ces.ScaleMax));
        Assert.Null(BuiltInInstruments.Nps.SatisfiedMinimum);
    }

    [Fact]
    public void All_EndWithOneOptionalComment()
    {
        foreach (SurveyInstrument instrument in BuiltInInstruments.All)
        {
            SurveyQuestion last = instrument.Questions[^1];
            Assert.Equal(("comment", QuestionType.FreeText, false), (last.Id, last.Type, last.Required));
            Assert.Single(instrument.Questions, q => q.Type == QuestionType.FreeText);
        }
    }

    [Theory]
    [InlineData(ServqualPart.Expectation, "e")]
    [InlineData(ServqualPart.Perception, "p")]
    public void Servqual_Part_22ItemsOn7Points(ServqualPart part, string prefix)
    {
        List<SurveyQuestion> items = [.. BuiltInInstruments.Servqual.Questions.Where(q => q.Part == part)];

        Assert.Equal(22, items.Count);
        Assert.Equal(Enumerable.Range(1, 22), items.Select(q => q.Item!.Value));
        Assert.Equal(Enumerable.Range(1, 22).Select(i => prefix + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)), items.Select(q => q.Id));
        Assert.All(items, q => Assert.Equal((QuestionType.Rating, 1, 7, false), (q.Type, q.ScaleMin, q.ScaleMax, q.Required)));
    }

    [Fact]
    public void Servqual_Dimensions_RevisedScaleMembership()
    {
        // Parasuraman, Berry and Zeithaml (1991): items 1–4 tangibles, 5–9 reliability, 10–13 responsiveness,
        // 14–17 assurance, 18–22 empathy.
        var expected = new Dictionary<ServqualDimension, int[]>
        {
            [ServqualDimension.Tangibles] = [1, 2, 3, 4],
            [ServqualDimension.Reliability] = [5, 6, 7, 8, 9],
            [ServqualDimension.Responsiveness] = [10, 11, 12, 13],
            [ServqualDimension.Assurance] = [14, 15, 16, 17],
            [ServqualDimension.Empathy] = [18, 19, 20, 21, 22],
        };
        foreach (SurveyInstrument instrument in new[] { BuiltInInstruments.Servqual, BuiltInInstruments.ServqualZoneOfTolerance })
        {
            foreach (IGrouping<ServqualPart, SurveyQuestion> part in instrument.Questions.Where(q => q.Item is not null).GroupBy(q => q.Part!.Value))
            {
                foreach ((ServqualDimension dimension, int[] items) in expected)
                {
                    Assert.Equal(items, part.Where(q => q.Dimension == dimension).Select(q => q.Item!.Value));
                }
            }
        }
    }

    [Fact]
    public void Servqual_Importance_100PointsOverFiveDimensions()
    {
        List<SurveyQuestion> importance = [.. BuiltInInstruments.Servqual.Questions.Where(q => q.Part == ServqualPart.Importance)];

        Assert.Equal(Enum.GetValues<ServqualDimension>(), importance.Select(q => q.Dimension!.Value));
        Assert.Equal(["importance_tangibles", "importance_reliability", "importance_responsiveness", "importance_assurance", "importance_empathy"], importance.Select(q => q.Id));
        Assert.All(importance, q => Assert.Equal((QuestionType.Allocation, 0, 100, (int?)null), (q.Type, q.ScaleMin, q.ScaleMax, q.Item)));
    }

    [Fact]
    public void Servqual_Order_ExpectationsImportancePerceptionsComment()
    {
        SurveyInstrument servqual = BuiltInInstruments.Servqual;

        Assert.Equal(22 + 5 + 22 + 1, servqual.Questions.Count);
        Assert.Equal(
            [ServqualPart.Expectation, ServqualPart.Importance, ServqualPart.Perception],
            servqual.Questions.Where(q => q.Part is not null).Select(q => q.Part!.Value).Distinct());
    }

    [Fact]
    public void ZoneOfTolerance_MinimumDesiredPerceivedPerItemOn9Points()
    {
        SurveyInstrument zot = BuiltInInstruments.ServqualZoneOfTolerance;

        Assert.Equal(66 + 1, zot.Questions.Count);
        for (int item = 1; item <= 22; item++)
        {
            string n = item.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            List<SurveyQuestion> triple = [.. zot.Questions.Skip((item - 1) * 3).Take(3)];
            Assert.Equal(["m" + n, "d" + n, "p" + n], triple.Select(q => q.Id));
            Assert.Equal([ServqualPart.Minimum, ServqualPart.Desired, ServqualPart.Perception], triple.Select(q => q.Part!.Value));
            Assert.All(triple, q => Assert.Equal((QuestionType.Rating, 1, 9, item), (q.Type, q.ScaleMin, q.ScaleMax, q.Item!.Value)));
        }
    }

    [Fact]
    public void DimensionOfItem_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInInstruments.DimensionOfItem(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInInstruments.DimensionOfItem(23));
    }

    [Fact]
    public void FindAndFamily_UnknownAndKnown()
    {
        Assert.Null(BuiltInInstruments.Find("servqual-2"));
        Assert.Null(BuiltInInstruments.Family("servqual-2"));
        Assert.Equal(
            ["csat", "csat", "csat", "csat", "nps", "ces", "servqual", "servqual-zot"],
            BuiltInInstruments.All.Select(i => BuiltInInstruments.Family(i.Id)));
    }
}
