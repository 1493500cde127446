using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Utendaji.Core;
using Utendaji.Storage;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Lends the scan an organisation's store for the duration of one call. The server implements it over however it
/// holds stores (the store objects are not thread-safe, so a lent store must not be in use elsewhere meanwhile).
/// </summary>
public interface IOrganisationStores
{
    /// <summary>Runs <paramref name="action"/> with the store of <paramref name="organisation"/>.</summary>
    Task<T> WithStoreAsync<T>(string organisation, Func<IUtendajiStore, CancellationToken, Task<T>> action, CancellationToken cancellationToken);
}

/// <summary>Opens the SQLite file for each call and closes it after: for one node on the embedded store.</summary>
/// <param name="path">The database file.</param>
public sealed class SqliteOrganisationStores(string path) : IOrganisationStores
{
    /// <inheritdoc />
    public async Task<T> WithStoreAsync<T>(string organisation, Func<IUtendajiStore, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        Guard.NotNull(action);
        var store = await SqliteStore.OpenAsync(path, organisation, cancellationToken).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            return await action(store, cancellationToken).ConfigureAwait(false);
        }
    }
}

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
