using System.Buffers;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Csv;

/// <summary>What is wrong with a CSV record's quoting (RFC 4180), if anything.</summary>
public enum CsvRecordError
{
    /// <summary>Well-formed.</summary>
    None,

    /// <summary>A quoted field is still open at the end of the file.</summary>
    UnterminatedQuote,

    /// <summary>Something other than a comma or line break follows a closing quote, as in <c>"a"b</c>.</summary>
    CharacterAfterClosingQuote,

    /// <summary>A quote inside a field that does not start with one, as in <c>a"b</c>.</summary>
    QuoteInUnquotedField,
}

/// <summary>
/// A streaming RFC 4180 tokenizer over UTF-8 bytes: comma-separated fields, fields in double quotes may hold commas,
/// line breaks and doubled quotes (<c>""</c> for one quote); records end at LF or CRLF (a lone CR is data); a UTF-8 byte
/// order mark is skipped. Memory is one pooled buffer that grows only to the longest record (at most
/// <c>maxRecordBytes</c>). Line numbers are physical lines: a record with a quoted line break spans two.
/// Malformed quoting does not stop reading: the record is returned with <see cref="Error"/> set and reading resumes at
/// the next record.
/// </summary>
/// <remarks>
/// Fields are spans into the buffer, valid until the next <see cref="Read"/>; decode or copy what you keep.
/// The reader does not validate UTF-8 (callers do, once per record, vectorised).
/// </remarks>
public sealed class Utf8CsvReader : IDisposable
{
    /// <summary>The default limit on one record's length: 16 MiB.</summary>
    public const int DefaultMaxRecordBytes = 16 * 1024 * 1024;

    private static readonly SearchValues<byte> UnquotedStops = SearchValues.Create(",\"\r\n"u8);
    private static readonly SearchValues<byte> QuotedStops = SearchValues.Create("\"\n"u8);

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxRecordBytes;
    private byte[] _buffer;
    private byte[] _scratch;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private long _nextLine = 1;
    private int[] _fieldStarts = new int[32];
    private int[] _fieldEnds = new int[32];
    private bool[] _fieldEscaped = new bool[32];
    private int _fieldCount;
    private int _recordStart;
    private int _recordEnd;

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">UTF-8 CSV; read forward only, in chunks of <paramref name="bufferSize"/> bytes.</param>
    /// <param name="bufferSize">Initial buffer size (pooled).</param>
    /// <param name="maxRecordBytes">Longest record accepted; a longer one ends reading with <see cref="ImportFileException"/>-worthy <see cref="RecordTooLong"/>.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves <paramref name="stream"/> open.</param>
    public Utf8CsvReader(Stream stream, int bufferSize = 64 * 1024, int maxRecordBytes = DefaultMaxRecordBytes, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordBytes, bufferSize);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxRecordBytes = maxRecordBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        _scratch = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>1-based physical line where the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>Number of physical lines the current record spans.</summary>
    public int LineCount { get; private set; }

    /// <summary>Number of fields in the current record (an empty line is one empty field).</summary>
    public int FieldCount => _fieldCount;

    /// <summary>The current record's quoting problem, if any.</summary>
    public CsvRecordError Error { get; private set; }

    /// <summary>True when the file starts with a UTF-16 byte order mark; <see cref="Read"/> then returns false at once.</summary>
    public bool IsUtf16 { get; private set; }

    /// <summary>True when reading stopped because a record exceeded the length limit; <see cref="Read"/> returned false.</summary>
    public bool RecordTooLong { get; private set; }

    /// <summary>Total bytes consumed from the stream so far (for progress reporting).</summary>
    public long BytesRead { get; private set; }

    /// <summary>The current record exactly as in the file, quotes included, without its line terminator.</summary>
    public ReadOnlySpan<byte> RawRecord => _buffer.AsSpan(_recordStart, _recordEnd - _recordStart);

