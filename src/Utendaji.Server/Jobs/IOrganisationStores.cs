using Utendaji.Storage;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Lends an organisation's store for the duration of one call, alone: the store objects are single-flow (SQLite's
/// contract), so a lent store is not in use by an API request or another job meanwhile. The server's one
/// implementation is <see cref="Infrastructure.OrganisationStores"/> over a store factory per organisation (SQLite
/// today; PostgreSQL plugs in the same way), shared by API requests and jobs.
/// </summary>
public interface IOrganisationStores
{
    /// <summary>Runs <paramref name="action"/> with the store of <paramref name="organisation"/>.</summary>
    Task<T> WithStoreAsync<T>(string organisation, Func<IUtendajiStore, CancellationToken, Task<T>> action, CancellationToken cancellationToken);
}
