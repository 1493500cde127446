using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Utendaji.Ingest.Importing;
using Utendaji.Server.Access;
using Utendaji.Server.Api;
using Utendaji.Server.Infrastructure;
using Utendaji.Server.Jobs;
using Utendaji.Server.Web.Dashboard;
using Utendaji.Server.Web.Surveys;
using Utendaji.Storage.Accounts;

namespace Utendaji.Server;

/// <summary>
/// Builds the Utendaji HTTP server: <c>utendaji serve</c> runs it on Kestrel, tests run it on a test server
/// (pass <c>builder =&gt; builder.WebHost.UseTestServer()</c> as <c>configure</c>).
/// </summary>
public static class UtendajiServer
{
    /// <summary>The prefix of every organisation's API.</summary>
    public const string ApiPrefix = "/api/v1/orgs/{org}";

    /// <summary>The server, ready to <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    /// <param name="options">Stores, accounts, clock and limits.</param>
    /// <param name="configure">Changes to the builder before the app is built (a test server, extra logging).</param>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(UtendajiServer).Assembly.GetName().Name,
            // Configuration is read once at start. Reloading on change made the host watch the working folder and every
            // folder below it (807 inotify watches from a source checkout; Linux allows 8,192 per user by default), and
            // wake on each write of a store kept there.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseKestrel(kestrel =>
        {
            // Bodies are limited per endpoint as they are read; this is the outer bound.
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.FileBodyLimit, options.JsonBodyLimit) + 1;
            kestrel.AddServerHeader = false;
        });
        builder.WebHost.UseUrls([.. options.Urls]);
        if (options.JsonConsoleLogs)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }

        // Framework chatter per request would repeat our own one line per request.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<IAccountStore>(new CachingAccountStore(options.Accounts, Duration.FromTimeSpan(options.TokenCacheDuration)));
        services.AddSingleton(options.Clock);
        services.AddSingleton(_ => new OrganisationStores(options.OpenStore));
        // Jobs borrow stores through the same gates as requests, so a job never shares a store object with a request.
        services.AddSingleton<IOrganisationStores>(provider => new KnownOrganisationStores(provider.GetRequiredService<OrganisationStores>(), options.Accounts));
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<Ingestion>();
        services.AddSingleton<Caching.OrganisationCache>();
        services.AddSingleton<Performance.EventGroupCommit>();
        services.AddProblemDetails();
        services.AddAntiforgery(antiforgery =>
        {
            // Always Secure, but without antiforgery's own "request must be HTTPS" check (SecurePolicy.Always), which
            // would break every form behind a TLS-terminating proxy that forwards plain HTTP.
            antiforgery.Cookie = new AlwaysSecureCookieBuilder
            {
                Name = "utendaji-csrf",
                SecurePolicy = CookieSecurePolicy.SameAsRequest,
                SameSite = SameSiteMode.Strict,
                HttpOnly = true,
                IsEssential = true,
            };
        });
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Utendaji API";
            document.Info.Version = "v1";
            document.Info.Description = "Customer-service performance: events in, KPIs out. Every path under /api/v1/orgs/{org} needs 'Authorization: Bearer utd_…' (docs/server.md), except the helpdesk webhook receivers under /webhooks, which are authenticated by the helpdesk's signature (docs/connectors.md).";
            document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes["bearer"] = new Microsoft.OpenApi.OpenApiSecurityScheme
            {
                Type = Microsoft.OpenApi.SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal API token (utd_…) from 'utendaji admin create-token' or POST /tokens.",
            };
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                AccessMiddleware.BearerToken(context.Request) is { } token
                    ? RateLimitPartition.GetFixedWindowLimiter(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.RateLimitPermits,
                        Window = options.RateLimitWindow,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("anonymous"));
            limiter.OnRejected = async (rejected, ct) =>
            {
                var context = rejected.HttpContext;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : Math.Max(1, (int)Math.Ceiling(options.RateLimitWindow.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Utendaji.Server.RateLimit");
                ServerLog.RateLimited(logger, ApiTokens.Prefix(AccessMiddleware.BearerToken(context.Request) ?? ""));
                await Results.Problem($"Too many requests with this token; retry after {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests")
                    .ExecuteAsync(context);
            };
        });

        if (options.ConfigurationFile is { } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
            // Environment variables win over the file, as they win over appsettings.json.
            builder.Configuration.AddEnvironmentVariables();
        }

        configure?.Invoke(builder);
        var settings = ServerSettings.Read(builder.Configuration);
        AddSurveyPages(builder);
        try
        {
            services.AddDashboardAuthentication(DashboardOptions.Read(builder.Configuration, options.DashboardKeysDirectory));
        }
        catch (IOException e)
        {
            throw new ServerConfigurationException($"{DashboardOptions.Section}:KeysDirectory: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ServerConfigurationException($"{DashboardOptions.Section}:KeysDirectory: {e.Message}");
        }

        services.AddSingleton(settings);
        services.AddSingleton(settings.Connectors);
        if (options.JobQueue is { } queue)
        {
            services.AddSingleton(queue);
            if (settings.JobsEnabled)
            {
                services.AddUtendajiJobs(settings.Worker, settings.SlaWarnings);
                if (settings.Reports.Schedules.Count > 0)
                {
                    services.AddUtendajiReportDeliveries(settings.Reports);
                }

                if (settings.SurveySends.Organisations.Count > 0)
                {
                    services.AddUtendajiSurveySends(settings.SurveySends);
                }
            }
        }

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => LogBackgroundWork(app, options, settings));

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(MeasureAsync);
        app.UseRouting();
        app.UseRateLimiter();
        // The dashboard's cookie session (the API's bearer tokens are checked by AccessMiddleware, not by this).
        app.UseAuthentication();
        app.UseMiddleware<AccessMiddleware>();

        app.MapOpenApi();
        app.MapOperationsApi();
        app.MapSurveyPages();
        app.MapDashboard();
        app.MapGroup(ApiPrefix)
            .WithTags("organisation")
            .MapIngestApi()
            .MapReportsApi()
            .MapConfigApi()
            .MapAccountsApi()
            .MapWebhooksApi()
            .MapSurveySendsApi();
        return app;
    }

    /// <summary>
    /// Survey pages when <c>Utendaji:SurveyLinks:Secret</c> is set (unless the caller registered them itself); a secret
    /// that is too short stops the start with a message naming the key.
    /// </summary>
    private static void AddSurveyPages(WebApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(SurveyLinks)))
        {
            return;
        }

        try
        {
            builder.Services.AddSurveyPages(builder.Configuration);
        }
        catch (ArgumentException e)
        {
            throw new ServerConfigurationException(e.Message);
        }
    }

    /// <summary>Once at start: what runs in the background and what is off because it is not configured.</summary>
    private static void LogBackgroundWork(WebApplication app, ServerOptions options, ServerSettings settings)
    {
        var jobs = options.JobQueue is null
            ? "off (no job queue)"
            : settings.JobsEnabled
                ? $"on (worker {settings.Worker.WorkerName}, poll every {settings.Worker.PollInterval})"
                : "off on this node (Utendaji:Jobs:Enabled is false); the queue is still counted in /metrics";
        var warnings = settings.SlaWarnings.Webhooks.Count == 0
            ? "off (no Utendaji:SlaWarnings:Organisations:{org}:Url configured)"
            : options.JobQueue is null || !settings.JobsEnabled
                ? $"configured for {settings.SlaWarnings.Webhooks.Count} organisation(s) but not run on this node"
                : $"on for {settings.SlaWarnings.Webhooks.Count} organisation(s), lead time {settings.SlaWarnings.LeadTime.ToTimeSpan()}, scan every {settings.SlaWarnings.ScanInterval}";
        var schedules = settings.Reports.Schedules.Values.Sum(list => list.Count);
        warnings += schedules == 0
            ? "; scheduled reports: off (no Utendaji:Reports:Schedules configured)"
            : options.JobQueue is null || !settings.JobsEnabled
                ? $"; scheduled reports: {schedules} configured but not run on this node"
                : $"; scheduled reports: on, {schedules} schedule(s) for {settings.Reports.Schedules.Count} organisation(s)";
        var surveys = settings.SurveySends.Organisations.Count;
        warnings += surveys == 0
            ? "; survey sends: off (no Utendaji:SurveySends:Organisations:{org} configured)"
            : options.JobQueue is null || !settings.JobsEnabled
                ? $"; survey sends: configured for {surveys} organisation(s) but not run on this node"
                : $"; survey sends: on for {surveys} organisation(s), scan every {settings.SurveySends.ScanInterval}";
        var connectors = settings.Connectors.Organisations.Count == 0
            ? "off (no Utendaji:Connectors:Organisations:{org} secrets configured)"
            : $"on for {settings.Connectors.Organisations.Count} organisation(s)";
        ServerLog.BackgroundWork(app.Logger, jobs, warnings, connectors);
    }

    /// <summary>Latency and count per route template, and one log line per request (no path, no query, no body).</summary>
    private static async Task MeasureAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
            var services = context.RequestServices;
            services.GetRequiredService<ServerMetrics>().RecordRequest(route, context.Request.Method, context.Response.StatusCode, elapsed);
            var caller = context.Features.Get<TokenPrincipal>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Utendaji.Server.Requests");
            ServerLog.Request(logger, context.Request.Method, route, context.Response.StatusCode, elapsed.TotalMilliseconds, caller?.Organisation, caller?.TokenPrefix);
        }
    }
}
