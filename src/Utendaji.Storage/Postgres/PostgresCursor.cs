using Npgsql;
using NpgsqlTypes;
using Utendaji.Core.Tickets;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Postgres;

/// <summary>
/// A server-side cursor read a page at a time. Between pages the connection is free for other commands, so an
/// import can write facts while it walks its changed tickets, and two scans can be merged on one connection.
/// Needs an open transaction on the connection (the cursor ends with it).
/// </summary>
internal sealed class PostgresCursor<T> : IAsyncDisposable where T : class
{
    private const int PageSize = 1000;

    private readonly NpgsqlConnection _connection;
    private readonly string _name;
    private readonly Func<NpgsqlDataReader, T> _read;
    private readonly Queue<T> _page = new();
    private bool _exhausted;

    private PostgresCursor(NpgsqlConnection connection, string name, Func<NpgsqlDataReader, T> read)
    {
        _connection = connection;
        _name = name;
        _read = read;
    }

    /// <summary>Declares cursor <paramref name="name"/> (a fixed identifier, never data) over <paramref name="sql"/>, which may use <c>@org</c>.</summary>
    public static async Task<PostgresCursor<T>> DeclareAsync(NpgsqlConnection connection, string name, string sql, long org,
        Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DECLARE {name} NO SCROLL CURSOR FOR {sql}", connection);
        command.Parameters.Add(new NpgsqlParameter<long>("org", NpgsqlDbType.Bigint) { TypedValue = org });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new PostgresCursor<T>(connection, name, read);
    }

    /// <summary>The next row, or null after the last.</summary>
    public async ValueTask<T?> NextAsync(CancellationToken cancellationToken)
    {
        if (_page.Count == 0 && !_exhausted)
        {
            await using var command = new NpgsqlCommand($"FETCH FORWARD {PageSize} FROM {_name}", _connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _page.Enqueue(_read(reader));
            }

            _exhausted = _page.Count < PageSize;
        }

        return _page.TryDequeue(out var row) ? row : null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand($"CLOSE {_name}", _connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The transaction failed or ended: the cursor is gone with it.
        }
        catch (InvalidOperationException)
        {
            // The connection is closed or busy after an error: likewise.
        }
    }
}

/// <summary>
/// Merges an events cursor (ordered by ticket, instant, event id) and a summaries cursor (ordered by ticket) into one
/// <see cref="TicketSource"/> per ticket, in ticket order (UTF-8 byte order: the columns are COLLATE "C"), like
/// <see cref="TicketSources"/> does for SQLite.
/// </summary>
internal static class PostgresTicketSources
{
    public static async IAsyncEnumerable<TicketSource> MergeAsync(PostgresCursor<TicketEvent> events, PostgresCursor<TicketSummary> summaries,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var nextEvent = await events.NextAsync(cancellationToken).ConfigureAwait(false);
        var nextSummary = await summaries.NextAsync(cancellationToken).ConfigureAwait(false);
        while (nextEvent is not null || nextSummary is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ticket = nextEvent is null ? nextSummary!.TicketId
                : nextSummary is null ? nextEvent.TicketId
                : Utf8Order.Compare(nextEvent.TicketId, nextSummary.TicketId) <= 0 ? nextEvent.TicketId : nextSummary.TicketId;

            var ticketEvents = new List<TicketEvent>();
            while (nextEvent is not null && string.Equals(nextEvent.TicketId, ticket, StringComparison.Ordinal))
            {
                ticketEvents.Add(nextEvent);
                nextEvent = await events.NextAsync(cancellationToken).ConfigureAwait(false);
            }

            TicketSummary? summary = null;
            if (nextSummary is not null && string.Equals(nextSummary.TicketId, ticket, StringComparison.Ordinal))
            {
                summary = nextSummary;
                nextSummary = await summaries.NextAsync(cancellationToken).ConfigureAwait(false);
            }

            yield return new TicketSource(ticket, ticketEvents, summary);
        }
    }
}
