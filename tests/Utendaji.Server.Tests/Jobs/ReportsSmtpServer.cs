using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>
/// A minimal SMTP server on a free loopback port: a real conversation over TCP (EHLO/HELO, MAIL, RCPT, DATA, RSET,
/// QUIT), no TLS and no AUTH. Records each accepted message; can be told to refuse the next MAIL with a 4xx.
/// </summary>
internal sealed class ReportsSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _refuseNext;

    public ReportsSmtpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<SmtpMessage> Messages { get; } = new();

    /// <summary>Commands seen, in order, over all connections (verbs only).</summary>
    public ConcurrentQueue<string> Verbs { get; } = new();

    /// <summary>The next <paramref name="count"/> MAIL commands get "451 4.3.0 try again later".</summary>
    public void RefuseNext(int count = 1) => Interlocked.Exchange(ref _refuseNext, count);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost test ESMTP");
            string? from = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                Verbs.Enqueue(verb);
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost\r\n250 8BITMIME");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 localhost");
                        break;
                    case "MAIL":
                        if (Interlocked.Decrement(ref _refuseNext) >= 0)
                        {
                            await writer.WriteLineAsync("451 4.3.0 try again later");
                        }
                        else
                        {
                            Interlocked.Exchange(ref _refuseNext, 0);
                            from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                            to.Clear();
                            await writer.WriteLineAsync("250 2.1.0 ok");
                        }

                        break;
                    case "RCPT":
                        to.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                        await writer.WriteLineAsync("250 2.1.5 ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        Messages.Enqueue(new SmtpMessage(from ?? "", [.. to], data.ToString()));
                        await writer.WriteLineAsync("250 2.0.0 queued");
                        break;
                    case "RSET":
                    case "NOOP":
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 not implemented");
                        break;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}

/// <summary>A message as received: envelope and the raw DATA, with helpers to read its headers and MIME parts.</summary>
internal sealed record SmtpMessage(string From, IReadOnlyList<string> To, string Data)
{
    private (string Headers, string Body) Split(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (text[..end], text[(end + 4)..]);
    }

    private static Dictionary<string, string> Headers(string block)
    {
        var unfolded = block.Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in unfolded.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return headers;
    }

    public IReadOnlyDictionary<string, string> Header => Headers(Split(Data).Headers);

    /// <summary>The subject with RFC 2047 base64 or Q encoded words decoded.</summary>
    public string Subject => string.Concat(Header["Subject"].Split(' ').Select(word =>
        word.StartsWith("=?", StringComparison.Ordinal) && word.EndsWith("?=", StringComparison.Ordinal)
            ? Decode(word)
            : word + " ")).Trim();

    private static string Decode(string word)
    {
        var parts = word[2..^2].Split('?');
        return string.Equals(parts[1], "B", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(parts[2]))
            : parts[2].Replace('_', ' ');
    }

    /// <summary>The parts of the top-level multipart body: content type and decoded text.</summary>
    public IReadOnlyList<(string ContentType, string Text)> Parts()
    {
        var (headerBlock, body) = Split(Data);
        var contentType = Headers(headerBlock)["Content-Type"];
        var boundary = contentType[(contentType.IndexOf("boundary=", StringComparison.Ordinal) + 9)..].Split(';')[0].Trim('"');
        var parts = new List<(string, string)>();
        foreach (var chunk in body.Split("--" + boundary).Skip(1))
        {
            if (chunk.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var (partHeaders, partBody) = Split(chunk.TrimStart('\r', '\n'));
            var headers = Headers(partHeaders);
            var encoding = headers.GetValueOrDefault("Content-Transfer-Encoding", "7bit");
            var text = string.Equals(encoding, "base64", StringComparison.OrdinalIgnoreCase)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(partBody.Replace("\r\n", "", StringComparison.Ordinal)))
                : partBody;
            parts.Add((headers["Content-Type"], text));
        }

        return parts;
    }
}
