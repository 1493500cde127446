using System.Globalization;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Web.Dashboard;

/// <summary>
/// The dashboard's sign-in settings, from <c>Utendaji:Dashboard:*</c> (docs/operations.md, docs/dashboard.md).
/// </summary>
public sealed record DashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Utendaji:Dashboard";

    /// <summary>Failed sign-ins in a row that lock a person out (<c>MaxFailedSignIns</c>, default 5).</summary>
    public int MaxFailedSignIns { get; init; } = 5;

    /// <summary>How long a lock lasts (<c>LockoutMinutes</c>, default 15).</summary>
    public Duration Lockout { get; init; } = Duration.FromMinutes(15);

    /// <summary>A session ends after this long without a request (<c>SessionHours</c>, default 8; sliding).</summary>
    public TimeSpan Session { get; init; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Where the data-protection keys that encrypt session cookies are kept (<c>KeysDirectory</c>); null: the
    /// server's default (beside the SQLite file for <c>utendaji serve</c>), or in memory when it has none.
    /// </summary>
    public string? KeysDirectory { get; init; }

    /// <summary>The lock-out as the account store takes it.</summary>
    public SignInLockout SignInLockout => new(MaxFailedSignIns, Lockout);

    /// <summary>Reads the section; a value out of range stops the start with a message naming the key.</summary>
    /// <exception cref="ServerConfigurationException">A value is not a number or out of range.</exception>
    public static DashboardOptions Read(IConfiguration configuration, string? defaultKeysDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var keys = section["KeysDirectory"];
        return new DashboardOptions
        {
            MaxFailedSignIns = Number(section, "MaxFailedSignIns", 5, 1, 1000),
            Lockout = Duration.FromMinutes(Number(section, "LockoutMinutes", 15, 1, 24 * 60)),
            Session = TimeSpan.FromHours(Number(section, "SessionHours", 8, 1, 24 * 7)),
            KeysDirectory = string.IsNullOrWhiteSpace(keys) ? defaultKeysDirectory : keys.Trim(),
        };
    }

    private static int Number(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ServerConfigurationException($"{Section}:{key}: '{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }
}
