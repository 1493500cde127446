namespace Utendaji.Storage.Sqlite;

/// <summary>Fills <see cref="FactsBatch"/> columns from a <c>ticket_facts</c> scan.</summary>
internal static class FactsBatchReader
{
    public const string Select =
        "created_at, solved_at, status, team, channel, agent, priority, language, " +
        "first_reply_cal, first_reply_bus, first_resolution_cal, first_resolution_bus, " +
        "full_resolution_cal, full_resolution_bus, requester_wait_cal, requester_wait_bus, " +
        "agent_replies, reopens, one_touch, first_contact_resolved, satisfaction, " +
        "sla_first_reply_met, sla_first_reply_breached, sla_next_reply_met, sla_next_reply_breached, sla_resolution_met, sla_resolution_breached, " +
        "first_solved_at, sla";

    /// <summary>Reads up to a batch of rows; false when there were none left.</summary>
    public static bool Fill(RawStatement r, FactsBatch batch)
    {
        var n = 0;
        while (n < batch.Capacity && r.Step())
        {
            if (n == 0)
            {
                batch.OtherDues.Clear();
            }

            batch.CreatedAtTicks[n] = r.Int64(0);
            batch.SolvedAtTicks[n] = r.IsNull(1) ? FactsBatch.NoInstant : r.Int64(1);
            batch.StatusColumn[n] = SqliteCodes.Status(r.Int64(2));
            batch.TeamColumn[n] = Label(r, batch, 3);
            batch.ChannelColumn[n] = Label(r, batch, 4);
            batch.AgentColumn[n] = Label(r, batch, 5);
            batch.PriorityColumn[n] = Label(r, batch, 6);
            batch.LanguageColumn[n] = Label(r, batch, 7);
            for (var d = 0; d < batch.Durations.Length; d++)
            {
                batch.Durations[d][n] = r.IsNull(8 + d) ? double.NaN : ReportFacts.Seconds(r.Int64(8 + d));
            }

            batch.AgentRepliesColumn[n] = r.Int32(16);
            batch.ReopensColumn[n] = r.Int32(17);
            batch.OneTouchColumn[n] = r.IsNull(18) ? null : r.Int64(18) != 0;
            batch.FirstContactColumn[n] = r.IsNull(19) ? null : r.Int64(19) != 0;
            batch.SatisfactionColumn[n] = r.IsNull(20) ? (byte)0 : ReportFacts.Rating(r.Int64(20));
            for (var s = 0; s < batch.SlaColumns.Length; s++)
            {
                batch.SlaColumns[s][n] = r.Int32(21 + s);
            }

            batch.FirstSolvedAtTicks[n] = r.IsNull(27) ? FactsBatch.NoInstant : r.Int64(27);
            batch.AddResolutionDues(n, r.IsNull(28) ? [] : StoredJson.ReadSla(r.Utf8(28)));

            n++;
        }

        if (n == 0)
        {
            return false; // leave the last batch a consumer may still hold intact
        }

        batch.Count = n;
        return true;
    }

    private static int Label(RawStatement r, FactsBatch batch, int column) =>
        r.IsNull(column) ? 0 : batch.Label(r.Utf8(column));
}
