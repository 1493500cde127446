using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// A statement prepared once on a connection's native handle and stepped directly. Microsoft.Data.Sqlite
/// looks every parameter up by name and builds a data reader on each execution, which cost 5–10× more than
/// the insert itself in the bulk paths; this is the thin replacement used where rows are counted in millions.
/// Parameters bind by position (1-based, in order of first appearance in the SQL), text as UTF-8.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, RawStatement>> KeptStatements = [];

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly bool _kept;
    private byte[] _utf8 = new byte[256];
    private bool _exhausted;
    private bool _lent;

    public RawStatement(SqliteConnection connection, string sql)
        : this(connection, sql, kept: false)
    {
    }

    private RawStatement(SqliteConnection connection, string sql, bool kept)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _kept = kept;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>
    /// A statement kept prepared on <paramref name="connection"/> for the next caller with the same SQL: small
    /// transactions (one server request) prepared about fifteen statements each, and SQL parsing showed up as a
    /// tenth of their time. <see cref="Dispose"/> resets it and clears its bindings instead of finalizing it. When
    /// the same SQL is already lent out, the caller gets a statement of its own. The owner of a long-lived
    /// connection calls <see cref="ReleaseKept"/> before closing it.
    /// </summary>
    public static RawStatement Kept(SqliteConnection connection, string sql)
    {
        var kept = KeptStatements.GetOrCreateValue(connection);
        if (kept.TryGetValue(sql, out var statement) && !statement._lent)
        {
            statement._lent = true;
            return statement;
        }

        statement = new RawStatement(connection, sql, kept: !kept.ContainsKey(sql));
        if (statement._kept)
        {
            kept.Add(sql, statement);
            statement._lent = true;
        }

        return statement;
    }

    /// <summary>Finalizes the statements <see cref="Kept"/> keeps on <paramref name="connection"/>.</summary>
    public static void ReleaseKept(SqliteConnection connection)
    {
        if (KeptStatements.TryGetValue(connection, out var kept))
        {
            foreach (var statement in kept.Values)
            {
                statement._statement.Dispose();
            }

            KeptStatements.Remove(connection);
        }
    }

    /// <summary>Parameters the SQL declares.</summary>
    public int ParameterCount => raw.sqlite3_bind_parameter_count(_statement);

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        }

        var written = Encoding.UTF8.GetBytes(value, _utf8);
        // SQLitePCL binds spans with SQLITE_TRANSIENT: SQLite copies the bytes, so the buffer can be reused.
        Check(raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, written)));
    }

    /// <summary>Binds UTF-8 text; an empty span binds NULL (see <see cref="StoredJson"/>).</summary>
    public void Bind(int index, ReadOnlySpan<byte> utf8) =>
        Check(utf8.IsEmpty ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, utf8));

    /// <summary>Runs a statement that returns no rows and resets it; returns the rows it changed.</summary>
    /// <summary>Binds <paramref name="bytes"/> as a BLOB (copied by SQLite).</summary>
    public void BindBlob(int index, ReadOnlySpan<byte> bytes) => Check(raw.sqlite3_bind_blob(_statement, index, bytes));

    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            throw Error(rc);
        }

        return raw.sqlite3_changes(_db);
    }

    /// <summary>
    /// Advances to the next row. After the last row it returns false, releases the statement's read snapshot
    /// and keeps returning false until <see cref="Reset"/> (stepping a finished statement would restart it).
    /// </summary>
    public bool Step()
    {
        if (_exhausted)
        {
            return false;
        }

        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        raw.sqlite3_reset(_statement);
        _exhausted = true;
        return rc == raw.SQLITE_DONE ? false : throw Error(rc);
    }

    /// <summary>Ends an unfinished scan (so the statement holds no read snapshot) and makes it runnable again.</summary>
    public void Reset()
    {
        raw.sqlite3_reset(_statement);
        _exhausted = false;
    }

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public int Int32(int column) => raw.sqlite3_column_int(_statement, column);

    public long? NullableInt64(int column) => IsNull(column) ? null : Int64(column);

    public string Text(int column) => Encoding.UTF8.GetString(raw.sqlite3_column_blob(_statement, column));

    public string? NullableText(int column) => IsNull(column) ? null : Text(column);

    /// <summary>The UTF-8 bytes of a text column, valid until the next step.</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

    public void Dispose()
    {
        if (!_kept)
        {
            _statement.Dispose();
            return;
        }

        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
        _exhausted = false;
        _lent = false;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
}
