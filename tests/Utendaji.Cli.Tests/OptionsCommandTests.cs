namespace Utendaji.Cli.Tests;

public sealed class OptionsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("--credit", "99", "--credit: '99' is not one of Solver, Assignee, FirstResponder, LastResponder")]
    [InlineData("--credit", "-1", "--credit: '-1' is not one of Solver, Assignee, FirstResponder, LastResponder")]
    [InlineData("--first-contact", "-1", "--first-contact: '-1' is not one of OneTouch, NoReopen, NoCustomerFollowUp")]
    [InlineData("--first-contact", "7", "--first-contact: '7' is not one of OneTouch, NoReopen, NoCustomerFollowUp")]
    public async Task Options_UndefinedNumber_UsageErrorAndNothingStored(string option, string value, string message)
    {
        var before = await _cli.RunAsync("options");
        Assert.Equal(0, before.ExitCode);

        var result = await _cli.RunAsync("options", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        var after = await _cli.RunAsync("options");
        Assert.Equal(before.Out, after.Out);
    }

    [Fact]
    public async Task Options_DefinedName_Stored()
    {
        var result = await _cli.RunAsync("options", "--credit", "LastResponder", "--first-contact", "NoReopen");

        Assert.Equal(0, result.ExitCode);
        var shown = (await _cli.RunAsync("options")).Out;
        Assert.Contains("\"credit\": \"last_responder\"", shown, StringComparison.Ordinal);
        Assert.Contains("\"first_contact\": \"no_reopen\"", shown, StringComparison.Ordinal);
    }
}
