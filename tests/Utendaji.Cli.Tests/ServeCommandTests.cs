using System.Net;
using System.Net.Sockets;

namespace Utendaji.Cli.Tests;

public sealed class ServeCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("localhost:5080")]
    [InlineData("ftp://127.0.0.1:5080")]
    public async Task Serve_AddressNotHttp_UsageErrorAndNothingStarted(string urls)
    {
        var result = await _cli.RunAsync("serve", "--urls", urls);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--urls", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadJobQueueKey_UsageErrorNamingItAndNoDatabaseCreated()
    {
        var folder = Path.Combine(Path.GetTempPath(), "utendaji-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var config = Path.Combine(folder, "server.json");
            await File.WriteAllTextAsync(config, """{ "Utendaji": { "Jobs": { "LeaseDuration": "a while" } } }""");
            var db = Path.Combine(folder, "store.db");

            var result = await _cli.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--db", db, "--config", config);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("configuration: Utendaji:Jobs:LeaseDuration: 'a while' is not a positive time span", result.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(db)); // refused before anything was opened
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("", "--urls: no address given")]
    [InlineData(" ; ", "--urls: no address given")]
    [InlineData("http://256.1.1.1:5296", "--urls: '256.1.1.1' in 'http://256.1.1.1:5296' is not an IP address")]
    [InlineData("http://127.0.0.1", "--urls: 'http://127.0.0.1' has no port")]
    [InlineData("http://127.0.0.1:5296/api", "must be only http://HOST:PORT")]
    [InlineData("http://127.0.0.1:5296;http://127.0.0.1:5296", "--urls: 'http://127.0.0.1:5296' is given twice")]
    [InlineData("https://127.0.0.1:5296", "terminate TLS at a reverse proxy")]
    public async Task Serve_BadUrls_UsageErrorNamingItAndNoStoreOpened(string urls, string message)
    {
        var result = await _cli.RunAsync("serve", "--urls", urls);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DatabasePath)); // refused before the store was opened
    }

    [Fact]
    public async Task Serve_PortAlreadyInUse_OneLineErrorNamingTheAddress()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var address = $"http://127.0.0.1:{port}";

        var result = await _cli.RunAsync("serve", "--urls", address);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"cannot listen: Failed to bind to address {address}: address already in use", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Utendaji": { "Reports": { "Schedules": { "acme": [ { "Name": "weekly", "Cadence": "Daily", "Webhook": { "Url": "https://hooks.example.org/r", "Secret": "0123456789abcdef-sixteen+" } } ] } } } }""",
        "configuration: Utendaji:Reports:Schedules:acme:0:Cadence: 'Daily' is not one of Weekly, Monthly")]
    [InlineData("""{ "Utendaji": { "SlaWarnings": { "ScanInterval": "60.00:00:00" } } }""",
        "configuration: Utendaji:SlaWarnings:ScanInterval: '60.00:00:00' is not a positive time span of at most 1.00:00:00")]
    public async Task Serve_ValueThatUsedToFailLaterOrBeDropped_UsageErrorNamingIt(string json, string message)
    {
        var folder = Path.Combine(Path.GetTempPath(), "utendaji-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var config = Path.Combine(folder, "server.json");
            await File.WriteAllTextAsync(config, json);
            var db = Path.Combine(folder, "store.db");

            var result = await _cli.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--db", db, "--config", config);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(message, result.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(db)); // refused before anything was opened
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
