using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Utendaji.Core.Tickets;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// A 64-bit fingerprint of everything an event says, used to tell "the same event imported again" from
/// "a different event reusing an id". The first 8 bytes of SHA-256 over a length-prefixed encoding of the
/// stored form of every field (so two events that would be stored identically hash identically).
/// </summary>
internal sealed class EventContentHash
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public long Of(TicketEvent e, long atTicks, ReadOnlySpan<byte> attributesJson)
    {
        _buffer.ResetWrittenCount();
        Text(e.Id);
        Text(e.TicketId);
        Number(atTicks);
        Number(SqliteCodes.Of(e.Type));
        Number(SqliteCodes.Of(e.ActorKind));
        Text(e.ActorId);
        Number(e.Public ? 1 : 0);
        Text(e.Channel);
        Text(e.Team);
        Text(e.Priority);
        Number(e.Status is { } status ? SqliteCodes.Of(status) : 0);
        Number(attributesJson.Length);
        attributesJson.CopyTo(_buffer.GetSpan(attributesJson.Length));
        _buffer.Advance(attributesJson.Length);

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_buffer.WrittenSpan, digest);
        return BinaryPrimitives.ReadInt64LittleEndian(digest);
    }

    private void Number(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    private void Text(string? value)
    {
        if (value is null)
        {
            Number(-1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        Number(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }
}
