using System.Buffers;
using Microsoft.Data.Sqlite;
using NodaTime;
using Utendaji.Core.Metrics;

namespace Utendaji.Storage.Sqlite;

/// <summary>
/// One ticket's record in the KPI report's compact copy of the columns of <see cref="FactsBatch"/>: everything but the
/// key <c>(created_at, ticket_id)</c> packed into varints, labels as integer codes of <c>report_labels</c>. Records were
/// one <c>report_facts</c> row each (migration 0003); they are now packed into <see cref="ReportBlocks"/> of about 4,096
/// tickets (migration 0006), written in the same transaction as <c>ticket_facts</c> by <see cref="FactsWriter"/>, and
/// stored there transposed into columns (<see cref="ReportColumns"/>, migration 0008). Merges still handle one record
/// per ticket.
/// </summary>
/// <remarks>
/// Record layout (LEB128 varints; "zz" = zigzag-encoded signed; instants other than created_at as zz deltas from it;
/// durations as zz ticks):
/// <c>mask</c>, status code, team, channel, agent, priority, language codes (0 = null), then in mask-bit order only the
/// values present: solved (bit 0), first solved (1), the 8 durations in <see cref="FactsDuration"/> order (2–9), then
/// agent replies (zz), reopens (zz), satisfaction (zz, bit 17), the six SLA counts (bit 14), the resolution due
/// (bit 15), and the further resolution dues (bit 16: count, then zz delta, met, breached each). Bits 10–13 are
/// one-touch known/value and first-contact known/value.
/// </remarks>
internal static class ReportFacts
{
    /// <summary>Mask bits.</summary>
    internal const int Solved = 1 << 0, FirstSolved = 1 << 1, DurationBase = 2, OneTouchKnown = 1 << 10, OneTouchValue = 1 << 11,
        FcrKnown = 1 << 12, FcrValue = 1 << 13, SlaCounts = 1 << 14, Due = 1 << 15, OtherDues = 1 << 16, Rated = 1 << 17;

