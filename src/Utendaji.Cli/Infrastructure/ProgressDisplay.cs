using Spectre.Console;

namespace Utendaji.Cli;

/// <summary>
/// A progress bar on standard error when a person is watching a terminal; nothing otherwise (redirected output,
/// JSON output, tests), so machine-read output is never mixed with progress.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, giving it a callback that reports (done, total).</summary>
    public static async Task<T> RunAsync<T>(bool show, string title, Func<Action<long, long>, Task<T>> work)
    {
        if (!show)
        {
            return await work((_, _) => { });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(title, maxValue: 1);
                result = await work((done, total) =>
                {
                    task.MaxValue = Math.Max(1, total);
                    task.Value = Math.Min(done, task.MaxValue);
                });
                task.Value = task.MaxValue;
            });
        return result;
    }
}
