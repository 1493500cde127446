using NodaTime;
using Utendaji.Cli;

// Start-up is the one place that reads the real clock and the real console.
return await UtendajiApp.RunAsync(args, CliEnvironment.FromProcess(SystemClock.Instance));
