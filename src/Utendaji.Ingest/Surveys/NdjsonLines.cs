using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Surveys;

/// <summary>
/// Splits a UTF-8 stream into lines (LF or CRLF), streaming, with one pooled buffer that grows only to the longest
/// line; blank lines are skipped; each line's bytes are copied out (<see cref="RawSlab"/>) for its row. The same
/// rules as the event reader: a UTF-16 file or a line over the limit is a file-level error.
/// </summary>
internal sealed class NdjsonLines : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string _file;
    private readonly int _maxLineBytes;
    private readonly RawSlab _slab = new();
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private bool _reading;
    private long _nextLine = 1;

    public NdjsonLines(Stream stream, string file, int bufferSize, int maxLineBytes, bool leaveOpen)
    {
        _stream = stream;
        _file = file;
        _leaveOpen = leaveOpen;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, 16));
    }

    public long BytesRead { get; private set; }

    /// <summary>
    /// One row per non-blank line, lazily and in file order; can be enumerated once. A line that is not UTF-8 or
    /// holds an escaped NUL is rejected before <paramref name="parse"/> sees it, and a <see cref="JsonException"/>
    /// from <paramref name="parse"/> rejects the line as not valid JSON, naming the column.
    /// </summary>
    /// <exception cref="ImportFileException">The file is UTF-16, or a line is longer than the limit.</exception>
    public IEnumerable<ImportRow<T>> Rows<T>(Func<ReadOnlyMemory<byte>, long, ImportRow<T>> parse, CancellationToken cancellationToken)
        where T : class
    {
        if (_reading)
        {
            throw new InvalidOperationException("the rows of an NDJSON file can be read once");
        }

        _reading = true;
        return Read(parse, cancellationToken);
    }

    private IEnumerable<ImportRow<T>> Read<T>(Func<ReadOnlyMemory<byte>, long, ImportRow<T>> parse, CancellationToken cancellationToken)
        where T : class
    {
        var count = 0;
        while (Next(out var raw, out var line))
        {
            if ((++count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            yield return Row(raw, line, parse);
        }
    }

    private ImportRow<T> Row<T>(ReadOnlyMemory<byte> raw, long line, Func<ReadOnlyMemory<byte>, long, ImportRow<T>> parse)
        where T : class
    {
        var span = raw.Span;
        var invalidAt = Utf8Text.IndexOfInvalid(span);
        if (invalidAt >= 0)
        {
            return ImportRow<T>.Rejected(line, 1, raw, [Utf8Text.InvalidIssue(_file, line, span, invalidAt)]);
        }

        if (Utf8Text.JsonTextIssue(_file, line, span) is { } textIssue)
        {
            return ImportRow<T>.Rejected(line, 1, raw, [textIssue]);
        }

        try
        {
            return parse(raw, line);
        }
        catch (JsonException exception)
        {
            var column = (exception.BytePositionInLine ?? 0) + 1;
            return ImportRow<T>.Rejected(line, 1, raw, [new ImportIssue(_file, line, "", null, string.Create(
                CultureInfo.InvariantCulture, $"is not valid JSON (at column {column})"))]);
        }
    }

    /// <summary>The next non-blank line (without its terminator) and its 1-based number; false at the end.</summary>
    /// <exception cref="ImportFileException">The file is UTF-16, or a line is longer than the limit.</exception>
    public bool Next(out ReadOnlyMemory<byte> raw, out long lineNumber)
    {
        while (NextLine(out var start, out var length, out lineNumber))
        {
            var line = _buffer.AsSpan(start, length);
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            raw = _slab.Copy(line);
            return true;
        }

        raw = default;
        return false;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private bool NextLine(out int start, out int length, out long lineNumber)
    {
        if (!_started)
        {
            _started = true;
            while (!_eof && _end < 4)
            {
                Fill();
            }

            if (Utf8Text.StartsWithUtf16Bom(_buffer.AsSpan(0, _end)))
            {
                throw new ImportFileException(new ImportIssue(_file, 1, "", null, "is UTF-16 encoded; save the file as UTF-8"));
            }

            _start = Utf8Text.Utf8BomLength(_buffer.AsSpan(0, _end));
        }

        var scanned = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start + scanned, _end - _start - scanned);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                start = _start;
                length = scanned + newline;
                _start += length + 1;
                if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
                {
                    length--;
                }

                lineNumber = _nextLine++;
                return true;
            }

            scanned = _end - _start;
            if (_eof)
            {
                start = _start;
                length = scanned;
                _start = _end;
                lineNumber = _nextLine++;
                return length > 0;
            }

            if (!MakeRoom())
            {
                throw new ImportFileException(new ImportIssue(_file, _nextLine, "", null,
                    string.Create(CultureInfo.InvariantCulture, $"is longer than {_maxLineBytes} bytes")));
            }

            Fill();
        }
    }

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

        if (_buffer.Length >= _maxLineBytes)
        {
            return false;
        }

        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _maxLineBytes + 1L));
        Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        return true;
    }

    private void Fill()
    {
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
