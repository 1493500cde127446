using System.Text;
using Npgsql;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Postgres;

/// <summary>Fills <see cref="FactsBatch"/> columns from a <c>ticket_facts</c> scan selecting <see cref="FactsBatchReader.Select"/>.</summary>
internal static class PostgresFactsBatchReader
{
    private const double TicksPerSecond = 10_000_000d;

    /// <summary>Reads up to a batch of rows; false when there were none left.</summary>
    public static async ValueTask<bool> FillAsync(NpgsqlDataReader r, FactsBatch batch, CancellationToken cancellationToken)
    {
        var n = 0;
        var utf8 = new byte[256];
        while (n < batch.Capacity && await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.CreatedAtTicks[n] = r.GetInt64(0);
            batch.SolvedAtTicks[n] = r.IsDBNull(1) ? FactsBatch.NoInstant : r.GetInt64(1);
            batch.StatusColumn[n] = SqliteCodes.Status(r.GetInt16(2));
            batch.TeamColumn[n] = Label(r, batch, 3, ref utf8);
            batch.ChannelColumn[n] = Label(r, batch, 4, ref utf8);
            batch.AgentColumn[n] = Label(r, batch, 5, ref utf8);
            batch.PriorityColumn[n] = Label(r, batch, 6, ref utf8);
            batch.LanguageColumn[n] = Label(r, batch, 7, ref utf8);
            for (var d = 0; d < batch.Durations.Length; d++)
            {
                batch.Durations[d][n] = r.IsDBNull(8 + d) ? double.NaN : r.GetInt64(8 + d) / TicksPerSecond;
            }

            batch.AgentRepliesColumn[n] = r.GetInt32(16);
            batch.ReopensColumn[n] = r.GetInt32(17);
            batch.OneTouchColumn[n] = r.IsDBNull(18) ? null : r.GetBoolean(18);
            batch.FirstContactColumn[n] = r.IsDBNull(19) ? null : r.GetBoolean(19);
            batch.SatisfactionColumn[n] = r.IsDBNull(20) ? (byte)0 : (byte)r.GetInt32(20);
            for (var s = 0; s < batch.SlaColumns.Length; s++)
            {
                batch.SlaColumns[s][n] = r.GetInt32(21 + s);
            }

            n++;
        }

        if (n == 0)
        {
            return false; // leave the last batch a consumer may still hold intact
        }

        batch.Count = n;
        return true;
    }

    private static int Label(NpgsqlDataReader r, FactsBatch batch, int column, ref byte[] utf8)
    {
        if (r.IsDBNull(column))
        {
            return 0;
        }

        var text = r.GetString(column);
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (length > utf8.Length)
        {
            utf8 = new byte[length];
        }

        return batch.Label(utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8)));
    }
}
