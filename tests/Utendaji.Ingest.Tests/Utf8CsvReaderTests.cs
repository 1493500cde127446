using System.Text;
using Utendaji.Ingest.Csv;

namespace Utendaji.Ingest.Tests;

public class Utf8CsvReaderTests
{
    private sealed record Record(long Line, int LineCount, string Raw, string[] Fields, CsvRecordError Error);

    [Fact]
    public void Read_QuotesDoubledQuotesAndEmbeddedNewlines_AreUnescaped()
    {
        var records = ReadAll("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,\"\"\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b,c", "say \"hi\""], records[0].Fields);
        Assert.Equal(["multi\nline", "", ""], records[1].Fields);
        Assert.Equal("\"multi\nline\",,\"\"", records[1].Raw);
    }

    [Fact]
    public void Read_LineNumbers_CountPhysicalLines()
    {
        var records = ReadAll("h\n\"1\n2\n3\"\nnext\r\n\r\nlast");

        Assert.Equal([1L, 2, 5, 6, 7], records.Select(r => r.Line));
        Assert.Equal([1, 3, 1, 1, 1], records.Select(r => r.LineCount));
        Assert.Equal("", records[3].Raw);
    }

    [Fact]
    public void Read_ByteOrderMark_IsSkipped()
    {
        var records = ReadAll("\uFEFFid,x\n1,2\n");

        Assert.Equal(["id", "x"], records[0].Fields);
        Assert.Equal("id,x", records[0].Raw);
    }

    [Fact]
    public void Read_Utf16ByteOrderMark_IsReported()
    {
        using var reader = new Utf8CsvReader(new MemoryStream(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("id\n")).ToArray()));

        Assert.False(reader.Read());
        Assert.True(reader.IsUtf16);
    }

    [Theory]
    [InlineData("\"open\nnever closed", CsvRecordError.UnterminatedQuote)]
    [InlineData("\"a\"b,c", CsvRecordError.CharacterAfterClosingQuote)]
    [InlineData("a\"b,c", CsvRecordError.QuoteInUnquotedField)]
    public void Read_MalformedQuoting_FlagsTheRecordAndGoesOn(string firstRecord, CsvRecordError error)
    {
        var records = ReadAll(firstRecord + "\nok,1\n");

        Assert.Equal(error, records[0].Error);
        if (error != CsvRecordError.UnterminatedQuote)
        {
            Assert.Equal(["ok", "1"], records[1].Fields);
            Assert.Equal(CsvRecordError.None, records[1].Error);
        }
    }

    [Fact]
    public void Read_LoneCarriageReturn_IsData()
    {
        var records = ReadAll("a\rb,c\n");

        Assert.Single(records);
        Assert.Equal(["a\rb", "c"], records[0].Fields);
    }

    [Fact]
    public void Read_RecordLongerThanTheLimit_StopsWithRecordTooLong()
    {
        using var reader = new Utf8CsvReader(TestText.Utf8("ok\n\"" + new string('x', 5000)), bufferSize: 64, maxRecordBytes: 1024);

        Assert.True(reader.Read());
        Assert.False(reader.Read());
        Assert.True(reader.RecordTooLong);
        Assert.Equal(2, reader.Line);
    }

    [Fact]
    public void Read_UnicodeText_SurvivesByteForByte()
    {
        var values = TestText.Languages.Select(l => TestText.Phrase(l, 8)).ToArray();
        var csv = string.Join(",", values.Select(v => "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")) + "\n";

        var records = ReadAll(csv, bufferSize: 7);

        Assert.Equal(values, records[0].Fields);
    }

    /// <summary>
    /// Seeded fuzz: random well-formed CSV (random quoting, separators inside quotes, CRLF/LF, multi-byte text) read with
    /// tiny and normal buffers must give exactly what a naive character-by-character tokenizer gives.
    /// </summary>
    [Fact]
    public void Read_GeneratedWellFormedCsv_AgreesWithNaiveReference()
    {
        var random = new Random(4180);
        string[] pieces = ["a", "b", "1", " ", ",", "\"", "\n", "\r\n", "\r", "ö", "ગુ", "ک", "😀", "x y"];
        for (var round = 0; round < 400; round++)
        {
            var text = new StringBuilder();
            if (random.Next(4) == 0)
            {
                text.Append('\uFEFF');
            }

            var records = random.Next(0, 8);
            for (var r = 0; r < records; r++)
            {
                var fields = random.Next(1, 6);
                for (var f = 0; f < fields; f++)
                {
                    var value = new StringBuilder();
                    var length = random.Next(0, 6);
                    for (var i = 0; i < length; i++)
                    {
                        value.Append(pieces[random.Next(pieces.Length)]);
                    }

                    var v = value.ToString();
                    var mustQuote = v.IndexOfAny([',', '"', '\n', '\r']) >= 0 || (v.Length == 0 && fields == 1);
                    text.Append(mustQuote || random.Next(5) == 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v);
                    if (f < fields - 1)
                    {
                        text.Append(',');
                    }
                }

                if (r < records - 1 || random.Next(2) == 0)
                {
                    text.Append(random.Next(2) == 0 ? "\n" : "\r\n");
                }
            }

            AssertSameAsReference(text.ToString(), random.Next(4, 40));
            AssertSameAsReference(text.ToString(), 64 * 1024);
        }
    }

    /// <summary>Seeded fuzz over arbitrary (mostly malformed) input: same fields, errors and lines as the reference.</summary>
    [Fact]
    public void Read_GeneratedArbitraryText_AgreesWithNaiveReference()
    {
        var random = new Random(1999);
        string[] pieces = ["a", ",", "\"", "\"\"", "\n", "\r\n", "\r", "ä", "گ"];
        for (var round = 0; round < 3000; round++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, 30);
            for (var i = 0; i < length; i++)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            AssertSameAsReference(text.ToString(), random.Next(4, 24));
        }
    }

    private static void AssertSameAsReference(string text, int bufferSize)
    {
        var expected = NaiveCsv.Parse(text);
        var actual = ReadAll(text, bufferSize);

        Assert.True(expected.Count == actual.Count, $"record count for {Show(text)} (buffer {bufferSize}): {expected.Count} vs {actual.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i] == actual[i] || (expected[i].Line == actual[i].Line && expected[i].Raw == actual[i].Raw && expected[i].Error == actual[i].Error && expected[i].Fields.SequenceEqual(actual[i].Fields) && expected[i].LineCount == actual[i].LineCount),
                $"record {i} of {Show(text)} (buffer {bufferSize}): expected {Describe(expected[i])}, got {Describe(actual[i])}");
        }
    }

    private static string Show(string text) => "'" + text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";

    private static string Describe(Record r) =>
        $"line {r.Line}+{r.LineCount} {r.Error} raw {Show(r.Raw)} fields [{string.Join("|", r.Fields.Select(Show))}]";

    private static List<Record> ReadAll(string text, int bufferSize = 64 * 1024)
    {
        using var reader = new Utf8CsvReader(TestText.Utf8(text), bufferSize);
        var records = new List<Record>();
        while (reader.Read())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = Encoding.UTF8.GetString(reader[i]);
            }

            records.Add(new Record(reader.Line, reader.LineCount, Encoding.UTF8.GetString(reader.RawRecord), fields, reader.Error));
        }

        return records;
    }

    /// <summary>The reference: one character at a time over the decoded text, written for clarity, not speed.</summary>
    private static class NaiveCsv
    {
        public static List<Record> Parse(string text)
        {
            var records = new List<Record>();
            var i = text.StartsWith('\uFEFF') ? 1 : 0;
            long line = 1;
            while (i < text.Length)
            {
                var recordStart = i;
                var recordLine = line;
                var fields = new List<string>();
                var error = CsvRecordError.None;
                int recordEnd;
                while (true)
                {
                    var field = new StringBuilder();
                    if (i < text.Length && text[i] == '"')
                    {
                        i++;
                        var closed = false;
                        while (i < text.Length)
                        {
                            if (text[i] == '"')
                            {
                                if (i + 1 < text.Length && text[i + 1] == '"')
                                {
                                    field.Append('"');
                                    i += 2;
                                    continue;
                                }

                                i++;
                                closed = true;
                                break;
                            }

                            if (text[i] == '\n')
                            {
                                line++;
                            }

                            field.Append(text[i++]);
                        }

                        fields.Add(field.ToString());
                        if (!closed)
                        {
                            error = CsvRecordError.UnterminatedQuote;
                            recordEnd = i;
                            break;
                        }

                        if (i >= text.Length)
                        {
                            recordEnd = i;
                            break;
                        }

                        if (text[i] == ',')
                        {
                            i++;
                            continue;
                        }

                        if (IsBreak(text, i, out var breakLength))
                        {
                            recordEnd = i;
                            i += breakLength;
                            line++;
                            break;
                        }

                        // Garbage after a closing quote is skipped up to the next separator.
                        error = CsvRecordError.CharacterAfterClosingQuote;
                        while (i < text.Length && text[i] != ',' && !IsBreak(text, i, out _))
                        {
                            i++;
                        }

                        if (i < text.Length && text[i] == ',')
                        {
                            i++;
                            continue;
                        }

                        recordEnd = i;
                        if (i < text.Length)
                        {
                            IsBreak(text, i, out var length);
                            i += length;
                            line++;
                        }

                        break;
                    }

                    while (i < text.Length && text[i] != ',' && !IsBreak(text, i, out _))
                    {
                        if (text[i] == '"' && error == CsvRecordError.None)
                        {
                            error = CsvRecordError.QuoteInUnquotedField;
                        }

                        field.Append(text[i++]);
                    }

                    fields.Add(field.ToString());
                    if (i < text.Length && text[i] == ',')
                    {
                        i++;
                        continue;
                    }

                    recordEnd = i;
                    if (i < text.Length)
                    {
                        IsBreak(text, i, out var length);
                        i += length;
                        line++;
                    }

                    break;
                }

                var raw = text[recordStart..recordEnd];
                records.Add(new Record(recordLine, raw.Count(c => c == '\n') + 1, raw, [.. fields], error));
            }

            return records;
        }

        private static bool IsBreak(string text, int i, out int length)
        {
            length = text[i] == '\n' ? 1 : text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 0;
            return length > 0;
        }
    }
}
