using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Utendaji.Core;

namespace Utendaji.Server.Jobs;

/// <summary>Registers survey sends after solve.</summary>
public static class SurveySendsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>survey-send</c> handler, the scanner and its scan service. Needs what
    /// <see cref="JobsServiceCollectionExtensions.AddUtendajiJobs"/> needs (an <see cref="Storage.Jobs.IJobQueue"/>, an
    /// <see cref="IOrganisationStores"/>) and the <see cref="JobWorker"/> it adds to run the jobs, and the survey pages'
    /// <see cref="Web.Surveys.SurveyLinks"/> (<c>AddSurveyPages</c>) to sign the links; an <see cref="IClock"/> is added
    /// (the system clock) unless one is registered.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IServiceCollection AddUtendajiSurveySends(this IServiceCollection services, SurveySendOptions options)
    {
        Guard.NotNull(services);
        Guard.NotNull(options).Validate();
        services.AddSingleton(options);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddHttpClient(SurveySendHandler.HttpClientName)
            // No HttpClient request logs: they would write the webhook URL, whose path may itself be a secret.
            .RemoveAllLoggers()
            // A redirect is an answer to fix at the receiver, not to follow with a signed body.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<IJobHandler, SurveySendHandler>();
        services.AddSingleton<SurveySendScanner>();
        services.AddHostedService<SurveySendScanService>();
        return services;
    }
}