    /// <summary>Packs the report columns of <paramref name="f"/> into <paramref name="output"/>.</summary>
    /// <param name="f">The ticket.</param>
    /// <param name="code">Label text → code.</param>
    /// <param name="output">Receives the BLOB.</param>
    /// <param name="others">Scratch list, reused between calls so encoding allocates nothing.</param>
    public static void Encode(TicketFacts f, Func<string?, int> code, ArrayBufferWriter<byte> output, List<(long Due, int Met, int Breached)> others)
    {
        others.Clear();
        var created = f.CreatedAt.ToUnixTimeTicks();
        Span<long> durations = stackalloc long[(int)FactsDuration.Count];
        var mask = 0;
        if (f.SolvedAt is not null)
        {
            mask |= Solved;
        }

        if (f.FirstSolvedAt is not null)
        {
            mask |= FirstSolved;
        }

        // In FactsDuration order: first reply, first resolution, full resolution, requester wait; calendar, then business.
        mask |= Dual(f.FirstReply, 0, durations) | Dual(f.FirstResolution, 1, durations) | Dual(f.FullResolution, 2, durations) | Dual(f.RequesterWait, 3, durations);

        mask |= f.OneTouch is { } oneTouch ? OneTouchKnown | (oneTouch ? OneTouchValue : 0) : 0;
        mask |= f.FirstContactResolved is { } fcr ? FcrKnown | (fcr ? FcrValue : 0) : 0;
        mask |= f.Satisfaction is not null ? Rated : 0;
        Span<int> counts = stackalloc int[6];
        long due = FactsBatch.NoInstant;
        var sla = f.Sla;
        for (var o = 0; o < sla.Count; o++) // an index, not foreach: no boxed enumerator per ticket
        {
            var outcome = sla[o];
            if (outcome.State == SlaState.Running)
            {
                continue;
            }

            var met = outcome.State == SlaState.Met;
            counts[(FactsBatch.SlaIndex(outcome.Metric) * 2) + (met ? 0 : 1)]++;
            if (outcome.Metric != SlaMetric.Resolution)
            {
                continue;
            }

            var at = outcome.Due.ToUnixTimeTicks();
            if (due == FactsBatch.NoInstant || at == due)
            {
                due = at;
                continue;
            }

            var k = 0;
            while (k < others.Count && others[k].Due != at)
            {
                k++;
            }

            if (k == others.Count)
            {
                others.Add((at, 0, 0));
                k = others.Count - 1;
            }

            others[k] = (at, others[k].Met + (met ? 1 : 0), others[k].Breached + (met ? 0 : 1));
        }

        mask |= counts.ContainsAnyExcept(0) ? SlaCounts : 0;
        mask |= due != FactsBatch.NoInstant ? Due : 0;
        mask |= others.Count > 0 ? OtherDues : 0;

        var w = new Writer(output);
        w.U(mask);
        w.U(SqliteCodes.Of(f.Status));
        w.U(code(f.Team));
        w.U(code(f.Channel));
        w.U(code(f.Agent));
        w.U(code(f.Priority));
        w.U(code(f.Language));
        if (f.SolvedAt is { } solved)
        {
            w.Z(solved.ToUnixTimeTicks() - created);
        }

        if (f.FirstSolvedAt is { } firstSolved)
        {
            w.Z(firstSolved.ToUnixTimeTicks() - created);
        }

        for (var d = 0; d < durations.Length; d++)
        {
            if ((mask & (1 << (DurationBase + d))) != 0)
            {
                w.Z(durations[d]);
            }
        }

        w.Z(f.AgentReplies);
        w.Z(f.Reopens);
        if (f.Satisfaction is { } rating)
        {
            w.Z(rating);
        }

        if ((mask & SlaCounts) != 0)
        {
            foreach (var count in counts)
            {
                w.U(count);
            }
        }

        if ((mask & Due) != 0)
        {
            w.Z(due - created);
        }

        if ((mask & OtherDues) != 0)
        {
            w.U(others.Count);
            foreach (var (at, met, breached) in others)
            {
                w.Z(at - created);
                w.U(met);
                w.U(breached);
            }
        }
    }

    private static int Dual(DualDuration? value, int index, Span<long> durations)
    {
        if (value is not { } dual)
        {
            return 0;
        }

        durations[index * 2] = dual.Calendar.BclCompatibleTicks;
        durations[(index * 2) + 1] = dual.Business.BclCompatibleTicks;
        return 3 << (DurationBase + (index * 2));
    }

    /// <summary>
    /// <c>Duration.FromTicks(ticks).TotalSeconds</c>, bit for bit. Under a day it is the correctly rounded quotient of the
    /// exact nanoseconds by 10⁹, which is the correctly rounded quotient of the exact ticks by 10⁷: one division.
    /// </summary>
    public static double Seconds(long ticks) =>
        ticks is >= 0 and < NodaConstants.TicksPerDay ? ticks / 1e7 : Duration.FromTicks(ticks).TotalSeconds;

    /// <summary>A rating as <see cref="FactsBatch.Satisfaction"/> holds it: 0 (ignored by the report) when outside 1–255.</summary>
    public static byte Rating(long value) => value is >= 1 and <= 255 ? (byte)value : (byte)0;

    internal readonly ref struct Writer(ArrayBufferWriter<byte> output)
    {
        public void Z(long value) => U((ulong)((value << 1) ^ (value >> 63)));

        public void U(long value) => U((ulong)value);

        public void U(ulong value)
        {
            var span = output.GetSpan(10);
            var at = 0;
            Varint.WriteU(span, ref at, (long)value);
            output.Advance(at);
        }
    }

    internal ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        /// <summary>Bytes read so far.</summary>
        public readonly int Position => _at;

        /// <summary>The next <paramref name="length"/> bytes, skipped.</summary>
        public ReadOnlySpan<byte> Bytes(int length)
        {
            var bytes = _data.Slice(_at, length);
            _at += length;
            return bytes;
        }

        public long U() => Varint.U(_data, ref _at);

        public long Z() => Varint.Z(_data, ref _at);
    }
}
