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
}