    /// <summary>
    /// Field <paramref name="index"/> of the current record with quotes removed and doubled quotes collapsed.
    /// Valid until the next <see cref="Read"/>; fields may be held at the same time.
    /// </summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_fieldCount, nameof(index));
            var start = _fieldStarts[index];
            var end = _fieldEnds[index];
            if (!_fieldEscaped[index])
            {
                return _buffer.AsSpan(start, end - start);
            }

            // Unescaping only shortens, and fields do not overlap, so each field gets the scratch region at its own
            // offset and earlier spans stay intact.
            var target = _scratch.AsSpan(start - _recordStart);
            var written = 0;
            var source = _buffer.AsSpan(start, end - start);
            for (var i = 0; i < source.Length; i++)
            {
                target[written++] = source[i];
                if (source[i] == (byte)'"' && i + 1 < source.Length && source[i + 1] == (byte)'"')
                {
                    i++;
                }
            }

            return target[..written];
        }
    }

    /// <summary>Whether field <paramref name="index"/> was written in quotes.</summary>
    public bool IsQuoted(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_fieldCount, nameof(index));
        var start = _fieldStarts[index];
        return start > _recordStart && _buffer[start - 1] == (byte)'"';
    }

    /// <summary>Advances to the next record; false at the end of the data (or see <see cref="IsUtf16"/>, <see cref="RecordTooLong"/>).</summary>
    public bool Read()
    {
        if (!_started)
        {
            _started = true;
            while (!_eof && _end - _start < 4)
            {
                Fill(); // Enough bytes to recognise a byte order mark, however the stream chunks its reads.
            }

            if (Utf8Text.StartsWithUtf16Bom(_buffer.AsSpan(_start, _end - _start)))
            {
                IsUtf16 = true;
                return false;
            }

            _start += Utf8Text.Utf8BomLength(_buffer.AsSpan(_start, _end - _start));
        }

        while (true)
        {
            if (_start >= _end && _eof)
            {
                return false;
            }

            var consumed = ScanRecord(out var newlines, out var terminated);
            if (consumed >= 0)
            {
                Line = _nextLine;
                LineCount = newlines + 1;
                _nextLine += newlines + (terminated ? 1 : 0);
                _start = consumed;
                return true;
            }

            if (!MakeRoom())
            {
                RecordTooLong = true;
                Line = _nextLine;
                return false;
            }

            Fill();
        }
    }

    /// <summary>Returns the pooled buffers and closes the stream unless asked to leave it open.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            ArrayPool<byte>.Shared.Return(_scratch);
            _buffer = [];
            _scratch = [];
        }

        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>
    /// Scans one record starting at <see cref="_start"/>. Returns the position after its terminator, or -1 when the
    /// buffer ends before the record does and more data may come.
    /// </summary>
    private int ScanRecord(out int newlines, out bool terminated)
    {
        var buffer = _buffer;
        var end = _end;
        var p = _start;
        newlines = 0;
        terminated = false;
        _fieldCount = 0;
        Error = CsvRecordError.None;
        _recordStart = p;

        while (true)
        {
            var fieldStart = p;
            var skipAdd = false;
            if (p < end && buffer[p] == (byte)'"')
            {
                var q = p + 1;
                var escaped = false;
                int closing;
                while (true)
                {
                    var idx = buffer.AsSpan(q, end - q).IndexOfAny(QuotedStops);
                    if (idx < 0)
                    {
                        if (!_eof)
                        {
                            return -1;
                        }

                        Error = CsvRecordError.UnterminatedQuote;
                        AddField(fieldStart + 1, end, escaped);
                        _recordEnd = end;
                        return end;
                    }

                    q += idx;
                    if (buffer[q] == (byte)'\n')
                    {
                        newlines++;
                        q++;
                        continue;
                    }

                    if (q + 1 >= end && !_eof)
                    {
                        return -1; // Cannot tell "" from a closing quote yet.
                    }

                    if (q + 1 < end && buffer[q + 1] == (byte)'"')
                    {
                        escaped = true;
                        q += 2;
                        continue;
                    }

                    closing = q;
                    break;
                }

                AddField(fieldStart + 1, closing, escaped);
                p = closing + 1;
                if (p >= end)
                {
                    if (!_eof)
                    {
                        return -1;
                    }

                    _recordEnd = p;
                    return p;
                }

                var next = buffer[p];
                if (next == (byte)',')
                {
                    p++;
                    continue;
                }

                if (next == (byte)'\n')
                {
                    _recordEnd = p;
                    terminated = true;
                    return p + 1;
                }

                if (next == (byte)'\r')
                {
                    if (p + 1 >= end && !_eof)
                    {
                        return -1;
                    }

                    if (p + 1 < end && buffer[p + 1] == (byte)'\n')
                    {
                        _recordEnd = p;
                        terminated = true;
                        return p + 2;
                    }
                }

                // Garbage after the closing quote: keep the quoted part as the field, skip to the next separator.
                Error = CsvRecordError.CharacterAfterClosingQuote;
                skipAdd = true;
            }

            // Unquoted field (or the rest of a malformed one).
            while (true)
            {
                var idx = buffer.AsSpan(p, end - p).IndexOfAny(UnquotedStops);
                if (idx < 0)
                {
                    if (!_eof)
                    {
                        return -1;
                    }

                    if (!skipAdd)
                    {
                        AddField(fieldStart, end, false);
                    }

                    _recordEnd = end;
                    return end;
                }

                var stop = p + idx;
                var c = buffer[stop];
                if (c == (byte)',')
                {
                    if (!skipAdd)
                    {
                        AddField(fieldStart, stop, false);
                    }

                    p = stop + 1;
                    break;
                }

                if (c == (byte)'\n')
                {
                    if (!skipAdd)
                    {
                        AddField(fieldStart, stop, false);
                    }

                    _recordEnd = stop;
                    terminated = true;
                    return stop + 1;
                }

                if (c == (byte)'\r')
                {
                    if (stop + 1 >= end && !_eof)
                    {
                        return -1;
                    }

                    if (stop + 1 < end && buffer[stop + 1] == (byte)'\n')
                    {
                        if (!skipAdd)
                        {
                            AddField(fieldStart, stop, false);
                        }

                        _recordEnd = stop;
                        terminated = true;
                        return stop + 2;
                    }

                    p = stop + 1; // A lone CR is data.
                    continue;
                }

                // A quote inside an unquoted field: kept as data, the record is flagged.
                if (Error == CsvRecordError.None)
                {
                    Error = CsvRecordError.QuoteInUnquotedField;
                }

                p = stop + 1;
            }
        }
    }

    private void AddField(int start, int end, bool escaped)
    {
        if (_fieldCount == _fieldStarts.Length)
        {
            Array.Resize(ref _fieldStarts, _fieldCount * 2);
            Array.Resize(ref _fieldEnds, _fieldCount * 2);
            Array.Resize(ref _fieldEscaped, _fieldCount * 2);
        }

        _fieldStarts[_fieldCount] = start;
        _fieldEnds[_fieldCount] = end;
        _fieldEscaped[_fieldCount] = escaped;
        _fieldCount++;
    }

    /// <summary>Moves the unfinished record to the buffer's start, or grows the buffer; false past the limit.</summary>
    private bool MakeRoom()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
            if (pending < _buffer.Length)
            {
                return true;
            }
        }

        if (_buffer.Length >= _maxRecordBytes)
        {
            return false;
        }

        var size = (int)Math.Min((long)_buffer.Length * 2, _maxRecordBytes);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_scratch);
        _buffer = bigger;
        _scratch = ArrayPool<byte>.Shared.Rent(bigger.Length);
        return true;
    }

    private void Fill()
    {
        if (_eof)
        {
            return;
        }

        if (_start > 0 && _start == _end)
        {
            _start = 0;
            _end = 0;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
        BytesRead += read;
    }
}
