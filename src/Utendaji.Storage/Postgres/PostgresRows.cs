using System.Text;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Utendaji.Core.Metrics;
using Utendaji.Core.Surveys;
using Utendaji.Core.Tickets;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Postgres;

/// <summary>
/// Reading columns of a PostgreSQL row, and building the array parameters that batched writes unnest. Column
/// lists, stored codes, JSON encodings and content hashes are the SQLite store's (<see cref="EventRow"/>,
/// <see cref="SqliteCodes"/>, <see cref="StoredJson"/>), so both stores hold and compare the same values.
/// </summary>
internal static class PgRead
{
    public static string? Text(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? null : r.GetString(column);

    public static Instant? At(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? null : Instant.FromUnixTimeTicks(r.GetInt64(column));

    public static int? Int32(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? null : r.GetInt32(column);

    public static bool? Boolean(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? null : r.GetBoolean(column);

    /// <summary>UTF-8 text of a stored JSON span, or null for the empty span (which both stores keep as NULL).</summary>
    public static string? Json(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? null : Encoding.UTF8.GetString(utf8);

    public static ReadOnlySpan<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static TicketEvent Event(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        Instant.FromUnixTimeTicks(r.GetInt64(2)),
        SqliteCodes.EventType(r.GetInt16(3)),
        SqliteCodes.Actor(r.GetInt16(4)),
        Text(r, 5),
        r.GetBoolean(6),
        Text(r, 7),
        Text(r, 8),
        Text(r, 9),
        r.IsDBNull(10) ? null : SqliteCodes.Status(r.GetInt16(10)),
        r.IsDBNull(11) ? null : StoredJson.ReadAttributes(Utf8(r.GetString(11))));

    public static TicketSummary Summary(NpgsqlDataReader r) => new(
        r.GetString(0),
        Instant.FromUnixTimeTicks(r.GetInt64(1)),
        At(r, 2),
        At(r, 3),
        r.GetInt32(4),
        r.GetInt32(5),
        Text(r, 6),
        Text(r, 7),
        Text(r, 8),
        Text(r, 9),
        Text(r, 10),
        Text(r, 11),
        Int32(r, 12));

    public static TicketFacts Facts(NpgsqlDataReader r) => new()
    {
        TicketId = r.GetString(0),
        Source = SqliteCodes.Source(r.GetInt16(1)),
        CreatedAt = Instant.FromUnixTimeTicks(r.GetInt64(2)),
        Status = SqliteCodes.Status(r.GetInt16(3)),
        Channel = Text(r, 4),
        Team = Text(r, 5),
        Priority = Text(r, 6),
        Agent = Text(r, 7),
        Customer = Text(r, 8),
        Language = Text(r, 9),
        Calendar = r.GetString(10),
        FirstReplyAt = At(r, 11),
        FirstReply = Dual(r, 12),
        NextReplies = r.IsDBNull(14) ? [] : StoredJson.ReadNextReplies(Utf8(r.GetString(14))),
        FirstSolvedAt = At(r, 15),
        FirstResolution = Dual(r, 16),
        SolvedAt = At(r, 18),
        FullResolution = Dual(r, 19),
        RequesterWait = Dual(r, 21),
        AgentReplies = r.GetInt32(23),
        Reopens = r.GetInt32(24),
        OneTouch = Boolean(r, 25),
        FirstContactResolved = Boolean(r, 26),
        Satisfaction = Int32(r, 27),
        Sla = r.IsDBNull(28) ? [] : StoredJson.ReadSla(Utf8(r.GetString(28))),
    };

    public static SurveySend Send(NpgsqlDataReader r) => new()
    {
        SendId = r.GetString(0),
        InstrumentId = r.GetString(1),
        SentAt = Instant.FromUnixTimeTicks(r.GetInt64(2)),
        TicketId = Text(r, 3),
        Customer = Text(r, 4),
        Channel = Text(r, 5),
        Language = Text(r, 6),
    };

    public static SurveyResponse Response(NpgsqlDataReader r) => new()
    {
        ResponseId = r.GetString(0),
        InstrumentId = r.GetString(1),
        SubmittedAt = Instant.FromUnixTimeTicks(r.GetInt64(2)),
        SendId = Text(r, 3),
        SentAt = At(r, 4),
        TicketId = Text(r, 5),
        Customer = Text(r, 6),
        Agent = Text(r, 7),
        Team = Text(r, 8),
        Channel = Text(r, 9),
        Language = Text(r, 10),
        Answers = StoredAnswers.Read(Utf8(r.GetString(11))),
    };

    private static DualDuration? Dual(NpgsqlDataReader r, int column) =>
        r.IsDBNull(column) ? null : new DualDuration(Duration.FromTicks(r.GetInt64(column)), Duration.FromTicks(r.GetInt64(column + 1)));
}

/// <summary>Array parameters that batched writes <c>unnest</c> back into rows on the server: one round trip per run of rows.</summary>
internal static class PgArray
{
    public static NpgsqlParameter Of<T>(string name, NpgsqlDbType elementType, T[] values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values };

    /// <summary>
    /// Splits <paramref name="count"/> rows into runs of at most <paramref name="max"/> rows in which no key repeats,
    /// so an <c>INSERT ... ON CONFLICT</c> per run sees a repeated key stored by the run before, as a row-by-row loop would.
    /// </summary>
    public static IEnumerable<(int Start, int End)> Runs(int count, Func<int, string> key, int max = 2000)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            if (i - start == max || !seen.Add(key(i)))
            {
                yield return (start, i);
                start = i;
                seen.Clear();
                seen.Add(key(i));
            }
        }

        if (count > start)
        {
            yield return (start, count);
        }
    }
}
