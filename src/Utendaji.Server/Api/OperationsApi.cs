using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Utendaji.Server.Infrastructure;
using Utendaji.Storage.Accounts;
using Utendaji.Storage.Jobs;

namespace Utendaji.Server.Api;

/// <summary>For the operator and the load balancer: liveness, readiness, metrics. No token needed; no data shown.</summary>
internal static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Text("ok\n"))
            .WithName("Health")
            .WithSummary("The process is alive")
            .WithTags("operations");

        // The baseline of the server benchmark (benchmarks/server): the cheapest request the pipeline can answer.
        app.MapGet("/plaintext", () => TypedResults.Text("OK", "text/plain"))
            .WithName("Plaintext")
            .WithSummary("Answers OK (a baseline for load tests)")
            .WithTags("operations");

        app.MapGet("/ready", async (IAccountStore accounts, CancellationToken ct) =>
            {
                try
                {
                    // A query on the database answers whether the store is reachable (not locked, not gone).
                    await accounts.OrganisationExistsAsync("", ct);
                    return TypedResults.Text("ready\n");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return Results.Problem("The store is not reachable.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
                }
            })
            .WithName("Ready")
            .WithSummary("The store is reachable")
            .WithTags("operations");

        app.MapGet("/metrics", async (ServerMetrics metrics, IServiceProvider services, CancellationToken ct) =>
                TypedResults.Text(metrics.Render(await JobCountsAsync(services, ct)), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("Metrics")
            .WithSummary("Counters and latency histograms in the Prometheus text format")
            .WithTags("operations");
        return app;
    }

    /// <summary>The queue's depth, or null without a queue or when the queue cannot answer (the other figures still show).</summary>
    private static async Task<JobCounts?> JobCountsAsync(IServiceProvider services, CancellationToken ct)
    {
        if (services.GetService<IJobQueue>() is not { } queue)
        {
            return null;
        }

        try
        {
            return await queue.CountAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }
}
