using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Utendaji.Server.Jobs;

namespace Utendaji.Server.Tests.Jobs;

/// <summary>
/// The outgoing webhook clients registered by AddUtendajiJobs, AddUtendajiReportDeliveries and AddUtendajiSurveySends write no request logs:
/// HttpClientFactory's default ones would write the webhook URL, whose path may be a secret token.
/// </summary>
public sealed class WebhookClientLoggingTests
{
    [Theory]
    [InlineData(SlaWarningHandler.HttpClientName)]
    [InlineData(ReportDeliveryHandler.HttpClientName)]
    [InlineData(SurveySendHandler.HttpClientName)]
    public async Task WebhookClient_SendsRequest_LogsNothingOfTheUrl(string client)
    {
        // Given the server's job services with every log level captured, and a receiver whose path holds a token
        await using var receiver = await WebhookReceiver.StartAsync();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddUtendajiJobs(JobWorkerOptions.Default, SlaWarningOptions.Default);
        services.AddUtendajiReportDeliveries(ReportDeliveryOptions.Default);
        services.AddUtendajiSurveySends(SurveySendOptions.Default);
        await using var provider = services.BuildServiceProvider();
        var url = new Uri(receiver.Url, "sla?token=tok-3f9a0c1e77");

        // When the webhook client posts to it
        using var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(client);
        using var response = await http.PostAsync(url, new StringContent("{}"));

        // Then the request arrived, and no log line names the host, the path or the token
        Assert.True(response.IsSuccessStatusCode);
        Assert.Single(receiver.Received);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("/hooks/", StringComparison.Ordinal) || line.Contains("tok-3f9a0c1e77", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                lines.Enqueue(category + " scope " + state);
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(category + " " + formatter(state, exception));
        }
    }
}
