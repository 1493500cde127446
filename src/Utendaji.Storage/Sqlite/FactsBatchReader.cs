using Microsoft.Data.Sqlite;

namespace Utendaji.Storage.Sqlite;

/// <summary>Fills <see cref="FactsBatch"/> columns from a <c>ticket_facts</c> scan.</summary>
internal static class FactsBatchReader
{
    public const string Select =
        "created_at, solved_at, status, team, channel, agent, priority, language, " +
        "first_reply_cal, first_reply_bus, first_resolution_cal, first_resolution_bus, " +
        "full_resolution_cal, full_resolution_bus, requester_wait_cal, requester_wait_bus, " +
        "agent_replies, reopens, one_touch, first_contact_resolved, satisfaction, " +
        "sla_first_reply_met, sla_first_reply_breached, sla_next_reply_met, sla_next_reply_breached, sla_resolution_met, sla_resolution_breached";

    private const double TicksPerSecond = 10_000_000d;

    /// <summary>Reads up to a batch of rows; false when there were none left.</summary>
    public static bool Fill(SqliteDataReader r, FactsBatch batch)
    {
        var n = 0;
        while (n < batch.Capacity && r.Read())
        {
            batch.CreatedAtTicks[n] = r.GetInt64(0);
            batch.SolvedAtTicks[n] = r.IsDBNull(1) ? FactsBatch.NoInstant : r.GetInt64(1);
            batch.StatusColumn[n] = SqliteCodes.Status(r.GetInt64(2));
            batch.TeamColumn[n] = batch.Label(EventRow.Text(r, 3));
            batch.ChannelColumn[n] = batch.Label(EventRow.Text(r, 4));
            batch.AgentColumn[n] = batch.Label(EventRow.Text(r, 5));
            batch.PriorityColumn[n] = batch.Label(EventRow.Text(r, 6));
            batch.LanguageColumn[n] = batch.Label(EventRow.Text(r, 7));
            for (var d = 0; d < batch.Durations.Length; d++)
            {
                batch.Durations[d][n] = r.IsDBNull(8 + d) ? double.NaN : r.GetInt64(8 + d) / TicksPerSecond;
            }

            batch.AgentRepliesColumn[n] = r.GetInt32(16);
            batch.ReopensColumn[n] = r.GetInt32(17);
            batch.OneTouchColumn[n] = r.IsDBNull(18) ? null : r.GetInt64(18) != 0;
            batch.FirstContactColumn[n] = r.IsDBNull(19) ? null : r.GetInt64(19) != 0;
            batch.SatisfactionColumn[n] = r.IsDBNull(20) ? (byte)0 : (byte)r.GetInt64(20);
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
}
