namespace Utendaji.Storage.Accounts;

/// <summary>
/// The rules for organisation names, e-mail addresses and token names, shared by both account stores so SQLite and
/// PostgreSQL accept the same values (PostgreSQL cannot hold a NUL at all; SQLite stored anything).
/// </summary>
public static class AccountText
{
    /// <summary>Longest e-mail address (RFC 5321's limit on a forward path).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Longest organisation name: it is a segment of every API path and a key in configuration.</summary>
    public const int MaxOrganisationLength = 100;

    /// <summary>Longest token name (a label shown in lists).</summary>
    public const int MaxTokenNameLength = 100;

    /// <summary>
    /// Whether <paramref name="text"/> has no control character (C0, DEL, C1) and no unpaired surrogate: what no
    /// name or address may contain, and what a look-up can skip the database for.
    /// </summary>
    public static bool IsPlain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The trimmed organisation name, usable as a URL path segment: not blank, not <c>.</c> or <c>..</c> (which a path
    /// resolves away), no whitespace, control character, <c>/ ? # %</c>, at most <see cref="MaxOrganisationLength"/>.
    /// </summary>
    /// <exception cref="AccountException">The name breaks a rule (the message says which).</exception>
    public static string Organisation(string? organisation)
    {
        var name = organisation?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw new AccountException("the organisation name must not be blank", "organisation");
        }

        if (name.Length > MaxOrganisationLength)
        {
            throw new AccountException($"the organisation name is longer than {MaxOrganisationLength} characters", "organisation");
        }

        if (name is "." or ".." || !IsPlain(name) || name.Any(c => c is '/' or '?' or '#' or '%' || char.IsWhiteSpace(c)))
        {
            throw new AccountException("the organisation name cannot be used in a URL path: use letters, digits, '-', '_' or '.'", "organisation");
        }

        return name;
    }

    /// <summary>
    /// The trimmed, lower-case address: something before and after an '@', no whitespace or control character, at most
    /// <see cref="MaxEmailLength"/> characters.
    /// </summary>
    /// <exception cref="AccountException">It is not such an address.</exception>
    public static string Email(string? email)
    {
        var trimmed = email?.Trim() ?? "";
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (trimmed.Length > MaxEmailLength)
        {
            throw new AccountException($"the e-mail address is longer than {MaxEmailLength} characters", "email");
        }

        if (at <= 0 || at == trimmed.Length - 1 || trimmed.Any(char.IsWhiteSpace) || !IsPlain(trimmed))
        {
            // The address is quoted only when it is plain text: a control character would go on into logs and pages.
            throw new AccountException(IsPlain(trimmed) ? $"'{trimmed}' is not an e-mail address" : "the e-mail address contains a control character", "email");
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>The trimmed token name, or null for none: no control character, at most <see cref="MaxTokenNameLength"/>.</summary>
    /// <exception cref="AccountException">The name breaks a rule.</exception>
    public static string? TokenName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim();
        if (trimmed.Length > MaxTokenNameLength)
        {
            throw new AccountException($"the token name is longer than {MaxTokenNameLength} characters", "name");
        }

        return IsPlain(trimmed) ? trimmed : throw new AccountException("the token name contains a control character", "name");
    }

    /// <summary>
    /// The trimmed text to look an organisation or address up by, or null when no stored value can equal it (it has a
    /// control character or an unpaired surrogate): the caller answers "not found" without asking the database.
    /// </summary>
    internal static string? LookUp(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        return IsPlain(trimmed) ? trimmed : null;
    }

    /// <summary>The error for an organisation that does not exist (the name quoted only when it is plain text).</summary>
    internal static AccountException NoOrganisation(string? organisation) =>
        LookUp(organisation) is { } name
            ? new AccountException($"no organisation '{name}' (create it with 'utendaji admin create-org')", "organisation")
            : new AccountException("no such organisation (the name contains a control character)", "organisation");
}
