using System.Globalization;
using Utendaji.Core.Surveys;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Turns one written answer into a <see cref="SurveyAnswer"/> checked against its question, or a reason it cannot be
/// one. Shared by the CSV and NDJSON readers so both say the same thing about the same mistake. Reasons follow the
/// offending value in the message (<c>q05: '9' is outside the scale 1–7</c>).
/// </summary>
internal static class AnswerRules
{
    // Longer option lists are cut in messages so one issue stays one line.
    private const int MaxOptionsShown = 12;

    /// <summary>A CSV cell (not blank) as the answer to <paramref name="question"/>.</summary>
    public static SurveyAnswer? FromText(SurveyQuestion question, string text, char separator, out string? reason)
    {
        switch (question.Type)
        {
            case QuestionType.FreeText:
                reason = null;
                return new SurveyAnswer { Text = text }; // As written: surrounding spaces are part of a comment.
            case QuestionType.SingleChoice:
            case QuestionType.MultipleChoice:
                var parts = text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return FromChoices(question, parts, out reason);
            default:
                return FromNumber(question, text.Trim(), out reason);
        }
    }

    /// <summary>A number written as <paramref name="text"/> (a CSV cell, a JSON number or a JSON string) for a numeric question.</summary>
    public static SurveyAnswer? FromNumber(SurveyQuestion question, string text, out string? reason)
    {
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value))
        {
            reason = "is not a number";
            return null;
        }

        if (question.Type == QuestionType.Allocation)
        {
            if (value < question.ScaleMin || value > question.ScaleMax)
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"is outside {question.ScaleMin}–{question.ScaleMax} points");
                return null;
            }
        }
        else
        {
            // Ratings, NPS and CES are points on a scale: 4.5 is not an answer anyone could have given.
            if (value != Math.Floor(value))
            {
                reason = "is not a whole number";
                return null;
            }

            if (value < question.ScaleMin || value > question.ScaleMax)
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"is outside the scale {question.ScaleMin}–{question.ScaleMax}");
                return null;
            }
        }

        reason = null;
        return new SurveyAnswer { Number = value + 0.0 }; // + 0.0 turns -0 into 0.
    }

    /// <summary>Option ids (trimmed, none empty) for a choice question.</summary>
    public static SurveyAnswer? FromChoices(SurveyQuestion question, IReadOnlyList<string> choices, out string? reason)
    {
        if (choices.Count == 0)
        {
            reason = "names no option";
            return null;
        }

        if (question.Type == QuestionType.SingleChoice && choices.Count > 1)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"names {choices.Count} options but the question takes one");
            return null;
        }

        var chosen = new string[choices.Count];
        for (var i = 0; i < choices.Count; i++)
        {
            var choice = choices[i];
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(chosen[j], choice, StringComparison.Ordinal))
                {
                    reason = $"names the option '{choice}' twice";
                    return null;
                }
            }

            var option = Option(question, choice);
            if (option is null)
            {
                reason = choices.Count == 1
                    ? $"is not one of the options ({OptionList(question)})"
                    : $"names '{choice}', which is not one of the options ({OptionList(question)})";
                return null;
            }

            chosen[i] = option;
        }

        reason = null;
        return new SurveyAnswer { Choices = chosen };
    }

    /// <summary>The instrument's own string for the option (so a million answers share a handful of strings), or null.</summary>
    private static string? Option(SurveyQuestion question, string choice)
    {
        if (question.Options.Count == 0)
        {
            return choice; // An instrument that lists no options accepts any option id.
        }

        foreach (var option in question.Options)
        {
            if (string.Equals(option, choice, StringComparison.Ordinal))
            {
                return option;
            }
        }

        return null;
    }

    private static string OptionList(SurveyQuestion question)
    {
        var shown = question.Options.Take(MaxOptionsShown);
        var list = string.Join(", ", shown);
        return question.Options.Count > MaxOptionsShown ? list + ", …" : list;
    }
}
