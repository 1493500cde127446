using System.Buffers;
using NodaTime;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Events;

/// <summary>
/// Writes <see cref="TicketEvent"/>s as canonical NDJSON: one object per line, LF-terminated, UTF-8 without a byte
/// order mark, properties in the canonical order (<c>id, ticket_id, at, type, actor, public, channel, team, priority,
/// status, attributes</c>), absent values left out, <c>public</c> always written. Text is written as UTF-8 as it is:
/// only <c>"</c>, <c>\</c> and control characters are escaped, so Gujarati, Urdu or any other script comes out byte for
/// byte as it went into <see cref="EventNdjsonReader"/>.
/// </summary>
public sealed class EventNdjsonWriter : IDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly DateTimeZone? _zone;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FlushThreshold * 2);
    private int _length;

    /// <summary>Creates a writer onto <paramref name="stream"/>.</summary>
    public EventNdjsonWriter(Stream stream, EventNdjsonWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _zone = options?.Zone;
    }

    /// <summary>Number of events written.</summary>
    public long Count { get; private set; }

    /// <summary>Appends one event as one line.</summary>
    public void Write(TicketEvent ticketEvent)
    {
        ArgumentNullException.ThrowIfNull(ticketEvent);
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        Raw("{\"id\":"u8);
        String(ticketEvent.Id);
        Raw(",\"ticket_id\":"u8);
        String(ticketEvent.TicketId);
        Raw(",\"at\":\""u8);
        Instant(ticketEvent.At);
        Raw("\",\"type\":\""u8);
        Ascii(EventVocabulary.Name(ticketEvent.Type));
        Raw("\",\"actor\":{\"kind\":\""u8);
        Ascii(EventVocabulary.Name(ticketEvent.ActorKind));
        Raw("\""u8);
        if (ticketEvent.ActorId is not null)
        {
            Raw(",\"id\":"u8);
            String(ticketEvent.ActorId);
        }

        Raw(ticketEvent.Public ? "},\"public\":true"u8 : "},\"public\":false"u8);
        Optional(",\"channel\":"u8, ticketEvent.Channel);
        Optional(",\"team\":"u8, ticketEvent.Team);
        Optional(",\"priority\":"u8, ticketEvent.Priority);
        if (ticketEvent.Status is { } status)
        {
            Raw(",\"status\":\""u8);
            Ascii(EventVocabulary.Name(status));
            Raw("\""u8);
        }

        if (ticketEvent.Attributes is { Count: > 0 } attributes)
        {
            Raw(",\"attributes\":{"u8);
            var first = true;
            foreach (var (key, value) in attributes)
            {
                if (!first)
                {
                    Raw(","u8);
                }

                first = false;
                String(key);
                Raw(":"u8);
                String(value);
            }

            Raw("}"u8);
        }

        Raw("}\n"u8);
        Count++;
        if (_length >= FlushThreshold)
        {
            FlushBuffer();
        }
    }

    /// <summary>Writes buffered lines to the stream and flushes it.</summary>
    public void Flush()
    {
        FlushBuffer();
        _stream.Flush();
    }

    /// <summary>Flushes, returns the buffer and closes the stream unless asked to leave it open.</summary>
    public void Dispose()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        Flush();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void FlushBuffer()
    {
        if (_length > 0)
        {
            _stream.Write(_buffer, 0, _length);
            _length = 0;
        }
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ascii(string text)
    {
        Ensure(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            _buffer[_length++] = (byte)text[i];
        }
    }

    private void Optional(ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            Raw(name);
            String(value);
        }
    }

    /// <summary>A JSON string: UTF-8 as is, escaping only what JSON requires (quote, backslash, controls).</summary>
    private void String(string text)
    {
        var maxUtf8 = Utf8Text.NoBom.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var utf8 = maxUtf8 <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(maxUtf8));
        var count = Utf8Text.NoBom.GetBytes(text, utf8);
        Ensure((count * 6) + 2);
        var output = _buffer;
        var at = _length;
        output[at++] = (byte)'"';
        for (var i = 0; i < count; i++)
        {
            var b = utf8[i];
            if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\')
            {
                output[at++] = b;
                continue;
            }

            output[at++] = (byte)'\\';
            switch (b)
            {
                case (byte)'"': output[at++] = (byte)'"'; break;
                case (byte)'\\': output[at++] = (byte)'\\'; break;
                case (byte)'\n': output[at++] = (byte)'n'; break;
                case (byte)'\r': output[at++] = (byte)'r'; break;
                case (byte)'\t': output[at++] = (byte)'t'; break;
                case (byte)'\b': output[at++] = (byte)'b'; break;
                case (byte)'\f': output[at++] = (byte)'f'; break;
                default:
                    output[at++] = (byte)'u';
                    output[at++] = (byte)'0';
                    output[at++] = (byte)'0';
                    output[at++] = Hex(b >> 4);
                    output[at++] = Hex(b & 0xF);
                    break;
            }
        }

        output[at++] = (byte)'"';
        _length = at;
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Digits(Span<char> text, ref int written, int value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            text[written + i] = (char)('0' + (value % 10));
            value /= 10;
        }

        written += width;
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    /// <summary>ISO-8601 with seconds, fraction only when not zero (trailing zeros dropped), then Z or ±HH:mm.</summary>
    private void Instant(Instant instant)
    {
        var offset = _zone is null ? Offset.Zero : _zone.GetUtcOffset(instant);
        if (offset.Seconds % 60 != 0)
        {
            offset = Offset.Zero; // Historical offsets with seconds have no ISO-8601 ±HH:mm form; write UTC instead.
        }

        var local = instant.WithOffset(offset).LocalDateTime;
        Span<char> text = stackalloc char[40];
        var written = 0;
        Digits(text, ref written, local.Year, 4);
        text[written++] = '-';
        Digits(text, ref written, local.Month, 2);
        text[written++] = '-';
        Digits(text, ref written, local.Day, 2);
        text[written++] = 'T';
        Digits(text, ref written, local.Hour, 2);
        text[written++] = ':';
        Digits(text, ref written, local.Minute, 2);
        text[written++] = ':';
        Digits(text, ref written, local.Second, 2);
        var nanos = local.NanosecondOfSecond;
        if (nanos != 0)
        {
            var digits = 9;
            while (nanos % 10 == 0)
            {
                nanos /= 10;
                digits--;
            }

            text[written++] = '.';
            Digits(text, ref written, nanos, digits);
        }

        if (offset == Offset.Zero)
        {
            text[written++] = 'Z';
        }
        else
        {
            var total = Math.Abs(offset.Seconds) / 60;
            text[written++] = offset.Seconds < 0 ? '-' : '+';
            text[written++] = (char)('0' + (total / 600));
            text[written++] = (char)('0' + (total / 60 % 10));
            text[written++] = ':';
            text[written++] = (char)('0' + (total % 60 / 10));
            text[written++] = (char)('0' + (total % 10));
        }

        Ensure(written);
        for (var i = 0; i < written; i++)
        {
            _buffer[_length++] = (byte)text[i];
        }
    }
}
