using System.Globalization;
using Utendaji.Ingest.Importing;
using Utendaji.Storage;

namespace Utendaji.Cli;

/// <summary>Re-derives every ticket's facts after the configuration changed (calendar, SLA policy, options).</summary>
internal static class Rederivation
{
    public static async Task RunAsync(IUtendajiStore store, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var context = await EngineConfiguration.LoadAsync(store, environment.Clock.GetCurrentInstant(), cancellationToken);
        var counts = await store.CountAsync(cancellationToken);
        if (counts.Facts == 0)
        {
            return;
        }

        var done = await ProgressDisplay.RunAsync(environment.IsInteractive, "Re-deriving ticket facts", report =>
            store.RederiveAllAsync(
                source => ImportPipeline.Derive(source, context),
                new Progress<long>(n => report(n, counts.Facts)),
                cancellationToken));
        await environment.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"facts re-derived for {done} ticket(s)"));
    }
}
