using Microsoft.Data.Sqlite;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// Streams the <c>report_blocks</c> copy into <see cref="FactsBatch"/> blocks in creation order (<c>created_at, ticket_id</c>),
/// applying a <see cref="FactsQuery"/>: the creation range on block bounds and on each ticket, labels and status on the
/// decoded rows.
/// </summary>
internal sealed class ReportFactsScan : IDisposable
{
    private readonly RawStatement _blocks;
    private readonly RawStatement _label;
    private readonly long _org;
    private readonly FactsQuery _query;
    private readonly long _from;
    private readonly long _to;
    private readonly Func<int, int> _slowLabel;
    private FactsBatch? _batch;
    private int[] _map = new int[64];
    private bool _started;
    private bool _done;
    private int _team, _channel, _agent, _priority, _language;
    private bool _filtered;

    // The block being read: a copy of its records section (SQLite's buffer lasts only until the next step).
    private byte[] _block = new byte[1 << 18];
    private int _blockLength;
    private int _at;
    private int _left;
    private long _created;

    public ReportFactsScan(SqliteConnection connection, long org, FactsQuery query)
    {
        _org = org;
        _query = query;
        _from = query.CreatedFrom?.ToUnixTimeTicks() ?? long.MinValue;
        _to = query.CreatedTo?.ToUnixTimeTicks() ?? long.MaxValue;
        var sql = "SELECT last_created, data FROM report_blocks WHERE org = $org" +
            (query.CreatedTo is not null ? " AND first_created < $to" : "") +
            " ORDER BY first_created, first_ticket";
        _blocks = new RawStatement(connection, sql);
        _label = new RawStatement(connection, "SELECT label FROM report_labels WHERE org = $org AND code = $code");
        _blocks.Bind(1, org);
        if (query.CreatedTo is not null)
        {
            _blocks.Bind(2, _to);
        }

        _slowLabel = SlowLabel;
    }

    /// <summary>Fills <paramref name="batch"/> with up to its capacity of rows; false when none were left.</summary>
    public bool Fill(FactsBatch batch)
    {
        _batch = batch;
        if (!_started)
        {
            // The first step opens the read snapshot; the filter labels are looked up inside it.
            _started = true;
            _done = !NextBlock();
            ResolveFilters(batch);
        }

        if (_done)
        {
            return false; // leave the last batch a consumer may still hold intact
        }

        batch.OtherDues.Clear();
        var n = 0;
        while (n < batch.Capacity)
        {
            if (_left == 0 && !NextBlock())
            {
                _done = true;
                break;
            }

            var r = new ReportFacts.Reader(_block.AsSpan(_at, _blockLength - _at));
            var capacity = batch.Capacity;
            var from = _from;
            while (_left > 0 && n < capacity)
            {
                _created += r.Z();
                var record = r.Bytes((int)r.U());
                _left--;
                if (_created < from)
                {
                    continue;
                }

                if (_created >= _to)
                {
                    _left = 0; // sorted: nothing further is in range
                    _done = true;
                    break;
                }

                var dues = batch.OtherDues.Count;
                ReportFacts.Decode(_created, record, batch, n, _map, _slowLabel);
                if (!_filtered || Matches(batch, n))
                {
                    n++;
                }
                else
                {
                    batch.OtherDues.RemoveRange(dues, batch.OtherDues.Count - dues);
                }
            }

            _at += r.Position;
            if (_done)
            {
                break;
            }
        }

        if (n == 0)
        {
            return false;
        }

        batch.Count = n;
        return true;
    }

    public void Dispose()
    {
        _blocks.Dispose();
        _label.Dispose();
    }

    /// <summary>Steps to the next block holding tickets in range and copies its records; false at the end.</summary>
    private bool NextBlock()
    {
        while (_blocks.Step())
        {
            if (_blocks.Int64(0) < _from)
            {
                continue; // ends before the range: its data is never read
            }

            var data = _blocks.Utf8(1);
            var header = new ReportFacts.Reader(data);
            _left = (int)header.U();
            var length = (int)header.U();
            if (_block.Length < length)
            {
                _block = new byte[Math.Max(length, _block.Length * 2)];
            }

            data.Slice(header.Position, length).CopyTo(_block);
            _blockLength = length;
            _at = 0;
            _created = 0;
            return true;
        }

        return false;
    }

    private void ResolveFilters(FactsBatch batch)
    {
        _filtered = _query.Team is not null || _query.Channel is not null || _query.Agent is not null
            || _query.Priority is not null || _query.Language is not null || _query.Status is not null;
        _team = Code(_query.Team);
        _channel = Code(_query.Channel);
        _agent = Code(_query.Agent);
        _priority = Code(_query.Priority);
        _language = Code(_query.Language);

        int Code(string? label) => label is null ? -1 : batch.Label(System.Text.Encoding.UTF8.GetBytes(label));
    }

    private bool Matches(FactsBatch batch, int n) =>
        (_team < 0 || batch.TeamColumn[n] == _team)
        && (_channel < 0 || batch.ChannelColumn[n] == _channel)
        && (_agent < 0 || batch.AgentColumn[n] == _agent)
        && (_priority < 0 || batch.PriorityColumn[n] == _priority)
        && (_language < 0 || batch.LanguageColumn[n] == _language)
        && (_query.Status is not { } status || batch.StatusColumn[n] == status);

    private int SlowLabel(int stored)
    {
        _label.Bind(1, _org);
        _label.Bind(2, stored);
        var code = _label.Step()
            ? _batch!.Label(_label.Utf8(0))
            : throw new InvalidDataException($"report_blocks refers to label code {stored}, which report_labels does not hold");
        _label.Reset();
        if (stored >= _map.Length)
        {
            Array.Resize(ref _map, Math.Max(stored + 1, _map.Length * 2));
        }

        _map[stored] = code;
        return code;
    }
}
