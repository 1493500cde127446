using System.Collections.Concurrent;
using Utendaji.Storage;

namespace Utendaji.Server.Infrastructure;

/// <summary>
/// One store object per organisation, opened on first use and kept for the life of the process. A store object
/// is used by one logical flow at a time (SQLite's contract), so each organisation has a gate; organisations do
/// not wait for each other.
/// </summary>
internal sealed class OrganisationStores(Func<string, ValueTask<IUtendajiStore>> open) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Slot>>> _slots = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> with the organisation's store, alone.</summary>
    public async Task<T> UseAsync<T>(string organisation, Func<IUtendajiStore, Task<T>> work, CancellationToken cancellationToken)
    {
        var slot = await SlotAsync(organisation);
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            return await work(slot.Store);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task<Slot> SlotAsync(string organisation)
    {
        var lazy = _slots.GetOrAdd(organisation, o => new Lazy<Task<Slot>>(async () => new Slot(await open(o), new SemaphoreSlim(1, 1))));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            // A failed open (database busy, server down) is retried by the next request, not cached.
            _slots.TryRemove(new KeyValuePair<string, Lazy<Task<Slot>>>(organisation, lazy));
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _slots.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                var slot = lazy.Value.Result;
                await slot.Gate.WaitAsync();
                await slot.Store.DisposeAsync();
                slot.Gate.Dispose();
            }
        }

        _slots.Clear();
    }

    private sealed record Slot(IUtendajiStore Store, SemaphoreSlim Gate);
}
