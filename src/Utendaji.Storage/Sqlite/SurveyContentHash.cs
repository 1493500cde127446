using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Utendaji.Core.Surveys;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// A 64-bit fingerprint of everything a survey send or response says, as <see cref="EventContentHash"/> is for events:
/// the first 8 bytes of SHA-256 over a length-prefixed encoding of the stored form of every field, so two rows that
/// would be stored identically hash identically.
/// </summary>
internal sealed class SurveyContentHash
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public long Of(SurveySend send, long sentAt)
    {
        _buffer.ResetWrittenCount();
        Text(send.SendId);
        Text(send.InstrumentId);
        Number(sentAt);
        Text(send.TicketId);
        Text(send.Customer);
        Text(send.Channel);
        Text(send.Language);
        return Digest();
    }

    public long Of(SurveyResponse response, long submittedAt, long? sentAt, ReadOnlySpan<byte> answersJson)
    {
        _buffer.ResetWrittenCount();
        Text(response.ResponseId);
        Text(response.InstrumentId);
        Number(submittedAt);
        Text(response.SendId);
        Number(sentAt is null ? 0 : 1);
        Number(sentAt ?? 0);
        Text(response.TicketId);
        Text(response.Customer);
        Text(response.Agent);
        Text(response.Team);
        Text(response.Channel);
        Text(response.Language);
        Number(answersJson.Length);
        answersJson.CopyTo(_buffer.GetSpan(answersJson.Length));
        _buffer.Advance(answersJson.Length);
        return Digest();
    }

    private long Digest()
    {
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
