using Utendaji.Core.Reporting;

namespace Utendaji.Storage;

/// <summary>The KPI report of a store, as the CLI's <c>report</c> and the server's <c>GET …/reports/kpi</c> build it.</summary>
public static class KpiReports
{
    /// <summary>
    /// The report from the store's column batches (<see cref="FactsBatch"/>): the same report
    /// <see cref="KpiReportBuilder"/> gives over <see cref="IUtendajiStore.ReadFactsAsync"/>, figure for figure and bit
    /// for bit (both read in creation order), at a fraction of the cost over millions of tickets (docs/performance.md).
    /// </summary>
    public static async Task<KpiReport> BuildAsync(IUtendajiStore store, FactsQuery query, KpiReportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var accumulator = new KpiReportAccumulator(options);
        await foreach (var batch in store.ReadFactBatchesAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            accumulator.Add(batch.ReportColumns(), batch.Labels);
        }

        return accumulator.Build();
    }
}
