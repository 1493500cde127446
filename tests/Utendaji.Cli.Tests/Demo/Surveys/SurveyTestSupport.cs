using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Utendaji.Core.Surveys;

namespace Utendaji.Cli.Tests.Demo.Surveys;

/// <summary>Canonical text of survey data, a validator written from the instrument definitions, and Cronbach's alpha.</summary>
internal static class SurveyTestSupport
{
    /// <summary>SHA-256 over one invariant line per send, then per response, answers in the instrument's question order.</summary>
    public static string Hash(IEnumerable<SurveySend> sends, IEnumerable<SurveyResponse> responses)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder(512);
        foreach (var s in sends)
        {
            line.Clear();
            line.Append(s.SendId).Append('|').Append(s.InstrumentId).Append('|').Append(Ticks(s.SentAt)).Append('|')
                .Append(s.TicketId).Append('|').Append(s.Customer).Append('|').Append(s.Channel).Append('|').Append(s.Language).Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }

        foreach (var r in responses)
        {
            line.Clear();
            line.Append(r.ResponseId).Append('|').Append(r.InstrumentId).Append('|').Append(Ticks(r.SubmittedAt)).Append('|')
                .Append(r.SendId).Append('|').Append(r.SentAt is { } sent ? Ticks(sent) : "").Append('|')
                .Append(r.TicketId).Append('|').Append(r.Customer).Append('|').Append(r.Agent).Append('|').Append(r.Team).Append('|')
                .Append(r.Channel).Append('|').Append(r.Language).Append('|');
            foreach (var question in BuiltInInstruments.Find(r.InstrumentId)!.Questions)
            {
                if (r.Answers.TryGetValue(question.Id, out var answer))
                {
                    line.Append(question.Id).Append('=')
                        .Append(answer.Number?.ToString("R", CultureInfo.InvariantCulture)).Append(answer.Text).Append(';');
                }
            }

            line.Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>
    /// Why <paramref name="response"/> is not a valid answer to <paramref name="instrument"/>, or null: unknown item,
    /// not exactly one kind of answer, a number that is not a whole number on the scale, a missing required item,
    /// empty text, or an allocation that is partial or does not sum to its total.
    /// </summary>
    public static string? Problem(SurveyInstrument instrument, SurveyResponse response)
    {
        foreach (var (id, answer) in response.Answers)
        {
            var question = instrument.Question(id);
            if (question is null)
            {
                return $"{response.ResponseId}: unknown item {id}";
            }

            var kinds = (answer.Number is null ? 0 : 1) + (answer.Choices is null ? 0 : 1) + (answer.Text is null ? 0 : 1);
            if (kinds != 1)
            {
                return $"{response.ResponseId}: {id} has {kinds} kinds of answer";
            }

            if (question.Type == QuestionType.FreeText)
            {
                if (string.IsNullOrWhiteSpace(answer.Text))
                {
                    return $"{response.ResponseId}: {id} is empty or not text";
                }
            }
            else if (answer.Number is not double n || n != Math.Floor(n) || n < question.ScaleMin || n > question.ScaleMax)
            {
                return $"{response.ResponseId}: {id} = {answer.Number} is off the scale {question.ScaleMin}–{question.ScaleMax}";
            }
        }

        foreach (var question in instrument.Questions.Where(q => q.Required))
        {
            if (!response.Answers.ContainsKey(question.Id))
            {
                return $"{response.ResponseId}: required {question.Id} is missing";
            }
        }

        var allocation = instrument.Questions.Where(q => q.Type == QuestionType.Allocation).ToArray();
        var allocated = allocation.Where(q => response.Answers.ContainsKey(q.Id)).ToArray();
        if (allocated.Length > 0)
        {
            if (allocated.Length != allocation.Length)
            {
                return $"{response.ResponseId}: partial allocation ({allocated.Length} of {allocation.Length})";
            }

            var sum = allocated.Sum(q => response.Answers[q.Id].Number!.Value);
            if (sum != InstrumentJson.DefaultAllocationTotal)
            {
                return $"{response.ResponseId}: allocation sums to {sum}";
            }
        }

        return null;
    }

    /// <summary>
    /// Cronbach's alpha of the rows (respondents × items), listwise: k/(k−1) · (1 − Σ item variances / variance
    /// of the total), sample variances (n − 1).
    /// </summary>
    public static double CronbachAlpha(IReadOnlyList<double[]> rows)
    {
        var k = rows[0].Length;
        double itemVariances = 0;
        for (var i = 0; i < k; i++)
        {
            itemVariances += Variance(rows.Select(r => r[i]).ToArray());
        }

        var totalVariance = Variance(rows.Select(r => r.Sum()).ToArray());
        return k / (k - 1.0) * (1 - (itemVariances / totalVariance));
    }

    /// <summary>Whether every letter and mark of <paramref name="text"/> lies in [<paramref name="first"/>, <paramref name="last"/>], and there is at least one.</summary>
    public static bool LettersIn(string text, int first, int last)
    {
        var letters = text.Where(c => char.IsLetter(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark).ToArray();
        return letters.Length > 0 && letters.All(c => c >= first && c <= last);
    }

    private static double Variance(double[] values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }

    private static string Ticks(NodaTime.Instant at) => at.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture);
}
