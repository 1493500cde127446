using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Utendaji.Cli.Tests;

/// <summary>
/// A real HTTP receiver on a free loopback port (Kestrel) that records every POST and answers 204. Before answering
/// the very first request it runs <see cref="BeforeFirstAnswer"/>, which may, for instance, kill the sender.
/// (Adapted from Utendaji.Server.Tests' receiver: this project does not reference that one.)
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _seen;
    private int _disposed;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request received, in order of arrival (also those whose sender died before the answer).</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Runs once, on the first request, after it is recorded and before it is answered.</summary>
    public Func<ReceivedWebhook, Task>? BeforeFirstAnswer { get; set; }

    public Uri Url { get; private set; } = null!;

    /// <summary>Starts a receiver answering at <c>/hooks/{path}</c>.</summary>
    public static async Task<WebhookReceiver> StartAsync(string path)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/" + path, async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var received = new ReceivedWebhook(
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray());
            receiver.Received.Enqueue(received);
            if (Interlocked.Increment(ref receiver._seen) == 1 && receiver.BeforeFirstAnswer is { } first)
            {
                await first(received);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = new Uri(new Uri(address), "/hooks/" + path);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, byte[] Body);
