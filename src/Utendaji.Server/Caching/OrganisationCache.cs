using System.Collections.Concurrent;
using NodaTime;
using Utendaji.Core.Metrics;
using Utendaji.Ingest.Importing;
using Utendaji.Storage;

namespace Utendaji.Server.Caching;

/// <summary>
/// Per organisation: the engine configuration (calendars, SLA policies, options) as last loaded, and KPI report
/// bodies (and the dashboard overview's figures) by query. Both are keyed by version numbers this process bumps after every write it makes (ingestion,
/// configuration changes), so a cached value is never served after a change made through this server. A change
/// made by another process (the CLI on the same file, another node) is not seen: that is why caching is off unless
/// <see cref="ServerOptions.Caching"/> says every write goes through this process.
/// </summary>
/// <remarks>
/// Versions are read while the organisation's store gate is held, and bumped after the write has committed, so a
/// value computed from data older than the latest bump is always stored under an older version and never served.
/// </remarks>
internal sealed class OrganisationCache(ServerOptions options)
{
    /// <summary>Report bodies kept per organisation; beyond it the organisation's reports are dropped and rebuilt.</summary>
    public const int MaxReportsPerOrganisation = 64;

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Whether values are cached at all.</summary>
    public bool Enabled => options.Caching;

    /// <summary>The organisation's data changed (events, summaries, surveys stored): its reports are stale.</summary>
    public void DataChanged(string organisation)
    {
        var state = For(organisation);
        Interlocked.Increment(ref state.DataVersion);
        state.Reports.Clear();
    }

    /// <summary>The organisation's configuration changed (and its facts may have been re-derived): everything is stale.</summary>
    public void ConfigChanged(string organisation)
    {
        var state = For(organisation);
        Interlocked.Increment(ref state.ConfigVersion);
        state.Context = null;
        DataChanged(organisation);
    }

    /// <summary>
    /// The engine context at <paramref name="now"/>: loaded from <paramref name="store"/> (call with the
    /// organisation's gate held) unless the configuration is unchanged since the last load.
    /// </summary>
    public async Task<MetricContext> EngineContextAsync(string organisation, IUtendajiStore store, Instant now, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return await EngineConfiguration.LoadAsync(store, now, cancellationToken);
        }

        var state = For(organisation);
        var version = Volatile.Read(ref state.ConfigVersion);
        if (state.Context is { } known && known.Version == version)
        {
            return known.Context with { Now = now };
        }

        var context = await EngineConfiguration.LoadAsync(store, now, cancellationToken);
        state.Context = new CachedContext(version, context);
        return context;
    }

    /// <summary>The version a report computed now belongs to (read it with the organisation's gate held, before reading data).</summary>
    public (long Data, long Config) ReportVersion(string organisation)
    {
        var state = For(organisation);
        return (Volatile.Read(ref state.DataVersion), Volatile.Read(ref state.ConfigVersion));
    }

    /// <summary>A cached report body for <paramref name="key"/> that is still current, or null.</summary>
    public byte[]? Report(string organisation, string key) => Report<byte[]>(organisation, key);

    /// <summary>
    /// A cached report of type <typeparamref name="T"/> (a body, or a dashboard page's figures) for
    /// <paramref name="key"/> that is still current, or null. Cached values are shared by every request: immutable ones only.
    /// </summary>
    public T? Report<T>(string organisation, string key)
        where T : class
    {
        if (!Enabled)
        {
            return null;
        }

        var state = For(organisation);
        var current = (Volatile.Read(ref state.DataVersion), Volatile.Read(ref state.ConfigVersion));
        return state.Reports.TryGetValue(key, out var entry) && entry.Version == current ? entry.Value as T : null;
    }

    /// <summary>Keeps a report (a body or a page's figures) computed at <paramref name="version"/> (ignored when the data has moved on since).</summary>
    public void KeepReport(string organisation, string key, (long Data, long Config) version, object body)
    {
        if (!Enabled)
        {
            return;
        }

        var state = For(organisation);
        if (state.Reports.Count >= MaxReportsPerOrganisation)
        {
            state.Reports.Clear();
        }

        // Kept even if a write has bumped the version meanwhile: Report compares versions, so it is never served.
        state.Reports[key] = new CachedReport(version, body);
    }

    private State For(string organisation) => _states.GetOrAdd(organisation, static _ => new State());

    private sealed class State
    {
        public long DataVersion;
        public long ConfigVersion;
        public volatile CachedContext? Context;
        public readonly ConcurrentDictionary<string, CachedReport> Reports = new(StringComparer.Ordinal);
    }

    private sealed record CachedContext(long Version, MetricContext Context);

    private sealed record CachedReport((long Data, long Config) Version, object Value);
}
