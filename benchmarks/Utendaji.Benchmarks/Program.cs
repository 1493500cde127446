using BenchmarkDotNet.Running;

// Never part of the test command. Run one area with e.g.
// dotnet run -c Release --project benchmarks/Utendaji.Benchmarks -- --filter '*BusinessTime*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
