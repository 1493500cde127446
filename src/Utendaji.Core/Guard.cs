using System.Runtime.CompilerServices;

namespace Utendaji.Core;

/// <summary>Argument checks in one style; the failing expression names itself.</summary>
public static class Guard
{
    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="value"/> is null.</summary>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class
        => value ?? throw new ArgumentNullException(name);

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="value"/> is null or blank.</summary>
    public static string NotBlank(string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        => string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("must not be empty", name) : value;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="condition"/> is false.</summary>
    public static void InRange(bool condition, string reason, [CallerArgumentExpression(nameof(condition))] string? name = null)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, reason);
        }
    }
}
