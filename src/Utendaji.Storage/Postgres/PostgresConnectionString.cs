using System.Globalization;
using Npgsql;

namespace Utendaji.Storage.Postgres;

/// <summary>The two spellings of a PostgreSQL connection string (keywords, URI) and a description safe to print.</summary>
internal static class PostgresConnectionString
{
    /// <summary>
    /// Keyword form (<c>Host=...;Database=...</c>) as given, or a <c>postgres://</c> / <c>postgresql://</c> URI converted
    /// to it: user and password from the user info, host and port, the database from the path, and query parameters
    /// as keywords (<c>sslmode</c> as <c>SSL Mode</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The text is neither form, or names a keyword Npgsql does not know.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        if (!IsUri(text))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(text);
            }
            catch (ArgumentException e)
            {
                // Npgsql's message names the keyword; the text itself may hold a password and is not repeated.
                throw new ArgumentException($"Not a valid PostgreSQL connection string: {e.Message}", nameof(text), e);
            }
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("Not a valid PostgreSQL URI: expected postgresql://user:password@host:port/database", nameof(text));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            try
            {
                builder[string.Equals(key, "sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"The PostgreSQL URI parameter '{key}' is not supported: {e.Message}", nameof(text), e);
            }
        }

        return builder;
    }

    /// <summary>True for a value that is a PostgreSQL connection string rather than a file path.</summary>
    public static bool Recognises(string text) =>
        IsUri(text) || text.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>postgresql://host:port/database</c>: never the user name's password or any other keyword.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        string.Create(CultureInfo.InvariantCulture, $"postgresql://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? ""}");

    private static bool IsUri(string text) =>
        text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
}
