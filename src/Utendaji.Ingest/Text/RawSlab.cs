namespace Utendaji.Ingest.Text;

/// <summary>
/// Copies rows' original bytes out of the reader's pooled buffer into shared chunks, so keeping the raw text of every
/// row costs one allocation per few hundred rows instead of one per row. A chunk is collected once no row refers to it,
/// so memory still does not grow with file size.
/// </summary>
internal sealed class RawSlab
{
    private const int ChunkSize = 64 * 1024;

    // The first chunks are small and each is twice the last up to ChunkSize: a reader of one small request (a
    // server POST) used to allocate and clear a whole 64 KB chunk for a few hundred bytes.
    private byte[] _chunk = new byte[1024];
    private int _used;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (bytes.Length > ChunkSize / 4)
        {
            return bytes.ToArray();
        }

        if (_used + bytes.Length > _chunk.Length)
        {
            _chunk = new byte[Math.Min(ChunkSize, Math.Max(_chunk.Length * 2, bytes.Length))];
            _used = 0;
        }

        bytes.CopyTo(_chunk.AsSpan(_used));
        var memory = new ReadOnlyMemory<byte>(_chunk, _used, bytes.Length);
        _used += bytes.Length;
        return memory;
    }
}
