using Microsoft.Extensions.Logging;

namespace Utendaji.Server.Jobs;

/// <summary>
/// Runs <see cref="SlaWarningScanner"/> every <see cref="SlaWarningOptions.ScanInterval"/> over each organisation that
/// has an outgoing webhook. Every node may run it; the dedupe keys make the result the same as one node's.
/// </summary>
public sealed class SlaWarningScanService(
    SlaWarningScanner scanner, IOrganisationStores stores, SlaWarningOptions options, ILogger<SlaWarningScanService> logger) : OrganisationScanService
{
    /// <inheritdoc />
    protected override IEnumerable<string> Organisations => options.Webhooks.Keys;

    /// <inheritdoc />
    protected override TimeSpan Interval => options.ScanInterval;

    /// <inheritdoc />
    protected override Task ScanAsync(string organisation, CancellationToken cancellationToken) =>
        stores.WithStoreAsync(organisation, scanner.ScanAsync, cancellationToken);

    /// <inheritdoc />
    protected override void ScanFailed(string organisation, Exception exception) => JobLog.ScanFailed(logger, organisation, exception.GetType().Name);
}
