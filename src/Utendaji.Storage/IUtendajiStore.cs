using Utendaji.Core.Metrics;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage;

/// <summary>
/// The store one organisation's data lives in. One long-lived object per process; every query is scoped to
/// the organisation the store was opened for. SQLite now, PostgreSQL later: both pass the same test suite.
/// </summary>
public interface IUtendajiStore : IAsyncDisposable
{
    /// <summary>Where the data lives (file path or server), for <c>utendaji info</c>.</summary>
    string Location { get; }
}
