using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Text;

namespace Utendaji.Ingest.Events;

/// <summary>
/// Reads canonical ticket events, one JSON object per line (NDJSON, UTF-8), streaming: one pooled buffer that grows
/// only to the longest line. Every line comes back as an <see cref="ImportRow{T}"/> with all its issues; blank lines
/// are skipped; only file-level problems (UTF-16, a line over the limit) throw <see cref="ImportFileException"/>.
/// The format, defaults and every error are specified in docs/formats.md.
/// </summary>
public sealed class EventNdjsonReader : IDisposable
{
    private const string FieldId = "id";
    private const string FieldTicketId = "ticket_id";
    private const string FieldAt = "at";
    private const string FieldType = "type";
    private const string FieldActor = "actor";
    private const string FieldPublic = "public";
    private const string FieldChannel = "channel";
    private const string FieldTeam = "team";
    private const string FieldPriority = "priority";
    private const string FieldStatus = "status";
    private const string FieldAttributes = "attributes";

    private static readonly string[] TopLevel =
        [FieldId, FieldTicketId, FieldAt, FieldType, FieldActor, FieldPublic, FieldChannel, FieldTeam, FieldPriority, FieldStatus, FieldAttributes];

    private static readonly byte[][] TopLevelUtf8 = [.. TopLevel.Select(Encoding.UTF8.GetBytes)];

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly EventNdjsonReaderOptions _options;
    private readonly IdSet? _ids;
    private readonly RawSlab _slab = new();
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private bool _reading;
    private long _nextLine = 1;

