using System.Globalization;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Surveys.Analysis;

namespace Utendaji.Reports.Surveys;

/// <summary>Names and number formats shared by the survey renderers (invariant culture; machine names in snake_case).</summary>
internal static class SurveyFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => Format.Snake(value.ToString());

    /// <summary>Machine name of a SERVQUAL scale: expectation, perception, gap, minimum, desired, adequacy, superiority.</summary>
    public static string ScaleName(ServqualScale scale) => Name(scale);

    /// <summary>Short human label of a scale.</summary>
    public static string ScaleLabel(ServqualScale scale) => scale switch
    {
        ServqualScale.Expectation => "E",
        ServqualScale.Perception => "P",
        ServqualScale.Gap => "gap P − E",
        ServqualScale.Minimum => "minimum",
        ServqualScale.Desired => "desired",
        ServqualScale.Adequacy => "MSA P − min",
        _ => "MSS P − desired",
    };

    public static bool IsDifference(ServqualScale scale) => scale is ServqualScale.Gap or ServqualScale.Adequacy or ServqualScale.Superiority;

    public static string DimensionName(SurveyGroupDimension dimension) => Name(dimension);

    public static string Grouping(SurveyReportOptions options) =>
        options.GroupBy.Count == 0 ? "no grouping" : "by " + string.Join(", ", options.GroupBy.Select(DimensionName));

    public static string Range(ReportPeriod range) =>
        range.Start is null && range.End is null
            ? "all data"
            : $"{(range.Start is null ? "…" : Format.Instant(range.Start))} to {(range.End is null ? "…" : Format.Instant(range.End))} (end exclusive)";

    public static string NpsMethod(NpsIntervalMethod method) => method == NpsIntervalMethod.AdjustedWald ? "adjusted Wald" : "Wald";

    public static string RuleText(MissingDataRule rule) => rule == MissingDataRule.Listwise
        ? "listwise: only respondents who answered every item of the dimension are used"
        : "pairwise: each variance and covariance uses every respondent who answered its item(s)";

    /// <summary>"87.5% (n=120, 95% CI 80.4–92.3)"; "—" when n = 0; " *" when n is below the minimum.</summary>
    public static string Rate(Proportion p, int minimumN)
    {
        if (p.Rate is not { } rate || p.Wilson95 is not { } ci)
        {
            return Format.Dash;
        }

        return string.Create(Inv, $"{Format.Percent(rate)}% (n={p.Trials}, 95% CI {Format.Percent(ci.Lower)}–{Format.Percent(ci.Upper)})") + Star(p.Trials, minimumN);
    }

    /// <summary>"+23.0 (n=120, 95% CI 8.1 to 37.0)"; "—" when n = 0. " to " because the bounds can be negative.</summary>
    public static string Nps(NpsEstimate nps, int minimumN)
    {
        if (nps.Score is not { } score)
        {
            return Format.Dash;
        }

        var ci = nps.Interval95 is { } i ? string.Create(Inv, $", 95% CI {Signed(i.Lower, "0.0")} to {Signed(i.Upper, "0.0")}") : string.Empty;
        return string.Create(Inv, $"{Signed(score, "0.0")} (n={nps.N}{ci})") + Star(nps.N, minimumN);
    }

    /// <summary>"4.12 (n=120, 95% CI 3.95 to 4.29)"; "4.00 (n=1)"; "—" when n = 0.</summary>
    public static string Mean(MeanEstimate mean, int minimumN, bool signed = false)
    {
        if (mean.Mean is not { } m)
        {
            return Format.Dash;
        }

        var value = signed ? Signed(m, "0.00") : m.ToString("0.00", Inv);
        var ci = mean.Interval95 is { } i ? string.Create(Inv, $", 95% CI {Signed(i.Lower, "0.00", signed)} to {Signed(i.Upper, "0.00", signed)}") : string.Empty;
        return string.Create(Inv, $"{value} (n={mean.N}{ci})") + Star(mean.N, minimumN);
    }

    /// <summary>"0.812 (k=4, n=118, listwise)", with the smallest pair n under the pairwise rule; "—" with the reason's counts when undefined.</summary>
    public static string Alpha(AlphaEstimate alpha)
    {
        var rule = alpha.Rule == MissingDataRule.Listwise ? "listwise" : "pairwise";
        var pair = alpha.Rule == MissingDataRule.Pairwise ? string.Create(Inv, $", min pair n={alpha.MinimumPairN}") : string.Empty;
        var value = alpha.Alpha is { } a ? Signed(a, "0.000", signed: false) : Format.Dash;
        return string.Create(Inv, $"{value} (k={alpha.Items}, n={alpha.RespondentsUsed}{pair}, {rule})");
    }

    public static string Count(AnswerCount count) =>
        count.Share is { } share ? string.Create(Inv, $"{count.Count} ({Format.Percent(share)}%)") : Format.Number(count.Count);

    /// <summary>A p-value as "0.0123", "&lt;0.0001", or "—" without a test.</summary>
    public static string PValue(double? p) => p switch
    {
        null => Format.Dash,
        < 0.0001 => "<0.0001",
        { } v => v.ToString("0.0000", Inv),
    };

    public static string Verdict(FigureChange change) =>
        change.Test is null ? "no test (too little data or no variance)" : change.Significant ? "significant" : "not significant — noise";

    public static string TestName(TestMethod method) => method switch
    {
        TestMethod.TwoProportionZ => "two-proportion z",
        TestMethod.WelchT => "Welch t",
        _ => "NPS difference z",
    };

    /// <summary>"z = 2.31" or "t = −1.20 (df 48.3)".</summary>
    public static string Test(SignificanceTest? test)
    {
        if (test is null)
        {
            return Format.Dash;
        }

        var statistic = test.Method == TestMethod.WelchT ? "t" : "z";
        var df = test.DegreesOfFreedom is { } d ? string.Create(Inv, $", df {d:0.0}") : string.Empty;
        return string.Create(Inv, $"{TestName(test.Method)}: {statistic} = {Signed(test.Statistic, "0.00", signed: false)}{df}");
    }

    /// <summary>What a change compares, e.g. "CSAT satisfied (csat)", "SERVQUAL gap P − E: reliability".</summary>
    public static string FigureLabel(FigureChange change)
    {
        var question = change.QuestionId is { } q ? $" ({q})" : string.Empty;
        var scale = change.Scale is { } s ? ScaleLabel(s) : "gap P − E";
        return change.Figure switch
        {
            ChangeFigure.CsatSatisfied => "CSAT satisfied" + question,
            ChangeFigure.NpsScore => "NPS" + question,
            ChangeFigure.NpsPromoters => "NPS promoters" + question,
            ChangeFigure.NpsDetractors => "NPS detractors" + question,
            ChangeFigure.CesMean => "CES mean" + question,
            ChangeFigure.CesAgreeing => "CES agreeing" + question,
            ChangeFigure.ServqualDimension => $"SERVQUAL {scale}: {(change.Dimension is { } d ? Name(d) : "?")}",
            ChangeFigure.ServqualOverall => $"SERVQUAL {scale}: overall",
            _ => $"SERVQUAL {scale}: weighted",
        };
    }

    /// <summary>True when the figure is a share (0–1), shown in percent and its change in percentage points.</summary>
    public static bool IsRate(ChangeFigure figure) =>
        figure is ChangeFigure.CsatSatisfied or ChangeFigure.NpsPromoters or ChangeFigure.NpsDetractors or ChangeFigure.CesAgreeing;

    /// <summary>A compared value in its unit: "85.0%" for rates, "+23.0" for NPS, "4.12" / "−0.84" for means.</summary>
    public static string ChangeValue(ChangeFigure figure, double? value) => value switch
    {
        null => Format.Dash,
        { } v when IsRate(figure) => Format.Percent(v) + "%",
        { } v when figure == ChangeFigure.NpsScore => Signed(v, "0.0"),
        { } v when figure == ChangeFigure.CesMean => v.ToString("0.00", Inv),
        { } v => Signed(v, "0.00"),
    };

    /// <summary>The difference in its unit: "+3.5 pp" for rates, "+4.0" for NPS, "+0.12" for means.</summary>
    public static string Difference(ChangeFigure figure, double? difference) => difference switch
    {
        null => Format.Dash,
        { } d when IsRate(figure) => Signed(d * 100, "0.0") + " pp",
        { } d when figure == ChangeFigure.NpsScore => Signed(d, "0.0"),
        { } d => Signed(d, "0.00"),
    };

    /// <summary>A number with an explicit sign ("+0.50", "−0.84"); the minus is U+2212 so it reads as a sign, not a dash.</summary>
    public static string Signed(double value, string format, bool signed = true)
    {
        var text = Math.Abs(value).ToString(format, Inv);
        if (!signed)
        {
            return value < 0 && text.Any(c => c is >= '1' and <= '9') ? "−" + text : text;
        }

        return text.Any(c => c is >= '1' and <= '9') ? (value < 0 ? "−" : "+") + text : text;
    }

    public static string Star(long n, int minimumN) => n < minimumN ? " *" : string.Empty;

    public static string QuestionHeading(AnswerDistribution answers) => answers.Type switch
    {
        QuestionType.FreeText => $"question {answers.QuestionId} (free text: comments counted only)",
        QuestionType.Allocation => $"question {answers.QuestionId} (points allocated)",
        _ => $"question {answers.QuestionId} ({Name(answers.Type).Replace('_', ' ')})",
    };
}
