using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Utendaji.Core;

namespace Utendaji.Server.Jobs;

/// <summary>Registers scheduled report deliveries.</summary>
public static class ReportsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>report-delivery</c> handler, the scanner and its scan service. Needs what
    /// <see cref="JobsServiceCollectionExtensions.AddUtendajiJobs"/> needs (an <see cref="Storage.Jobs.IJobQueue"/>, an
    /// <see cref="IOrganisationStores"/>) and the <see cref="JobWorker"/> it adds to run the jobs; an <see cref="IClock"/>
    /// is added (the system clock) unless one is registered.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IServiceCollection AddUtendajiReportDeliveries(this IServiceCollection services, ReportDeliveryOptions options)
    {
        Guard.NotNull(services);
        Guard.NotNull(options).Validate();
        services.AddSingleton(options);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddHttpClient(ReportDeliveryHandler.HttpClientName)
            // No HttpClient request logs: they would write the webhook URL, whose path may itself be a secret
            // (many services put the token there); JobLog writes one line per job instead.
            .RemoveAllLoggers()
            // A redirect is an answer to fix at the receiver, not to follow with a signed body.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<IJobHandler, ReportDeliveryHandler>();
        services.AddSingleton<ReportDeliveryScanner>();
        services.AddHostedService<ReportDeliveryScanService>();
        return services;
    }
}
