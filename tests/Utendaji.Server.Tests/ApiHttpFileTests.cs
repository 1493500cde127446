using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Utendaji.Server.Tests;

/// <summary>docs/api.http is run, request by request in file order, against a fresh server, so its examples cannot rot.</summary>
public sealed partial class ApiHttpFileTests
{
    [Fact]
    public async Task EveryExampleRequest_Succeeds()
    {
        const string ChatwootToken = "a-chatwoot-url-token-for-the-api-http-test";
        const string ZendeskSecret = "a-zendesk-secret-for-the-api-http-test";
        await using var server = await ServerHarness.StartAsync(configuration: (org, _) => new Dictionary<string, string?>
        {
            [$"Utendaji:Connectors:Organisations:{org}:Chatwoot:Token"] = ChatwootToken,
            [$"Utendaji:Connectors:Organisations:{org}:Zendesk:Secret"] = ZendeskSecret,
            ["Utendaji:SurveyLinks:Secret"] = "a-survey-link-secret-for-the-api-http-test",
        });
        var token = await server.TokenAsync();
        var client = server.Client(null);
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "api.http"));
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in VariableLine().Matches(text))
        {
            variables[match.Groups[1].Value] = match.Groups[2].Value.Trim();
        }

        variables["base"] = "";
        variables["org"] = server.Org;
        variables["token"] = token.Secret;
        variables["chatwoot_token"] = ChatwootToken;

        var requests = text.Split("\n###", StringSplitOptions.None).Skip(1).ToList();
        Assert.True(requests.Count >= 38, $"{requests.Count} requests found");
        foreach (var block in requests)
        {
            var lines = block.Split('\n').Skip(1).Select(l => l.TrimEnd('\r')).ToList();
            var start = lines.FindIndex(l => l.Length > 0 && !l.StartsWith('#'));
            var requestLine = Expand(lines[start], variables).Split(' ', 2);
            using var request = new HttpRequestMessage(new HttpMethod(requestLine[0]), requestLine[1]);
            var i = start + 1;
            string? contentType = null;
            for (; i < lines.Count && lines[i].Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                var name = lines[i][..colon].Trim();
                var value = Expand(lines[i][(colon + 1)..].Trim(), variables);
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = value;
                }
                else if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Authorization = AuthenticationHeaderValue.Parse(value);
                }
            }

            var body = string.Join('\n', lines.Skip(i + 1)).TrimEnd('\n') + "\n";
            if (contentType is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            if (requestLine[1].EndsWith("/webhooks/zendesk", StringComparison.Ordinal))
            {
                // A static file cannot sign: the placeholders in the example are replaced by what Zendesk would send.
                var timestamp = server.Clock.Now.ToString("uuuu-MM-ddTHH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                request.Headers.Add(Ingest.Webhooks.WebhookSignature.ZendeskTimestampHeader, timestamp);
                request.Headers.Add(Ingest.Webhooks.WebhookSignature.ZendeskSignatureHeader,
                    Ingest.Webhooks.WebhookSignature.SignZendesk(Encoding.UTF8.GetBytes(body), timestamp, ZendeskSecret));
            }

            var response = await client.SendAsync(request);

            Assert.True(response.IsSuccessStatusCode, $"{lines[start]} ({block.Split('\n')[0].Trim()}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.True((await server.CountsAsync()).Events >= 5);
        // The webhook examples were stored through the receivers.
        Assert.NotNull(await server.WithStoreAsync(s => s.GetFactsAsync("chatwoot:274")));
        Assert.NotNull(await server.WithStoreAsync(s => s.GetFactsAsync("zendesk:4821")));
    }

    private static string Expand(string text, Dictionary<string, string> variables)
    {
        // Variables may refer to others (@api = {{base}}/api/v1/orgs/{{org}}).
        for (var pass = 0; pass < 5 && text.Contains("{{", StringComparison.Ordinal); pass++)
        {
            text = Placeholder().Replace(text, m => variables[m.Groups[1].Value]);
        }

        return text;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Utendaji.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Utendaji.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^@(\w+) = (.*)$", RegexOptions.Multiline)]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();
}
