using Microsoft.Extensions.Hosting;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Runs a scan over each configured organisation at start and then every <see cref="Interval"/> (SLA warnings,
/// report deliveries, survey sends). Every node may run it: scanners enqueue with dedupe keys, so the result is the
/// same as one node's. A failing organisation is logged and does not stop the others.
/// </summary>
public abstract class OrganisationScanService : BackgroundService
{
    /// <summary>The organisations to scan, in a stable order.</summary>
    protected abstract IEnumerable<string> Organisations { get; }

    /// <summary>Time between passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass over every configured organisation; a failing organisation does not stop the others.</summary>
    public async Task ScanAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var organisation in Organisations.Order(StringComparer.Ordinal))
        {
            try
            {
                await ScanAsync(organisation, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // One organisation's broken store or a briefly unreachable queue must not stop the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ScanFailed(organisation, e);
            }
        }
    }

    /// <summary>Scans one organisation.</summary>
    protected abstract Task ScanAsync(string organisation, CancellationToken cancellationToken);

    /// <summary>Logs a failed scan (the exception's type only: its message may hold customer data).</summary>
    protected abstract void ScanFailed(string organisation, Exception exception);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Organisations.Any())
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
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
            // Stopping: the next start scans again and finds the same work, enqueued once by its dedupe key.
        }
    }
}
