using Npgsql;
using NpgsqlTypes;
using Utendaji.Core.Metrics;
using Utendaji.Storage.Sqlite;

namespace Utendaji.Storage.Postgres;

/// <summary>Upserts facts in runs of array parameters; shared by imports and re-derivation.</summary>
internal static class PostgresFactsWriter
{
    private static readonly string[] Columns =
        (FactsRow.Select + ", sla_first_reply_met, sla_first_reply_breached, sla_next_reply_met, sla_next_reply_breached, sla_resolution_met, sla_resolution_breached").Split(", ");

    private static readonly string Upsert =
        $"INSERT INTO ticket_facts (org, {string.Join(", ", Columns)}) SELECT @org, * FROM unnest({string.Join(", ", Columns.Select(c => "@" + c))}) " +
        "ON CONFLICT (org, ticket_id) DO UPDATE SET " +
        string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}"));

    /// <summary>Writes <paramref name="facts"/> on <paramref name="connection"/> (inside its current transaction); a repeated ticket replaces the earlier one.</summary>
    public static async Task PutAsync(NpgsqlConnection connection, long org, StoredJson json, IReadOnlyList<TicketFacts> facts, CancellationToken cancellationToken)
    {
        foreach (var (start, end) in PgArray.Runs(facts.Count, i => facts[i].TicketId))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = end - start;
            var ticket = new string[n];
            var source = new short[n];
            var created = new long[n];
            var status = new short[n];
            var channel = new string?[n];
            var team = new string?[n];
            var priority = new string?[n];
            var agent = new string?[n];
            var customer = new string?[n];
            var language = new string?[n];
            var calendar = new string[n];
            var firstReplyAt = new long?[n];
            var firstReplyCal = new long?[n];
            var firstReplyBus = new long?[n];
            var nextReplies = new string?[n];
            var firstSolvedAt = new long?[n];
            var firstResolutionCal = new long?[n];
            var firstResolutionBus = new long?[n];
            var solvedAt = new long?[n];
            var fullResolutionCal = new long?[n];
            var fullResolutionBus = new long?[n];
            var waitCal = new long?[n];
            var waitBus = new long?[n];
            var agentReplies = new int[n];
            var reopens = new int[n];
            var oneTouch = new bool?[n];
            var firstContact = new bool?[n];
            var satisfaction = new int?[n];
            var sla = new string?[n];
            var counts = new int[6][];
            for (var c = 0; c < counts.Length; c++)
            {
                counts[c] = new int[n];
            }

            for (var i = 0; i < n; i++)
            {
                var f = facts[start + i];
                ticket[i] = f.TicketId;
                source[i] = (short)SqliteCodes.Of(f.Source);
                created[i] = f.CreatedAt.ToUnixTimeTicks();
                status[i] = (short)SqliteCodes.Of(f.Status);
                channel[i] = f.Channel;
                team[i] = f.Team;
                priority[i] = f.Priority;
                agent[i] = f.Agent;
                customer[i] = f.Customer;
                language[i] = f.Language;
                calendar[i] = f.Calendar;
                firstReplyAt[i] = f.FirstReplyAt?.ToUnixTimeTicks();
                firstReplyCal[i] = f.FirstReply?.Calendar.BclCompatibleTicks;
                firstReplyBus[i] = f.FirstReply?.Business.BclCompatibleTicks;
                nextReplies[i] = PgRead.Json(json.NextReplies(f.NextReplies));
                firstSolvedAt[i] = f.FirstSolvedAt?.ToUnixTimeTicks();
                firstResolutionCal[i] = f.FirstResolution?.Calendar.BclCompatibleTicks;
                firstResolutionBus[i] = f.FirstResolution?.Business.BclCompatibleTicks;
                solvedAt[i] = f.SolvedAt?.ToUnixTimeTicks();
                fullResolutionCal[i] = f.FullResolution?.Calendar.BclCompatibleTicks;
                fullResolutionBus[i] = f.FullResolution?.Business.BclCompatibleTicks;
                waitCal[i] = f.RequesterWait?.Calendar.BclCompatibleTicks;
                waitBus[i] = f.RequesterWait?.Business.BclCompatibleTicks;
                agentReplies[i] = f.AgentReplies;
                reopens[i] = f.Reopens;
                oneTouch[i] = f.OneTouch;
                firstContact[i] = f.FirstContactResolved;
                satisfaction[i] = f.Satisfaction;
                sla[i] = PgRead.Json(json.Sla(f.Sla));
                foreach (var outcome in f.Sla)
                {
                    if (outcome.State != SlaState.Running)
                    {
                        counts[(FactsBatch.SlaIndex(outcome.Metric) * 2) + (outcome.State == SlaState.Met ? 0 : 1)][i]++;
                    }
                }
            }

            await using var command = new NpgsqlCommand(Upsert, connection);
            command.Parameters.Add(new NpgsqlParameter<long>("org", NpgsqlDbType.Bigint) { TypedValue = org });
            var p = command.Parameters;
            var k = 0;
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, ticket));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Smallint, source));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, created));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Smallint, status));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, channel));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, team));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, priority));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, agent));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, customer));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, language));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, calendar));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, firstReplyAt));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, firstReplyCal));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, firstReplyBus));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, nextReplies));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, firstSolvedAt));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, firstResolutionCal));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, firstResolutionBus));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, solvedAt));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, fullResolutionCal));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, fullResolutionBus));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, waitCal));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Bigint, waitBus));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Integer, agentReplies));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Integer, reopens));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Boolean, oneTouch));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Boolean, firstContact));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Integer, satisfaction));
            p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Text, sla));
            foreach (var column in counts)
            {
                p.Add(PgArray.Of(Columns[k++], NpgsqlDbType.Integer, column));
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
