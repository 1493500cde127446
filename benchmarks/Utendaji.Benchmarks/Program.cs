using BenchmarkDotNet.Running;
using Utendaji.Benchmarks;

// Multi-minute end-to-end runs (import, report over 10M tickets) are timed console modes, see docs/performance-*.md:
//   dotnet run -c Release --project benchmarks/Utendaji.Benchmarks -- run <mode> ...
if (args.Length > 0 && args[0] == "run")
{
    return await ConsoleRuns.RunAsync(args[1..]);
}

// Run with: dotnet run -c Release --project benchmarks/Utendaji.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(ConsoleRuns).Assembly).Run(args);
return 0;
