using System.Globalization;
using System.Net;

namespace Utendaji.Cli;

/// <summary>
/// The serve command's --urls, checked before anything starts: Kestrel would take an empty list as localhost:5000,
/// a host it cannot read (256.1.1.1) as every interface, and an https address as a request for a certificate.
/// </summary>
internal static class ListenAddresses
{
    public static IReadOnlyList<string> Parse(string value)
    {
        var addresses = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0)
        {
            throw new CliException("--urls: no address given (for example http://127.0.0.1:5080)", ExitCodes.Usage);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var address in addresses)
        {
            var endpoint = Check(address);
            if (!seen.Add(endpoint))
            {
                throw new CliException($"--urls: '{address}' is given twice", ExitCodes.Usage);
            }
        }

        return addresses;
    }

    /// <summary>The address's host and port, or a usage error saying what is wrong with it.</summary>
    private static string Check(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--urls: '{address}' is not an http:// address", ExitCodes.Usage);
        }

        if (uri.Scheme == "https")
        {
            // docs/operations.md: TLS is terminated by a reverse proxy in front of the server.
            throw new CliException($"--urls: '{address}': the server speaks plain HTTP; terminate TLS at a reverse proxy (nginx, Caddy, a load balancer; docs/operations.md) and give an http:// address here", ExitCodes.Usage);
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new CliException($"--urls: '{address}' must be only http://HOST:PORT", ExitCodes.Usage);
        }

        if (!HasPort(address, uri))
        {
            throw new CliException($"--urls: '{address}' has no port (for example http://127.0.0.1:5080)", ExitCodes.Usage);
        }

        var host = uri.Host;
        var hostIsAddress = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;
        if (!hostIsAddress && host.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            // Digits and dots that are not an IPv4 address (256.1.1.1): Kestrel would read a name and listen everywhere.
            throw new CliException($"--urls: '{host}' in '{address}' is not an IP address", ExitCodes.Usage);
        }

        if (!hostIsAddress && Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            throw new CliException($"--urls: '{host}' in '{address}' is not an IP address or a host name", ExitCodes.Usage);
        }

        var normalised = hostIsAddress ? IPAddress.Parse(uri.IdnHost).ToString() : host;
        return normalised + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the port was written: <see cref="Uri.Port"/> fills in 80 when it was not.</summary>
    private static bool HasPort(string address, Uri uri)
    {
        var authority = address[(uri.Scheme.Length + 3)..];
        var end = authority.IndexOf('/', StringComparison.Ordinal);
        authority = end < 0 ? authority : authority[..end];
        var colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && colon < authority.Length - 1;
    }
}
