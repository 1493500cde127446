using System.Text;

namespace Utendaji.Ingest.Tests;

/// <summary>Shared test inputs: real text in the product's languages and stream helpers.</summary>
internal static class TestText
{
    public static readonly string[] Languages = ["fi", "gu", "sw", "tl", "ur"];

    public static string Article(string language) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "articles", $"service-performance.{language}.txt"), Encoding.UTF8);

    /// <summary>Non-empty lines of an article, each a paragraph of real text.</summary>
    public static IReadOnlyList<string> Paragraphs(string language) =>
        Article(language).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A short phrase (first words of the first long paragraph) for names and values.</summary>
    public static string Phrase(string language, int words = 4) =>
        string.Join(' ', Paragraphs(language).First(p => p.Length > 80).Split(' ').Take(words));

    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>
/// A stream producing a header and then <c>rows</c> generated lines on demand, never holding the whole file: used to
/// show that readers hand out the first row long before the end of a large input.
/// </summary>
internal sealed class GeneratedStream(string header, long rows, Func<long, string> row) : Stream
{
    private byte[] _pending = Encoding.UTF8.GetBytes(header);
    private int _offset;
    private long _next;

    public long Produced { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Produced; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var written = 0;
        while (written < count)
        {
            if (_offset == _pending.Length)
            {
                if (_next >= rows)
                {
                    break;
                }

                _pending = Encoding.UTF8.GetBytes(row(_next++));
                _offset = 0;
            }

            var n = Math.Min(count - written, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset + written, n);
            _offset += n;
            written += n;
        }

        Produced += written;
        return written;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