    private EventNdjsonReader(Stream stream, string fileName, EventNdjsonReaderOptions options, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _options = options;
        FileName = fileName;
        _ids = options.RejectDuplicateIds ? new IdSet() : null;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(options.BufferSize, 16));
    }

    /// <summary>The file name used in issues.</summary>
    public string FileName { get; }

    /// <summary>Bytes read from the stream so far, for progress bars.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Prepares to read <paramref name="stream"/>; nothing is read until rows are enumerated.</summary>
    public static EventNdjsonReader Open(Stream stream, string fileName, EventNdjsonReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new EventNdjsonReader(stream, fileName, options ?? EventNdjsonReaderOptions.Default, leaveOpen);
    }

    /// <summary>Opens, yields every line's event and closes the stream.</summary>
    public static IEnumerable<ImportRow<TicketEvent>> Read(Stream stream, string fileName, EventNdjsonReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = Open(stream, fileName, options);
        foreach (var row in reader.ReadRows(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Yields one row per non-blank line, lazily and in file order. Can be enumerated once.</summary>
    /// <exception cref="ImportFileException">The file is UTF-16, or a line is longer than <see cref="EventNdjsonReaderOptions.MaxLineBytes"/>.</exception>
    public IEnumerable<ImportRow<TicketEvent>> ReadRows(CancellationToken cancellationToken = default)
    {
        if (_reading)
        {
            throw new InvalidOperationException("the rows of an NDJSON file can be read once");
        }

        _reading = true;
        return Rows(cancellationToken);
    }

    /// <summary>Returns the pooled buffer and closes the stream unless asked to leave it open.</summary>
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

    private IEnumerable<ImportRow<TicketEvent>> Rows(CancellationToken cancellationToken)
    {
        var count = 0;
        while (NextLine(out var lineStart, out var lineLength, out var lineNumber))
        {
            if ((++count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var line = _buffer.AsSpan(lineStart, lineLength);
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            var raw = _slab.Copy(line);
            yield return ParseLine(raw, lineNumber);
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
                throw new ImportFileException(new ImportIssue(FileName, 1, "", null, "is UTF-16 encoded; save the file as UTF-8"));
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
                throw new ImportFileException(new ImportIssue(
                    FileName,
                    _nextLine,
                    "",
                    null,
                    string.Create(CultureInfo.InvariantCulture, $"is longer than {_options.MaxLineBytes} bytes")));
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

        if (_buffer.Length >= _options.MaxLineBytes)
        {
            return false;
        }

        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _options.MaxLineBytes + 1L));
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

    private ImportRow<TicketEvent> ParseLine(ReadOnlyMemory<byte> raw, long line)
    {
        var span = raw.Span;
        var invalidAt = Utf8Text.IndexOfInvalid(span);
        if (invalidAt >= 0)
        {
            return ImportRow<TicketEvent>.Rejected(line, 1, raw, [Utf8Text.InvalidIssue(FileName, line, span, invalidAt)]);
        }

        if (Utf8Text.JsonTextIssue(FileName, line, span) is { } textIssue)
        {
            return ImportRow<TicketEvent>.Rejected(line, 1, raw, [textIssue]);
        }

        var parse = new LineParse(FileName, line);
        try
        {
            parse.Run(span);
        }
        catch (JsonException exception)
        {
            var column = (exception.BytePositionInLine ?? 0) + 1;
            return ImportRow<TicketEvent>.Rejected(line, 1, raw, [new ImportIssue(FileName, line, "", null, string.Create(
                CultureInfo.InvariantCulture,
                $"is not valid JSON (at column {column})"))]);
        }

        var issues = parse.Issues;
        if (issues is null && parse.Id is { } eventId && _ids is not null && !_ids.Add(Encoding.UTF8.GetBytes(eventId)))
        {
            issues = [new ImportIssue(FileName, line, FieldId, eventId, "already occurs earlier in this file")];
        }

        if (issues is not null)
        {
            return ImportRow<TicketEvent>.Rejected(line, 1, raw, issues);
        }

        var type = parse.Type!.Value;
        var ticketEvent = new TicketEvent(
            parse.Id!,
            parse.TicketId!,
            parse.At!.Value,
            type,
            parse.Kind ?? EventVocabulary.DefaultActorKind(type),
            parse.ActorId,
            parse.Public ?? true,
            parse.Channel,
            parse.Team,
            parse.Priority,
            parse.Status,
            parse.Attributes);
        return ImportRow<TicketEvent>.Valid(line, 1, raw, ticketEvent);
    }

    /// <summary>The state of parsing one line: the fields found so far and the issues.</summary>
    private sealed class LineParse(string file, long line)
    {
        public List<ImportIssue>? Issues { get; private set; }

        public string? Id { get; private set; }

        public string? TicketId { get; private set; }

        public Instant? At { get; private set; }

        public TicketEventType? Type { get; private set; }

        public ActorKind? Kind { get; private set; }

        public string? ActorId { get; private set; }

        public bool? Public { get; private set; }

        public string? Channel { get; private set; }

        public string? Team { get; private set; }

        public string? Priority { get; private set; }

        public TicketStatus? Status { get; private set; }

        public Dictionary<string, string>? Attributes { get; private set; }

        public void Run(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                Issue("", null, "is not a JSON object (each line must be one event object)");
                return;
            }

            var seen = 0;
            var typeInvalid = false;
            var atInvalid = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = -1;
                for (var i = 0; i < TopLevelUtf8.Length; i++)
                {
                    if (reader.ValueTextEquals(TopLevelUtf8[i]))
                    {
                        which = i;
                        break;
                    }
                }

                reader.Read();
                if (which < 0)
                {
                    reader.Skip(); // Unknown properties are ignored, so producers can add fields.
                    continue;
                }

                if ((seen & (1 << which)) != 0)
                {
                    Issue(TopLevel[which], null, "appears twice in the object");
                    reader.Skip();
                    continue;
                }

                seen |= 1 << which;
                switch (TopLevel[which])
                {
                    case FieldId:
                        Id = Text(ref reader, FieldId, allowNumber: true);
                        break;
                    case FieldTicketId:
                        TicketId = Text(ref reader, FieldTicketId, allowNumber: true);
                        break;
                    case FieldAt:
                        At = Instant(ref reader);
                        atInvalid = At is null && reader.TokenType != JsonTokenType.Null;
                        break;
                    case FieldType:
                        var typeText = Text(ref reader, FieldType, allowNumber: false);
                        if (typeText is not null)
                        {
                            if (EventVocabulary.TryParseType(typeText, out var type))
                            {
                                Type = type;
                            }
                            else
                            {
                                Issue(FieldType, typeText, $"is not an event type ({EventVocabulary.TypeList})");
                            }
                        }

                        typeInvalid = Type is null && reader.TokenType != JsonTokenType.Null;
                        break;
                    case FieldActor:
                        Actor(ref reader);
                        break;
                    case FieldPublic:
                        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                        {
                            Public = reader.GetBoolean();
                        }
                        else if (reader.TokenType != JsonTokenType.Null)
                        {
                            WrongType(ref reader, FieldPublic, "true or false");
                        }

                        break;
                    case FieldChannel:
                        Channel = Text(ref reader, FieldChannel, allowNumber: false);
                        break;
                    case FieldTeam:
                        Team = Text(ref reader, FieldTeam, allowNumber: false);
                        break;
                    case FieldPriority:
                        Priority = Text(ref reader, FieldPriority, allowNumber: true);
                        break;
                    case FieldStatus:
                        var statusText = Text(ref reader, FieldStatus, allowNumber: false);
                        if (statusText is not null)
                        {
                            if (EventVocabulary.TryParseStatus(statusText, out var status))
                            {
                                Status = status;
                            }
                            else
                            {
                                Issue(FieldStatus, statusText, $"is not a status ({EventVocabulary.StatusList})");
                            }
                        }

                        break;
                    default:
                        AttributesObject(ref reader);
                        break;
                }
            }

            // Anything after the object (a second object, stray text) makes the reader throw: not valid JSON.
            reader.Read();

            if (Id is null && !HasIssue(FieldId))
            {
                Issue(FieldId, null, "is required");
            }

            if (TicketId is null && !HasIssue(FieldTicketId))
            {
                Issue(FieldTicketId, null, "is required");
            }

            if (At is null && !atInvalid)
            {
                Issue(FieldAt, null, "is required");
            }

            if (Type is null && !typeInvalid)
            {
                Issue(FieldType, null, "is required");
            }

            if (Type == TicketEventType.StatusChanged && Status is null && !HasIssue(FieldStatus))
            {
                Issue(FieldStatus, null, "is required for status_changed");
            }

            if (Type == TicketEventType.PriorityChanged && Priority is null && !HasIssue(FieldPriority))
            {
                Issue(FieldPriority, null, "is required for priority_changed");
            }
        }

        private bool HasIssue(string field) => Issues?.Exists(i => i.Field == field) == true;

        private void Issue(string field, string? value, string reason) =>
            (Issues ??= []).Add(new ImportIssue(file, line, field, value, reason));

        /// <summary>A string (or, where allowed, a number kept exactly as written); empty or null means absent.</summary>
        private string? Text(ref Utf8JsonReader reader, string field, bool allowNumber)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var text = reader.GetString()!;
                    return text.Length == 0 ? null : text;
                case JsonTokenType.Number when allowNumber:
                    return Encoding.UTF8.GetString(reader.ValueSpan);
                case JsonTokenType.Null:
                    return null;
                default:
                    WrongType(ref reader, field, allowNumber ? "a string or a number" : "a string");
                    return null;
            }
        }

        private Instant? Instant(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                WrongType(ref reader, FieldAt, "a string");
                return null;
            }

            var bytes = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            switch (IsoDateTime.TryParse(bytes, out var instant, out _, out _))
            {
                case DateTimeTextKind.WithOffset when SupportedInstants.Contains(instant):
                    return instant;
                case DateTimeTextKind.WithOffset:
                    Issue(FieldAt, reader.GetString(), SupportedInstants.Reason);
                    return null;
                case DateTimeTextKind.Local:
                    Issue(FieldAt, reader.GetString(), "has no UTC offset (add Z or an offset such as +03:00)");
                    return null;
                default:
                    Issue(FieldAt, reader.GetString(), "is not a date-time");
                    return null;
            }
        }

        private void Actor(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                WrongType(ref reader, FieldActor, "an object");
                return;
            }

            var seenKind = false;
            var seenId = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKind = reader.ValueTextEquals("kind"u8);
                var isId = !isKind && reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isKind)
                {
                    if (seenKind)
                    {
                        Issue("actor.kind", null, "appears twice in the object");
                        reader.Skip();
                        continue;
                    }

                    seenKind = true;
                    var kindText = Text(ref reader, "actor.kind", allowNumber: false);
                    if (kindText is not null)
                    {
                        if (EventVocabulary.TryParseKind(kindText, out var kind))
                        {
                            Kind = kind;
                        }
                        else
                        {
                            Issue("actor.kind", kindText, $"is not an actor kind ({EventVocabulary.KindList})");
                        }
                    }
                }
                else if (isId)
                {
                    if (seenId)
                    {
                        Issue("actor.id", null, "appears twice in the object");
                        reader.Skip();
                        continue;
                    }

                    seenId = true;
                    ActorId = Text(ref reader, "actor.id", allowNumber: true);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        private void AttributesObject(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                WrongType(ref reader, FieldAttributes, "an object");
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                string? value;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        value = reader.GetString();
                        break;
                    case JsonTokenType.Number:
                        value = Encoding.UTF8.GetString(reader.ValueSpan);
                        break;
                    case JsonTokenType.True:
                        value = "true";
                        break;
                    case JsonTokenType.False:
                        value = "false";
                        break;
                    case JsonTokenType.Null:
                        continue; // A null attribute is an absent one.
                    default:
                        WrongType(ref reader, $"{FieldAttributes}.{key}", "a string, number or boolean");
                        continue;
                }

                Attributes ??= new Dictionary<string, string>(StringComparer.Ordinal);
                if (!Attributes.TryAdd(key, value!))
                {
                    Issue($"{FieldAttributes}.{key}", null, "appears twice in the object");
                }
            }
        }

        private void WrongType(ref Utf8JsonReader reader, string field, string expected)
        {
            var token = reader.TokenType;
            string? value = token switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => "null",
                _ => null,
            };
            if (value is null)
            {
                Issue(field, null, $"must be {expected}, not {(token == JsonTokenType.StartObject ? "an object" : "an array")}");
                reader.Skip();
            }
            else
            {
                Issue(field, value, $"must be {expected}");
            }
        }
    }
}
