using System.Text;
using System.Text.Json;
using Utendaji.Core;

namespace Utendaji.Storage.Jobs;

/// <summary>Checks and codes both queue implementations share, so they accept and store exactly the same things.</summary>
internal static class JobRules
{
    // Stored codes, fixed here (never the enum's ordinal by accident).
    public const int Queued = 0;
    public const int Running = 1;
    public const int Done = 2;
    public const int Dead = 3;

    public static JobState State(int code) => code switch
    {
        Queued => JobState.Queued,
        Running => JobState.Running,
        Done => JobState.Done,
        Dead => JobState.Dead,
        _ => throw new InvalidDataException($"Unknown job state code {code}."),
    };

    public static void Validate(JobRequest job)
    {
        Guard.NotNull(job);
        Guard.NotBlank(job.Organisation, "Organisation");
        ValidateKind(job.Kind);
        ValidateDedupeKey(job.DedupeKey);
        Guard.NotNull(job.Payload, "Payload");
        try
        {
            using var document = JsonDocument.Parse(job.Payload);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"must be a JSON document ({e.Message})", "Payload", e);
        }
    }

    public static void ValidateKind(string kind)
    {
        Guard.NotBlank(kind, "Kind");
        if (kind.Length > JobRequest.MaxKindLength || !kind.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
        {
            throw new ArgumentException(
                $"must be at most {JobRequest.MaxKindLength} characters of a-z, 0-9, '-' and '.'; got '{kind}'", "Kind");
        }
    }

    public static void ValidateDedupeKey(string key)
    {
        Guard.NotBlank(key, "DedupeKey");
        if (key.Length > JobRequest.MaxDedupeKeyLength || !key.All(c => c is > ' ' and < '\u007f'))
        {
            throw new ArgumentException(
                $"must be at most {JobRequest.MaxDedupeKeyLength} printable ASCII characters without spaces", "DedupeKey");
        }
    }

    /// <summary>The error as stored: control characters replaced, at most <see cref="JobRequest.MaxErrorLength"/> characters.</summary>
    public static string Error(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return "failed (no reason given)";
        }

        var length = Math.Min(error.Length, JobRequest.MaxErrorLength);
        if (length < error.Length && char.IsHighSurrogate(error[length - 1]))
        {
            length--; // never keep half of a character
        }

        var text = new StringBuilder(length);
        foreach (var c in error.AsSpan(0, length))
        {
            text.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.ToString();
    }

    public static void ValidateWorker(string worker) => Guard.NotBlank(worker);
}
