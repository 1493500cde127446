using System.Collections.Concurrent;
using Utendaji.Core;
using Utendaji.Server.Jobs;
using Utendaji.Storage;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server.Infrastructure;

/// <summary>
/// One store object per organisation, opened on first use through the factory and kept for the life of the process.
/// A store object is used by one logical flow at a time (SQLite's contract), so each organisation has a gate that API
/// requests and background jobs alike pass through; organisations do not wait for each other.
/// </summary>
/// <param name="open">
/// The store factory: opens the store of one organisation (SQLite file, or a PostgreSQL connection later). Called at
/// most once per organisation while it succeeds.
/// </param>
public sealed class OrganisationStores(Func<string, ValueTask<IUtendajiStore>> open) : IOrganisationStores, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Slot>>> _slots = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> with the organisation's store, alone.</summary>
    public async Task<T> UseAsync<T>(string organisation, Func<IUtendajiStore, Task<T>> work, CancellationToken cancellationToken)
    {
        Guard.NotNull(work);
        var slot = await SlotAsync(organisation).ConfigureAwait(false);
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(slot.Store).ConfigureAwait(false);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <inheritdoc />
    public Task<T> WithStoreAsync<T>(string organisation, Func<IUtendajiStore, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        Guard.NotNull(action);
        return UseAsync(organisation, store => action(store, cancellationToken), cancellationToken);
    }

    private async Task<Slot> SlotAsync(string organisation)
    {
        var lazy = _slots.GetOrAdd(organisation, o => new Lazy<Task<Slot>>(async () => new Slot(await open(o).ConfigureAwait(false), new SemaphoreSlim(1, 1))));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            // A failed open (database busy, server down) is retried by the next request, not cached.
            _slots.TryRemove(new KeyValuePair<string, Lazy<Task<Slot>>>(organisation, lazy));
            throw;
        }
    }

    /// <summary>Waits for each organisation's current user, then disposes its store.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _slots.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                var slot = lazy.Value.Result;
                await slot.Gate.WaitAsync().ConfigureAwait(false);
                await slot.Store.DisposeAsync().ConfigureAwait(false);
                slot.Gate.Dispose();
            }
        }

        _slots.Clear();
    }

    private sealed record Slot(IUtendajiStore Store, SemaphoreSlim Gate);
}

/// <summary>
/// The stores as lent to background jobs: only for organisations the account store knows. Opening a store creates its
/// organisation, and a job's organisation comes from configuration, not from an authenticated request, so a misspelt
/// name must fail (the scan logs it) rather than create an organisation.
/// </summary>
internal sealed class KnownOrganisationStores(OrganisationStores stores, IAccountStore accounts) : IOrganisationStores
{
    public async Task<T> WithStoreAsync<T>(string organisation, Func<IUtendajiStore, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        if (!await accounts.OrganisationExistsAsync(organisation, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"organisation '{organisation}' does not exist (create it with 'utendaji admin create-org')");
        }

        return await stores.WithStoreAsync(organisation, action, cancellationToken).ConfigureAwait(false);
    }
}
