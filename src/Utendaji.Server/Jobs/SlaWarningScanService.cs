using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Utendaji.Core;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Runs <see cref="SlaWarningScanner"/> every <see cref="SlaWarningOptions.ScanInterval"/> over each organisation that
/// has an outgoing webhook. Every node may run it; the dedupe keys make the result the same as one node's.
/// </summary>
public sealed class SlaWarningScanService(
    SlaWarningScanner scanner, IOrganisationStores stores, SlaWarningOptions options, ILogger<SlaWarningScanService> logger) : BackgroundService
{
    /// <summary>One pass over every organisation with a webhook; a failing organisation does not stop the others.</summary>
    public async Task ScanAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var organisation in options.Webhooks.Keys.Order(StringComparer.Ordinal))
        {
            try
            {
                await stores.WithStoreAsync(organisation, scanner.ScanAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // One organisation's broken store must not stop the warnings of the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                JobLog.ScanFailed(logger, organisation, e.GetType().Name);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ScanInterval);
        try
        {
            do
            {
                await ScanAllAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a half-done scan enqueued what it found; the next start scans again.
        }
    }
}
