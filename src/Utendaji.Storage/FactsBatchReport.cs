using Utendaji.Core;
using Utendaji.Core.Reporting;

namespace Utendaji.Storage;

/// <summary>
/// The KPI report from a store's column batches (<see cref="IUtendajiStore.ReadFactBatchesAsync"/>), with the groups split
/// between accumulators that run in parallel (<see cref="KpiReportAccumulator(KpiReportOptions, int, int)"/>): the same
/// report, bit for bit, as one <see cref="KpiReportAccumulator"/> over the same batches.
/// </summary>
public static class FactsBatchReport
{
    /// <summary>Aggregates every batch, then builds the report.</summary>
    /// <param name="batches">The batches, in the order the store reads them.</param>
    /// <param name="options">The report options.</param>
    /// <param name="parts">Accumulators run side by side on each batch; 0 picks one per processor, at most 4.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static async Task<KpiReport> BuildAsync(IAsyncEnumerable<FactsBatch> batches, KpiReportOptions options, int parts = 0, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(batches);
        Guard.NotNull(options);
        Guard.InRange(parts >= 0, "must be 0 (automatic) or more", nameof(parts));
        if (parts == 0)
        {
            parts = Math.Clamp(Environment.ProcessorCount, 1, 4);
        }

        var accumulators = new KpiReportAccumulator[parts];
        for (var p = 0; p < parts; p++)
        {
            accumulators[p] = new KpiReportAccumulator(options, p, parts);
        }

        await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (parts == 1)
            {
                accumulators[0].Add(batch.ReportColumns(), batch.Labels);
                continue;
            }

            // Each part sees every row and keeps its own groups; the batch is not refilled until all are done.
            Parallel.For(0, parts, p => accumulators[p].Add(batch.ReportColumns(), batch.Labels));
        }

        return KpiReportAccumulator.Build(accumulators);
    }
}
