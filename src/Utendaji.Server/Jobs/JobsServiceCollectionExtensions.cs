using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Utendaji.Core;

namespace Utendaji.Server.Jobs;

/// <summary>Registers the background jobs of a server node.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the job worker, the SLA warning handler and scanner, and the scan service. The caller registers the
    /// <see cref="Storage.Jobs.IJobQueue"/> (SqliteJobQueue for one node, PostgresJobQueue for several) and an
    /// <see cref="IOrganisationStores"/>; an <see cref="IClock"/> is added (the system clock) unless one is registered.
    /// </summary>
    public static IServiceCollection AddUtendajiJobs(this IServiceCollection services, JobWorkerOptions worker, SlaWarningOptions slaWarnings)
    {
        Guard.NotNull(services);
        Guard.NotNull(worker).Validate();
        Guard.NotNull(slaWarnings).Validate();
        services.AddSingleton(worker);
        services.AddSingleton(slaWarnings);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddHttpClient(SlaWarningHandler.HttpClientName)
            // No HttpClient request logs: they would write the webhook URL, whose path may itself be a secret
            // (many services put the token there); JobLog writes one line per job instead.
            .RemoveAllLoggers()
            // A redirect is an answer to fix at the receiver, not to follow with a signed body.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<IJobHandler, SlaWarningHandler>();
        services.AddSingleton<SlaWarningScanner>();
        services.AddHostedService<JobWorker>();
        services.AddHostedService<SlaWarningScanService>();
        return services;
    }
}
